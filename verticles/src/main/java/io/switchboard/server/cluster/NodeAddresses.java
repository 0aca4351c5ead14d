package io.switchboard.server.cluster;

/**
 * The event-bus addresses by which the nodes of a cluster reach one another: {@code
 * switchboard.node.<node id>.<op>}, each consumed by one consumer of that node (the first routing
 * shard), which hands the message on to the routing shard concerned inside the node. They are
 * registered once, at start, so that the cluster's routing tables hold them before traffic flows.
 *
 * <p>Senders: the routing shards of the other nodes and the admin API.
 */
public final class NodeAddresses {

  /**
   * A publish forwarded to the owner of its channel. Body: a {@link ChannelFrame}. Reply: {@code
   * {"delivered": <n>}} once the owner has passed it on to every node with subscribers.
   */
  public static final String PUBLISH = "publish";

  /**
   * The owner's delivery of a channel message to a node with subscribers. Body: a {@link
   * ChannelFrame}. Reply, when asked: {@code {"delivered": <n>}}, the sockets written to here.
   */
  public static final String DELIVER = "deliver";

  /**
   * A service broadcast ({@code switchboard.broadcast}'s body), forwarded to the owner of its
   * channel, or, with the header {@value #SCOPE_HEADER}: {@value #SCOPE_NODE}, to every node for
   * its own connections. Reply: {@code {"success": true, "delivered": <n>}}.
   */
  public static final String BROADCAST = "broadcast";

  /**
   * A question about a channel's stream, forwarded to the owner of the channel, which alone
   * sequences it: a history request, or where the stream is for a join on another node. Body and
   * reply: as the routing shards' {@code history} operation ({@code RoutingShards.HISTORY}).
   */
  public static final String HISTORY = "history";

  /**
   * A node's channels that gained their first local subscriber ({@code "open": true}) or lost their
   * last one. Body: {@code {"node", "open", "channels": [...]}}. Reply: empty.
   */
  public static final String INTEREST = "interest";

  /**
   * A member's channels with local subscribers, all of them, sent once to each member that joins
   * after it (and, at start, to those already there), with whether the sender is ready to own
   * channels. Body: {@code {"node", "ready", "channels": [...]}}. Reply: empty. A node becomes
   * ready once it has this from every member it found at start (or after {@value #SYNC_DEADLINE_MS}
   * ms), then says so with {@link #READY}.
   */
  public static final String SYNC = "sync";

  /** A member is ready to own channels. Body: {@code {"node"}}. Reply: empty. */
  public static final String READY = "ready";

  /** How long a starting node waits for the other members' channels before owning any. */
  public static final long SYNC_DEADLINE_MS = 10_000;

  /**
   * Questions about this node: {@code {"query": "node"}} (its description for {@code /api/nodes})
   * and the queries of {@code switchboard.routing.query} (this node's part of a cluster-wide
   * answer).
   */
  public static final String QUERY = "query";

  /** Header of a broadcast that a node handles for its own connections only. */
  public static final String SCOPE_HEADER = "switchboard-scope";

  public static final String SCOPE_NODE = "node";

  /**
   * Local only, published by the node's membership listener whenever the member list changes.
   * Consumers: every routing shard. Body: empty.
   */
  public static final String MEMBERS_CHANGED = "switchboard.cluster.members";

  private NodeAddresses() {}

  /** The address of one operation of one node. */
  public static String of(String node, String op) {
    return "switchboard.node." + node + "." + op;
  }
}

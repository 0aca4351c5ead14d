package io.switchboard.server.routing;

/**
 * How the routing instances of one server share the work: each owns the channels whose name hashes
 * to it (every join, leave, publish and broadcast of a channel goes to its owner, which keeps the
 * channel's one order), and the plugin frames of the connections whose id hashes to it (which keeps
 * each connection's order). Connections are known only to the connection instances holding them.
 *
 * <p>The addresses are internal and node-local: {@code switchboard.routing.<shard>.<op>}. Senders
 * are the connection instances (join, leave, publish, custom, instance), the admin API, telemetry
 * and heartbeat (through {@code switchboard.routing.query}, answered by shard 0, which gathers from
 * the others through their query address), and routing itself (broadcasts forwarded to a channel's
 * owner).
 *
 * @param count how many routing instances there are, at least 1
 */
public record RoutingShards(int count) {

  /**
   * Body: {@code {"connectionId", "channel", "instance", "notice"?}}, from the connection's
   * instance, which checked that it had not joined the channel; {@code notice} ({@code
   * {"connectionId", "userId", "organizationId"}}) when the channel's namespace has {@code
   * presenceNotices}. Reply: {@code {"subscribers": <n>}} on this node.
   */
  public static final String JOIN = "join";

  /**
   * Body: {@code {"connectionId", "channel", "instance", "notice"?}} as {@link #JOIN}, from the
   * connection's instance, which checked that it had joined the channel: a client's leave (a
   * request; reply {@code {"subscribers": <n>}}), or a closing connection's for each channel it was
   * in (a plain send, after any join still in flight).
   */
  public static final String LEAVE = "leave";

  /**
   * Body: a local-only {@code ClientPublish}; a request when the client's frame had an {@code id}
   * (its ack waits for the reply), otherwise a plain send. Reply: {@code {"delivered": <n>}}.
   * Failures: 403 {@code forbidden}.
   */
  public static final String PUBLISH = "publish";

  /**
   * A client frame whose type is not built in, to the shard of its sender, which dispatches it to
   * the plugin owning the type. Body: {@code {"connectionId", "instance", "sender", "frame"}}.
   * Reply: empty. Failures: 400 {@code unknown_type}, the plugin's rejection (its code), 500 {@code
   * plugin_error}, 504 {@code plugin_timeout}.
   */
  public static final String CUSTOM = "custom";

  /** As {@code switchboard.broadcast}, forwarded to the owner of the broadcast's channel. */
  public static final String BROADCAST = "broadcast";

  /** JSON {@code {"instance", "up"}} from a connection instance starting or stopping. */
  public static final String INSTANCE = "instance";

  /**
   * Clustered: a publish forwarded by another node to this one, the owner of its channel. Body: a
   * {@code ChannelFrame}. Reply: {@code {"delivered": <n>}}, the local subscribers.
   */
  public static final String SEQUENCE = "sequence";

  /**
   * Clustered: the owner's delivery of a channel message to this node. Body: a {@code
   * ChannelFrame}. Reply, when asked: {@code {"delivered": <n>}}.
   */
  public static final String DELIVER = "deliver";

  /** Clustered: another node's interest in channels, as {@code NodeAddresses.INTEREST}. */
  public static final String INTEREST = "interest";

  /**
   * A channel's stream, asked of the shard holding it: {@code HistoryRequest}'s JSON (a history
   * request from a client, a service or the admin API), or {@code {"channel", "join": true,
   * "since"?}} (clustered: a join on another node asking the owner where the stream is and what to
   * replay). Reply: as {@code switchboard.history}, or as {@code ChannelStreams.join}. On a node
   * that does not own the channel the shard forwards it to the owner. Failures: 410 {@code
   * history_unavailable}, 503 {@code unavailable}.
   */
  public static final String HISTORY = "history";

  /** One shard's part of a {@code switchboard.routing.query}. */
  public static final String QUERY = "query";

  public RoutingShards {
    if (count < 1) {
      throw new IllegalArgumentException("routing instances must be at least 1, was " + count);
    }
  }

  /** The shard that owns a channel. */
  public int ofChannel(String channel) {
    return Math.floorMod(channel.hashCode(), count);
  }

  /** The shard that dispatches a connection's plugin frames. */
  public int ofConnection(String connectionId) {
    return Math.floorMod(connectionId.hashCode(), count);
  }

  /** The address of one operation of one shard: {@code switchboard.routing.<shard>.<op>}. */
  public static String address(int shard, String op) {
    return "switchboard.routing." + shard + "." + op;
  }

  /** The address of an operation on the owner of a channel. */
  public String forChannel(String channel, String op) {
    return address(ofChannel(channel), op);
  }
}

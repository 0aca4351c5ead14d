package io.switchboard.server.bus;

/**
 * The server's own event-bus addresses: plumbing between its verticles, not a contract (the public
 * addresses are {@link io.switchboard.protocol.Addresses}). Every one of them is consumed on its
 * own node only. Bodies are {@code JsonObject}s unless said otherwise.
 */
public final class InternalAddresses {

  private static final String PREFIX = "switchboard.";

  /**
   * Published. Sender: HeartbeatVerticle, {@code slices} times per {@code heartbeat.intervalMs}
   * (one slice per 100 ms of the interval, at most 1,000). Consumers: every ConnectionVerticle
   * instance, which pings the sockets of that slice and closes the silent and the stale ones among
   * them, so every socket is pinged once per interval without pinging all of them at once. Body:
   * {@code {"at": <epoch ms>, "slice": <0 .. slices-1>, "slices": <n>}}.
   */
  public static final String HEARTBEAT_TICK = PREFIX + "heartbeat.tick";

  /**
   * Senders: AdminVerticle, TelemetryVerticle, HeartbeatVerticle. Consumer: the first routing
   * instance, which gathers the answer from every routing instance (each owns some channels). Body:
   * {@code {"query": "stats" | "channels" | "channel" | "presence" | "connection" | "instances" |
   * "owned", "name"?, "connectionId"?, "after"?, "limit"?}}. Reply: the answer as JSON, for this
   * node; {@code channels}, {@code channel} and {@code presence} answer one page (the channels, the
   * channel's subscriber ids, or its members {@code {"connectionId", "userId", "organizationId",
   * "joinedAt"}} with their {@code count}, after {@code after} in string order, at most {@code
   * limit}, default 100) with {@code "more"}; {@code owned} counts the channels this node owns that
   * have subscribers on any node (clustered; every channel on a node alone). Failures: 404.
   */
  public static final String ROUTING_QUERY = PREFIX + "routing.query";

  /**
   * Prefix of the delivery address of a channel ({@code switchboard.channel.<name>}). Sender:
   * RoutingVerticle and TelemetryVerticle publish one pre-encoded frame per message (a local-only
   * {@code Delivery}). Consumers: each ConnectionVerticle instance with at least one local
   * subscriber, which writes the same buffer to each of them.
   */
  public static final String CHANNEL_PREFIX = PREFIX + "channel.";

  /**
   * Prefix of a ConnectionVerticle instance's control address ({@code
   * switchboard.connection.<instance>}). Senders: AdminVerticle and routing, with {@code {"action":
   * "list" | "get" | "disconnect" | "members" | "presence", "connectionId"?, "channel"?, "after"?,
   * "limit"?}}. Reply: for {@code list}, one page of the instance's connections in id order after
   * {@code after} (at most {@code limit}, default 100) and totals over all of them: {@code
   * {"connections": [...], "more", "total", "open", "broadcasts", "errors"}}; for {@code members},
   * one page of the ids of a channel's subscribers on the instance: {@code {"connections": [...],
   * "more"}}; for {@code presence}, one page of a channel's confirmed members on the instance:
   * {@code {"members": [{"connectionId", "userId", "organizationId", "joinedAt"}], "more",
   * "count"}}; the connection's metadata otherwise. Failures: 404 {@code connection_not_found}.
   */
  public static final String CONNECTION_PREFIX = PREFIX + "connection.";

  /**
   * Prefix of a message-type plugin's address ({@code switchboard.plugin.<name>}). Sender:
   * RoutingVerticle, for a frame of a type the plugin owns. Consumer: the plugin's host verticle.
   * Body: {@code {"sender": {"connectionId", "instance", "userId"?, "organizationId"?, "identity":
   * "token" | "query" | "anonymous", "grants", "channels"}, "frame"}}, the sender's identity as its
   * connection verified it. Reply: empty. Failures: the plugin's rejection (its code, which may be
   * one of its own), 500 {@code plugin_error}, 504 {@code plugin_timeout}.
   */
  public static final String PLUGIN_PREFIX = PREFIX + "plugin.";

  /** Suffix of a channel authorizer's address, after the plugin's ({@link #pluginAuthorizer}). */
  public static final String AUTHORIZE_SUFFIX = ".authorize";

  private InternalAddresses() {}

  /** The address of a message-type plugin. */
  public static String plugin(String name) {
    return PLUGIN_PREFIX + name;
  }

  /**
   * The address of a channel authorizer ({@code switchboard.plugin.<name>.authorize}). Sender:
   * ConnectionVerticle, for a join or publish in a namespace whose {@code authorizer} names the
   * plugin, once the namespace's rules allowed it. Consumer: the plugin's host verticle. Body: a
   * local-only {@code io.switchboard.plugin.AccessRequest}. Reply: empty (allowed). Failures: 403
   * {@code forbidden} or the plugin's own code (refused), 500 {@code plugin_error}, 504 {@code
   * plugin_timeout}.
   */
  public static String pluginAuthorizer(String name) {
    return PLUGIN_PREFIX + name + AUTHORIZE_SUFFIX;
  }

  /** The delivery address of a channel. */
  public static String channel(String name) {
    return CHANNEL_PREFIX + name;
  }

  /** The control address of a ConnectionVerticle instance. */
  public static String connectionInstance(String instance) {
    return CONNECTION_PREFIX + instance;
  }

  /**
   * The targeted-delivery address of a ConnectionVerticle instance. Senders: RoutingVerticle, for
   * broadcasts to users, organisations or some of a channel's subscribers, and plugin contexts, for
   * answers to one sender: a local-only {@code Delivery} with an {@code Audience}, which the
   * instance matches against its own connections. Reply, when asked: {@code {"delivered": <n>}}.
   */
  public static String connectionDelivery(String instance) {
    return CONNECTION_PREFIX + instance + ".deliver";
  }
}

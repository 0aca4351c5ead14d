package io.switchboard.protocol;

/**
 * Every Vert.x event-bus address Switchboard uses. The public ones (marked <b>public</b>) are a
 * contract for services and plugin verticles in the same Vert.x instance; the others are
 * Switchboard's own plumbing and may change.
 *
 * <p>Bodies are {@code JsonObject}s unless said otherwise. A request that fails is answered with a
 * {@link io.vertx.core.eventbus.ReplyException} whose failure code is the HTTP status of the error
 * code (400, 403, 404, ...; for a plugin's own code 422, or 503 when it is retryable) and whose
 * message is {@code "<error code>: <sentence>"}, e.g. {@code "bad_request: field 'type' is
 * required"} (see {@link BusErrors}).
 */
public final class Addresses {

  private static final String PREFIX = "switchboard.";

  /**
   * <b>public</b>. Sender: any service, and the admin API's {@code POST /v1/broadcast}. Consumer:
   * RoutingVerticle. Body: {@code {"channel"?, "userId"?, "organizationId"?, "type", "data"}}, the
   * same as {@code POST /v1/broadcast}. Reply: {@code {"success": true, "delivered": <n>}}, the
   * number of connections the frame was written to. Failures: 400 {@code bad_request}, 403 {@code
   * forbidden} (a {@code $} channel).
   */
  public static final String BROADCAST = PREFIX + "broadcast";

  /**
   * <b>public</b>, published. Sender: ConnectionVerticle, when a client's upgrade completes (its
   * node's routing hears of it first, on an internal address). Consumers: anyone interested, on any
   * node of a cluster. Body: {@code {"connectionId", "instance", "userId"?, "organizationId"?,
   * "ip", "userAgent"?, "connectedAt"}}; {@code instance} names the ConnectionVerticle instance
   * holding the socket.
   */
  public static final String EVENT_CONNECTED = PREFIX + "events.connection.connected";

  /**
   * <b>public</b>, published. Sender: ConnectionVerticle, when a socket has closed (after telling
   * its node's routing, which then publishes {@link #EVENT_LEFT} for each channel). Consumers:
   * anyone interested. Body: {@code {"connectionId", "userId"?, "organizationId"?, "code",
   * "reason"}}.
   */
  public static final String EVENT_DISCONNECTED = PREFIX + "events.connection.disconnected";

  /**
   * <b>public</b>, published. Sender: RoutingVerticle, after a join is accepted. Body: {@code
   * {"connectionId", "channel", "subscribers"}}.
   */
  public static final String EVENT_JOINED = PREFIX + "events.channel.joined";

  /**
   * <b>public</b>, published. Sender: RoutingVerticle, after a leave or a disconnect removed a
   * subscriber. Body: {@code {"connectionId", "channel", "subscribers"}}.
   */
  public static final String EVENT_LEFT = PREFIX + "events.channel.left";

  /**
   * <b>public</b>, published. Sender: RoutingVerticle, when a channel gets its first subscriber.
   * Body: {@code {"channel"}}.
   */
  public static final String EVENT_CHANNEL_OPENED = PREFIX + "events.channel.opened";

  /**
   * <b>public</b>, published. Sender: RoutingVerticle, when a channel loses its last subscriber and
   * is removed. Body: {@code {"channel"}}.
   */
  public static final String EVENT_CHANNEL_CLOSED = PREFIX + "events.channel.closed";

  /**
   * <b>public</b>. Sender: a service or plugin offering figures for {@code metrics_update}.
   * Consumer: TelemetryVerticle. Body: {@code {"name", "address"}}: while {@code $telemetry} has
   * subscribers, every telemetry interval the verticle sends an empty request to {@code address}
   * and merges the JSON object replied under {@code data.<name>}. Reply: {@code {"registered":
   * true}}. Failures: 400 {@code bad_request} (missing field, or a name the server's own figures
   * use). Registering a name again replaces its address.
   */
  public static final String TELEMETRY_REGISTER = PREFIX + "telemetry.register";

  /**
   * <b>public</b>. Body: {@code {"name"}}. Consumer: TelemetryVerticle. Reply: {@code
   * {"unregistered": <boolean>}}.
   */
  public static final String TELEMETRY_UNREGISTER = PREFIX + "telemetry.unregister";

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
   * {@code {"query": "stats" | "channels" | "channel" | "connection" | "instances" | "owned",
   * "name"?, "connectionId"?, "after"?, "limit"?}}. Reply: the answer as JSON, for this node;
   * {@code channels} and {@code channel} answer one page (the channels, or the channel's subscriber
   * ids, after {@code after} in string order, at most {@code limit}, default 100) with {@code
   * "more"}; {@code owned} counts the channels this node owns that have subscribers on any node
   * (clustered; every channel on a node alone). Failures: 404.
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
   * switchboard.connection.<instance>}). Sender: AdminVerticle, with {@code {"action": "list" |
   * "get" | "disconnect", "connectionId"?, "after"?, "limit"?}}. Reply: for {@code list}, one page
   * of the instance's connections in id order after {@code after} (at most {@code limit}, default
   * 100) and totals over all of them: {@code {"connections": [...], "more", "total", "open",
   * "broadcasts", "errors"}}; the connection's metadata otherwise.
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

  private Addresses() {}

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
   * The targeted-delivery address of a ConnectionVerticle instance. Sender: RoutingVerticle, for
   * broadcasts to users or organisations (a local-only {@code Delivery} listing the connections).
   */
  public static String connectionDelivery(String instance) {
    return CONNECTION_PREFIX + instance + ".deliver";
  }
}

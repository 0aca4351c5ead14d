package io.switchboard.protocol;

/**
 * The public Vert.x event-bus addresses of Switchboard: a contract for services and plugin
 * verticles on the same event bus. The server's own plumbing has addresses of its own, which are
 * not part of this contract and may change.
 *
 * <p>Bodies are {@code JsonObject}s unless said otherwise. A request that fails is answered with a
 * {@link ProtocolFailure}: a {@link io.vertx.core.eventbus.ReplyException} that carries the {@link
 * ProtocolError} itself (read it with {@link BusErrors#protocolError}), whose failure code is the
 * HTTP status of the error code (400, 403, 404, ...; for a plugin's own code 422, or 503 when it is
 * retryable) and whose message is {@code "<error code>: <sentence>"}, e.g. {@code "bad_request:
 * field 'type' is required"}. A Vert.x instance of the cluster that sends these requests registers
 * the failure's codec first: {@link BusErrors#registerCodec}.
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
   * <b>public</b>. Sender: any service, and the admin API's {@code GET
   * /api/channels/{name}/history}. Consumer: RoutingVerticle (clustered: the channel's owner node).
   * Body: {@code {"channel", "limit"?, "since"?: {"offset", "epoch"}}}. Reply: {@code {"channel",
   * "offset", "epoch", "messages": [{"offset", "ts", "data", "event"?}]}}: without {@code since}
   * the last {@code limit} messages kept, with it the first {@code limit} after {@code
   * since.offset}, oldest first; {@code offset} and {@code epoch} are the stream's position now.
   * Failures: 400 {@code bad_request} (a field missing or breaking its rule), 410 {@code
   * history_unavailable} ({@code since} is of another epoch or no longer covered), 503 {@code
   * unavailable} (clustered, the owner did not answer).
   */
  public static final String HISTORY = PREFIX + "history";

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
   * use). Registering a name again replaces its address. Clustered, the node whose
   * TelemetryVerticle takes the request (Vert.x picks one) asks the source, for its own
   * subscribers; a sender that wants its own node, such as a plugin reporting that node's figures,
   * sends with {@code DeliveryOptions.setLocalOnly(true)}. A service on another member of the
   * cluster may register too.
   */
  public static final String TELEMETRY_REGISTER = PREFIX + "telemetry.register";

  /**
   * <b>public</b>. Body: {@code {"name"}}. Consumer: TelemetryVerticle. Reply: {@code
   * {"unregistered": <boolean>}}.
   */
  public static final String TELEMETRY_UNREGISTER = PREFIX + "telemetry.unregister";

  /**
   * <b>public</b>. Sender: any service. Consumer: every Switchboard node (Vert.x picks one), which
   * asks every node of the cluster. Body: {@code {"channel", "after"?, "limit"?}}: one page of the
   * channel's members, those whose connection id comes after {@code after} in string order (the
   * last {@code connectionId} of the previous page), at most {@code limit} (1 to 1000, default
   * 100). Reply: {@code {"channel", "count", "members": [{"connectionId", "userId",
   * "organizationId", "joinedAt"}], "more", "unansweredNodes"?}}: {@code count} counts every member
   * on every node that answered, {@code joinedAt} is when the join was confirmed (ISO-8601 UTC),
   * {@code unansweredNodes} names the nodes that did not answer in time. Failures: 400 {@code
   * bad_request} (a missing or invalid field), 404 {@code channel_not_found} (nobody is in the
   * channel), 503 {@code unavailable} (no node answered).
   */
  public static final String PRESENCE = PREFIX + "presence";

  private Addresses() {}
}

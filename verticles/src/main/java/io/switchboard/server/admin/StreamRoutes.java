package io.switchboard.server.admin;

import io.switchboard.protocol.ChannelNames;
import io.switchboard.protocol.ProtocolException;
import io.switchboard.server.bus.Delivery;
import io.switchboard.server.bus.InternalAddresses;
import io.switchboard.server.cluster.Nodes;
import io.switchboard.server.frame.ServerFrames;
import io.switchboard.server.metrics.SwitchboardMetrics;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * The admin API's event streams ({@code text/event-stream}), which the operator's console reads:
 *
 * <ul>
 *   <li>{@code GET /api/figures/stream}: this node's figures every second, {@code event: figures};
 *   <li>{@code GET /api/channels/{name}/tail}: the messages this node delivers to its subscribers
 *       of a channel as they pass, {@code event: message} with each frame as its subscribers
 *       receive it, after {@code event: open}.
 * </ul>
 *
 * Both need the admin token like every other route: a browser reads them with {@code fetch}, which
 * sends the {@code Authorization} header, so no token ever travels in a URL. At most {@code
 * admin.maxStreams} are open at once ({@link EventStreams}); each stops when its client goes away.
 */
final class StreamRoutes {

  /** How often a figure stream sends this node's figures. */
  static final long FIGURES_INTERVAL_MS = 1_000;

  /** How often a quiet tail writes a comment, so that a client that went away is found. */
  static final long TAIL_KEEP_ALIVE_MS = 15_000;

  private final Vertx vertx;
  private final SwitchboardMetrics metrics;
  private final Nodes nodes;
  private final EventStreams streams;

  StreamRoutes(Vertx vertx, SwitchboardMetrics metrics, Nodes nodes, EventStreams streams) {
    this.vertx = vertx;
    this.metrics = metrics;
    this.nodes = nodes;
    this.streams = streams;
  }

  void mount(Router router) {
    router.get("/api/figures/stream").handler(this::figures);
    router.get("/api/channels/:name/tail").handler(this::tail);
  }

  private void figures(RoutingContext ctx) {
    EventStream stream = streams.open(ctx);
    Rates rates = new Rates();
    sendFigures(stream, rates);
    long timer = vertx.setPeriodic(FIGURES_INTERVAL_MS, id -> sendFigures(stream, rates));
    stream.onClose(() -> vertx.cancelTimer(timer));
  }

  /** The counters of the previous figures, from which each one's rates per second are computed. */
  private final class Rates {
    private long at = System.nanoTime();
    private long in = metrics.messagesInTotal();
    private long out = metrics.messagesOutTotal();
    private long errors = metrics.errorsTotal();
  }

  private void sendFigures(EventStream stream, Rates rates) {
    long now = System.nanoTime();
    double seconds = Math.max(1e-3, (now - rates.at) / 1e9);
    long in = metrics.messagesInTotal();
    long out = metrics.messagesOutTotal();
    long errors = metrics.errorsTotal();
    JsonObject figures =
        new JsonObject()
            .put("node", nodes.selfId())
            .put("activeConnections", metrics.activeConnections())
            .put("messagesIn", in)
            .put("messagesOut", out)
            .put("messagesInPerSecond", round((in - rates.in) / seconds))
            .put("messagesOutPerSecond", round((out - rates.out) / seconds))
            .put("errors", errors)
            .put("errorsPerSecond", round((errors - rates.errors) / seconds))
            .put("broadcasts", metrics.broadcastsTotal())
            .put("uptimeMs", metrics.uptimeMillis())
            .put("serverTime", ServerFrames.now());
    rates.at = now;
    rates.in = in;
    rates.out = out;
    rates.errors = errors;
    vertx
        .eventBus()
        .<JsonObject>request(
            InternalAddresses.ROUTING_QUERY,
            new JsonObject().put("query", "stats"),
            new DeliveryOptions().setSendTimeout(FIGURES_INTERVAL_MS).setLocalOnly(true))
        .onComplete(
            (stats, failure) -> {
              figures.put(
                  "channels", failure == null ? stats.body().getInteger("channels", 0) : null);
              stream.send("figures", figures.encode());
            });
  }

  /**
   * Consumes the channel's delivery address on this node beside its connection instances: it sees
   * what this node delivers to its own subscribers of the channel (messages, service broadcasts to
   * the whole channel, presence notices), and nothing while the channel has none here, since
   * routing publishes to that address only then. It does not join the channel: it is no subscriber,
   * is in no count or presence list, and changes nothing of the channel's routing.
   */
  private void tail(RoutingContext ctx) {
    String channel = ctx.pathParam("name");
    try {
      ChannelNames.validate("name", channel);
    } catch (ProtocolException e) {
      throw new AdminException(
          400,
          e.error().code().code(),
          e.error().message().replace("field 'name'", "path parameter 'name'"));
    }
    EventStream stream = streams.open(ctx);
    MessageConsumer<Delivery> consumer =
        vertx
            .eventBus()
            .localConsumer(
                InternalAddresses.channel(channel),
                message -> stream.send("message", message.body().frame().toString()));
    long keepAlive = vertx.setPeriodic(TAIL_KEEP_ALIVE_MS, id -> stream.keepAlive());
    stream.onClose(
        () -> {
          vertx.cancelTimer(keepAlive);
          consumer.unregister();
        });
    // Only once the consumer is registered may a client count on seeing what is published next.
    consumer
        .completion()
        .onComplete(
            (done, failure) -> {
              if (failure != null) {
                stream.end();
                return;
              }
              stream.send(
                  "open",
                  new JsonObject()
                      .put("channel", channel)
                      .put("node", nodes.selfId())
                      .put("subscribedAt", ServerFrames.now())
                      .encode());
            });
  }

  private static double round(double value) {
    return Math.round(value * 100) / 100.0;
  }
}

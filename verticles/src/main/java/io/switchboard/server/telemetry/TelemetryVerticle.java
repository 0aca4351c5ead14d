package io.switchboard.server.telemetry;

import io.switchboard.protocol.Addresses;
import io.switchboard.protocol.BusErrors;
import io.switchboard.protocol.ChannelNames;
import io.switchboard.protocol.ErrorCode;
import io.switchboard.protocol.ProtocolError;
import io.switchboard.server.bus.Delivery;
import io.switchboard.server.bus.InternalAddresses;
import io.switchboard.server.config.TelemetryConfig;
import io.switchboard.server.frame.ServerFrames;
import io.switchboard.server.metrics.SwitchboardMetrics;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends {@code metrics_update} to {@code $telemetry} every {@code telemetry.intervalMs}: the
 * server's figures plus those of every registered telemetry source, each under its name. While the
 * channel has no subscribers, its timer is not even running: nothing is collected at all.
 */
public final class TelemetryVerticle extends VerticleBase {

  private static final Logger log = LoggerFactory.getLogger(TelemetryVerticle.class);

  /** The keys of the server's own figures; a source may not take one of these names. */
  static final Set<String> BUILT_IN_KEYS =
      Set.of(
          "activeConnections",
          "channels",
          "messagesIn",
          "messagesOut",
          "messagesInPerSecond",
          "messagesOutPerSecond",
          "broadcasts",
          "errors",
          "uptimeMs",
          "intervalMs",
          "serverTime");

  private final TelemetryConfig config;
  private final SwitchboardMetrics metrics;
  private final Map<String, String> sources = new LinkedHashMap<>();
  private final List<MessageConsumer<?>> consumers = new ArrayList<>();
  private EventBus eventBus;
  private long timer = -1;
  private long lastAt;
  private long lastIn;
  private long lastOut;

  public TelemetryVerticle(TelemetryConfig config, SwitchboardMetrics metrics) {
    this.config = config;
    this.metrics = metrics;
  }

  @Override
  public Future<?> start() {
    eventBus = vertx.eventBus();
    consumers.add(
        eventBus.<JsonObject>localConsumer(
            Addresses.EVENT_CHANNEL_OPENED, event -> onChannel(event.body(), true)));
    consumers.add(
        eventBus.<JsonObject>localConsumer(
            Addresses.EVENT_CHANNEL_CLOSED, event -> onChannel(event.body(), false)));
    // Clustered, so that a service on another member of the cluster can add its figures; the
    // node that takes a request asks the source. A sender that wants its own node (a plugin
    // reporting that node's figures) sends with DeliveryOptions.setLocalOnly(true).
    consumers.add(eventBus.<JsonObject>consumer(Addresses.TELEMETRY_REGISTER, this::onRegister));
    consumers.add(
        eventBus.<JsonObject>consumer(Addresses.TELEMETRY_UNREGISTER, this::onUnregister));
    // The channel may already have subscribers if telemetry is redeployed.
    return eventBus
        .request(
            InternalAddresses.ROUTING_QUERY,
            new JsonObject().put("query", "channel").put("name", ChannelNames.TELEMETRY))
        .onSuccess(exists -> activate())
        .otherwiseEmpty();
  }

  @Override
  public Future<?> stop() {
    deactivate();
    return Future.all(consumers.stream().map(MessageConsumer::unregister).toList());
  }

  private void onChannel(JsonObject event, boolean opened) {
    if (!ChannelNames.TELEMETRY.equals(event.getString("channel"))) {
      return;
    }
    if (opened) {
      activate();
    } else {
      deactivate();
    }
  }

  private void activate() {
    if (timer >= 0) {
      return;
    }
    lastAt = System.nanoTime();
    lastIn = metrics.messagesInTotal();
    lastOut = metrics.messagesOutTotal();
    timer = vertx.setPeriodic(config.intervalMs(), id -> collectAndSend());
    log.debug("telemetry active: {} has subscribers", ChannelNames.TELEMETRY);
  }

  private void deactivate() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
      timer = -1;
      log.debug("telemetry idle: {} has no subscribers", ChannelNames.TELEMETRY);
    }
  }

  private void onRegister(Message<JsonObject> request) {
    String name = request.body().getString("name");
    String address = request.body().getString("address");
    if (name == null || name.isEmpty() || address == null || address.isEmpty()) {
      BusErrors.fail(
          request,
          ProtocolError.of(
              ErrorCode.BAD_REQUEST, "a telemetry source needs a non-empty 'name' and 'address'"));
      return;
    }
    if (BUILT_IN_KEYS.contains(name)) {
      BusErrors.fail(
          request,
          ProtocolError.invalidField("name", name, "a name the server's own figures do not use"));
      return;
    }
    sources.put(name, address);
    request.reply(new JsonObject().put("registered", true));
  }

  private void onUnregister(Message<JsonObject> request) {
    boolean removed = sources.remove(request.body().getString("name", "")) != null;
    request.reply(new JsonObject().put("unregistered", removed));
  }

  private void collectAndSend() {
    // A collection waits for its sources; the channel may close (and open again) meanwhile.
    long activation = timer;
    long now = System.nanoTime();
    double seconds = Math.max(1e-9, (now - lastAt) / 1e9);
    long in = metrics.messagesInTotal();
    long out = metrics.messagesOutTotal();
    JsonObject data =
        new JsonObject()
            .put("activeConnections", metrics.activeConnections())
            .put("messagesIn", in)
            .put("messagesOut", out)
            .put("messagesInPerSecond", round((in - lastIn) / seconds))
            .put("messagesOutPerSecond", round((out - lastOut) / seconds))
            .put("broadcasts", metrics.broadcastsTotal())
            .put("errors", metrics.errorsTotal())
            .put("uptimeMs", metrics.uptimeMillis())
            .put("intervalMs", config.intervalMs())
            .put("serverTime", ServerFrames.now());
    lastAt = now;
    lastIn = in;
    lastOut = out;
    DeliveryOptions sourceOptions = new DeliveryOptions().setSendTimeout(config.sourceTimeoutMs());
    List<Future<?>> pending = new ArrayList<>();
    pending.add(
        eventBus
            .<JsonObject>request(
                InternalAddresses.ROUTING_QUERY, new JsonObject().put("query", "stats"))
            .onSuccess(stats -> data.put("channels", stats.body().getInteger("channels"))));
    sources.forEach(
        (name, address) ->
            pending.add(
                eventBus
                    .request(address, new JsonObject(), sourceOptions)
                    .onSuccess(
                        reply -> {
                          if (reply.body() instanceof JsonObject figures) {
                            data.put(name, figures);
                          }
                        })
                    .onFailure(
                        failure ->
                            log.debug(
                                "telemetry source left out [name: {}, reason: {}]",
                                name,
                                failure.getMessage()))));
    Future.join(pending)
        .onComplete(
            (all, failure) -> {
              if (timer == activation) {
                // Each node reports its own figures to its own subscribers.
                eventBus.publish(
                    InternalAddresses.channel(ChannelNames.TELEMETRY),
                    Delivery.toChannel(ServerFrames.metricsUpdate(ChannelNames.TELEMETRY, data)),
                    new DeliveryOptions().setLocalOnly(true));
              }
            });
  }

  private static double round(double value) {
    return Math.round(value * 100) / 100.0;
  }
}

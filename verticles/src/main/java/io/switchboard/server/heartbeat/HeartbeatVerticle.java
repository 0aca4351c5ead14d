package io.switchboard.server.heartbeat;

import io.switchboard.server.bus.InternalAddresses;
import io.switchboard.server.config.HeartbeatConfig;
import io.switchboard.server.metrics.SwitchboardMetrics;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drives liveness: publishes a tick for each slice of the sockets, {@link HeartbeatConfig#slices()}
 * ticks per {@code heartbeat.intervalMs}, on which every ConnectionVerticle instance pings the
 * sockets of that slice and closes the silent (4001) and the stale (4003) ones among them; and logs
 * a health-stats line every {@code heartbeat.statsLogIntervalMs} while clients are connected.
 */
public final class HeartbeatVerticle extends VerticleBase {

  private static final Logger log = LoggerFactory.getLogger(HeartbeatVerticle.class);

  private final HeartbeatConfig config;
  private final SwitchboardMetrics metrics;
  private long tickTimer = -1;
  private long ticks;
  private long statsTimer = -1;

  public HeartbeatVerticle(HeartbeatConfig config, SwitchboardMetrics metrics) {
    this.config = config;
    this.metrics = metrics;
  }

  @Override
  public Future<?> start() {
    int slices = config.slices();
    tickTimer =
        vertx.setPeriodic(
            config.tickMs(),
            id ->
                vertx
                    .eventBus()
                    .publish(
                        InternalAddresses.HEARTBEAT_TICK,
                        new JsonObject()
                            .put("at", System.currentTimeMillis())
                            .put("slice", (int) (ticks++ % slices))
                            .put("slices", slices),
                        // Ticks belong to this node's connection instances, never another node's.
                        new DeliveryOptions().setLocalOnly(true)));
    if (config.statsLogIntervalMs() > 0) {
      statsTimer = vertx.setPeriodic(config.statsLogIntervalMs(), id -> logStats());
    }
    return Future.succeededFuture();
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(tickTimer);
    vertx.cancelTimer(statsTimer);
    return Future.succeededFuture();
  }

  private void logStats() {
    vertx
        .eventBus()
        .<JsonObject>request(
            InternalAddresses.ROUTING_QUERY, new JsonObject().put("query", "stats"))
        .onSuccess(
            reply -> {
              JsonObject stats = reply.body();
              if (stats.getInteger("connections", 0) > 0) {
                log.info(
                    "health stats [connections: {}, channels: {}, messages in: {}, messages out: {},"
                        + " errors: {}, uptime: {}s]",
                    stats.getInteger("connections"),
                    stats.getInteger("channels"),
                    metrics.messagesInTotal(),
                    metrics.messagesOutTotal(),
                    metrics.errorsTotal(),
                    metrics.uptimeMillis() / 1000);
              }
            })
        .onFailure(failure -> log.warn("health stats unavailable: {}", failure.getMessage()));
  }
}

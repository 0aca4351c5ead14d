package io.switchboard.server.plugin;

import io.switchboard.server.bus.InternalAddresses;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;

/**
 * A plugin verticle that reports, at start and at stop, what of the core it can see: whether
 * routing answers and how many connection instances and connections are registered.
 */
public class OrderProbeVerticle extends VerticleBase {

  public static final String REPORTS = "test.plugin.order";

  @Override
  public Future<?> start() {
    return report("start");
  }

  @Override
  public Future<?> stop() {
    return report("stop");
  }

  private Future<?> report(String phase) {
    return vertx
        .eventBus()
        .<JsonObject>request(
            InternalAddresses.ROUTING_QUERY, new JsonObject().put("query", "stats"))
        .map(Message::body)
        .onSuccess(
            stats ->
                vertx
                    .eventBus()
                    .publish(
                        REPORTS,
                        new JsonObject()
                            .put("phase", phase)
                            .put("greeting", config().getString("greeting"))
                            .put("instances", stats.getInteger("instances"))
                            .put("connections", stats.getInteger("connections"))));
  }
}

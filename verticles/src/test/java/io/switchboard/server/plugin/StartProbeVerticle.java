package io.switchboard.server.plugin;

import io.switchboard.server.bus.InternalAddresses;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.atomic.AtomicReference;

/** A plugin verticle recording how many connection instances it saw registered at its start. */
public class StartProbeVerticle extends VerticleBase {

  /** Written at start; the test reads it after the server started. */
  static final AtomicReference<String> SEEN = new AtomicReference<>();

  @Override
  public Future<?> start() {
    return vertx
        .eventBus()
        .<JsonObject>request(
            InternalAddresses.ROUTING_QUERY, new JsonObject().put("query", "stats"))
        .onSuccess(stats -> SEEN.set("instances=" + stats.body().getInteger("instances")));
  }
}

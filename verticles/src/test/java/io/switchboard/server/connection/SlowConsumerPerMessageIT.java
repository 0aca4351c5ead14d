package io.switchboard.server.connection;

import io.vertx.core.json.JsonObject;

/** A stalled reader is cut loose the same way when every write is flushed on its own. */
class SlowConsumerPerMessageIT extends SlowConsumerIT {

  @Override
  protected JsonObject config() {
    return super.config()
        .put("ws", super.config().getJsonObject("ws").copy().put("flushPolicy", "per-message"));
  }
}

package io.switchboard.server.connection;

import io.vertx.core.json.JsonObject;

/** A stalled reader is still cut loose when writes are coalesced (unflushed bytes count too). */
class SlowConsumerCoalescingIT extends SlowConsumerIT {

  @Override
  protected JsonObject config() {
    return super.config()
        .put("ws", super.config().getJsonObject("ws").copy().put("flushPolicy", "coalesce"));
  }
}

package io.switchboard.server.routing;

import io.vertx.core.json.JsonObject;

/** Every routing behaviour again, with every write flushed on its own instead of coalesced. */
class ChannelRoutingPerMessageIT extends ChannelRoutingIT {

  @Override
  protected JsonObject config() {
    return new JsonObject().put("ws", new JsonObject().put("flushPolicy", "per-message"));
  }
}

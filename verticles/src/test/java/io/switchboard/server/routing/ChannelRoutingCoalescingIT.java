package io.switchboard.server.routing;

import io.vertx.core.json.JsonObject;

/** Every routing behaviour again, with writes coalesced per event-loop turn. */
class ChannelRoutingCoalescingIT extends ChannelRoutingIT {

  @Override
  protected JsonObject config() {
    return new JsonObject().put("ws", new JsonObject().put("flushPolicy", "coalesce"));
  }
}

package io.switchboard.server.connection;

import io.switchboard.server.config.ChannelsConfig;
import io.switchboard.server.config.ChannelsConfig.NamespaceConfig;
import io.vertx.core.json.JsonObject;

/**
 * A join or leave as routing takes it ({@code RoutingShards.JOIN}, {@code RoutingShards.LEAVE}):
 * who, on which instance, which channel; and, when the channel's namespace has {@code
 * presenceNotices}, the identity that routing's notices name.
 */
final class Memberships {

  private Memberships() {}

  /**
   * @return {@code {"connectionId", "channel", "instance", "notice"?: {"connectionId", "userId",
   *     "organizationId"}}}
   */
  static JsonObject request(
      ClientConnection connection, String channel, String instance, ChannelsConfig channels) {
    JsonObject body =
        new JsonObject()
            .put("connectionId", connection.id)
            .put("channel", channel)
            .put("instance", instance);
    NamespaceConfig namespace = channels.namespace(channel);
    if (namespace != null && namespace.presenceNotices()) {
      body.put(
          "notice",
          new JsonObject()
              .put("connectionId", connection.id)
              .put("userId", connection.userId())
              .put("organizationId", connection.organizationId()));
    }
    return body;
  }
}

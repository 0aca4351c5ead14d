package io.switchboard.server.config;

import io.vertx.core.json.JsonObject;
import java.util.Set;

/**
 * Channel rules ({@code channels} section).
 *
 * @param publishRequiresJoin when true, a client may publish only to channels it has joined
 *     (otherwise {@code not_subscribed}); when false, to any channel but the {@code $} ones
 */
public record ChannelsConfig(boolean publishRequiresJoin) {

  public static final String SECTION = "channels";
  public static final boolean DEFAULT_PUBLISH_REQUIRES_JOIN = false;

  private static final Set<String> KEYS = Set.of("publishRequiresJoin");

  static ChannelsConfig from(JsonObject root) {
    ConfigSection s = ConfigSection.of(root, SECTION, KEYS);
    return new ChannelsConfig(s.bool("publishRequiresJoin", DEFAULT_PUBLISH_REQUIRES_JOIN));
  }

  JsonObject toJson() {
    return new JsonObject().put("publishRequiresJoin", publishRequiresJoin);
  }
}

package io.switchboard.server.config;

import io.vertx.core.json.JsonObject;
import java.util.Set;

/**
 * Routing ({@code routing} section): how many RoutingVerticle instances share the channels.
 *
 * @param instances routing instances; each owns the channels whose name hashes to it, so that no
 *     single event loop carries every publish, and each channel keeps one order. 0 means one per
 *     event loop
 */
public record RoutingConfig(int instances) {

  public static final String SECTION = "routing";
  public static final int DEFAULT_INSTANCES = 0;

  private static final Set<String> KEYS = Set.of("instances");

  static RoutingConfig from(JsonObject root) {
    ConfigSection s = ConfigSection.of(root, SECTION, KEYS);
    return new RoutingConfig(s.integer("instances", DEFAULT_INSTANCES, 0, 1024));
  }

  JsonObject toJson() {
    return new JsonObject().put("instances", instances);
  }
}

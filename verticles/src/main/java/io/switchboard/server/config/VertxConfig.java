package io.switchboard.server.config;

import io.vertx.core.json.JsonObject;
import java.util.Set;

/**
 * The Vert.x instance ({@code vertx} section); read only when Switchboard creates its own.
 *
 * @param eventLoopPoolSize event-loop threads; 0 keeps Vert.x's default (twice the cores)
 */
public record VertxConfig(int eventLoopPoolSize) {

  public static final String SECTION = "vertx";
  public static final int DEFAULT_EVENT_LOOP_POOL_SIZE = 0;

  private static final Set<String> KEYS = Set.of("eventLoopPoolSize");

  static VertxConfig from(JsonObject root) {
    ConfigSection s = ConfigSection.of(root, SECTION, KEYS);
    return new VertxConfig(s.integer("eventLoopPoolSize", DEFAULT_EVENT_LOOP_POOL_SIZE, 0, 1024));
  }

  JsonObject toJson() {
    return new JsonObject().put("eventLoopPoolSize", eventLoopPoolSize);
  }
}

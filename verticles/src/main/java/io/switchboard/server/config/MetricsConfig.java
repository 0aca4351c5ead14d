package io.switchboard.server.config;

import io.vertx.core.json.JsonObject;
import java.util.Set;

/**
 * Metrics ({@code metrics} section).
 *
 * @param enabled whether Vert.x's own metrics (HTTP server, pools) are recorded beside
 *     Switchboard's; Switchboard's meters and {@code /metrics} are always there
 * @param jvm whether JVM metrics (heap, GC, threads) are recorded
 */
public record MetricsConfig(boolean enabled, boolean jvm) {

  public static final String SECTION = "metrics";
  public static final boolean DEFAULT_ENABLED = true;
  public static final boolean DEFAULT_JVM = true;

  private static final Set<String> KEYS = Set.of("enabled", "jvm");

  static MetricsConfig from(JsonObject root) {
    ConfigSection s = ConfigSection.of(root, SECTION, KEYS);
    return new MetricsConfig(s.bool("enabled", DEFAULT_ENABLED), s.bool("jvm", DEFAULT_JVM));
  }

  JsonObject toJson() {
    return new JsonObject().put("enabled", enabled).put("jvm", jvm);
  }
}

package io.switchboard.server.config;

import io.vertx.core.json.JsonObject;
import java.util.Set;

/**
 * The {@code metrics_update} broadcast to {@code $telemetry} ({@code telemetry} section).
 *
 * @param intervalMs how often figures are collected and sent, while the channel has subscribers
 * @param sourceTimeoutMs how long a registered telemetry source may take to answer; a late source
 *     is left out of that update
 */
public record TelemetryConfig(long intervalMs, long sourceTimeoutMs) {

  public static final String SECTION = "telemetry";
  public static final long DEFAULT_INTERVAL_MS = 10_000;
  public static final long DEFAULT_SOURCE_TIMEOUT_MS = 1_000;

  private static final Set<String> KEYS = Set.of("intervalMs", "sourceTimeoutMs");

  static TelemetryConfig from(JsonObject root) {
    ConfigSection s = ConfigSection.of(root, SECTION, KEYS);
    return new TelemetryConfig(
        s.millis("intervalMs", DEFAULT_INTERVAL_MS, 1),
        s.millis("sourceTimeoutMs", DEFAULT_SOURCE_TIMEOUT_MS, 1));
  }

  JsonObject toJson() {
    return new JsonObject().put("intervalMs", intervalMs).put("sourceTimeoutMs", sourceTimeoutMs);
  }
}

package io.switchboard.server.config;

import io.vertx.core.json.JsonObject;
import java.util.Set;

/**
 * Liveness of client connections ({@code heartbeat} section). All values are milliseconds.
 *
 * @param intervalMs how often every socket gets a WebSocket ping; announced to clients in {@code
 *     welcome.data.heartbeatIntervalMs}. The sockets are pinged in {@link #slices()} groups spread
 *     over the interval, not all at once
 * @param pongTimeoutMs a socket that sends no frame at all (pong or other) within this time after a
 *     ping is closed with 4001
 * @param staleTimeoutMs a socket that sends no text or binary frame (an app-level {@code ping}
 *     counts) for this long is closed with 4003; 0 disables the check
 * @param statsLogIntervalMs how often a health-stats line is logged while clients are connected; 0
 *     disables it
 */
public record HeartbeatConfig(
    long intervalMs, long pongTimeoutMs, long staleTimeoutMs, long statsLogIntervalMs) {

  public static final String SECTION = "heartbeat";
  public static final long DEFAULT_INTERVAL_MS = 25_000;
  public static final long DEFAULT_PONG_TIMEOUT_MS = 10_000;
  public static final long DEFAULT_STALE_TIMEOUT_MS = 300_000;
  public static final long DEFAULT_STATS_LOG_INTERVAL_MS = 60_000;

  /** The heartbeat ticks this often (for intervals of at least this long). */
  public static final long TICK_TARGET_MS = 100;

  public static final int MAX_SLICES = 1_000;

  private static final Set<String> KEYS =
      Set.of("intervalMs", "pongTimeoutMs", "staleTimeoutMs", "statsLogIntervalMs");

  static HeartbeatConfig from(JsonObject root) {
    ConfigSection s = ConfigSection.of(root, SECTION, KEYS);
    return new HeartbeatConfig(
        s.millis("intervalMs", DEFAULT_INTERVAL_MS, 1),
        s.millis("pongTimeoutMs", DEFAULT_PONG_TIMEOUT_MS, 1),
        s.millis("staleTimeoutMs", DEFAULT_STALE_TIMEOUT_MS, 0),
        s.millis("statsLogIntervalMs", DEFAULT_STATS_LOG_INTERVAL_MS, 0));
  }

  /**
   * In how many groups the sockets are pinged over one interval: one per {@value #TICK_TARGET_MS}
   * ms of the interval, between 1 and {@value #MAX_SLICES} (250 for the default 25 s). A server
   * with many connections then pings a small slice of them ten times a second instead of all of
   * them in one burst, which would hold up deliveries for as long as the burst takes: about 300 ms
   * per 10,000 sockets here, pings and pongs, and still 5 ms for the 400 of one slice when slices
   * were a second apart, which showed in the p99 latency of the benchmark.
   */
  public int slices() {
    return (int) Math.max(1, Math.min(MAX_SLICES, intervalMs / TICK_TARGET_MS));
  }

  /** How often the heartbeat ticks: one slice of the sockets is pinged per tick. */
  public long tickMs() {
    return Math.max(1, intervalMs / slices());
  }

  JsonObject toJson() {
    return new JsonObject()
        .put("intervalMs", intervalMs)
        .put("pongTimeoutMs", pongTimeoutMs)
        .put("staleTimeoutMs", staleTimeoutMs)
        .put("statsLogIntervalMs", statsLogIntervalMs);
  }
}

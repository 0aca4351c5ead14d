package io.switchboard.server.config;

import io.vertx.core.json.JsonObject;
import java.util.Set;

/**
 * Graceful shutdown ({@code shutdown} section).
 *
 * @param timeoutMs how long clients get to complete the close handshake after {@code
 *     server_shutdown}; sockets still open then are cut
 * @param reconnectAfterMs the delay suggested to clients in {@code
 *     server_shutdown.data.reconnectAfterMs}
 */
public record ShutdownConfig(long timeoutMs, long reconnectAfterMs) {

  public static final String SECTION = "shutdown";
  public static final long DEFAULT_TIMEOUT_MS = 10_000;
  public static final long DEFAULT_RECONNECT_AFTER_MS = 2_000;

  private static final Set<String> KEYS = Set.of("timeoutMs", "reconnectAfterMs");

  static ShutdownConfig from(JsonObject root) {
    ConfigSection s = ConfigSection.of(root, SECTION, KEYS);
    return new ShutdownConfig(
        s.millis("timeoutMs", DEFAULT_TIMEOUT_MS, 1),
        s.millis("reconnectAfterMs", DEFAULT_RECONNECT_AFTER_MS, 0));
  }

  JsonObject toJson() {
    return new JsonObject().put("timeoutMs", timeoutMs).put("reconnectAfterMs", reconnectAfterMs);
  }
}

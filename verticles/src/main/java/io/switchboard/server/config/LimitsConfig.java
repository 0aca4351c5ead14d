package io.switchboard.server.config;

import io.vertx.core.json.JsonObject;
import java.util.Set;

/**
 * What one client, one address or one user may hold or send ({@code limits} section). Every limit
 * has a safe default; connection limits are per server node.
 *
 * @param maxConnections open WebSocket connections in total; an upgrade beyond is answered 503
 * @param maxConnectionsPerIp open WebSocket connections from one IP address; beyond: 429
 * @param maxConnectionsPerUser open WebSocket connections of one authenticated user; beyond: 429
 * @param maxPendingHandshakes TCP connections on the WebSocket port that have not completed their
 *     upgrade yet, in total; one more is closed at once
 * @param maxPendingHandshakesPerIp the same, from one IP address
 * @param handshakeTimeoutMs how long a TCP connection may take to complete its upgrade before it is
 *     closed
 * @param firstFrameTimeoutMs how long after {@code welcome} a client may take to send its first
 *     frame before it is closed with 4003; 0 disables
 * @param maxChannelsPerConnection channels one connection may join
 * @param messageRate frames per second one connection may send, sustained (a token bucket); 0
 *     disables
 * @param messageBurst frames one connection may send at once above the rate; also the number of
 *     frames in a row refused for the rate after which the connection is closed with 1008
 * @param maxPendingRequests frames of one connection waiting for an answer from routing or a
 *     plugin; while more wait, the server stops reading that socket
 */
public record LimitsConfig(
    int maxConnections,
    int maxConnectionsPerIp,
    int maxConnectionsPerUser,
    int maxPendingHandshakes,
    int maxPendingHandshakesPerIp,
    long handshakeTimeoutMs,
    long firstFrameTimeoutMs,
    int maxChannelsPerConnection,
    int messageRate,
    int messageBurst,
    int maxPendingRequests) {

  public static final String SECTION = "limits";
  public static final int DEFAULT_MAX_CONNECTIONS = 10_000;
  public static final int DEFAULT_MAX_CONNECTIONS_PER_IP = 100;
  public static final int DEFAULT_MAX_CONNECTIONS_PER_USER = 10;
  public static final int DEFAULT_MAX_PENDING_HANDSHAKES = 1_000;
  public static final int DEFAULT_MAX_PENDING_HANDSHAKES_PER_IP = 32;
  public static final long DEFAULT_HANDSHAKE_TIMEOUT_MS = 10_000;
  public static final long DEFAULT_FIRST_FRAME_TIMEOUT_MS = 10_000;
  public static final int DEFAULT_MAX_CHANNELS_PER_CONNECTION = 100;
  public static final int DEFAULT_MESSAGE_RATE = 100;
  public static final int DEFAULT_MESSAGE_BURST = 200;
  public static final int DEFAULT_MAX_PENDING_REQUESTS = 64;

  private static final int MAX_COUNT = 1_000_000;
  private static final Set<String> KEYS =
      Set.of(
          "maxConnections",
          "maxConnectionsPerIp",
          "maxConnectionsPerUser",
          "maxPendingHandshakes",
          "maxPendingHandshakesPerIp",
          "handshakeTimeoutMs",
          "firstFrameTimeoutMs",
          "maxChannelsPerConnection",
          "messageRate",
          "messageBurst",
          "maxPendingRequests");

  static LimitsConfig from(JsonObject root) {
    ConfigSection s = ConfigSection.of(root, SECTION, KEYS);
    return new LimitsConfig(
        s.integer("maxConnections", DEFAULT_MAX_CONNECTIONS, 1, MAX_COUNT),
        s.integer("maxConnectionsPerIp", DEFAULT_MAX_CONNECTIONS_PER_IP, 1, MAX_COUNT),
        s.integer("maxConnectionsPerUser", DEFAULT_MAX_CONNECTIONS_PER_USER, 1, MAX_COUNT),
        s.integer("maxPendingHandshakes", DEFAULT_MAX_PENDING_HANDSHAKES, 1, MAX_COUNT),
        s.integer("maxPendingHandshakesPerIp", DEFAULT_MAX_PENDING_HANDSHAKES_PER_IP, 1, MAX_COUNT),
        s.millis("handshakeTimeoutMs", DEFAULT_HANDSHAKE_TIMEOUT_MS, 1),
        s.millis("firstFrameTimeoutMs", DEFAULT_FIRST_FRAME_TIMEOUT_MS, 0),
        s.integer("maxChannelsPerConnection", DEFAULT_MAX_CHANNELS_PER_CONNECTION, 1, MAX_COUNT),
        s.integer("messageRate", DEFAULT_MESSAGE_RATE, 0, MAX_COUNT),
        s.integer("messageBurst", DEFAULT_MESSAGE_BURST, 1, MAX_COUNT),
        s.integer("maxPendingRequests", DEFAULT_MAX_PENDING_REQUESTS, 1, 100_000));
  }

  JsonObject toJson() {
    return new JsonObject()
        .put("maxConnections", maxConnections)
        .put("maxConnectionsPerIp", maxConnectionsPerIp)
        .put("maxConnectionsPerUser", maxConnectionsPerUser)
        .put("maxPendingHandshakes", maxPendingHandshakes)
        .put("maxPendingHandshakesPerIp", maxPendingHandshakesPerIp)
        .put("handshakeTimeoutMs", handshakeTimeoutMs)
        .put("firstFrameTimeoutMs", firstFrameTimeoutMs)
        .put("maxChannelsPerConnection", maxChannelsPerConnection)
        .put("messageRate", messageRate)
        .put("messageBurst", messageBurst)
        .put("maxPendingRequests", maxPendingRequests);
  }
}

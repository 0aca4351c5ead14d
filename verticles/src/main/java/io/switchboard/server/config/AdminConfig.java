package io.switchboard.server.config;

import io.vertx.core.json.JsonObject;
import java.util.Set;

/**
 * The admin REST API ({@code admin} section).
 *
 * @param enabled whether the admin API is served at all
 * @param host the address to bind; loopback by default, since the API can disconnect clients and
 *     broadcast to everyone
 * @param port the admin port; 0 picks a free port
 * @param token when not empty, every route but {@code /health*} needs {@code Authorization: Bearer
 *     <token>}. Binding to a non-loopback address without a token is refused at start-up
 * @param maxStreams event streams (the console's figures and channel tails) the admin API serves at
 *     once on this node, 1 to 1000; one more is refused with 429 {@code too_many_streams}. Each
 *     holds an HTTP connection open and a tail consumes its channel's deliveries, so a client
 *     opening streams in a loop must not be able to hold the node's memory
 * @param tls TLS for the admin port ({@code admin.tls*} keys): {@code https://} when set
 */
public record AdminConfig(
    boolean enabled, String host, int port, String token, int maxStreams, TlsConfig tls) {

  public static final String SECTION = "admin";
  public static final boolean DEFAULT_ENABLED = true;
  public static final String DEFAULT_HOST = "127.0.0.1";
  public static final int DEFAULT_PORT = 8081;
  public static final String DEFAULT_TOKEN = "";
  public static final int DEFAULT_MAX_STREAMS = 16;
  public static final String DEFAULT_TLS_CERT_FILE = TlsConfig.DEFAULT_CERT_FILE;
  public static final String DEFAULT_TLS_KEY_FILE = TlsConfig.DEFAULT_KEY_FILE;
  public static final String DEFAULT_TLS_KEY_STORE = TlsConfig.DEFAULT_KEY_STORE;
  public static final String DEFAULT_TLS_KEY_STORE_PASSWORD = TlsConfig.DEFAULT_KEY_STORE_PASSWORD;

  private static final Set<String> KEYS =
      ConfigSection.keys(TlsConfig.KEYS, "enabled", "host", "port", "token", "maxStreams");

  static AdminConfig from(JsonObject root) {
    ConfigSection s = ConfigSection.of(root, SECTION, KEYS);
    AdminConfig config =
        new AdminConfig(
            s.bool("enabled", DEFAULT_ENABLED),
            s.string("host", DEFAULT_HOST),
            s.integer("port", DEFAULT_PORT, 0, 65535),
            s.string("token", DEFAULT_TOKEN),
            s.integer("maxStreams", DEFAULT_MAX_STREAMS, 1, 1000),
            TlsConfig.from(s));
    if (config.enabled && !config.tokenRequired() && !isLoopback(config.host)) {
      throw new ConfigException(
          "admin.token must be set when admin.host is not a loopback address, was empty with"
              + " admin.host "
              + config.host
              + "; set a token or bind the admin API to 127.0.0.1");
    }
    return config;
  }

  /** Whether requests must carry the bearer token. */
  public boolean tokenRequired() {
    return !token.isEmpty();
  }

  static boolean isLoopback(String host) {
    return host.equals("localhost")
        || host.startsWith("127.")
        || host.equals("::1")
        || host.equals("[::1]");
  }

  JsonObject toJson() {
    JsonObject json =
        new JsonObject()
            .put("enabled", enabled)
            .put("host", host)
            .put("port", port)
            .put("token", token)
            .put("maxStreams", maxStreams);
    tls.writeTo(json);
    return json;
  }
}

package io.switchboard.server.config;

import io.switchboard.protocol.Protocol;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The public WebSocket endpoint ({@code ws} section).
 *
 * @param host the address to bind; {@value #DEFAULT_HOST} listens on every interface
 * @param port the public port; 0 picks a free port (shared by every instance)
 * @param path the upgrade path; other paths answer 404
 * @param instances ConnectionVerticle instances; 0 means one per event loop
 * @param maxFrameBytes a larger frame closes the socket with 1009
 * @param maxMessageBytes a larger message (all fragments together) closes the socket with 1009
 * @param compression whether permessage-deflate and per-frame deflate may be negotiated. Off by
 *     default: Vert.x 5 inflates without any limit, so a small compressed frame can fill the heap
 * @param maxWriteQueueBytes bytes queued for one socket beyond which it is closed as a slow
 *     consumer (4002)
 * @param subprotocols the WebSocket subprotocols the server accepts; a client offering one of them
 *     gets it selected. A client offering none is accepted as well
 * @param flushPolicy when written frames are flushed: coalesced per event-loop turn (the default),
 *     or per message
 * @param coalesceMaxDelayUs with coalescing, a cap on how long written frames wait for their flush,
 *     in microseconds, checked after each delivery: an event-loop turn running longer flushes
 *     early. It should exceed the time one delivery takes to loop over a channel's local
 *     subscribers (a few microseconds each), or every delivery flushes and nothing is coalesced
 * @param allowedOrigins the browser origins ({@code scheme://host[:port]}) whose pages may open a
 *     WebSocket; an upgrade with any other {@code Origin} header is answered 403. Clients that send
 *     no {@code Origin} (every non-browser client) are not affected
 * @param tls TLS for the public port ({@code ws.tls*} keys): {@code wss://} when set
 */
public record WebSocketConfig(
    String host,
    int port,
    String path,
    int instances,
    int maxFrameBytes,
    int maxMessageBytes,
    boolean compression,
    int maxWriteQueueBytes,
    List<String> subprotocols,
    FlushPolicy flushPolicy,
    long coalesceMaxDelayUs,
    List<String> allowedOrigins,
    TlsConfig tls) {

  public static final String SECTION = "ws";
  public static final String DEFAULT_HOST = "127.0.0.1";
  public static final int DEFAULT_PORT = 8080;
  public static final String DEFAULT_PATH = "/ws";
  public static final int DEFAULT_INSTANCES = 0;
  public static final int DEFAULT_MAX_FRAME_BYTES = 64 * 1024;
  public static final int DEFAULT_MAX_MESSAGE_BYTES = 64 * 1024;
  public static final boolean DEFAULT_COMPRESSION = false;
  public static final int DEFAULT_MAX_WRITE_QUEUE_BYTES = 1024 * 1024;
  public static final List<String> DEFAULT_SUBPROTOCOLS = List.of(Protocol.SUBPROTOCOL);
  public static final FlushPolicy DEFAULT_FLUSH_POLICY = FlushPolicy.COALESCE;
  public static final long DEFAULT_COALESCE_MAX_DELAY_US = 10_000;
  public static final List<String> DEFAULT_ALLOWED_ORIGINS = List.of();
  public static final String DEFAULT_TLS_CERT_FILE = TlsConfig.DEFAULT_CERT_FILE;
  public static final String DEFAULT_TLS_KEY_FILE = TlsConfig.DEFAULT_KEY_FILE;
  public static final String DEFAULT_TLS_KEY_STORE = TlsConfig.DEFAULT_KEY_STORE;
  public static final String DEFAULT_TLS_KEY_STORE_PASSWORD = TlsConfig.DEFAULT_KEY_STORE_PASSWORD;

  private static final int MAX_LIMIT_BYTES = 16 * 1024 * 1024;
  private static final Set<String> KEYS =
      ConfigSection.keys(
          TlsConfig.KEYS,
          "host",
          "port",
          "path",
          "instances",
          "maxFrameBytes",
          "maxMessageBytes",
          "compression",
          "maxWriteQueueBytes",
          "subprotocols",
          "flushPolicy",
          "coalesceMaxDelayUs",
          "allowedOrigins");

  static WebSocketConfig from(JsonObject root) {
    ConfigSection s = ConfigSection.of(root, SECTION, KEYS);
    String path = s.string("path", DEFAULT_PATH);
    if (!path.startsWith("/")) {
      throw s.invalid("path", path, "a path starting with /");
    }
    int maxFrameBytes = s.integer("maxFrameBytes", DEFAULT_MAX_FRAME_BYTES, 125, MAX_LIMIT_BYTES);
    int maxMessageBytes =
        s.integer("maxMessageBytes", DEFAULT_MAX_MESSAGE_BYTES, 125, MAX_LIMIT_BYTES);
    if (maxMessageBytes < maxFrameBytes) {
      throw s.invalid(
          "maxMessageBytes", maxMessageBytes, ">= ws.maxFrameBytes (" + maxFrameBytes + ")");
    }
    return new WebSocketConfig(
        s.string("host", DEFAULT_HOST),
        s.integer("port", DEFAULT_PORT, 0, 65535),
        path,
        s.integer("instances", DEFAULT_INSTANCES, 0, 1024),
        maxFrameBytes,
        maxMessageBytes,
        s.bool("compression", DEFAULT_COMPRESSION),
        s.integer("maxWriteQueueBytes", DEFAULT_MAX_WRITE_QUEUE_BYTES, 1024, Integer.MAX_VALUE),
        subprotocols(s),
        flushPolicy(s),
        s.millis("coalesceMaxDelayUs", DEFAULT_COALESCE_MAX_DELAY_US, 1),
        allowedOrigins(s),
        TlsConfig.from(s));
  }

  private static FlushPolicy flushPolicy(ConfigSection s) {
    String name = s.string("flushPolicy", DEFAULT_FLUSH_POLICY.configName());
    FlushPolicy policy = FlushPolicy.fromConfig(name);
    if (policy == null) {
      throw s.invalid("flushPolicy", name, "per-message or coalesce");
    }
    return policy;
  }

  private static List<String> subprotocols(ConfigSection s) {
    JsonArray raw = s.array("subprotocols", new JsonArray(DEFAULT_SUBPROTOCOLS));
    List<String> result = new ArrayList<>();
    for (Object value : raw) {
      if (!(value instanceof String name) || !name.matches("[!#$%&'*+.^_`|~0-9A-Za-z-]+")) {
        throw s.invalid("subprotocols", raw, "a list of subprotocol names (HTTP tokens)");
      }
      result.add(name);
    }
    return List.copyOf(result);
  }

  private static List<String> allowedOrigins(ConfigSection s) {
    List<String> result = new ArrayList<>();
    for (String origin : s.strings("allowedOrigins", DEFAULT_ALLOWED_ORIGINS)) {
      String normalized = Origins.normalize(origin);
      if (normalized == null) {
        throw s.invalid(
            "allowedOrigins",
            "\"" + origin + "\"",
            "a list of origins scheme://host[:port] (http or https, no path)");
      }
      result.add(normalized);
    }
    return List.copyOf(result);
  }

  JsonObject toJson() {
    JsonObject json =
        new JsonObject()
            .put("host", host)
            .put("port", port)
            .put("path", path)
            .put("instances", instances)
            .put("maxFrameBytes", maxFrameBytes)
            .put("maxMessageBytes", maxMessageBytes)
            .put("compression", compression)
            .put("maxWriteQueueBytes", maxWriteQueueBytes)
            .put("subprotocols", new JsonArray(subprotocols))
            .put("flushPolicy", flushPolicy.configName())
            .put("coalesceMaxDelayUs", coalesceMaxDelayUs)
            .put("allowedOrigins", new JsonArray(allowedOrigins));
    tls.writeTo(json);
    return json;
  }
}

package io.switchboard.server.connection;

import io.switchboard.protocol.ErrorCode;
import io.switchboard.protocol.ProtocolError;
import io.switchboard.server.config.Origins;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The strict reading of an upgrade request (RFC 6455 section 4.2.1): GET over HTTP/1.1 with a Host,
 * {@code Upgrade: websocket}, {@code Connection: Upgrade}, {@code Sec-WebSocket-Version: 13} and a
 * {@code Sec-WebSocket-Key} of 16 base64 bytes; and the browser {@code Origin} check. Netty would
 * accept older protocol versions and any key.
 */
final class UpgradeRequests {

  /** The query parameter naming the client's session. */
  static final String SESSION = "session";

  private static final Pattern SESSION_FORM = Pattern.compile("[A-Za-z0-9_-]{8,64}");

  /** The only protocol version served. */
  static final String VERSION = "13";

  private UpgradeRequests() {}

  /** Whether the request asks for a protocol upgrade at all (any {@code Upgrade} header). */
  static boolean asksForUpgrade(HttpServerRequest request) {
    return request.headers().contains("Upgrade");
  }

  /**
   * Checks the request's form. Whatever passes is also what Vert.x and Netty accept, so that no
   * request is answered with their plain-text 400 instead of a JSON refusal.
   *
   * @throws Refusal naming the header and the rule
   */
  static void check(HttpServerRequest request) {
    if (request.method() != HttpMethod.GET) {
      throw bad("a WebSocket upgrade must be a GET request, was " + request.method());
    }
    if (request.version() != HttpVersion.HTTP_1_1) {
      throw bad("a WebSocket upgrade needs HTTP/1.1, was " + version(request.version()));
    }
    try {
      new URI(request.uri());
    } catch (URISyntaxException e) {
      throw bad(
          "the request target must be a valid URI (RFC 3986), was '"
              + cut(request.uri())
              + "': "
              + e.getReason());
    }
    if (once(request, "Host") == null) {
      throw bad("header 'Host' is required");
    }
    String upgrade = once(request, "Upgrade");
    if (!"websocket".equalsIgnoreCase(upgrade)) {
      throw bad("header 'Upgrade' must be websocket, was '" + cut(upgrade) + "'");
    }
    String connection = once(request, "Connection");
    if (connection == null || !hasToken(connection, "upgrade")) {
      throw bad(
          "header 'Connection' must include Upgrade, was "
              + (connection == null ? "absent" : "'" + cut(connection) + "'"));
    }
    String version;
    try {
      version = once(request, "Sec-WebSocket-Version");
    } catch (Refusal repeated) {
      throw new Refusal(426, repeated.error, "Sec-WebSocket-Version", VERSION);
    }
    if (!VERSION.equals(version)) {
      throw new Refusal(
          426,
          ProtocolError.of(
              ErrorCode.BAD_REQUEST,
              "header 'Sec-WebSocket-Version' must be "
                  + VERSION
                  + ", was "
                  + (version == null ? "absent" : "'" + cut(version) + "'")),
          "Sec-WebSocket-Version",
          VERSION);
    }
    String key = once(request, "Sec-WebSocket-Key");
    if (key == null || !validKey(key)) {
      throw bad(
          "header 'Sec-WebSocket-Key' must be 16 bytes in base64 (24 characters), was "
              + (key == null ? "absent" : "'" + cut(key) + "'"));
    }
  }

  /**
   * Checks the {@code Origin} header against the allowed origins: a request without one (not from a
   * browser) passes; a browser page must be served from an allowed origin.
   *
   * @throws Refusal 403 {@code forbidden} naming the origin
   */
  static void checkOrigin(HttpServerRequest request, List<String> allowedOrigins) {
    List<String> origins = request.headers().getAll("Origin");
    if (origins.isEmpty()) {
      return;
    }
    if (origins.size() > 1) {
      throw new Refusal(403, ProtocolError.forbidden(repeated("Origin", origins.size())));
    }
    String origin = origins.get(0);
    String normalized = Origins.normalize(origin);
    if (normalized == null || !allowedOrigins.contains(normalized)) {
      throw new Refusal(
          403,
          ProtocolError.forbidden(
              "origin '"
                  + cut(origin)
                  + "' may not open WebSockets here; ws.allowedOrigins lists "
                  + (allowedOrigins.isEmpty() ? "none" : String.join(", ", allowedOrigins))));
    }
  }

  /**
   * The client's session, the query parameter {@code session}: an opaque string the client keeps
   * across its reconnects, under which its re-sent publishes are recognised.
   *
   * @return null when absent
   * @throws Refusal 400 when given twice or not 8 to 64 characters of {@code A-Z a-z 0-9 _ -}
   */
  static String session(HttpServerRequest request) {
    List<String> values = request.params().getAll(SESSION);
    if (values.isEmpty()) {
      return null;
    }
    if (values.size() > 1) {
      throw bad("query parameter '" + SESSION + "' must appear once, appeared " + values.size());
    }
    String session = values.get(0);
    if (!SESSION_FORM.matcher(session).matches()) {
      throw bad(
          "query parameter '"
              + SESSION
              + "' must be 8 to 64 characters of A-Z a-z 0-9 _ -, was '"
              + cut(session)
              + "'");
    }
    return session;
  }

  private static boolean validKey(String key) {
    if (key.length() != 24) {
      return false;
    }
    try {
      return Base64.getDecoder().decode(key).length == 16;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /**
   * The header's value, or null when it is absent.
   *
   * @throws Refusal when it appears more than once: Vert.x reads the first, Netty any of them
   */
  private static String once(HttpServerRequest request, String name) {
    List<String> values = request.headers().getAll(name);
    if (values.size() > 1) {
      throw bad(repeated(name, values.size()));
    }
    return values.isEmpty() ? null : values.get(0);
  }

  private static String repeated(String name, int times) {
    return "header '" + name + "' must appear once, appeared " + times + " times";
  }

  private static boolean hasToken(String value, String token) {
    for (String part : value.split(",")) {
      if (part.trim().toLowerCase(Locale.ROOT).equals(token)) {
        return true;
      }
    }
    return false;
  }

  private static String version(HttpVersion version) {
    return version == null ? "unknown" : version.alpnName().toUpperCase(Locale.ROOT);
  }

  private static Refusal bad(String message) {
    return new Refusal(400, ProtocolError.of(ErrorCode.BAD_REQUEST, message));
  }

  private static String cut(String s) {
    if (s == null) {
      return "";
    }
    return s.length() <= 40 ? s : s.substring(0, 40) + "…";
  }
}

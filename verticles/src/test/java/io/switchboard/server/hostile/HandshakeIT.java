package io.switchboard.server.hostile;

import static io.switchboard.server.hostile.Expect.accepted;
import static io.switchboard.server.hostile.Expect.acceptedWith;
import static io.switchboard.server.hostile.Expect.badRequest;
import static io.switchboard.server.hostile.Expect.refused;

import io.switchboard.server.testing.HttpUpgrade;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.stream.Stream;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Hand-written upgrade requests, each one thing away from a valid one, and the exact HTTP answer
 * the README's "Connecting" table gives them: the form of the request (RFC 6455, section 4.2.1),
 * the path, and the browser origin. The table is the specification.
 */
class HandshakeIT extends HostileServerBase {

  private static final String ORIGINS = "https://app.example.com, http://localhost:3000";
  private static final String NOT_GET = "a WebSocket upgrade must be a GET request, was ";
  private static final String NO_SUCH_PATH = "no such endpoint; WebSocket clients connect to /ws";
  private static final String KEY_RULE =
      "header 'Sec-WebSocket-Key' must be 16 bytes in base64 (24 characters), was ";
  private static final String VERSION_RULE = "header 'Sec-WebSocket-Version' must be 13, was ";

  @Override
  protected JsonObject overrides() {
    return new JsonObject()
        .put(
            "ws",
            new JsonObject()
                .put(
                    "allowedOrigins",
                    new JsonArray().add("https://app.example.com").add("http://localhost:3000")));
  }

  static Stream<Arguments> upgrades() {
    Head valid = Head.valid();
    return Stream.of(
        // A valid request, and the variants RFC 6455 and HTTP allow.
        row(valid, accepted()),
        row(valid.with("Upgrade", "WebSocket"), accepted()),
        row(valid.with("Connection", "keep-alive, Upgrade"), accepted()),
        row(valid.with("Connection", "upgrade"), accepted()),
        row(valid.with("Host", "switchboard.example.com"), accepted()),
        row(valid.target("/ws?x=1&y=2"), accepted()),
        row(valid.target("http://127.0.0.1:{port}/ws"), accepted()),
        row(valid.with("Sec-WebSocket-Protocol", "switchboard.v1"), acceptedWith("switchboard.v1")),
        row(
            valid.with("Sec-WebSocket-Protocol", "mqtt, switchboard.v1"),
            acceptedWith("switchboard.v1")),
        row(valid.with("Sec-WebSocket-Protocol", "mqtt"), acceptedWith(null)),
        row(valid.with("Sec-WebSocket-Protocol", ""), acceptedWith(null)),
        row(valid.with("Sec-WebSocket-Extensions", "permessage-deflate"), accepted()),
        row(valid.with("Sec-WebSocket-Origin", "https://evil.example.com"), accepted()),
        // The path comes first, whatever the rest.
        row(valid.target("/"), refused(404, "bad_request", NO_SUCH_PATH)),
        row(valid.target("/ws/"), refused(404, "bad_request", NO_SUCH_PATH)),
        row(valid.target("/WS"), refused(404, "bad_request", NO_SUCH_PATH)),
        row(valid.target("/ws/extra"), refused(404, "bad_request", NO_SUCH_PATH)),
        row(valid.target("/wss"), refused(404, "bad_request", NO_SUCH_PATH)),
        row(valid.target("//ws"), refused(404, "bad_request", NO_SUCH_PATH)),
        row(valid.target("/ws%2F"), refused(404, "bad_request", NO_SUCH_PATH)),
        row(valid.target("/ws;v=1"), refused(404, "bad_request", NO_SUCH_PATH)),
        row(valid.target("/other").method("POST"), refused(404, "bad_request", NO_SUCH_PATH)),
        // Requests Vert.x cannot read: answered in the same form.
        row(
            valid.target("/ws?pad=" + "p".repeat(17 * 1024)),
            refused(414, "bad_request", "the request line is longer than 16384 bytes")),
        row(
            valid.with("X-Pad", "p".repeat(17 * 1024)),
            refused(431, "bad_request", "the request headers are larger than 16384 bytes")),
        row(
            valid.version("SPDY/3"),
            Expect.refusedStartingWith(400, "bad_request", "the request is not valid HTTP/1.1")),
        row(
            valid.with("Bad Header", "x"),
            Expect.refusedStartingWith(400, "bad_request", "the request is not valid HTTP/1.1")),
        // A request that does not ask for an upgrade.
        row(
            valid.without("Upgrade"),
            refused(
                426,
                "bad_request",
                "this endpoint speaks WebSocket only; send an Upgrade: websocket request",
                "Upgrade",
                "websocket")),
        // Method and HTTP version.
        row(valid.method("POST"), badRequest(NOT_GET + "POST")),
        row(valid.method("PUT"), badRequest(NOT_GET + "PUT")),
        row(valid.method("DELETE"), badRequest(NOT_GET + "DELETE")),
        row(valid.method("PATCH"), badRequest(NOT_GET + "PATCH")),
        row(valid.method("OPTIONS"), badRequest(NOT_GET + "OPTIONS")),
        row(valid.method("HEAD"), badRequest(NOT_GET + "HEAD")),
        row(valid.method("get"), badRequest(NOT_GET + "get")),
        row(
            valid.version("HTTP/1.0"),
            badRequest("a WebSocket upgrade needs HTTP/1.1, was HTTP/1.0")),
        row(
            valid.version("HTTP/1.0").without("Host"),
            badRequest("a WebSocket upgrade needs HTTP/1.1, was HTTP/1.0")),
        row(valid.method("POST").version("HTTP/1.0"), badRequest(NOT_GET + "POST")),
        // The request target.
        row(
            valid.target("/ws?q={a}"),
            badRequest(
                "the request target must be a valid URI (RFC 3986), was '/ws?q={a}': Illegal"
                    + " character in query")),
        row(
            valid.target("/ws?a|b"),
            badRequest(
                "the request target must be a valid URI (RFC 3986), was '/ws?a|b': Illegal"
                    + " character in query")),
        row(
            valid.target("/ws?x=%zz"),
            badRequest(
                "the request target must be a valid URI (RFC 3986), was '/ws?x=%zz': Malformed"
                    + " escape pair")),
        // Host.
        row(valid.without("Host"), badRequest("header 'Host' is required")),
        row(
            valid.plus("Host", "evil.example.com"),
            badRequest("header 'Host' must appear once, appeared 2 times")),
        // Upgrade and Connection.
        row(
            valid.with("Upgrade", "h2c"),
            badRequest("header 'Upgrade' must be websocket, was 'h2c'")),
        row(
            valid.with("Upgrade", "websockets"),
            badRequest("header 'Upgrade' must be websocket, was 'websockets'")),
        row(
            valid.with("Upgrade", "TLS/1.2, HTTP/2"),
            badRequest("header 'Upgrade' must be websocket, was 'TLS/1.2, HTTP/2'")),
        row(valid.with("Upgrade", ""), badRequest("header 'Upgrade' must be websocket, was ''")),
        row(
            valid.with("Upgrade", "websocket, h2c"),
            badRequest("header 'Upgrade' must be websocket, was 'websocket, h2c'")),
        row(
            valid.plus("Upgrade", "websocket"),
            badRequest("header 'Upgrade' must appear once, appeared 2 times")),
        row(
            valid.with("Connection", "keep-alive").plus("Connection", "Upgrade"),
            badRequest("header 'Connection' must appear once, appeared 2 times")),
        row(
            valid.without("Connection"),
            badRequest("header 'Connection' must include Upgrade, was absent")),
        row(
            valid.with("Connection", "keep-alive"),
            badRequest("header 'Connection' must include Upgrade, was 'keep-alive'")),
        row(
            valid.with("Connection", "close"),
            badRequest("header 'Connection' must include Upgrade, was 'close'")),
        row(
            valid.with("Connection", "Upgraded"),
            badRequest("header 'Connection' must include Upgrade, was 'Upgraded'")),
        // Sec-WebSocket-Version: 13 only, once.
        row(valid.without("Sec-WebSocket-Version"), versionRefused("absent")),
        row(valid.with("Sec-WebSocket-Version", "0"), versionRefused("'0'")),
        row(valid.with("Sec-WebSocket-Version", "8"), versionRefused("'8'")),
        row(valid.with("Sec-WebSocket-Version", "12"), versionRefused("'12'")),
        row(valid.with("Sec-WebSocket-Version", "14"), versionRefused("'14'")),
        row(valid.with("Sec-WebSocket-Version", "13.0"), versionRefused("'13.0'")),
        row(valid.with("Sec-WebSocket-Version", "abc"), versionRefused("'abc'")),
        row(valid.with("Sec-WebSocket-Version", "13, 8"), versionRefused("'13, 8'")),
        row(valid.with("Sec-WebSocket-Version", ""), versionRefused("''")),
        row(
            valid.plus("Sec-WebSocket-Version", "13"),
            refused(
                426,
                "bad_request",
                "header 'Sec-WebSocket-Version' must appear once, appeared 2 times",
                "Sec-WebSocket-Version",
                "13")),
        // Sec-WebSocket-Key: 16 random bytes in base64, once.
        row(valid.without("Sec-WebSocket-Key"), badRequest(KEY_RULE + "absent")),
        row(valid.with("Sec-WebSocket-Key", ""), badRequest(KEY_RULE + "''")),
        row(
            valid.with("Sec-WebSocket-Key", base64(10)),
            badRequest(KEY_RULE + "'" + base64(10) + "'")),
        row(
            valid.with("Sec-WebSocket-Key", base64(15)),
            badRequest(KEY_RULE + "'" + base64(15) + "'")),
        row(
            valid.with("Sec-WebSocket-Key", base64(17)),
            badRequest(KEY_RULE + "'" + base64(17) + "'")),
        row(
            valid.with("Sec-WebSocket-Key", base64(4096)),
            badRequest(KEY_RULE + "'" + base64(4096).substring(0, 40) + "…'")),
        row(
            valid.with("Sec-WebSocket-Key", "!".repeat(24)),
            badRequest(KEY_RULE + "'" + "!".repeat(24) + "'")),
        row(
            valid.with("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ"),
            badRequest(KEY_RULE + "'dGhlIHNhbXBsZSBub25jZQ'")),
        row(
            valid.with("Sec-WebSocket-Key", "-_-_-_-_-_-_-_-_-_-_-w=="),
            badRequest(KEY_RULE + "'-_-_-_-_-_-_-_-_-_-_-w=='")),
        row(
            valid.plus("Sec-WebSocket-Key", "AAAAAAAAAAAAAAAAAAAAAA=="),
            badRequest("header 'Sec-WebSocket-Key' must appear once, appeared 2 times")),
        // The order of the checks: the first broken rule is the one answered.
        row(
            valid.without("Sec-WebSocket-Version").with("Sec-WebSocket-Key", "bad"),
            versionRefused("absent")),
        row(
            valid.with("Sec-WebSocket-Key", "bad").with("Origin", "https://evil.example.com"),
            badRequest(KEY_RULE + "'bad'")),
        // Origins: no header is fine (not a browser); a browser page must be listed exactly.
        row(valid.with("Origin", "https://app.example.com"), accepted()),
        row(valid.with("Origin", "https://app.example.com:443"), accepted()),
        row(valid.with("Origin", "HTTPS://APP.EXAMPLE.COM"), accepted()),
        row(valid.with("Origin", "http://localhost:3000"), accepted()),
        row(valid.with("Origin", "null"), originRefused("null")),
        row(valid.with("Origin", ""), originRefused("")),
        row(
            valid.with("Origin", "https://evil.example.com"),
            originRefused("https://evil.example.com")),
        row(
            valid.with("Origin", "http://app.example.com"),
            originRefused("http://app.example.com")),
        row(
            valid.with("Origin", "https://app.example.com:8443"),
            originRefused("https://app.example.com:8443")),
        row(
            valid.with("Origin", "https://app.example.com.evil.com"),
            originRefused("https://app.example.com.evil.com")),
        row(
            valid.with("Origin", "https://app.example.com/"),
            originRefused("https://app.example.com/")),
        row(
            valid.with("Origin", "https://user@app.example.com"),
            originRefused("https://user@app.example.com")),
        row(
            valid.with("Origin", "https://evil.com?https://app.example.com"),
            originRefused("https://evil.com?https://app.example.com")),
        row(valid.with("Origin", "file://"), originRefused("file://")),
        row(
            valid.with("Origin", "chrome-extension://abcdef"),
            originRefused("chrome-extension://abcdef")),
        row(valid.with("Origin", "http://localhost:3001"), originRefused("http://localhost:3001")),
        row(valid.with("Origin", "http://127.0.0.1:3000"), originRefused("http://127.0.0.1:3000")),
        row(valid.with("Origin", "http://localhost"), originRefused("http://localhost")),
        row(
            valid
                .with("Origin", "https://app.example.com")
                .plus("Origin", "https://evil.example.com"),
            refused(403, "forbidden", "header 'Origin' must appear once, appeared 2 times")),
        row(
            valid
                .with("Origin", "https://app.example.com")
                .plus("Origin", "https://app.example.com"),
            refused(403, "forbidden", "header 'Origin' must appear once, appeared 2 times")));
  }

  @ParameterizedTest(name = "[{index}] {0} -> {1}")
  @MethodSource("upgrades")
  void anUpgradeRequestGetsItsExactAnswer(Head head, Expect expected) throws IOException {
    int port = server.wsPort();

    HttpUpgrade.Answer answer =
        HttpUpgrade.send(null, port, head.request(port), expected.status() != 101);

    expected.check(answer, head.isHead());
    rowDone();
  }

  /**
   * Known gaps, each a failing row kept for the lead: Vert.x answers a request line of an HTTP
   * version it does not know (neither 1.0 nor 1.1) with its own 501 and no body, before any handler
   * of ours runs, so the JSON refusal cannot be given without going below Vert.x's public API.
   */
  static Stream<Arguments> knownGaps() {
    return Stream.of(
        row(
            Head.valid().version("HTTP/2.0"),
            Expect.refusedStartingWith(400, "bad_request", "a WebSocket upgrade needs HTTP/1.1")));
  }

  @Disabled("Vert.x answers an unknown HTTP version with a bare 501 before Switchboard sees it")
  @ParameterizedTest(name = "[{index}] {0} -> {1}")
  @MethodSource("knownGaps")
  void aRequestOfAnUnknownHttpVersionGetsTheJsonRefusal(Head head, Expect expected)
      throws IOException {
    anUpgradeRequestGetsItsExactAnswer(head, expected);
  }

  private static Arguments row(Head head, Expect expected) {
    return Arguments.of(head, expected);
  }

  private static Expect versionRefused(String was) {
    return refused(426, "bad_request", VERSION_RULE + was, "Sec-WebSocket-Version", "13");
  }

  private static Expect originRefused(String origin) {
    return refused(
        403,
        "forbidden",
        "origin '" + origin + "' may not open WebSockets here; ws.allowedOrigins lists " + ORIGINS);
  }

  private static String base64(int bytes) {
    byte[] raw = new byte[bytes];
    for (int i = 0; i < bytes; i++) {
      raw[i] = (byte) (i * 7 + 1);
    }
    return new String(Base64.getEncoder().encode(raw), StandardCharsets.US_ASCII);
  }
}

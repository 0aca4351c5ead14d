package io.switchboard.server.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.server.testing.HttpUpgrade;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The admin API under hostile requests, each hand-written: the bearer token missing, wrong or
 * doubled on every route; unknown routes and wrong methods; bodies of other media types (415,
 * nothing written to disk), oversize (413) or of the wrong shape; bad {@code limit} and {@code
 * cursor} values. Every row: the exact status, code and message.
 */
class AdminHostileIT extends HostileServerBase {

  private static final String TOKEN = "hostile-admin-token-0123456789";
  private static final String MISSING = "missing Authorization: Bearer <token> header";
  private static final String INVALID = "invalid bearer token";

  /** Every route behind the token, with what it answers a valid request of this suite. */
  private static final List<Route> PROTECTED =
      List.of(
          new Route("GET", "/metrics", 200, null, null),
          new Route("GET", "/openapi.json", 200, null, null),
          new Route("GET", "/api/websocket/status", 200, null, null),
          new Route("GET", "/ws/status", 200, null, null),
          new Route("GET", "/api/connections", 200, null, null),
          new Route(
              "GET",
              "/api/connections/ws_0_0",
              404,
              "connection_not_found",
              "connection 'ws_0_0' does not exist"),
          new Route(
              "DELETE",
              "/api/connections/ws_0_0",
              404,
              "connection_not_found",
              "connection 'ws_0_0' does not exist"),
          new Route("GET", "/api/channels", 200, null, null),
          new Route(
              "GET",
              "/api/channels/nobody-here",
              404,
              "channel_not_found",
              "channel 'nobody-here' does not exist"),
          new Route(
              "POST",
              "/v1/broadcast",
              400,
              "bad_request",
              "the request body is required: a JSON object"),
          new Route("GET", "/api/plugins", 200, null, null));

  /** The routes that page their listing, and the kind of cursor each takes. */
  private static final List<String[]> PAGED =
      List.of(
          new String[] {"/api/websocket/status", "connection"},
          new String[] {"/ws/status", "channel"},
          new String[] {"/api/connections", "connection"},
          new String[] {"/api/channels", "channel"},
          new String[] {"/api/channels/nobody-here", "connection"});

  record Route(String method, String path, int status, String code, String message) {}

  /** A hand-written request: its line, headers and body (Content-Length added unless given). */
  record Request(String method, String target, List<String> headers, byte[] body) {

    String head(int port) {
      StringBuilder head = new StringBuilder();
      head.append(method).append(' ').append(target).append(" HTTP/1.1\r\n");
      head.append("Host: 127.0.0.1:").append(port).append("\r\n");
      boolean length = false;
      for (String header : headers) {
        head.append(header).append("\r\n");
        length |=
            header.toLowerCase().startsWith("content-length:")
                || header.toLowerCase().startsWith("transfer-encoding:");
      }
      if (!length && (body.length > 0 || method.equals("POST"))) {
        head.append("Content-Length: ").append(body.length).append("\r\n");
      }
      return head.append("\r\n").toString();
    }

    @Override
    public String toString() {
      String shown = method + " " + (target.length() > 60 ? target.substring(0, 60) + "…" : target);
      for (String header : headers) {
        shown += ", " + (header.length() > 60 ? header.substring(0, 60) + "…" : header);
      }
      if (body.length > 0) {
        String text = new String(body, 0, Math.min(body.length, 60), StandardCharsets.ISO_8859_1);
        shown += ", body " + text + (body.length > 60 ? "… (" + body.length + " bytes)" : "");
      }
      return shown;
    }
  }

  /** The exact answer: status, and for an error its code and message (or its start). */
  record Answer(int status, String code, String message, boolean prefix) {
    @Override
    public String toString() {
      return status + (code == null ? "" : " " + code);
    }
  }

  @Override
  protected JsonObject overrides() {
    return new JsonObject().put("admin", new JsonObject().put("token", TOKEN));
  }

  static Stream<Arguments> requests() {
    List<Arguments> rows = new ArrayList<>();
    // The token, on every protected route.
    for (Route route : PROTECTED) {
      String m = route.method();
      String p = route.path();
      rows.add(row(new Request(m, p, List.of(), new byte[0]), error(401, "unauthorized", MISSING)));
      rows.add(
          row(request(m, p, "Authorization: Bearer wrong"), error(401, "unauthorized", INVALID)));
      rows.add(
          row(
              request(m, p, "Authorization: Bearer " + TOKEN + "x"),
              error(401, "unauthorized", INVALID)));
      rows.add(
          row(
              request(m, p, "Authorization: Bearer " + TOKEN.substring(1)),
              error(401, "unauthorized", INVALID)));
      rows.add(
          row(
              request(m, p, "Authorization: Bearer " + TOKEN + " " + TOKEN),
              error(401, "unauthorized", INVALID)));
      rows.add(
          row(request(m, p, "Authorization: Basic " + TOKEN), error(401, "unauthorized", MISSING)));
      rows.add(row(request(m, p, "Authorization: " + TOKEN), error(401, "unauthorized", MISSING)));
      rows.add(row(request(m, p, "Authorization: Bearer"), error(401, "unauthorized", MISSING)));
      rows.add(
          row(
              request(m, p, "Authorization: Bearer " + TOKEN, "Authorization: Bearer wrong"),
              error(401, "unauthorized", "send one Authorization header, not 2")));
      rows.add(
          row(
              request(m, p, "Authorization: Bearer wrong", "Authorization: Bearer " + TOKEN),
              error(401, "unauthorized", "send one Authorization header, not 2")));
      Answer valid =
          route.code() == null
              ? new Answer(route.status(), null, null, false)
              : error(route.status(), route.code(), route.message());
      rows.add(row(request(m, p, "Authorization: Bearer " + TOKEN), valid));
      rows.add(row(request(m, p, "Authorization: bearer   " + TOKEN), valid));
    }
    // The health routes stay open, whatever the token.
    for (String path : List.of("/health", "/health/live", "/health/ready")) {
      rows.add(
          row(
              new Request("GET", path, List.of(), new byte[0]),
              new Answer(200, null, null, false)));
      rows.add(
          row(
              request("GET", path, "Authorization: Bearer wrong"),
              new Answer(200, null, null, false)));
    }
    rows.add(
        row(
            request("GET", "/health", "Authorization: Bearer " + TOKEN),
            new Answer(200, null, null, false)));
    // Unknown routes: 401 without the token (nothing is revealed), 404 with it.
    for (String path :
        List.of(
            "/nope",
            "/api",
            "/api/connections/a/b",
            "/v1/broadcast/x",
            "/health/x",
            "/.env",
            "/api/connections/../../etc")) {
      rows.add(
          row(
              new Request("GET", path, List.of(), new byte[0]),
              error(401, "unauthorized", MISSING)));
    }
    for (String path :
        List.of("/nope", "/api", "/api/connections/a/b", "/v1/broadcast/x", "/health/x", "/.env")) {
      rows.add(
          row(
              authorized("GET", path, new byte[0]),
              error(404, "not_found", "no such route: GET " + path)));
    }
    // Wrong methods.
    for (String[] route :
        new String[][] {
          {"POST", "/api/connections"},
          {"PUT", "/v1/broadcast"},
          {"GET", "/v1/broadcast"},
          {"DELETE", "/api/channels/room"},
          {"DELETE", "/api/connections"},
          {"PUT", "/api/connections/ws_0_0"},
          {"POST", "/metrics"},
          {"PATCH", "/api/plugins"},
          {"POST", "/health"},
        }) {
      rows.add(
          row(
              authorized(route[0], route[1], new byte[0]),
              error(
                  405, "method_not_allowed", "method not allowed: " + route[0] + " " + route[1])));
    }
    rows.add(
        row(
            new Request("PUT", "/v1/broadcast", List.of(), new byte[0]),
            error(401, "unauthorized", MISSING)));
    rows.add(
        row(
            new Request("DELETE", "/health/live", List.of(), new byte[0]),
            error(405, "method_not_allowed", "method not allowed: DELETE /health/live")));
    rows.add(
        row(
            new Request("POST", "/health", List.of(), new byte[0]),
            error(405, "method_not_allowed", "method not allowed: POST /health")));
    // Media types: JSON only, read in memory.
    String broadcast = "{\"channel\":\"nobody-here\",\"type\":\"T\",\"data\":1}";
    for (String[] type :
        new String[][] {
          {"text/plain", "text/plain"},
          {"application/x-www-form-urlencoded", "application/x-www-form-urlencoded"},
          {"multipart/form-data; boundary=XyZ", "multipart/form-data"},
          {"application/json-patch+json", "application/json-patch+json"},
          {"application/jsonx", "application/jsonx"},
          {"text/json", "text/json"},
          {"json", "json"},
          {"application/octet-stream", "application/octet-stream"},
        }) {
      rows.add(
          row(
              authorized("POST", "/v1/broadcast", bytes(broadcast), "Content-Type: " + type[0]),
              error(
                  415,
                  "unsupported_media_type",
                  "Content-Type '"
                      + type[1]
                      + "' is not accepted; the body must be application/json")));
    }
    rows.add(
        row(
            authorized(
                "POST",
                "/v1/broadcast",
                bytes(multipart()),
                "Content-Type: multipart/form-data; boundary=XyZ"),
            error(
                415,
                "unsupported_media_type",
                "Content-Type 'multipart/form-data' is not accepted; the body must be"
                    + " application/json")));
    for (String type :
        List.of(
            "application/json",
            "APPLICATION/JSON",
            "application/json; charset=utf-8",
            "application/json;charset=UTF-8")) {
      rows.add(
          row(
              authorized("POST", "/v1/broadcast", bytes(broadcast), "Content-Type: " + type),
              delivered()));
    }
    rows.add(row(authorized("POST", "/v1/broadcast", bytes(broadcast)), delivered()));
    // Sizes: at most 64 KiB.
    rows.add(
        row(authorized("POST", "/v1/broadcast", bytes(paddedBroadcast(64 * 1024))), delivered()));
    rows.add(
        row(
            authorized("POST", "/v1/broadcast", bytes(paddedBroadcast(64 * 1024 + 1))),
            error(413, "message_too_large", "request body is too large")));
    rows.add(
        row(
            authorized("POST", "/v1/broadcast", new byte[0], "Content-Length: 100000000"),
            error(413, "message_too_large", "request body is too large")));
    rows.add(
        row(
            authorized(
                "POST",
                "/v1/broadcast",
                bytes(chunked(paddedBroadcast(70 * 1024))),
                "Transfer-Encoding: chunked"),
            error(413, "message_too_large", "request body is too large")));
    // The body's shape.
    rows.add(
        row(
            authorized("POST", "/v1/broadcast", new byte[0]),
            error(400, "bad_request", "the request body is required: a JSON object")));
    rows.add(
        row(
            authorized("POST", "/v1/broadcast", bytes("hello")),
            errorStarting(
                400,
                "bad_request",
                "the request body is not valid JSON: Unrecognized token 'hello'")));
    rows.add(
        row(
            authorized("POST", "/v1/broadcast", bytes("{\"type\":")),
            errorStarting(400, "bad_request", "the request body is not valid JSON: ")));
    rows.add(
        row(
            authorized("POST", "/v1/broadcast", bytes("[1]")),
            error(400, "bad_request", "the broadcast must be a JSON object, was an array")));
    rows.add(
        row(
            authorized("POST", "/v1/broadcast", bytes("null")),
            error(400, "bad_request", "the broadcast must be a JSON object, was null")));
    rows.add(
        row(
            authorized("POST", "/v1/broadcast", bytes("42")),
            error(400, "bad_request", "the broadcast must be a JSON object, was a number")));
    rows.add(
        row(
            authorized("POST", "/v1/broadcast", bytes("\"x\"")),
            error(400, "bad_request", "the broadcast must be a JSON object, was a string")));
    for (Object[] field : broadcastFields()) {
      rows.add(
          row(
              authorized("POST", "/v1/broadcast", bytes(((JsonObject) field[0]).encode())),
              (Answer) field[1]));
    }
    // Paging parameters.
    for (String[] paged : PAGED) {
      String path = paged[0];
      String kind = paged[1];
      String other = kind.equals("channel") ? "connection" : "channel";
      for (String limit :
          List.of("0", "-1", "1001", "abc", "1.5", "", "%205", "1e2", "99999999999")) {
        String shown = limit.replace("%20", " ");
        rows.add(
            row(authorized("GET", path + "?limit=" + limit, new byte[0]), limitRefused(shown)));
      }
      rows.add(row(authorized("GET", path + "?limit=1&limit=2", new byte[0]), limitRefused("1,2")));
      Answer listed =
          path.endsWith("nobody-here")
              ? error(404, "channel_not_found", "channel 'nobody-here' does not exist")
              : new Answer(200, null, null, false);
      for (String limit : List.of("1", "1000", "%2B5")) {
        rows.add(row(authorized("GET", path + "?limit=" + limit, new byte[0]), listed));
      }
      rows.add(row(authorized("GET", path + "?cursor=" + cursor(kind, "a"), new byte[0]), listed));
      for (String cursor :
          List.of(
              "garbage!",
              "",
              cursor(other, "a"),
              cursor(kind, ""),
              Base64.getUrlEncoder().encodeToString(bytes(kind + "-a")))) {
        rows.add(
            row(
                authorized("GET", path + "?cursor=" + cursor, new byte[0]),
                cursorRefused(kind, cursor)));
      }
      rows.add(
          row(
              authorized(
                  "GET",
                  path + "?cursor=" + cursor(kind, "a") + "&cursor=" + cursor(kind, "b"),
                  new byte[0]),
              cursorRefused(kind, cursor(kind, "a") + "," + cursor(kind, "b"))));
    }
    // Requests too large to read: answered in the same form.
    rows.add(
        row(
            authorized("GET", "/api/connections/" + "c".repeat(5000), new byte[0]),
            error(414, "bad_request", "the request line is longer than 4096 bytes")));
    rows.add(
        row(
            authorized("GET", "/api/connections", new byte[0], "X-Pad: " + "p".repeat(9000)),
            error(431, "bad_request", "the request headers are larger than 8192 bytes")));
    return rows.stream();
  }

  /** Each field of a broadcast wrong in turn, and the answer. */
  private static List<Object[]> broadcastFields() {
    List<Object[]> fields = new ArrayList<>();
    JsonObject valid =
        new JsonObject().put("channel", "nobody-here").put("type", "T").put("data", 1);
    fields.add(
        field(without(valid, "type"), error(400, "bad_request", "field 'type' is required")));
    fields.add(
        field(valid.copy().putNull("type"), error(400, "bad_request", "field 'type' is required")));
    fields.add(
        field(
            valid.copy().put("type", 5),
            error(400, "bad_request", "field 'type' must be a string, was a number")));
    fields.add(
        field(
            valid.copy().put("type", new JsonArray()),
            error(400, "bad_request", "field 'type' must be a string, was an array")));
    fields.add(
        field(
            valid.copy().put("type", ""),
            error(400, "bad_request", "field 'type' must be 1 to 100 characters, was ''")));
    fields.add(
        field(
            valid.copy().put("type", "t".repeat(101)),
            error(
                400,
                "bad_request",
                "field 'type' must be 1 to 100 characters, was '"
                    + "t".repeat(40)
                    + "…' (101 characters)")));
    fields.add(field(valid.copy().put("type", "t".repeat(100)), delivered()));
    fields.add(
        field(without(valid, "data"), error(400, "bad_request", "field 'data' is required")));
    fields.add(field(valid.copy().putNull("data"), delivered()));
    fields.add(
        field(
            without(valid, "channel"),
            error(
                400,
                "bad_request",
                "a broadcast needs at least one target: channel, userId or organizationId")));
    fields.add(
        field(
            valid.copy().putNull("channel"),
            error(
                400,
                "bad_request",
                "a broadcast needs at least one target: channel, userId or organizationId")));
    fields.add(
        field(
            valid.copy().put("channel", 5),
            error(400, "bad_request", "field 'channel' must be a string, was a number")));
    fields.add(
        field(
            valid.copy().put("channel", ""),
            error(400, "bad_request", "field 'channel' must not be empty")));
    fields.add(
        field(
            valid.copy().put("channel", "bad channel"),
            error(
                400,
                "bad_request",
                "field 'channel' may only contain A-Z a-z 0-9 _ : . @ $ -, found U+0020 at index 3")));
    fields.add(
        field(
            valid.copy().put("channel", "c".repeat(201)),
            error(
                400,
                "bad_request",
                "field 'channel' must be at most 200 characters, was '"
                    + "c".repeat(40)
                    + "…' (201 characters)")));
    fields.add(
        field(
            valid.copy().put("channel", "$telemetry"),
            error(
                403,
                "forbidden",
                "broadcasts may not target '$' channels; '$telemetry' belongs to the server")));
    fields.add(
        field(
            valid.copy().put("channel", "$other"),
            error(
                403,
                "forbidden",
                "broadcasts may not target '$' channels; '$other' belongs to the server")));
    for (String target : List.of("userId", "organizationId")) {
      JsonObject to = without(valid, "channel");
      fields.add(field(to.copy().put(target, "someone"), delivered()));
      fields.add(
          field(
              to.copy().put(target, 5),
              error(400, "bad_request", "field '" + target + "' must be a string, was a number")));
      fields.add(
          field(
              to.copy().put(target, true),
              error(400, "bad_request", "field '" + target + "' must be a string, was a boolean")));
      fields.add(
          field(
              to.copy().put(target, ""),
              error(
                  400,
                  "bad_request",
                  "field '" + target + "' must be 1 to 200 characters, was ''")));
      fields.add(
          field(
              to.copy().put(target, "u".repeat(201)),
              error(
                  400,
                  "bad_request",
                  "field '"
                      + target
                      + "' must be 1 to 200 characters, was '"
                      + "u".repeat(40)
                      + "…' (201 characters)")));
    }
    fields.add(field(valid.copy().put("extra", new JsonObject().put("x", 1)), delivered()));
    return fields;
  }

  @ParameterizedTest(name = "[{index}] {0} -> {1}")
  @MethodSource("requests")
  void everyAdminRequestGetsItsExactAnswer(Request request, Answer expected) throws IOException {
    Path uploads = Path.of("file-uploads");
    boolean uploadsBefore = Files.exists(uploads);
    int port = server.adminPort();
    byte[] head = request.head(port).getBytes(StandardCharsets.ISO_8859_1);
    byte[] whole = new byte[head.length + request.body().length];
    System.arraycopy(head, 0, whole, 0, head.length);
    System.arraycopy(request.body(), 0, whole, head.length, request.body().length);

    HttpUpgrade.Answer answer =
        HttpUpgrade.send(port, new String(whole, StandardCharsets.ISO_8859_1));

    assertThat(answer.status()).as("status of %s", answer).isEqualTo(expected.status());
    if (expected.code() != null) {
      assertThat(answer.header("Content-Type")).isEqualTo("application/json");
      JsonObject error = answer.error();
      assertThat(error.getString("code")).isEqualTo(expected.code());
      if (expected.prefix()) {
        assertThat(error.getString("message")).startsWith(expected.message());
      } else {
        assertThat(error.getString("message")).isEqualTo(expected.message());
      }
      if (expected.status() == 401) {
        assertThat(answer.header("WWW-Authenticate"))
            .isEqualTo("Bearer realm=\"switchboard-admin\"");
      }
    }
    if (expected.status() == 200 && request.target().startsWith("/v1/broadcast")) {
      assertThat(new JsonObject(answer.body()))
          .isEqualTo(new JsonObject().put("success", true).put("delivered", 0));
    }
    if (expected.status() == 200 && request.target().equals("/health")) {
      boolean authorized = request.headers().contains("Authorization: Bearer " + TOKEN);
      assertThat(new JsonObject(answer.body()).fieldNames())
          .as("what /health shows")
          .isEqualTo(
              authorized
                  ? java.util.Set.of(
                      "status", "version", "services", "cluster", "uptimeMs", "timestamp")
                  : java.util.Set.of("status"));
    }
    assertThat(Files.exists(uploads)).as("an uploads folder").isEqualTo(uploadsBefore);
    rowDone();
  }

  private static Arguments row(Request request, Answer answer) {
    return Arguments.of(request, answer);
  }

  private static Request request(String method, String path, String... headers) {
    return new Request(method, path, List.of(headers), new byte[0]);
  }

  private static Request authorized(String method, String target, byte[] body, String... headers) {
    List<String> all = new ArrayList<>();
    all.add("Authorization: Bearer " + TOKEN);
    all.addAll(List.of(headers));
    return new Request(method, target, all, body);
  }

  private static Answer error(int status, String code, String message) {
    return new Answer(status, code, message, false);
  }

  private static Answer errorStarting(int status, String code, String start) {
    return new Answer(status, code, start, true);
  }

  private static Answer delivered() {
    return new Answer(200, null, null, false);
  }

  private static Answer limitRefused(String shown) {
    return error(
        400,
        "bad_request",
        "query parameter 'limit' must be a whole number from 1 to 1000 (default 100), was '"
            + shown
            + "'");
  }

  private static Answer cursorRefused(String kind, String cursor) {
    return error(
        400,
        "bad_request",
        "query parameter 'cursor' must be the 'next' value of a previous page of this "
            + kind
            + " listing, was '"
            + cursor
            + "'");
  }

  /** A cursor as the server hands them out: the kind and the last key, in base64url. */
  private static String cursor(String kind, String key) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes(kind + "|" + key));
  }

  private static Object[] field(JsonObject body, Answer answer) {
    return new Object[] {body, answer};
  }

  private static JsonObject without(JsonObject json, String field) {
    JsonObject copy = json.copy();
    copy.remove(field);
    return copy;
  }

  /** A valid broadcast of exactly {@code bytes} bytes. */
  private static String paddedBroadcast(int bytes) {
    String head = "{\"channel\":\"nobody-here\",\"type\":\"T\",\"data\":\"";
    return head + "d".repeat(bytes - head.length() - 2) + "\"}";
  }

  private static String multipart() {
    return "--XyZ\r\n"
        + "Content-Disposition: form-data; name=\"file\"; filename=\"upload.bin\"\r\n"
        + "Content-Type: application/octet-stream\r\n\r\n"
        + "x".repeat(10_000)
        + "\r\n--XyZ--\r\n";
  }

  private static String chunked(String body) {
    StringBuilder chunks = new StringBuilder();
    for (int i = 0; i < body.length(); i += 8192) {
      String chunk = body.substring(i, Math.min(body.length(), i + 8192));
      chunks
          .append(Integer.toHexString(chunk.length()))
          .append("\r\n")
          .append(chunk)
          .append("\r\n");
    }
    return chunks.append("0\r\n\r\n").toString();
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}

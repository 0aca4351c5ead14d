package io.switchboard.server.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.protocol.FrameCodec;
import io.switchboard.protocol.Protocol;
import io.switchboard.protocol.ProtocolException;
import io.switchboard.server.testing.WsClient;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every field of every client frame, missing, of the wrong JSON type, empty, too long or with
 * characters it may not hold; frames that are not objects; types that are unknown or the server's.
 * Each row is one frame on a fresh connection (after the frames of its set-up, if any) and its
 * exact answer: the error's code, message and echoed id, or the answer of an accepted frame. Then
 * the same connection must answer a ping.
 */
class ProtocolIT extends HostileServerBase {

  private static final String ALLOWED = "A-Z a-z 0-9 _ : . @ $ -";
  private static final String LONG = "c".repeat(201);

  /** The types that carry a channel, by the name the answer uses for them. */
  private static final List<Map.Entry<String, String>> CHANNEL_TYPES =
      List.of(
          Map.entry("join", "join"),
          Map.entry("subscribe", "join"),
          Map.entry("JOIN_CHANNEL", "join"),
          Map.entry("leave", "leave"),
          Map.entry("unsubscribe", "leave"),
          Map.entry("LEAVE_CHANNEL", "leave"),
          Map.entry("publish", "publish"));

  /**
   * An expected answer: an error (code and message, or its start when {@code prefix}) or a frame of
   * {@code type}.
   */
  record Answer(String type, String code, String message, boolean prefix, String id) {
    @Override
    public String toString() {
      return code == null ? type : code;
    }
  }

  static Stream<Arguments> frames() {
    List<Arguments> rows = new ArrayList<>();
    // Not a JSON object (strict JSON itself is BadInputIT's: a few rows here as smoke).
    rows.add(bad("[]", "frame must be a JSON object, was an array"));
    rows.add(bad("\"ping\"", "frame must be a JSON object, was a string"));
    rows.add(bad("42", "frame must be a JSON object, was a number"));
    rows.add(bad("true", "frame must be a JSON object, was a boolean"));
    rows.add(bad("null", "frame must be a JSON object, was null"));
    rows.add(badStarting("{'type':'ping'}", "frame is not valid JSON: "));
    rows.add(badStarting("{type:\"ping\"}", "frame is not valid JSON: "));
    rows.add(badStarting("{\"type\":\"ping\",}", "frame is not valid JSON: "));
    // type.
    rows.add(bad("{\"id\":\"t1\"}", "field 'type' is required", "t1"));
    rows.add(bad("{\"type\":null,\"id\":\"t2\"}", "field 'type' must be a string, was null", "t2"));
    rows.add(bad("{\"type\":5}", "field 'type' must be a string, was a number"));
    rows.add(bad("{\"type\":true}", "field 'type' must be a string, was a boolean"));
    rows.add(bad("{\"type\":{\"name\":\"ping\"}}", "field 'type' must be a string, was an object"));
    rows.add(bad("{\"type\":[\"ping\"]}", "field 'type' must be a string, was an array"));
    rows.add(bad("{\"type\":\"\",\"id\":\"t3\"}", "field 'type' must not be empty", "t3"));
    for (String type :
        List.of(
            " ping",
            "ping ",
            "PING",
            "Ping",
            "Publish",
            "JOIN",
            "join_channel",
            "\u0000",
            "\u00e9")) {
      rows.add(unknown(type));
    }
    rows.add(
        row(
            "{\"type\":\"" + "t".repeat(1000) + "\",\"id\":\"t4\"}",
            error(
                "unknown_type",
                "unknown message type '"
                    + "t".repeat(40)
                    + "…'; clients may send ping, join, leave, publish and the types of loaded"
                    + " plugins",
                "t4")));
    for (String type :
        List.of(
            "welcome",
            "pong",
            "subscription_confirmed",
            "left",
            "message",
            "ack",
            "error",
            "ERROR",
            "metrics_update",
            "server_shutdown",
            "token_expiring",
            "refreshed")) {
      rows.add(
          row(
              new JsonObject().put("type", type).put("id", "s").encode(),
              error(
                  "bad_request",
                  "message type '" + type + "' is sent by the server only; clients may not send it",
                  "s")));
    }
    // id: a string of at most 64 characters, echoed by every answer.
    rows.add(bad("{\"type\":\"ping\",\"id\":5}", "field 'id' must be a string, was a number"));
    rows.add(bad("{\"type\":\"ping\",\"id\":true}", "field 'id' must be a string, was a boolean"));
    rows.add(bad("{\"type\":\"ping\",\"id\":{}}", "field 'id' must be a string, was an object"));
    rows.add(
        bad(
            "{\"type\":\"join\",\"id\":[\"a\"],\"channel\":\"x\"}",
            "field 'id' must be a string, was an array"));
    rows.add(
        bad(
            "{\"type\":\"publish\",\"id\":\""
                + "i".repeat(65)
                + "\",\"channel\":\"chat:x\",\"data\":1}",
            "field 'id' must be at most 64 characters, was '"
                + "i".repeat(40)
                + "…' (65 characters)"));
    rows.add(row("{\"type\":\"ping\",\"id\":null}", answer("pong", null)));
    rows.add(row("{\"type\":\"ping\",\"id\":\"\"}", answer("pong", "")));
    rows.add(
        row(
            "{\"type\":\"ping\",\"id\":\"" + "i".repeat(64) + "\"}",
            answer("pong", "i".repeat(64))));
    rows.add(
        row(
            "{\"type\":\"ping\",\"id\":\"" + "\u00e9".repeat(64) + "\"}",
            answer("pong", "\u00e9".repeat(64))));
    rows.add(row("{\"type\":\"ping\",\"id\":\"a b/c\\\"d\"}", answer("pong", "a b/c\"d")));
    // channel, for every type that carries one.
    for (Map.Entry<String, String> entry : CHANNEL_TYPES) {
      String type = entry.getKey();
      String named = entry.getValue();
      String data = named.equals("publish") ? ",\"data\":1" : "";
      String head = "{\"type\":\"" + type + "\",\"id\":\"c\"" + data;
      rows.add(
          row(
              head + "}",
              error("bad_request", "field 'channel' is required for type '" + named + "'", "c")));
      rows.add(
          row(
              head + ",\"channel\":null}",
              error("bad_request", "field 'channel' is required for type '" + named + "'", "c")));
      rows.add(
          row(
              head + ",\"channel\":7}",
              error("bad_request", "field 'channel' must be a string, was a number", "c")));
      rows.add(
          row(
              head + ",\"channel\":false}",
              error("bad_request", "field 'channel' must be a string, was a boolean", "c")));
      rows.add(
          row(
              head + ",\"channel\":{\"name\":\"x\"}}",
              error("bad_request", "field 'channel' must be a string, was an object", "c")));
      rows.add(
          row(
              head + ",\"channel\":[\"x\"]}",
              error("bad_request", "field 'channel' must be a string, was an array", "c")));
      rows.add(
          row(
              head + ",\"channel\":\"\"}",
              error("bad_request", "field 'channel' must not be empty", "c")));
      rows.add(
          row(
              head + ",\"channel\":\"" + LONG + "\"}",
              error(
                  "bad_request",
                  "field 'channel' must be at most 200 characters, was '"
                      + "c".repeat(40)
                      + "…' (201 characters)",
                  "c")));
      for (String[] invalid :
          new String[][] {
            {"has space", "U+0020", "3"},
            {"a/b", "'/'", "1"},
            {"a#b", "'#'", "1"},
            {"chat:*", "'*'", "5"},
            {"\u00e9t\u00e9", "'\u00e9'", "0"},
            {"a\\tb", "U+0009", "1"},
            {"a\\u0000", "U+0000", "1"},
            {"x\uD83D\uDE00", "U+D83D", "1"},
          }) {
        rows.add(
            row(
                head + ",\"channel\":\"" + invalid[0] + "\"}",
                error(
                    "bad_request",
                    "field 'channel' may only contain "
                        + ALLOWED
                        + ", found "
                        + invalid[1]
                        + " at index "
                        + invalid[2],
                    "c")));
      }
    }
    rows.add(
        row(
            "{\"type\":\"ping\",\"channel\":\"a b\"}",
            error(
                "bad_request",
                "field 'channel' may only contain " + ALLOWED + ", found U+0020 at index 1",
                null)));
    rows.add(row("{\"type\":\"ping\",\"channel\":\"chat:x\"}", answer("pong", null)));
    rows.add(
        row(
            "{\"type\":\"join\",\"id\":\"j\",\"channel\":\"" + "c".repeat(200) + "\"}",
            answer("subscription_confirmed", "j")));
    rows.add(
        row(
            "{\"type\":\"subscribe\",\"id\":\"j\",\"channel\":\"a-Z_0.9@x.y\"}",
            answer("subscription_confirmed", "j")));
    // Joining and leaving, in order.
    rows.add(
        row(
            "{\"type\":\"leave\",\"id\":\"l\",\"channel\":\"room\"}",
            error("not_subscribed", "not subscribed to channel 'room'; join it first", "l")));
    rows.add(
        after(
            List.of(
                "{\"type\":\"join\",\"channel\":\"room\"}",
                "{\"type\":\"leave\",\"channel\":\"room\"}"),
            "{\"type\":\"unsubscribe\",\"id\":\"l\",\"channel\":\"room\"}",
            error("not_subscribed", "not subscribed to channel 'room'; join it first", "l")));
    rows.add(
        after(
            List.of("{\"type\":\"JOIN_CHANNEL\",\"channel\":\"room\"}"),
            "{\"type\":\"subscribe\",\"id\":\"j\",\"channel\":\"room\"}",
            error("already_subscribed", "already subscribed to channel 'room'", "j")));
    rows.add(
        after(
            List.of("{\"type\":\"join\",\"channel\":\"room\"}"),
            "{\"type\":\"LEAVE_CHANNEL\",\"id\":\"l\",\"channel\":\"room\"}",
            answer("left", "l")));
    // data.
    rows.add(
        row(
            "{\"type\":\"publish\",\"id\":\"p\",\"channel\":\"chat:x\"}",
            error("bad_request", "field 'data' is required for type 'publish'", "p")));
    for (String data :
        List.of(
            "null", "0", "\"\"", "[]", "{}", "false", "{\"deep\":{\"er\":[1,2,{\"x\":null}]}}")) {
      rows.add(
          after(
              List.of("{\"type\":\"join\",\"channel\":\"chat:x\"}"),
              "{\"type\":\"publish\",\"id\":\"p\",\"channel\":\"chat:x\",\"data\":" + data + "}",
              answer("message", null)));
    }
    rows.add(
        row(
            "{\"type\":\"refresh\",\"id\":\"r\"}",
            error("bad_request", "field 'data.token' is required for type 'refresh'", "r")));
    rows.add(
        row(
            "{\"type\":\"refresh\",\"id\":\"r\",\"data\":\"t\"}",
            error("bad_request", "field 'data' must be an object, was a string", "r")));
    rows.add(
        row(
            "{\"type\":\"refresh\",\"id\":\"r\",\"data\":{\"token\":[]}}",
            error(
                "bad_request",
                "field 'data.token' must be a non-empty string, was an array",
                "r")));
    rows.add(
        row(
            "{\"type\":\"refresh\",\"id\":\"r\",\"data\":{\"token\":\"a.b.c\"}}",
            error(
                "unauthorized",
                "refresh is only for connections authenticated with a token",
                "r")));
    // The other envelope fields, where a client sends them.
    rows.add(
        row(
            "{\"type\":\"ping\",\"id\":\"e\",\"ts\":5}",
            error("bad_request", "field 'ts' must be a string, was a number", "e")));
    rows.add(
        row(
            "{\"type\":\"ping\",\"id\":\"e\",\"offset\":\"1\"}",
            error("bad_request", "field 'offset' must be a number, was a string", "e")));
    rows.add(
        row(
            "{\"type\":\"ping\",\"id\":\"e\",\"epoch\":1}",
            error("bad_request", "field 'epoch' must be a string, was a number", "e")));
    rows.add(
        row(
            "{\"type\":\"ping\",\"id\":\"e\",\"error\":\"boom\"}",
            error("bad_request", "field 'error' must be an object, was a string", "e")));
    rows.add(
        row(
            "{\"type\":\"ping\",\"id\":\"e\",\"timestamp\":5,\"extra\":{\"x\":1}}",
            answer("pong", "e")));
    rows.add(
        row(
            "{\"type\":\"ping\",\"id\":\"e\",\"ts\":\"not a time\",\"offset\":3,\"epoch\":\"x\"}",
            answer("pong", "e")));
    return rows.stream();
  }

  @ParameterizedTest(name = "[{index}] {1} -> {2}")
  @MethodSource("frames")
  void everyFieldOfEveryFrameGetsItsExactAnswer(List<String> setup, String frame, Answer expected) {
    WsClient client = track(connect());
    for (String before : setup) {
      assertThat(client.sendText(before).next().getString("type"))
          .as("answer to the set-up %s", before)
          .isNotEqualTo("error");
    }

    JsonObject answer = client.sendText(frame).next();
    if (expected.type().equals("message") && answer.getString("type").equals("ack")) {
      // The ack and the delivery to the publisher itself travel apart: either may come first.
      assertThat(answer.getString("id")).isEqualTo("p");
      answer = client.next();
    } else if (expected.type().equals("message")) {
      assertThat(client.next("ack").getString("id")).isEqualTo("p");
    }

    assertThat(answer.getString("type")).as("answer %s", answer).isEqualTo(expected.type());
    assertThat(answer.getString("id")).as("echoed id").isEqualTo(expected.id());
    assertThat(answer.containsKey("id")).as("id present").isEqualTo(expected.id() != null);
    if (expected.code() != null) {
      assertThat(answer.getJsonObject("error").getString("code")).isEqualTo(expected.code());
      if (expected.prefix()) {
        assertThat(answer.getJsonObject("error").getString("message"))
            .startsWith(expected.message());
      } else {
        assertThat(answer.getJsonObject("error").getString("message"))
            .isEqualTo(expected.message());
      }
      assertThat(answer.getJsonObject("error").getBoolean("retryable")).isFalse();
      if (expected.code().equals("unauthorized")) {
        assertThat(answer.containsKey("data")).as("a refused token is never echoed").isFalse();
      } else {
        assertThat(answer.getJsonObject("data").getValue("originalMessage"))
            .as("the frame is echoed")
            .isEqualTo(echoOf(frame));
      }
    }
    JsonObject pong = client.request(new JsonObject().put("type", "ping").put("id", "after"));
    assertThat(pong.getString("type")).as("still answering: %s", pong).isEqualTo("pong");
    assertThat(pong.getString("id")).isEqualTo("after");
    rowDone();
  }

  private static Arguments row(String frame, Answer expected) {
    return after(List.of(), frame, expected);
  }

  private static Arguments after(List<String> setup, String frame, Answer expected) {
    return Arguments.of(setup, frame, expected);
  }

  private static Arguments bad(String frame, String message) {
    return row(frame, error("bad_request", message, null));
  }

  private static Arguments bad(String frame, String message, String id) {
    return row(frame, error("bad_request", message, id));
  }

  private static Arguments badStarting(String frame, String start) {
    return row(frame, new Answer("error", "bad_request", start, true, null));
  }

  private static Arguments unknown(String type) {
    return row(
        new JsonObject().put("type", type).put("id", "u").encode(),
        error(
            "unknown_type",
            "unknown message type '"
                + type
                + "'; clients may send ping, join, leave, publish and the types of loaded plugins",
            "u"));
  }

  private static Answer error(String code, String message, String id) {
    return new Answer("error", code, message, false, id);
  }

  private static Answer answer(String type, String id) {
    return new Answer(type, null, null, false, id);
  }

  /**
   * What the server echoes of a refused frame: the object the protocol's parser read from it, or
   * else its text, cut to {@link Protocol#MAX_ORIGINAL_MESSAGE_CHARS}.
   */
  private static Object echoOf(String frame) {
    if (frame.length() > Protocol.MAX_ORIGINAL_MESSAGE_CHARS) {
      return frame.substring(0, Protocol.MAX_ORIGINAL_MESSAGE_CHARS);
    }
    try {
      Object decoded = FrameCodec.parse(frame);
      return decoded instanceof JsonObject ? decoded : frame;
    } catch (ProtocolException notJson) {
      return frame;
    }
  }
}

package io.switchboard.server.connection;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.protocol.FrameCodec;
import io.switchboard.protocol.Protocol;
import io.switchboard.protocol.ProtocolException;
import io.switchboard.server.testing.RawWebSocket;
import io.switchboard.server.testing.ServerTestBase;
import io.switchboard.server.testing.WsClient;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every bad input gets the PROTOCOL.md answer, and the connection (and every other one) carries on.
 * The table below is the specification: frame sent, code expected, message expected, and the id
 * echoed when the frame had a valid one.
 */
class BadInputIT extends ServerTestBase {

  private static final String LONG_CHANNEL = "a".repeat(201);
  private static final String LONG_ID = "x".repeat(65);
  private static final String PUBLISH_DATA = "{\"type\":\"publish\",\"channel\":\"x\",\"data\":";

  static Stream<Arguments> badFrames() {
    return Stream.of(
        bad(
            "hello",
            "bad_request",
            "frame is not valid JSON: Unrecognized token 'hello': was expecting (JSON String,"
                + " Number, Array, Object or token 'null', 'true' or 'false') at line 1, column 6",
            null),
        bad(
            "{\"type\":",
            "bad_request",
            "frame is not valid JSON: Unexpected end-of-input within/between Object entries at line"
                + " 1, column 9",
            null),
        // Frames are strict JSON (RFC 8259).
        bad(
            "{\"type\":\"ping\" /* hi */}",
            "bad_request",
            "frame is not valid JSON: comments are not allowed at line 1, column 16",
            null),
        bad(
            "{\"type\":\"ping\" // hi\n}",
            "bad_request",
            "frame is not valid JSON: comments are not allowed at line 1, column 16",
            null),
        bad(
            "# hi\n{\"type\":\"ping\"}",
            "bad_request",
            "frame is not valid JSON: comments are not allowed at line 1, column 1",
            null),
        bad(
            "{'type':'ping'}",
            "bad_request",
            "frame is not valid JSON: Unexpected character (''' (code 39)): was expecting"
                + " double-quote to start field name at line 1, column 2",
            null),
        bad(
            "{\"type\":'ping'}",
            "bad_request",
            "frame is not valid JSON: Unexpected character (''' (code 39)): expected a valid value"
                + " (JSON String, Number, Array, Object or token 'null', 'true' or 'false') at line 1,"
                + " column 9",
            null),
        bad(
            "{type:\"ping\"}",
            "bad_request",
            "frame is not valid JSON: Unexpected character ('t' (code 116)): was expecting"
                + " double-quote to start field name at line 1, column 2",
            null),
        bad(
            "{\"type\":\"ping\",}",
            "bad_request",
            "frame is not valid JSON: Unexpected character ('}' (code 125)): was expecting"
                + " double-quote to start field name at line 1, column 16",
            null),
        bad(
            PUBLISH_DATA + "[1,2,]}",
            "bad_request",
            "frame is not valid JSON: Unexpected character (']' (code 93)): expected a valid value"
                + " (JSON String, Number, Array, Object or token 'null', 'true' or 'false') at line 1,"
                + " column 45",
            null),
        bad(
            PUBLISH_DATA + "NaN}",
            "bad_request",
            "frame is not valid JSON: Non-standard token 'NaN' at line 1, column 43",
            null),
        bad(
            PUBLISH_DATA + "-Infinity}",
            "bad_request",
            "frame is not valid JSON: Non-standard token '-Infinity' at line 1, column 49",
            null),
        bad(
            PUBLISH_DATA + "007}",
            "bad_request",
            "frame is not valid JSON: Invalid numeric value: Leading zeroes not allowed at line 1,"
                + " column 41",
            null),
        bad(
            PUBLISH_DATA + "[1.5e308,1e309]}",
            "bad_request",
            "frame is not valid JSON: number 1e309 is beyond the range of a 64-bit floating-point"
                + " number at line 1, column 49",
            null),
        bad(
            "{\"type\":\"ping\"} x",
            "bad_request",
            "frame is not valid JSON: unexpected content after the JSON value at line 1, column 18",
            null),
        bad(
            "{\"type\":\"ping\",\"id\":\"p1\"}{\"type\":\"ping\",\"id\":\"p2\"}",
            "bad_request",
            "frame is not valid JSON: unexpected content after the JSON value at line 1, column 26",
            null),
        bad(
            "{\"type\":\"join\",\"type\":\"leave\"}",
            "bad_request",
            "frame is not valid JSON: Duplicate field 'type' at line 1, column 22",
            null),
        bad(
            PUBLISH_DATA + "{\"k\":1,\"k\":1}}",
            "bad_request",
            "frame is not valid JSON: Duplicate field 'k' at line 1, column 50",
            null),
        bad(
            PUBLISH_DATA + nested(64) + "}",
            "bad_request",
            "frame is not valid JSON: objects and arrays nest deeper than 64 levels at line 1,"
                + " column 104",
            null),
        bad("[1,2]", "bad_request", "frame must be a JSON object, was an array", null),
        bad("\"text\"", "bad_request", "frame must be a JSON object, was a string", null),
        bad("42", "bad_request", "frame must be a JSON object, was a number", null),
        bad("null", "bad_request", "frame must be a JSON object, was null", null),
        bad("{}", "bad_request", "field 'type' is required", null),
        bad("{\"id\":\"m1\"}", "bad_request", "field 'type' is required", "m1"),
        bad(
            "{\"type\":5,\"id\":\"m2\"}",
            "bad_request",
            "field 'type' must be a string, was a number",
            "m2"),
        bad("{\"type\":null}", "bad_request", "field 'type' must be a string, was null", null),
        bad("{\"type\":\"\"}", "bad_request", "field 'type' must not be empty", null),
        bad(
            "{\"type\":\"dance\",\"id\":\"m3\"}",
            "unknown_type",
            "unknown message type 'dance'; clients may send ping, join, leave, publish and the types"
                + " of loaded plugins",
            "m3"),
        bad(
            "{\"type\":\"Join\"}",
            "unknown_type",
            "unknown message type 'Join'; clients may send ping, join, leave, publish and the types"
                + " of loaded plugins",
            null),
        bad(
            "{\"type\":\"welcome\"}",
            "bad_request",
            "message type 'welcome' is sent by the server only; clients may not send it",
            null),
        bad(
            "{\"type\":\"join\",\"id\":\"m4\"}",
            "bad_request",
            "field 'channel' is required for type 'join'",
            "m4"),
        bad(
            "{\"type\":\"JOIN_CHANNEL\"}",
            "bad_request",
            "field 'channel' is required for type 'join'",
            null),
        bad(
            "{\"type\":\"join\",\"channel\":\"\"}",
            "bad_request",
            "field 'channel' must not be empty",
            null),
        bad(
            "{\"type\":\"join\",\"channel\":\"" + LONG_CHANNEL + "\"}",
            "bad_request",
            "field 'channel' must be at most 200 characters, was '"
                + "a".repeat(40)
                + "…' (201 characters)",
            null),
        bad(
            "{\"type\":\"join\",\"channel\":\"has space\"}",
            "bad_request",
            "field 'channel' may only contain A-Z a-z 0-9 _ : . @ $ -, found U+0020 at index 3",
            null),
        bad(
            "{\"type\":\"join\",\"channel\":\"a/b\"}",
            "bad_request",
            "field 'channel' may only contain A-Z a-z 0-9 _ : . @ $ -, found '/' at index 1",
            null),
        bad(
            "{\"type\":\"join\",\"channel\":7}",
            "bad_request",
            "field 'channel' must be a string, was a number",
            null),
        bad(
            "{\"type\":\"join\",\"channel\":\"$secret\"}",
            "channel_not_found",
            "channel '$secret' does not exist; the server's own channels are $telemetry",
            null),
        bad(
            "{\"type\":\"ping\",\"id\":\"" + LONG_ID + "\"}",
            "bad_request",
            "field 'id' must be at most 64 characters, was '"
                + "x".repeat(40)
                + "…' (65 characters)",
            null),
        bad(
            "{\"type\":\"ping\",\"id\":5}",
            "bad_request",
            "field 'id' must be a string, was a number",
            null),
        bad(
            "{\"type\":\"leave\",\"channel\":\"never-joined\",\"id\":\"m5\"}",
            "not_subscribed",
            "not subscribed to channel 'never-joined'; join it first",
            "m5"),
        bad(
            "{\"type\":\"publish\",\"channel\":\"$telemetry\",\"data\":1}",
            "forbidden",
            "clients may not publish to '$' channels; '$telemetry' belongs to the server",
            null),
        bad(
            "{\"type\":\"publish\",\"channel\":\"x\"}",
            "bad_request",
            "field 'data' is required for type 'publish'",
            null),
        bad(
            "{\"type\":\"publish\",\"data\":1}",
            "bad_request",
            "field 'channel' is required for type 'publish'",
            null));
  }

  private static Arguments bad(String frame, String code, String message, String id) {
    return Arguments.of(frame, code, message, id);
  }

  /** {@code depth} arrays, one inside the other. */
  private static String nested(int depth) {
    return "[".repeat(depth) + "]".repeat(depth);
  }

  @ParameterizedTest(name = "[{index}] {0} -> {1}")
  @MethodSource("badFrames")
  void badFrameGetsASpecificErrorAndTheConnectionCarriesOn(
      String frame, String code, String message, String id) {
    WsClient client = connect();

    JsonObject error = client.sendText(frame).next();

    assertThat(error.getString("type")).isEqualTo("error");
    assertThat(error.getJsonObject("error").getString("code")).isEqualTo(code);
    assertThat(error.getJsonObject("error").getString("message")).isEqualTo(message);
    assertThat(error.getJsonObject("error").getBoolean("retryable")).isFalse();
    assertThat(error.getString("id")).isEqualTo(id);
    assertThat(error.getJsonObject("data").getValue("originalMessage"))
        .as("the frame echoed")
        .isEqualTo(echoOf(frame));
    assertCarriesOn(client);
  }

  @Test
  void dataNestedUpToTheDepthLimitIsAccepted() {
    WsClient client = connect();
    String channel = channel("deep");
    join(client, channel);
    String deepest = nested(63); // 64 levels with the frame object itself

    client.sendText(
        "{\"type\":\"publish\",\"channel\":\"" + channel + "\",\"data\":" + deepest + "}");

    assertThat(client.next("message").getValue("data").toString()).isEqualTo(deepest);
  }

  @Test
  void theOriginalMessageIsTheFrameObjectOrItsTextCutTo1Kb() {
    WsClient client = connect();

    JsonObject small = client.sendText("{\"type\":\"dance\",\"n\":1}").next("error");
    String big = "{\"type\":\"dance\",\"pad\":\"" + "p".repeat(2000) + "\"}";
    JsonObject cut = client.sendText(big).next("error");
    JsonObject notJson = client.sendText("not json").next("error");

    assertThat(small.getJsonObject("data").getJsonObject("originalMessage"))
        .isEqualTo(new JsonObject().put("type", "dance").put("n", 1));
    assertThat(cut.getJsonObject("data").getString("originalMessage"))
        .isEqualTo(big.substring(0, 1024));
    assertThat(notJson.getJsonObject("data").getString("originalMessage")).isEqualTo("not json");
  }

  @Test
  void duplicateJoinIsAlreadySubscribed() {
    WsClient client = connect();
    String channel = channel("dup");
    join(client, channel);

    JsonObject error =
        client.request(
            new JsonObject().put("type", "subscribe").put("channel", channel).put("id", "d"));

    assertThat(error.getJsonObject("error").getString("code")).isEqualTo("already_subscribed");
    assertThat(error.getJsonObject("error").getString("message"))
        .isEqualTo("already subscribed to channel '" + channel + "'");
    assertThat(error.getString("id")).isEqualTo("d");
    assertCarriesOn(client);
  }

  @Test
  void binaryFrameIsUnsupportedFrame() {
    WsClient client = connect();

    JsonObject error = client.sendBinary(Buffer.buffer("{\"type\":\"ping\"}")).next("error");

    assertThat(error.getJsonObject("error").getString("code")).isEqualTo("unsupported_frame");
    assertThat(error.getJsonObject("error").getString("message"))
        .isEqualTo("binary frames are not supported; send one JSON object per text frame");
    assertCarriesOn(client);
  }

  @Test
  void badInputDisturbsNoOtherConnection() {
    String channel = channel("bystanders");
    WsClient bystander = connect();
    join(bystander, channel);
    WsClient offender = connect();

    badFrames().forEach(args -> offender.sendText((String) args.get()[0]));
    offender.sendBinary(Buffer.buffer(new byte[] {1, 2, 3}));
    WsClient publisher = connect();
    publisher.send(
        new JsonObject().put("type", "publish").put("channel", channel).put("data", "still here"));

    assertThat(bystander.next("message").getString("data")).isEqualTo("still here");
    // Unknown types are answered through routing, so their errors may trail a later ping's pong:
    // wait for every answer, then prove with a round-trip that nothing else arrived.
    List<JsonObject> answers = new ArrayList<>();
    for (long i = 0; i < badFrames().count() + 1; i++) {
      answers.add(offender.next());
    }
    assertThat(answers).allSatisfy(frame -> assertThat(frame.getString("type")).isEqualTo("error"));
    assertThat(offender.sync()).isEmpty();
  }

  @Test
  void frameOverTheLimitClosesWith1009() throws IOException {
    try (RawWebSocket raw = RawWebSocket.connect(server.wsPort())) {
      raw.readJson();

      raw.sendFrame(RawWebSocket.TEXT, true, new byte[64 * 1024 + 1]);

      assertThat(raw.awaitClose()).isEqualTo(1009);
    }
  }

  @Test
  void messageOverTheLimitInFragmentsClosesWith1009() throws IOException {
    try (RawWebSocket raw = RawWebSocket.connect(server.wsPort())) {
      raw.readJson();
      byte[] part = new byte[40 * 1024];
      Arrays.fill(part, (byte) ' ');

      raw.sendFrame(RawWebSocket.TEXT, false, part);
      raw.sendFrame(RawWebSocket.CONTINUATION, true, part);

      assertThat(raw.awaitClose()).isEqualTo(1009);
    }
  }

  @Test
  void messageOfExactlyTheLimitIsAccepted() throws IOException {
    try (RawWebSocket raw = RawWebSocket.connect(server.wsPort())) {
      raw.readJson();
      String head = "{\"type\":\"publish\",\"channel\":\"big\",\"id\":\"b\",\"data\":\"";
      String frame = head + "d".repeat(64 * 1024 - head.length() - 2) + "\"}";
      assertThat(frame.getBytes(StandardCharsets.UTF_8)).hasSize(64 * 1024);

      raw.sendText(frame);

      JsonObject ack = raw.readJson();
      assertThat(ack.getString("type")).isEqualTo("ack");
    }
  }

  @Test
  void invalidUtf8ClosesWith1007() throws IOException {
    try (RawWebSocket raw = RawWebSocket.connect(server.wsPort())) {
      raw.readJson();

      raw.sendFrame(RawWebSocket.TEXT, true, new byte[] {'{', (byte) 0xC3, (byte) 0x28, '}'});

      assertThat(raw.awaitClose()).isEqualTo(1007);
    }
  }

  @Test
  void aCharacterSplitAcrossFragmentsIsValidUtf8() throws IOException {
    try (RawWebSocket raw = RawWebSocket.connect(server.wsPort())) {
      raw.readJson();
      byte[] frame = "{\"type\":\"ping\",\"id\":\"é\"}".getBytes(StandardCharsets.UTF_8);
      int split = "{\"type\":\"ping\",\"id\":\"".length() + 1; // inside the two bytes of 'é'

      raw.sendFrame(RawWebSocket.TEXT, false, Arrays.copyOfRange(frame, 0, split));
      raw.sendFrame(
          RawWebSocket.CONTINUATION, true, Arrays.copyOfRange(frame, split, frame.length));

      JsonObject pong = raw.readJson();
      assertThat(pong.getString("type")).isEqualTo("pong");
      assertThat(pong.getString("id")).isEqualTo("é");
    }
  }

  @Test
  void invalidUtf8InAFragmentClosesWith1007BeforeTheMessageEnds() throws IOException {
    try (RawWebSocket raw = RawWebSocket.connect(server.wsPort())) {
      raw.readJson();

      raw.sendFrame(
          RawWebSocket.TEXT,
          false,
          "{\"type\":\"ping\",\"id\":\"".getBytes(StandardCharsets.UTF_8));
      // U+110000, out of range: no later fragment can make this message valid.
      raw.sendFrame(
          RawWebSocket.CONTINUATION, false, new byte[] {(byte) 0xF4, (byte) 0x90, (byte) 0x80});

      assertThat(raw.awaitClose()).isEqualTo(1007);
    }
  }

  @Test
  void aRefusedFrameReadWithValidOnesIsAnsweredWithACloseAfterTheirReplies() throws IOException {
    try (RawWebSocket raw = RawWebSocket.connect(server.wsPort())) {
      raw.readJson();
      byte[] ping = "{\"type\":\"ping\",\"id\":\"p1\"}".getBytes(StandardCharsets.UTF_8);
      int reservedOpcode = 0x3;

      raw.sendInOneWrite(
          RawWebSocket.frame(RawWebSocket.TEXT, true, ping),
          RawWebSocket.frame(reservedOpcode, true, new byte[] {'x'}));

      assertThat(raw.readJson().getString("id")).isEqualTo("p1");
      assertThat(raw.awaitClose()).isEqualTo(1002);
    }
  }

  @Test
  void compressionIsNotNegotiatedByDefault() throws IOException {
    try (RawWebSocket raw =
        RawWebSocket.connect(
            server.wsPort(),
            "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n")) {
      assertThat(raw.upgradeResponse().toLowerCase()).doesNotContain("permessage-deflate");
      assertThat(raw.readJson().getString("type")).isEqualTo("welcome");
    }
  }

  private static void assertCarriesOn(WsClient client) {
    JsonObject pong = client.request(new JsonObject().put("type", "ping").put("id", "after"));
    assertThat(pong.getString("type")).isEqualTo("pong");
    assertThat(pong.getString("id")).isEqualTo("after");
    assertThat(client.isClosed()).isFalse();
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

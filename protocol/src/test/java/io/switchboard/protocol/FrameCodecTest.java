package io.switchboard.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class FrameCodecTest {

  @Test
  void decodesEveryEnvelopeField() {
    Envelope frame =
        FrameCodec.decode(
            "{\"type\":\"message\",\"id\":\"c-17\",\"channel\":\"chat:lobby\",\"data\":{\"a\":1},"
                + "\"ts\":\"2026-01-01T00:00:00.000Z\",\"offset\":12,\"epoch\":\"e1\",\"extra\":true}");

    assertThat(frame.type()).isEqualTo("message");
    assertThat(frame.id()).isEqualTo("c-17");
    assertThat(frame.channel()).isEqualTo("chat:lobby");
    assertThat(frame.data()).isEqualTo(new JsonObject().put("a", 1));
    assertThat(frame.ts()).isEqualTo("2026-01-01T00:00:00.000Z");
    assertThat(frame.offset()).isEqualTo(12L);
    assertThat(frame.epoch()).isEqualTo("e1");
    assertThat(frame.json().getBoolean("extra")).isTrue();
    assertThat(frame.builtInType()).contains(MessageType.MESSAGE);
  }

  @Test
  void readsTimestampAsAnAliasOfTs() {
    Envelope frame =
        FrameCodec.decode("{\"type\":\"ping\",\"timestamp\":\"2024-01-15T10:30:00Z\"}");

    assertThat(frame.ts()).isEqualTo("2024-01-15T10:30:00Z");
  }

  @Test
  void decodesAnErrorFrame() {
    Envelope frame =
        FrameCodec.decode(
            "{\"type\":\"error\",\"error\":{\"code\":\"rate_limited\",\"message\":\"slow down\",\"retryable\":true}}");

    assertThat(frame.error()).isEqualTo(ProtocolError.of(ErrorCode.RATE_LIMITED, "slow down"));
    assertThat(frame.error().retryable()).isTrue();
  }

  @Test
  void anUnknownErrorCodeFromANewerServerBecomesInternalKeepingTheCode() {
    ProtocolError error =
        ProtocolError.fromJson(new JsonObject().put("code", "quota_exceeded").put("message", "m"));

    assertThat(error).isEqualTo(ProtocolError.of(ErrorCode.INTERNAL, "quota_exceeded: m"));
  }

  @Test
  void hasDataTellsAbsentFromNull() {
    assertThat(FrameCodec.decode("{\"type\":\"publish\",\"data\":null}").hasData()).isTrue();
    assertThat(FrameCodec.decode("{\"type\":\"publish\"}").hasData()).isFalse();
  }

  @Test
  void nullOptionalFieldsReadAsAbsent() {
    Envelope frame = FrameCodec.decode("{\"type\":\"ping\",\"id\":null,\"channel\":null}");

    assertThat(frame.id()).isNull();
    assertThat(frame.channel()).isNull();
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "''|frame is not valid JSON: it is empty",
        "'   '|frame is not valid JSON: it is empty",
        "{\"type\":\"ping\"} trailing|frame is not valid JSON:",
        "[]|frame must be a JSON object, was an array",
        "true|frame must be a JSON object, was a boolean",
        "{\"type\":[]}|field 'type' must be a string, was an array",
        "{\"type\":\"ping\",\"id\":{}}|field 'id' must be a string, was an object",
        "{\"type\":\"x\",\"offset\":\"1\"}|field 'offset' must be a number, was a string",
        "{\"type\":\"x\",\"error\":1}|field 'error' must be an object, was a number",
      })
  void rejectsWithTheFieldAndTheRule(String text, String message) {
    assertThatThrownBy(() -> FrameCodec.decode(text))
        .isInstanceOfSatisfying(
            ProtocolException.class,
            e -> {
              assertThat(e.error().code()).isEqualTo(ErrorCode.BAD_REQUEST);
              assertThat(e.error().message()).startsWith(message);
            });
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource("notStrictJson")
  void framesAreStrictJson(String text, String message) {
    assertThatThrownBy(() -> FrameCodec.parse(text))
        .isInstanceOfSatisfying(
            ProtocolException.class,
            e -> {
              assertThat(e.error().code()).isEqualTo(ErrorCode.BAD_REQUEST);
              assertThat(e.error().message()).isEqualTo("frame is not valid JSON: " + message);
            });
  }

  static Stream<Arguments> notStrictJson() {
    return Stream.of(
        arguments("{\"a\":1 /* c */}", "comments are not allowed at line 1, column 8"),
        arguments("{\"a\":1 // c\n}", "comments are not allowed at line 1, column 8"),
        arguments("{\"a\":1 # c\n}", "comments are not allowed at line 1, column 8"),
        arguments(
            "{\"a\":'b'}",
            "Unexpected character (''' (code 39)): expected a valid value (JSON String, Number,"
                + " Array, Object or token 'null', 'true' or 'false') at line 1, column 6"),
        arguments(
            "{a:1}",
            "Unexpected character ('a' (code 97)): was expecting double-quote to start field name"
                + " at line 1, column 2"),
        arguments(
            "[1,]",
            "Unexpected character (']' (code 93)): expected a valid value (JSON String, Number,"
                + " Array, Object or token 'null', 'true' or 'false') at line 1, column 4"),
        arguments("[NaN]", "Non-standard token 'NaN' at line 1, column 5"),
        arguments("[Infinity]", "Non-standard token 'Infinity' at line 1, column 10"),
        arguments(
            "[+1]",
            "Unexpected character ('+' (code 43)) in numeric value: JSON spec does not allow"
                + " numbers to have plus signs at line 1, column 3"),
        arguments("[01]", "Invalid numeric value: Leading zeroes not allowed at line 1, column 3"),
        arguments(
            "{\"a\":1e400}",
            "number 1e400 is beyond the range of a 64-bit floating-point number at line 1, column"
                + " 6"),
        arguments(
            "[-" + "9".repeat(400) + ".5]",
            "number -999999999999999999999999999999999999999… is beyond the range of a 64-bit"
                + " floating-point number at line 1, column 2"),
        arguments("{} x", "unexpected content after the JSON value at line 1, column 5"),
        arguments("{}{}", "unexpected content after the JSON value at line 1, column 3"),
        arguments("1 2", "unexpected content after the JSON value at line 1, column 3"),
        arguments("{}\n// c", "unexpected content after the JSON value at line 2, column 1"),
        arguments("{\"a\":1,\"a\":1}", "Duplicate field 'a' at line 1, column 11"),
        arguments(
            "[" + "{\"a\":".repeat(64) + "1" + "}".repeat(64) + "]",
            "objects and arrays nest deeper than 64 levels at line 1, column 318"),
        arguments(
            "[" + "1".repeat(1001) + "]",
            "Number value length (1001) exceeds the maximum allowed (1000) at line 1, column"
                + " 1003"));
  }

  @Test
  void objectsAndArraysMayNest64Deep() {
    String deepest = "[".repeat(FrameCodec.MAX_NESTING_DEPTH) + "]".repeat(64);

    assertThat(FrameCodec.parse(deepest)).hasToString(deepest);
  }

  @Test
  void numbersAndStringsDecodeAsJsonDecodeValueDoes() {
    String text =
        "{\"int\":7,\"long\":12345678901,\"big\":123456789012345678901234567890,\"neg\":-0,"
            + "\"double\":1.5,\"exp\":2E3,\"tiny\":1e-400,\"long-fraction\":0.1000000000000000000001,"
            + "\"s\":\"\\u00e9\\n\\ud83d\\ude00\",\"t\":true,\"n\":null}";

    Object parsed = FrameCodec.parse(text);

    assertThat(parsed).isEqualTo(Json.decodeValue(text));
    JsonObject json = (JsonObject) parsed;
    assertThat(json.getValue("int")).isEqualTo(7);
    assertThat(json.getValue("long")).isEqualTo(12345678901L);
    assertThat(json.getValue("big")).isEqualTo(new BigInteger("123456789012345678901234567890"));
    assertThat(json.getValue("neg")).isEqualTo(0);
    assertThat(json.getValue("double")).isEqualTo(1.5);
    assertThat(json.getValue("exp")).isEqualTo(2000.0);
    assertThat(json.getValue("tiny")).isEqualTo(0.0);
    assertThat(json.getValue("long-fraction")).isEqualTo(0.1);
    assertThat(json.getValue("s")).isEqualTo("é\n\uD83D\uDE00");
  }

  @Test
  void correlationIdIsKeptOnlyWhenValid() {
    assertThat(FrameCodec.correlationId(new JsonObject().put("id", "ok"))).isEqualTo("ok");
    assertThat(FrameCodec.correlationId(new JsonObject().put("id", "x".repeat(65)))).isNull();
    assertThat(FrameCodec.correlationId(new JsonObject().put("id", 5))).isNull();
    assertThat(FrameCodec.correlationId(new JsonArray())).isNull();
    assertThat(FrameCodec.correlationId(null)).isNull();
  }
}

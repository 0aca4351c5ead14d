package io.switchboard.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

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

  @Test
  void correlationIdIsKeptOnlyWhenValid() {
    assertThat(FrameCodec.correlationId(new JsonObject().put("id", "ok"))).isEqualTo("ok");
    assertThat(FrameCodec.correlationId(new JsonObject().put("id", "x".repeat(65)))).isNull();
    assertThat(FrameCodec.correlationId(new JsonObject().put("id", 5))).isNull();
    assertThat(FrameCodec.correlationId(new JsonArray())).isNull();
    assertThat(FrameCodec.correlationId(null)).isNull();
  }
}

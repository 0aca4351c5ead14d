package io.switchboard.bench.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PayloadTest {

  @ParameterizedTest
  @ValueSource(ints = {Payload.MIN_SIZE, 100, 256, 4096})
  void aPayloadIsValidJsonOfExactlyTheRequestedSize(int size) {
    String json = new Payload(size).encode(123_456_789L, 987_654_321_012_345L);

    assertThat(json.getBytes(StandardCharsets.UTF_8)).hasSize(size);
    JsonObject parsed = new JsonObject(json);
    assertThat(parsed.getLong("seq")).isEqualTo(123_456_789L);
    assertThat(parsed.getLong("sent")).isEqualTo(987_654_321_012_345L);
  }

  @Test
  void theLargestNumbersStillFitTheSmallestSize() {
    String json = new Payload(Payload.MIN_SIZE).encode(Long.MAX_VALUE / 10, Long.MAX_VALUE);

    assertThat(new JsonObject(json).getLong("sent")).isEqualTo(Long.MAX_VALUE);
  }

  @Test
  void aSizeBelowTheMinimumIsRefused() {
    assertThatThrownBy(() -> new Payload(Payload.MIN_SIZE - 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("payload size must be >= 64, was 63");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        // Switchboard and the bare server
        "{\"type\":\"message\",\"channel\":\"bench-0\",\"data\":%s,\"ts\":\"2026-01-01T00:00:00.000Z\"}",
        // Socket.IO's message event
        "42[\"message\",{\"channel\":\"bench-0\",\"data\":%s,\"ts\":\"2026-01-01T00:00:00.000Z\"}]"
      })
  void sequenceAndSendTimeAreReadFromADeliveredFrameOfAnyTarget(String envelope) {
    String data = new Payload(128).encode(42, 1_700_000_000_123L);
    Buffer frame = Buffer.buffer(envelope.formatted(data));

    assertThat(Payload.seq(frame)).isEqualTo(42);
    assertThat(Payload.sent(frame)).isEqualTo(1_700_000_000_123L);
    byte[] head = Bytes.head(frame);
    int at = Payload.locate(head);
    assertThat(Payload.seqAt(head, at)).isEqualTo(42);
    assertThat(Payload.sentAt(head, at)).isEqualTo(1_700_000_000_123L);
  }

  @Test
  void aFrameWithoutOurPayloadReadsAsMinusOne() {
    Buffer frame =
        Buffer.buffer("{\"type\":\"message\",\"channel\":\"x\",\"data\":{\"seq\":\"no\"}}");

    assertThat(Payload.seq(frame)).isEqualTo(-1);
    assertThat(Payload.sent(frame)).isEqualTo(-1);
  }
}

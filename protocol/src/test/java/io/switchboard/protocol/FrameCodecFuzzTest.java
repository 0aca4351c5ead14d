package io.switchboard.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;

/**
 * Fuzzes the envelope codec with arbitrary text (the input read as UTF-8): a refusal is only ever a
 * {@link ProtocolException} with a message, and a valid envelope encoded again decodes to an equal
 * one. Seeds: {@code FrameCodecFuzzTestInputs/} beside this class in the test resources.
 */
class FrameCodecFuzzTest {

  @FuzzTest
  void onlyProtocolErrorsEscapeAndEnvelopesRoundTrip(byte[] input) {
    String text = new String(input, StandardCharsets.UTF_8);
    Object decoded;
    try {
      decoded = FrameCodec.parse(text);
    } catch (ProtocolException e) {
      assertIsABadRequest(e);
      return;
    }
    String id = FrameCodec.correlationId(decoded);
    assertThat(id == null || id.length() <= Protocol.MAX_ID_LENGTH).as("id %s", id).isTrue();
    Envelope envelope;
    try {
      envelope = FrameCodec.toEnvelope(decoded);
    } catch (ProtocolException e) {
      assertIsABadRequest(e);
      return;
    }
    assertThat(envelope.id()).isEqualTo(id);

    Envelope again = FrameCodec.decode(envelope.json().encode());

    assertThat(again).isEqualTo(envelope);
  }

  private static void assertIsABadRequest(ProtocolException e) {
    assertThat(e.error().code()).isEqualTo(ErrorCode.BAD_REQUEST);
    assertThat(e.error().message()).isNotBlank();
  }
}

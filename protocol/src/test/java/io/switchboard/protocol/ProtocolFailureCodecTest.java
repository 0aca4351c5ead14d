package io.switchboard.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.ReplyFailure;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/** The wire form of a typed bus failure: every field survives the trip between two nodes. */
class ProtocolFailureCodecTest {

  /** What the event bus writes before a message's body: the codec must read from its offset. */
  private static final String HEADER = "header bytes before the body";

  private final ProtocolFailureCodec codec = new ProtocolFailureCodec();

  @ParameterizedTest
  @EnumSource(ErrorCode.class)
  void everyProtocolCodeCrossesWithItsStatusAndSentence(ErrorCode code) {
    ProtocolFailure sent = ProtocolFailure.of(ProtocolError.of(code, "why " + code.code()));

    ProtocolFailure read = roundTrip(sent);

    assertThat(read.error()).isEqualTo(sent.error());
    assertThat(read.error().code()).isSameAs(code);
    assertThat(read.error().retryable()).isEqualTo(code.retryable());
    assertThat(read.failureCode()).isEqualTo(code.httpStatus());
    assertThat(read.failureType()).isEqualTo(ReplyFailure.RECIPIENT_FAILURE);
    assertThat(read.getMessage()).isEqualTo(code.code() + ": why " + code.code());
  }

  @ParameterizedTest
  @CsvSource({
    "polls,busy,true,503",
    "polls,busy,true,422",
    "polls,closed,false,422",
    "polls,closed,false,409",
    "my-plugin2,too_many_votes,true,0"
  })
  void aPluginsCodeCrossesWithItsOwnRetryableFlagWhateverTheStatus(
      String plugin, String name, boolean retryable, int status) {
    ProtocolError error =
        ProtocolError.of(PluginErrorCode.of(plugin, name, retryable), "the poll is " + name);

    ProtocolFailure read = roundTrip(ProtocolFailure.of(error, status));

    assertThat(read.error()).isEqualTo(error);
    assertThat(read.error().code()).isInstanceOf(PluginErrorCode.class);
    assertThat(read.error().retryable()).isEqualTo(retryable);
    assertThat(read.failureCode()).isEqualTo(status);
    assertThat(read.getMessage()).isEqualTo(plugin + "." + name + ": the poll is " + name);
  }

  @Test
  void aSentenceInAnyScriptCrossesUnchanged() {
    String sentence = "le canal « café » n’existe pas — 频道不存在 🚀; \"quoted\": yes\n";
    ProtocolError error = ProtocolError.of(ErrorCode.CHANNEL_NOT_FOUND, sentence);

    assertThat(roundTrip(ProtocolFailure.of(error)).error().message()).isEqualTo(sentence);
    assertThat(roundTrip(ProtocolFailure.of(ProtocolError.of(ErrorCode.FORBIDDEN, ""))).error())
        .isEqualTo(ProtocolError.of(ErrorCode.FORBIDDEN, ""));
  }

  @Test
  void theWireFormIsTheDocumentedOne() {
    Buffer written = Buffer.buffer().appendString(HEADER);
    codec.encodeToWire(
        written,
        ProtocolFailure.of(ProtocolError.of(PluginErrorCode.of("polls", "busy", true), "é"), 422));

    assertThat(written)
        .isEqualTo(wire(ProtocolFailureCodec.PLUGIN_CODE, true, 422, "polls.busy", "é"));
  }

  @Test
  void aCodeTheReaderDoesNotKnowBecomesInternalKeepingTheCode() {
    Buffer wire = wire(ProtocolFailureCodec.PROTOCOL_CODE, false, 418, "teapot", "short and stout");

    ProtocolFailure read = codec.decodeFromWire(HEADER.length(), wire);

    assertThat(read.error())
        .isEqualTo(ProtocolError.of(ErrorCode.INTERNAL, "teapot: short and stout"));
    assertThat(read.failureCode()).isEqualTo(418);
  }

  @Test
  void aMalformedPluginCodeBecomesInternalKeepingTheCode() {
    Buffer wire = wire(ProtocolFailureCodec.PLUGIN_CODE, true, 503, "Polls.Busy", "later");

    assertThat(codec.decodeFromWire(HEADER.length(), wire).error())
        .isEqualTo(ProtocolError.of(ErrorCode.INTERNAL, "Polls.Busy: later"));
  }

  @Test
  void fieldsALaterVersionAppendsAreIgnored() {
    Buffer wire = wire(ProtocolFailureCodec.PLUGIN_CODE, true, 503, "polls.busy", "later");
    wire.setByte(HEADER.length(), (byte) 2);
    wire.appendInt(7).appendString("a field of version 2");

    ProtocolFailure read = codec.decodeFromWire(HEADER.length(), wire);

    assertThat(read.error())
        .isEqualTo(ProtocolError.of(PluginErrorCode.of("polls", "busy", true), "later"));
  }

  @Test
  void withinOneJvmTheFailurePassesAsItIs() {
    ProtocolFailure failure = ProtocolFailure.of(ProtocolError.forbidden("no"));

    assertThat(codec.transform(failure)).isSameAs(failure);
    assertThat(codec.name()).isEqualTo(BusErrors.CODEC_NAME);
    assertThat(codec.systemCodecID()).isEqualTo((byte) -1);
  }

  private ProtocolFailure roundTrip(ProtocolFailure sent) {
    Buffer wire = Buffer.buffer().appendString(HEADER);
    codec.encodeToWire(wire, sent);
    return codec.decodeFromWire(HEADER.length(), wire);
  }

  /** A body written by hand, byte by byte, as the codec's Javadoc describes it. */
  private static Buffer wire(byte kind, boolean retryable, int status, String code, String text) {
    byte[] codeBytes = code.getBytes(StandardCharsets.UTF_8);
    byte[] textBytes = text.getBytes(StandardCharsets.UTF_8);
    return Buffer.buffer()
        .appendString(HEADER)
        .appendByte(ProtocolFailureCodec.VERSION)
        .appendByte(kind)
        .appendByte(retryable ? (byte) 1 : (byte) 0)
        .appendInt(status)
        .appendInt(codeBytes.length)
        .appendBytes(codeBytes)
        .appendInt(textBytes.length)
        .appendBytes(textBytes);
  }
}

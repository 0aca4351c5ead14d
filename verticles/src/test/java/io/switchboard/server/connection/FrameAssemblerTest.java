package io.switchboard.server.connection;

import static io.switchboard.server.connection.FrameAssembler.Outcome.BINARY;
import static io.switchboard.server.connection.FrameAssembler.Outcome.CONTROL;
import static io.switchboard.server.connection.FrameAssembler.Outcome.INVALID_UTF8;
import static io.switchboard.server.connection.FrameAssembler.Outcome.PARTIAL;
import static io.switchboard.server.connection.FrameAssembler.Outcome.TEXT;
import static io.switchboard.server.connection.FrameAssembler.Outcome.TOO_LARGE;
import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.server.connection.FrameAssembler.Outcome;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocketFrame;
import io.vertx.core.http.WebSocketFrameType;
import io.vertx.core.http.impl.ws.WebSocketFrameImpl;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Assembling messages: whole frames, the size limit across fragments, control frames in between,
 * and UTF-8 in fragmented text messages, which fails fast. In the table of the last, each row is a
 * text message that starts with the fragment "κ" and goes on with continuation fragments given in
 * hex (the last one final), and what pushing each of them completes; nothing is pushed after a
 * refusal.
 */
class FrameAssemblerTest {

  static Stream<Arguments> fragmentedText() {
    return Stream.of(
        // Autobahn 6.4.1: U+110000 is out of range; refused at its fragment, not at the last one.
        row("an out-of-range code point", List.of("f4908080", "6564"), INVALID_UTF8),
        // Autobahn 6.4.2: the fragment ends at the octet that makes the message invalid.
        row("a sequence that can no longer be valid", List.of("f490", "8080"), INVALID_UTF8),
        row("a lone continuation octet", List.of("80", "61"), INVALID_UTF8),
        row("a surrogate", List.of("eda080", "61"), INVALID_UTF8),
        row("invalid UTF-8 in the last fragment", List.of("61", "c328"), PARTIAL, INVALID_UTF8),
        row("a character cut off by the end", List.of("e2", "82"), PARTIAL, INVALID_UTF8),
        row("€ split over three fragments", List.of("e2", "82", "ac"), PARTIAL, PARTIAL, TEXT),
        row("😀 split one octet and three", List.of("f0", "9f9880"), PARTIAL, TEXT));
  }

  private static Arguments row(String name, List<String> fragments, Outcome... outcomes) {
    return Arguments.of(name, fragments, List.of(outcomes));
  }

  @ParameterizedTest(name = "κ then {0}")
  @MethodSource("fragmentedText")
  void invalidUtf8IsRefusedAtTheFragmentThatBreaksIt(
      String name, List<String> fragments, List<Outcome> expected) {
    FrameAssembler assembler = new FrameAssembler(1024);
    assertThat(assembler.push(WebSocketFrame.textFrame("κ", false))).isEqualTo(PARTIAL);

    List<Outcome> outcomes = new ArrayList<>();
    for (int i = 0; i < fragments.size() && !outcomes.contains(INVALID_UTF8); i++) {
      boolean last = i == fragments.size() - 1;
      outcomes.add(assembler.push(WebSocketFrame.continuationFrame(hex(fragments.get(i)), last)));
    }

    assertThat(outcomes).isEqualTo(expected);
  }

  @Test
  void aCharacterSplitAcrossFragmentsDecodesWhole() {
    FrameAssembler assembler = new FrameAssembler(1024);

    assertThat(assembler.push(WebSocketFrame.textFrame("κ", false))).isEqualTo(PARTIAL);
    assertThat(assembler.push(WebSocketFrame.continuationFrame(hex("f0"), false)))
        .isEqualTo(PARTIAL);
    assertThat(assembler.push(WebSocketFrame.continuationFrame(hex("9f98"), false)))
        .isEqualTo(PARTIAL);
    assertThat(assembler.push(WebSocketFrame.continuationFrame(hex("80e282ac"), true)))
        .isEqualTo(TEXT);
    assertThat(assembler.text()).isEqualTo("κ😀€");
  }

  @Test
  void framesAfterARefusalStartOver() {
    FrameAssembler assembler = new FrameAssembler(1024);
    assembler.push(WebSocketFrame.textFrame("κόσμε", false));
    assertThat(assembler.push(WebSocketFrame.continuationFrame(hex("80"), false)))
        .isEqualTo(INVALID_UTF8);

    // The rest of the refused message, if the peer still sends it, is checked on its own.
    assertThat(assembler.push(WebSocketFrame.continuationFrame(hex("61"), false)))
        .isEqualTo(PARTIAL);
    assertThat(assembler.push(WebSocketFrame.textFrame("next", true))).isEqualTo(TEXT);
    assertThat(assembler.text()).isEqualTo("next");
  }

  @Test
  void binaryFragmentsAreNotCheckedAsText() {
    FrameAssembler assembler = new FrameAssembler(1024);

    assertThat(assembler.push(WebSocketFrame.binaryFrame(hex("f490"), false))).isEqualTo(PARTIAL);
    assertThat(assembler.push(WebSocketFrame.continuationFrame(hex("ff"), true))).isEqualTo(BINARY);
    assertThat(assembler.binary().getBytes()).isEqualTo(HexFormat.of().parseHex("f490ff"));
  }

  @Test
  void aWholeTextFrameIsOneMessageAndHoldsNothing() {
    FrameAssembler assembler = new FrameAssembler(1024);

    assertThat(assembler.push(WebSocketFrame.textFrame("{\"type\":\"ping\"}", true)))
        .isEqualTo(TEXT);
    assertThat(assembler.text()).isEqualTo("{\"type\":\"ping\"}");
    assertThat(assembler.heldBytes()).isZero();
  }

  @Test
  void aWholeTextFrameOfInvalidUtf8IsRefused() {
    FrameAssembler assembler = new FrameAssembler(1024);

    assertThat(
            assembler.push(new WebSocketFrameImpl(WebSocketFrameType.TEXT, bytes("61c328"), true)))
        .isEqualTo(INVALID_UTF8);
    assertThat(assembler.text()).isNull();
    // The decoder starts afresh for the next message.
    assertThat(assembler.push(WebSocketFrame.textFrame("κ", true))).isEqualTo(TEXT);
    assertThat(assembler.text()).isEqualTo("κ");
  }

  @Test
  void aMessageOfExactlyTheLimitPassesAndOneByteMoreIsTooLarge() {
    FrameAssembler assembler = new FrameAssembler(4);

    assertThat(assembler.push(WebSocketFrame.textFrame("abcd", true))).isEqualTo(TEXT);
    assertThat(assembler.push(WebSocketFrame.textFrame("abcde", true))).isEqualTo(TOO_LARGE);
    assertThat(assembler.text()).isNull();
    assertThat(assembler.push(WebSocketFrame.binaryFrame(hex("0102030405"), true)))
        .isEqualTo(TOO_LARGE);
    assertThat(assembler.binary()).isNull();
  }

  @Test
  void fragmentsCountTowardsTheLimitTogetherAndAreDroppedAtTheOneThatPassesIt() {
    FrameAssembler assembler = new FrameAssembler(6);

    assertThat(assembler.push(WebSocketFrame.textFrame("abc", false))).isEqualTo(PARTIAL);
    assertThat(assembler.heldBytes()).isEqualTo(3);
    assertThat(assembler.push(WebSocketFrame.continuationFrame(hex("6465"), false)))
        .isEqualTo(PARTIAL);
    assertThat(assembler.heldBytes()).isEqualTo(5);
    assertThat(assembler.push(WebSocketFrame.continuationFrame(hex("6667"), false)))
        .isEqualTo(TOO_LARGE);
    assertThat(assembler.heldBytes()).isZero();

    // The next message starts from nothing, and may use the whole limit across fragments.
    assertThat(assembler.push(WebSocketFrame.textFrame("abc", false))).isEqualTo(PARTIAL);
    assertThat(assembler.push(WebSocketFrame.continuationFrame(hex("646566"), true)))
        .isEqualTo(TEXT);
    assertThat(assembler.text()).isEqualTo("abcdef");
    assertThat(assembler.heldBytes()).isZero();
  }

  @Test
  void controlFramesBetweenFragmentsLeaveTheMessageAsItWas() {
    FrameAssembler assembler = new FrameAssembler(1024);
    assembler.push(WebSocketFrame.textFrame("hel", false));

    assertThat(assembler.push(WebSocketFrame.pingFrame(hex("01")))).isEqualTo(CONTROL);
    assertThat(assembler.push(WebSocketFrame.pongFrame(hex("02")))).isEqualTo(CONTROL);
    assertThat(assembler.heldBytes()).isEqualTo(3);
    assertThat(assembler.push(WebSocketFrame.continuationFrame(hex("6c6f"), true))).isEqualTo(TEXT);
    assertThat(assembler.text()).isEqualTo("hello");
    assertThat(
            assembler.push(new WebSocketFrameImpl(WebSocketFrameType.CLOSE, bytes("03e8"), true)))
        .isEqualTo(CONTROL);
  }

  @Test
  void theResultOfAMessageLastsOnlyUntilTheNextFrame() {
    FrameAssembler assembler = new FrameAssembler(1024);
    assembler.push(WebSocketFrame.textFrame("first", true));

    assertThat(assembler.push(WebSocketFrame.textFrame("sec", false))).isEqualTo(PARTIAL);
    assertThat(assembler.text()).isNull();
    assertThat(assembler.push(WebSocketFrame.binaryFrame(hex("ff"), true))).isEqualTo(BINARY);
    assertThat(assembler.text()).isNull();
    assertThat(assembler.binary().getBytes()).isEqualTo(bytes("ff"));
    assertThat(assembler.push(WebSocketFrame.pingFrame(hex("00")))).isEqualTo(CONTROL);
    assertThat(assembler.binary()).isNull();
  }

  private static byte[] bytes(String octets) {
    return HexFormat.of().parseHex(octets);
  }

  private static Buffer hex(String octets) {
    return Buffer.buffer(HexFormat.of().parseHex(octets));
  }
}

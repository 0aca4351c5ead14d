package io.switchboard.bench.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonArray;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class EngineIoTest {

  static Stream<Arguments> packets() {
    return Stream.of(
        Arguments.of(
            "0{\"sid\":\"a\",\"pingInterval\":25000}",
            '0',
            EngineIo.Packet.NONE,
            -1L,
            "{\"sid\":\"a\",\"pingInterval\":25000}"),
        Arguments.of("2", '2', EngineIo.Packet.NONE, -1L, ""),
        Arguments.of("3", '3', EngineIo.Packet.NONE, -1L, ""),
        Arguments.of("40", '4', '0', -1L, ""),
        Arguments.of("40{\"sid\":\"b\"}", '4', '0', -1L, "{\"sid\":\"b\"}"),
        Arguments.of("42[\"message\",{\"a\":1}]", '4', '2', -1L, "[\"message\",{\"a\":1}]"),
        Arguments.of("4217[\"join\",\"c\"]", '4', '2', 17L, "[\"join\",\"c\"]"),
        Arguments.of("430[{\"channel\":\"c\"}]", '4', '3', 0L, "[{\"channel\":\"c\"}]"),
        Arguments.of("42/admin,5[\"x\"]", '4', '2', 5L, "[\"x\"]"),
        Arguments.of("44{\"message\":\"no\"}", '4', '4', -1L, "{\"message\":\"no\"}"));
  }

  @ParameterizedTest
  @MethodSource("packets")
  void packetsDecodeIntoTheirTypesAckIdAndData(
      String text, char engine, char socket, long ackId, String data) {
    EngineIo.Packet packet = EngineIo.decode(text);

    assertThat(packet).isEqualTo(new EngineIo.Packet(engine, socket, ackId, data));
  }

  @Test
  void anEventIsAMessageOfTypeTwoWithAJsonArray() {
    String packet = EngineIo.event("publish", "{\"channel\":\"c\",\"data\":1}");

    assertThat(packet).isEqualTo("42[\"publish\",{\"channel\":\"c\",\"data\":1}]");
    assertThat(new JsonArray(EngineIo.decode(packet).data()).getString(0)).isEqualTo("publish");
  }

  @Test
  void anEventAskingForAnAckCarriesTheIdBeforeTheArray() {
    assertThat(EngineIo.event("join", "\"room\"", 3)).isEqualTo("423[\"join\",\"room\"]");
    assertThat(EngineIo.decode(EngineIo.event("join", "\"room\"", 3)).ackId()).isEqualTo(3);
  }

  @Test
  void stringsAreEscapedAsJson() {
    assertThat(EngineIo.jsonString("a\"b\\c\nd\u0001")).isEqualTo("\"a\\\"b\\\\c\\nd\\u0001\"");
  }

  @Test
  void emptyOrUnknownPacketsAreRefused() {
    assertThatThrownBy(() -> EngineIo.decode(""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("an Engine.IO packet cannot be empty");
    assertThatThrownBy(() -> EngineIo.decode("9"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("unknown Engine.IO packet type '9'");
    assertThatThrownBy(() -> EngineIo.decode("4x"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("unknown Socket.IO packet type 'x'");
  }
}

package io.switchboard.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Channel names, type aliases, error and close codes: the tables of PROTOCOL.md. */
class ProtocolRulesTest {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "a",
        "chat:lobby",
        "org:company123",
        "user@host.example",
        "job-42_x",
        "$telemetry"
      })
  void validChannelNames(String name) {
    ChannelNames.validate("channel", name);
  }

  @Test
  void channelNamesAreAtMost200Characters() {
    ChannelNames.validate("channel", "c".repeat(200));

    assertThatThrownBy(() -> ChannelNames.validate("channel", "c".repeat(201)))
        .hasMessageContaining("field 'channel' must be at most 200 characters");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "tab\there|U+0009 at index 3",
        "é|'é' at index 0",
        "a#b|'#' at index 1",
        "a*|'*' at index 1",
      })
  void illegalCharactersAreNamedWithTheirIndex(String name, String found) {
    assertThatThrownBy(() -> ChannelNames.validate("channel", name))
        .isInstanceOfSatisfying(
            ProtocolException.class,
            e -> assertThat(e.error().message()).endsWith("found " + found));
  }

  @ParameterizedTest
  @CsvSource({
    "join,JOIN",
    "subscribe,JOIN",
    "JOIN_CHANNEL,JOIN",
    "leave,LEAVE",
    "unsubscribe,LEAVE",
    "LEAVE_CHANNEL,LEAVE",
    "error,ERROR",
    "ERROR,ERROR",
    "ping,PING",
    "publish,PUBLISH"
  })
  void aliasesResolveToTheCanonicalType(String wire, MessageType type) {
    assertThat(MessageType.fromWire(wire)).contains(type);
  }

  @Test
  void typesAreCaseSensitiveAndPluginTypesAreNotBuiltIn() {
    assertThat(MessageType.fromWire("Join")).isEmpty();
    assertThat(MessageType.isBuiltIn("CHAT_MESSAGE")).isFalse();
    assertThat(MessageType.fromWire(null)).isEmpty();
  }

  @Test
  void onlyLimitsUnavailabilityInternalAndPluginTimeoutAreRetryable() {
    assertThat(Arrays.stream(ErrorCode.values()).filter(ErrorCode::retryable))
        .containsExactlyInAnyOrder(
            ErrorCode.RATE_LIMITED,
            ErrorCode.TOO_MANY_CONNECTIONS,
            ErrorCode.UNAVAILABLE,
            ErrorCode.INTERNAL,
            ErrorCode.PLUGIN_TIMEOUT);
  }

  @Test
  void errorCodesAreTheDocumentedWireNames() {
    assertThat(Arrays.stream(ErrorCode.values()).map(ErrorCode::code))
        .containsExactly(
            "bad_request",
            "unknown_type",
            "unsupported_frame",
            "not_subscribed",
            "already_subscribed",
            "channel_not_found",
            "forbidden",
            "unauthorized",
            "message_too_large",
            "rate_limited",
            "too_many_connections",
            "limit_exceeded",
            "unavailable",
            "plugin_error",
            "plugin_timeout",
            "history_unavailable",
            "internal");
  }

  @ParameterizedTest
  @CsvSource({
    "1000,true",
    "1001,true",
    "1009,true",
    "4001,true",
    "4499,true",
    "4500,false",
    "4502,false",
    "4999,false",
    "5000,true"
  })
  void codesFrom4500To4999ForbidReconnecting(int code, boolean mayReconnect) {
    assertThat(CloseCode.mayReconnect(code)).isEqualTo(mayReconnect);
  }

  @Test
  void closeCodesHaveTheDocumentedNumbers() {
    assertThat(CloseCode.GOING_AWAY.code()).isEqualTo((short) 1001);
    assertThat(CloseCode.INVALID_PAYLOAD.code()).isEqualTo((short) 1007);
    assertThat(CloseCode.MESSAGE_TOO_BIG.code()).isEqualTo((short) 1009);
    assertThat(CloseCode.HEARTBEAT_TIMEOUT.code()).isEqualTo((short) 4001);
    assertThat(CloseCode.SLOW_CONSUMER.code()).isEqualTo((short) 4002);
    assertThat(CloseCode.STALE_CONNECTION.code()).isEqualTo((short) 4003);
    assertThat(CloseCode.TOKEN_EXPIRED.code()).isEqualTo((short) 4004);
    assertThat(CloseCode.KICKED.code()).isEqualTo((short) 4502);
    assertThat(CloseCode.of(4502)).contains(CloseCode.KICKED);
  }
}

package io.switchboard.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import java.time.Instant;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What a refused upgrade tells the client: status, code, and how long to stay away. */
class UpgradeRefusedExceptionTest {

  private static final Instant NOW = Instant.parse("2026-12-01T18:00:00Z");

  @ParameterizedTest(name = "[{index}] ''{0}'' -> {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "1 | 1000",
        "0 | 0",
        "' 30 ' | 30000",
        "Tue, 01 Dec 2026 18:00:05 GMT | 5000",
        "Tue, 01 Dec 2026 17:59:00 GMT | 0",
        "12345678901 | 4611686018427387903",
        "-1 | -1",
        "1.5 | -1",
        "soon | -1",
        "'' | -1",
      })
  void retryAfterIsReadAsDelaySecondsOrAnHttpDate(String header, long expectedMs) {
    assertThat(UpgradeRefusedException.retryAfterMs(header, NOW)).isEqualTo(expectedMs);
  }

  @Test
  void theServersStatusCodeAndRetryAfterAreKept() {
    UpgradeRefusedException refused =
        new UpgradeRefusedException(
            503,
            Buffer.buffer("{\"error\":{\"code\":\"unavailable\",\"message\":\"server full\"}}"),
            "1");

    assertThat(refused.status()).isEqualTo(503);
    assertThat(refused.code()).isEqualTo("unavailable");
    assertThat(refused.retryable()).isTrue();
    assertThat(refused.retryAfterMs()).isEqualTo(OptionalLong.of(1000));
    assertThat(refused)
        .hasMessage("the server refused the upgrade with HTTP 503: unavailable: server full");
  }

  @Test
  void withoutRetryAfterThereIsNone() {
    assertThat(new UpgradeRefusedException(401, Buffer.buffer("nope")).retryAfterMs()).isEmpty();
    assertThat(new UpgradeRefusedException(429, null, null).retryAfterMs()).isEmpty();
  }
}

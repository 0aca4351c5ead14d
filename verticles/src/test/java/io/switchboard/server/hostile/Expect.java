package io.switchboard.server.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.server.testing.HttpUpgrade;

/**
 * The exact HTTP answer a table row expects to an upgrade: 101, or a refusal's status, code,
 * message and an extra header where the README names one.
 *
 * @param message the whole message, or its start when {@code prefix}
 * @param header an extra header the answer must carry (name), or null
 * @param headerValue its value
 */
record Expect(
    int status, String code, String message, boolean prefix, String header, String headerValue) {

  /** The {@code Sec-WebSocket-Accept} of {@link HttpUpgrade#KEY} (RFC 6455, section 1.3). */
  static final String ACCEPT = "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=";

  static Expect accepted() {
    return new Expect(101, null, null, false, null, null);
  }

  /** 101, selecting this subprotocol ({@code Sec-WebSocket-Protocol}), or none when null. */
  static Expect acceptedWith(String subprotocol) {
    return new Expect(101, null, null, false, "Sec-WebSocket-Protocol", subprotocol);
  }

  static Expect refused(int status, String code, String message) {
    return new Expect(status, code, message, false, null, null);
  }

  static Expect refused(int status, String code, String message, String header, String value) {
    return new Expect(status, code, message, false, header, value);
  }

  /** A refusal whose message starts with {@code start} (the rest quotes a library's words). */
  static Expect refusedStartingWith(int status, String code, String start) {
    return new Expect(status, code, start, true, null, null);
  }

  static Expect unauthorized(String message) {
    return refused(
        401, "unauthorized", message, "WWW-Authenticate", "Bearer error=\"invalid_token\"");
  }

  static Expect badRequest(String message) {
    return refused(400, "bad_request", message);
  }

  /** Asserts the answer, body included unless {@code bodyless} (an answer to HEAD). */
  void check(HttpUpgrade.Answer answer, boolean bodyless) {
    assertThat(answer.status()).as("status of %s", answer).isEqualTo(status);
    if (status == 101) {
      assertThat(answer.header("Sec-WebSocket-Accept")).isEqualTo(ACCEPT);
      if (header != null) {
        assertThat(answer.header(header)).as(header).isEqualTo(headerValue);
      }
      return;
    }
    assertThat(answer.header("Content-Type")).isEqualTo("application/json");
    assertThat(answer.header("Connection")).isEqualTo("close");
    if (header != null) {
      assertThat(answer.header(header)).as(header).isEqualTo(headerValue);
    }
    boolean retryable = code.equals("unavailable") || code.equals("too_many_connections");
    assertThat(answer.header("Retry-After")).as("Retry-After").isEqualTo(retryable ? "1" : null);
    if (bodyless) {
      assertThat(answer.body()).isEmpty();
      return;
    }
    assertThat(answer.error().getString("code")).isEqualTo(code);
    if (prefix) {
      assertThat(answer.error().getString("message")).startsWith(message);
    } else {
      assertThat(answer.error().getString("message")).isEqualTo(message);
    }
  }

  @Override
  public String toString() {
    return status == 101 ? "101" : status + " " + code;
  }
}

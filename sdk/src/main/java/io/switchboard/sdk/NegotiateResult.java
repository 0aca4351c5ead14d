package io.switchboard.sdk;

import java.util.Objects;

/**
 * What the optional negotiate step ({@link ClientOptions#setNegotiate}) answers before a connect
 * attempt: where to connect and with which token.
 *
 * @param url the WebSocket URL to connect to, {@code ws://} or {@code wss://}; never null
 * @param token the bearer token to send in the {@code Authorization} header, or null to send the
 *     one from {@link ClientOptions#setAuthToken} (if any)
 */
public record NegotiateResult(String url, String token) {

  public NegotiateResult {
    Objects.requireNonNull(url, "url");
  }
}

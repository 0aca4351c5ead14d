package io.switchboard.sdk;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.OptionalLong;

/**
 * The server answered the WebSocket upgrade with an HTTP error instead of switching protocols, e.g.
 * 401 for a missing or invalid token, 403 for a browser origin it does not allow, 429 when this
 * address or user holds too many connections. The message carries the server's error code and
 * sentence. {@link #retryable()} tells whether another attempt can succeed: the client gives up
 * (state {@code FAILED}) on the others. {@link #retryAfterMs()} is the server's {@code
 * Retry-After}: the client does not try that URL again before it has passed.
 */
public final class UpgradeRefusedException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final int status;
  private final String code;
  private final long retryAfterMs;

  /**
   * A refusal without {@code Retry-After}.
   *
   * @param status the HTTP status
   * @param body the response body: Switchboard's {@code {"error": {"code", "message"}}}, or
   *     anything else another server sent
   */
  public UpgradeRefusedException(int status, Buffer body) {
    this(status, body, null);
  }

  /**
   * @param status the HTTP status
   * @param body the response body, as for {@link #UpgradeRefusedException(int, Buffer)}
   * @param retryAfter the {@code Retry-After} header as sent, delay-seconds ({@code 1}) or an
   *     HTTP-date; null, or a value that is neither, counts as none
   */
  public UpgradeRefusedException(int status, Buffer body, String retryAfter) {
    this(status, errorOf(body), retryAfterMs(retryAfter, Instant.now()));
  }

  private UpgradeRefusedException(int status, JsonObject error, long retryAfterMs) {
    super(
        "the server refused the upgrade with HTTP "
            + status
            + (error == null
                ? ""
                : ": " + error.getString("code", "") + ": " + error.getString("message", "")),
        null,
        false,
        false);
    this.status = status;
    this.code = error == null ? null : error.getString("code");
    this.retryAfterMs = retryAfterMs;
  }

  /** The HTTP status, e.g. 401. */
  public int status() {
    return status;
  }

  /** The server's error code, e.g. {@code unauthorized}, or null when it sent none. */
  public String code() {
    return code;
  }

  /**
   * Whether a later attempt can succeed: 401 (the token supplier may give a valid token), 408, 429,
   * 503 and other 5xx; not 400, 403, 404 or 426, which the same request gets again.
   */
  public boolean retryable() {
    return status == 401 || status == 408 || status == 429 || status >= 500;
  }

  /**
   * How long the server asked the client to wait before trying it again, in milliseconds, from its
   * {@code Retry-After} header (an HTTP-date counts from when the refusal arrived, and one in the
   * past as 0); empty when it sent none. Switchboard sends {@code Retry-After: 1} with 503 and 429.
   */
  public OptionalLong retryAfterMs() {
    return retryAfterMs < 0 ? OptionalLong.empty() : OptionalLong.of(retryAfterMs);
  }

  /**
   * A {@code Retry-After} value in milliseconds, or -1 when it is absent or malformed.
   *
   * @param now when the refusal arrived, for an HTTP-date
   */
  static long retryAfterMs(String value, Instant now) {
    if (value == null || value.isBlank()) {
      return -1;
    }
    String trimmed = value.trim();
    if (trimmed.chars().allMatch(c -> c >= '0' && c <= '9')) {
      // Up to 10 digits keep seconds * 1000 far from overflowing; more is "a very long time".
      return trimmed.length() > 10 ? Long.MAX_VALUE / 2 : Long.parseLong(trimmed) * 1000;
    }
    try {
      Instant at = ZonedDateTime.parse(trimmed, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
      return Math.max(0, at.toEpochMilli() - now.toEpochMilli());
    } catch (DateTimeParseException e) {
      return -1;
    }
  }

  private static JsonObject errorOf(Buffer body) {
    try {
      return body == null ? null : new JsonObject(body).getJsonObject("error");
    } catch (RuntimeException e) {
      return null; // not Switchboard's JSON error
    }
  }
}

package io.switchboard.sdk;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

/**
 * The server answered the WebSocket upgrade with an HTTP error instead of switching protocols, e.g.
 * 401 for a missing or invalid token, 403 for a browser origin it does not allow, 429 when this
 * address or user holds too many connections. The message carries the server's error code and
 * sentence. {@link #retryable()} tells whether another attempt can succeed: the client gives up
 * (state {@code FAILED}) on the others.
 */
public final class UpgradeRefusedException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final int status;
  private final String code;

  /**
   * @param status the HTTP status
   * @param body the response body: Switchboard's {@code {"error": {"code", "message"}}}, or
   *     anything else another server sent
   */
  public UpgradeRefusedException(int status, Buffer body) {
    this(status, errorOf(body));
  }

  private UpgradeRefusedException(int status, JsonObject error) {
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

  private static JsonObject errorOf(Buffer body) {
    try {
      return body == null ? null : new JsonObject(body).getJsonObject("error");
    } catch (RuntimeException e) {
      return null; // not Switchboard's JSON error
    }
  }
}

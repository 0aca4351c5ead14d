package io.switchboard.protocol;

import java.util.Optional;

/**
 * WebSocket close codes used by Switchboard.
 *
 * <p>4000–4499: the client may reconnect. 4500–4999: it must not (reconnecting would be refused the
 * same way). Standard codes follow RFC 6455.
 */
public enum CloseCode {
  /** A normal close, asked for by either side. */
  NORMAL(1000, "normal closure"),
  /** The server is shutting down; reconnect after {@code server_shutdown.data.reconnectAfterMs}. */
  GOING_AWAY(1001, "server shutting down"),
  /** A text frame was not valid UTF-8. */
  INVALID_PAYLOAD(1007, "invalid UTF-8 in text frame"),
  /** A policy was violated (generic). */
  POLICY_VIOLATION(1008, "policy violation"),
  /** A frame or a whole message was over the size limit. */
  MESSAGE_TOO_BIG(1009, "message too big"),
  /** The server failed unexpectedly. */
  INTERNAL_ERROR(1011, "internal error"),
  /** No pong nor any other frame arrived within the pong timeout after a ping. */
  HEARTBEAT_TIMEOUT(4001, "heartbeat timeout"),
  /** The client read too slowly: its outbound buffer passed the configured limit. */
  SLOW_CONSUMER(4002, "slow consumer"),
  /**
   * The client sent nothing for longer than the stale-connection limit, or no first frame in time
   * after {@code welcome}.
   */
  STALE_CONNECTION(4003, "stale connection"),
  /** The connection's token expired and was not refreshed; reconnect with a fresh token. */
  TOKEN_EXPIRED(4004, "token expired"),
  /** Authentication failed; do not reconnect with the same credentials. */
  UNAUTHORIZED(4500, "unauthorized"),
  /** The client is not allowed to connect. */
  FORBIDDEN(4501, "forbidden"),
  /** An administrator disconnected this client. */
  KICKED(4502, "disconnected by an administrator");

  private final short code;
  private final String reason;

  CloseCode(int code, String reason) {
    this.code = (short) code;
    this.reason = reason;
  }

  /** The numeric close code. */
  public short code() {
    return code;
  }

  /** The default reason text sent with the close frame. */
  public String reason() {
    return reason;
  }

  /** Whether a client may reconnect after this close; see {@link #mayReconnect(int)}. */
  public boolean mayReconnect() {
    return mayReconnect(code);
  }

  /**
   * Whether a client may reconnect after a close with this code: every code but 4500–4999, which
   * say that reconnecting would be refused the same way.
   */
  public static boolean mayReconnect(int code) {
    return code < 4500 || code > 4999;
  }

  /** Looks a close code up by number. */
  public static Optional<CloseCode> of(int code) {
    for (CloseCode c : values()) {
      if (c.code == code) {
        return Optional.of(c);
      }
    }
    return Optional.empty();
  }
}

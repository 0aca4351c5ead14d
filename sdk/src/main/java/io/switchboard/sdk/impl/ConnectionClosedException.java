package io.switchboard.sdk.impl;

import io.switchboard.protocol.CloseCode;

/**
 * A connection, or a connect attempt, ended with a close code; {@link #mayReconnect()} tells
 * whether the code allows another attempt. Describes what the server did, not a bug, so it has no
 * stack trace.
 */
public final class ConnectionClosedException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final int code;

  ConnectionClosedException(String message, int code) {
    super(message, null, false, false);
    this.code = code;
  }

  /** The close code: the server's, or 1006 when the connection ended without a close frame. */
  public int code() {
    return code;
  }

  /** Whether the code allows reconnecting (anything but 4500–4999). */
  public boolean mayReconnect() {
    return CloseCode.mayReconnect(code);
  }

  /** How a code reads in messages: {@code 4502 (disconnected by an administrator)}. */
  static String describe(int code, String reason) {
    String text =
        reason != null && !reason.isEmpty()
            ? reason
            : CloseCode.of(code)
                .map(CloseCode::reason)
                .orElse(code == 1006 ? "abnormal closure" : "no reason given");
    return code + " (" + text + ")";
  }
}

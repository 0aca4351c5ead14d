package io.switchboard.server.auth;

/**
 * A token was refused; the message says exactly why (which claim, which rule), for the client's 401
 * answer or {@code unauthorized} error. An expected outcome: it carries no stack trace.
 */
public final class TokenRejected extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public TokenRejected(String message) {
    super(message, null, false, false);
  }
}

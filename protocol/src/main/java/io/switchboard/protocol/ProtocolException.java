package io.switchboard.protocol;

/**
 * Signals an expected protocol mistake, carrying the {@link ProtocolError} to answer with. It has
 * no stack trace: it describes bad input, not a bug.
 */
public final class ProtocolException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final transient ProtocolError error;

  public ProtocolException(ProtocolError error) {
    super(error.code().code() + ": " + error.message(), null, false, false);
    this.error = error;
  }

  /** The error to report. */
  public ProtocolError error() {
    return error;
  }
}

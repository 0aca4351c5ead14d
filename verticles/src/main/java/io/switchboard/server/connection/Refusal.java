package io.switchboard.server.connection;

import io.switchboard.protocol.ProtocolError;

/**
 * An upgrade refused before any WebSocket exists: answered with this HTTP status and {@code
 * {"error": {"code", "message"}}}, then the TCP connection is closed. An expected outcome: no stack
 * trace.
 */
final class Refusal extends RuntimeException {

  private static final long serialVersionUID = 1L;

  final int status;
  final transient ProtocolError error;

  /** An extra response header (e.g. {@code Sec-WebSocket-Version: 13} on a 426), or null. */
  final String header;

  final String headerValue;

  Refusal(int status, ProtocolError error, String header, String headerValue) {
    super(error.message(), null, false, false);
    this.status = status;
    this.error = error;
    this.header = header;
    this.headerValue = headerValue;
  }

  Refusal(int status, ProtocolError error) {
    this(status, error, null, null);
  }

  /** A refusal with the HTTP status of the error's code. */
  Refusal(ProtocolError error) {
    this(error.code().httpStatus(), error);
  }
}

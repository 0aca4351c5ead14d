package io.switchboard.server.admin;

/**
 * A failure the admin API answers with {@code {"error": {"code", "message"}}} and an HTTP status.
 * Besides the protocol's error codes, the admin API uses {@code not_found}, {@code
 * connection_not_found}, {@code method_not_allowed}, {@code unsupported_media_type}, {@code
 * too_many_streams} and {@code unavailable}.
 */
final class AdminException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  final int status;
  final String code;

  AdminException(int status, String code, String message) {
    super(message, null, false, false);
    this.status = status;
    this.code = code;
  }
}

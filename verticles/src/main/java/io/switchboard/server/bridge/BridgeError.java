package io.switchboard.server.bridge;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

/**
 * The refusals Switchboard's guard answers before a frame reaches the bridge, each as the bridge's
 * own error frame: {@code {"type": "err", "message": "<code>", "detail": "<sentence>"}}. The bridge
 * itself answers {@code access_denied} (an address not permitted), {@code missing_address} and
 * {@code unknown_address} (an unregister of an address not registered) the same way, without a
 * detail.
 */
enum BridgeError {
  /** The frame announced more than {@code bridge.maxFrameBytes}; the connection is closed. */
  FRAME_TOO_LARGE("frame_too_large"),
  /** The frame is not a JSON object, or a field has the wrong type. */
  INVALID_FRAME("invalid_frame"),
  /** {@code type} is missing or not one the bridge knows. */
  UNKNOWN_TYPE("unknown_type"),
  /** {@code headers} is not an object of strings, or names a delivery option not offered. */
  INVALID_HEADERS("invalid_headers"),
  /** {@code bridge.token} is set and the frame carries no {@code headers.token}. */
  TOKEN_REQUIRED("token_required"),
  /** {@code headers.token} is not the configured token. */
  INVALID_TOKEN("invalid_token"),
  /** A {@code register} for an address the connection is already registered on. */
  ALREADY_REGISTERED("already_registered"),
  /** A {@code register} beyond {@code bridge.maxRegistrations}. */
  TOO_MANY_REGISTRATIONS("too_many_registrations"),
  /** A connection beyond {@code bridge.maxConnections}; it is closed. */
  TOO_MANY_CONNECTIONS("too_many_connections"),
  /** The bridge failed on a frame unexpectedly; the detail names a reference in the server log. */
  INTERNAL("internal");

  private final String code;

  BridgeError(String code) {
    this.code = code;
  }

  /** The code, the frame's {@code message}. */
  String code() {
    return code;
  }

  /** The error frame, length prefix included. */
  Buffer frame(String detail) {
    return BridgeFrames.encode(
        new JsonObject().put("type", "err").put("message", code).put("detail", detail));
  }
}

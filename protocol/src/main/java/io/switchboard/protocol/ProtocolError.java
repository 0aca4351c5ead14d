package io.switchboard.protocol;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Objects;

/**
 * A machine-readable code with a sentence that says exactly what was wrong: which field, which
 * rule, what was found. Built through the named factories so the same mistake is always described
 * the same way.
 *
 * @param code the stable code: one of the protocol's own ({@link ErrorCode}) or a plugin's ({@link
 *     PluginErrorCode})
 * @param message the human sentence; it may improve between versions, the code does not
 */
public record ProtocolError(WireErrorCode code, String message) {

  private static final int MAX_SHOWN_CHARS = 40;

  public ProtocolError {
    Objects.requireNonNull(code, "code");
    Objects.requireNonNull(message, "message");
  }

  /** Whether sending the same frame later can succeed. */
  public boolean retryable() {
    return code.retryable();
  }

  /** An error of any code, the protocol's or a plugin's, with a free sentence. */
  public static ProtocolError of(WireErrorCode code, String message) {
    return new ProtocolError(code, message);
  }

  /** {@code bad_request}: the frame could not be parsed as JSON. */
  public static ProtocolError notJson(String detail) {
    return new ProtocolError(ErrorCode.BAD_REQUEST, "frame is not valid JSON: " + detail);
  }

  /** {@code bad_request}: the frame is JSON, but not an object. */
  public static ProtocolError notAnObject(Object value) {
    return new ProtocolError(
        ErrorCode.BAD_REQUEST, "frame must be a JSON object, was " + jsonKind(value));
  }

  /** {@code bad_request}: a field that is always required is absent. */
  public static ProtocolError missingField(String field) {
    return new ProtocolError(ErrorCode.BAD_REQUEST, "field '" + field + "' is required");
  }

  /** {@code bad_request}: a field required by this message type is absent. */
  public static ProtocolError missingField(String field, String type) {
    return new ProtocolError(
        ErrorCode.BAD_REQUEST, "field '" + field + "' is required for type '" + type + "'");
  }

  /** {@code bad_request}: a field has the wrong JSON type. */
  public static ProtocolError wrongType(String field, String expected, Object actual) {
    return new ProtocolError(
        ErrorCode.BAD_REQUEST,
        "field '" + field + "' must be " + expected + ", was " + jsonKind(actual));
  }

  /**
   * {@code bad_request}: a field breaks a rule.
   *
   * @param rule what the value must be, phrased to follow "must be", e.g. {@code "at most 64
   *     characters"}
   */
  public static ProtocolError invalidField(String field, Object value, String rule) {
    return new ProtocolError(
        ErrorCode.BAD_REQUEST, "field '" + field + "' must be " + rule + ", was " + show(value));
  }

  /** {@code unknown_type}: neither built in nor registered by a plugin. */
  public static ProtocolError unknownType(String type) {
    return new ProtocolError(
        ErrorCode.UNKNOWN_TYPE,
        "unknown message type '"
            + cut(type)
            + "'; clients may send ping, join, leave, publish and the types of loaded plugins");
  }

  /** {@code bad_request}: a client sent a type only the server may send. */
  public static ProtocolError serverOnlyType(String type) {
    return new ProtocolError(
        ErrorCode.BAD_REQUEST,
        "message type '" + type + "' is sent by the server only; clients may not send it");
  }

  /** {@code unsupported_frame}: a binary frame. */
  public static ProtocolError unsupportedFrame() {
    return new ProtocolError(
        ErrorCode.UNSUPPORTED_FRAME,
        "binary frames are not supported; send one JSON object per text frame");
  }

  /** {@code not_subscribed}: the connection has not joined this channel. */
  public static ProtocolError notSubscribed(String channel) {
    return new ProtocolError(
        ErrorCode.NOT_SUBSCRIBED, "not subscribed to channel '" + channel + "'; join it first");
  }

  /** {@code already_subscribed}: the connection has already joined this channel. */
  public static ProtocolError alreadySubscribed(String channel) {
    return new ProtocolError(
        ErrorCode.ALREADY_SUBSCRIBED, "already subscribed to channel '" + channel + "'");
  }

  /** {@code channel_not_found}: no such channel. */
  public static ProtocolError channelNotFound(String channel) {
    return new ProtocolError(
        ErrorCode.CHANNEL_NOT_FOUND, "channel '" + channel + "' does not exist");
  }

  /** {@code forbidden}: the action is not allowed. */
  public static ProtocolError forbidden(String message) {
    return new ProtocolError(ErrorCode.FORBIDDEN, message);
  }

  /** {@code internal}: an unexpected failure, logged on the server under {@code referenceId}. */
  public static ProtocolError internal(String referenceId) {
    return new ProtocolError(
        ErrorCode.INTERNAL,
        "internal server error; reference " + referenceId + " in the server log");
  }

  /** This error as the {@code error} object of an {@code error} frame. */
  public JsonObject toJson() {
    return new JsonObject()
        .put("code", code.code())
        .put("message", message)
        .put("retryable", code.retryable());
  }

  /**
   * Reads the {@code error} object of an {@code error} frame. A plugin's code ({@code
   * <plugin>.<name>}) is kept as it came, with the frame's {@code retryable}. Any other unknown
   * code becomes {@link ErrorCode#INTERNAL} with the original code kept in the message, so newer
   * servers never break older clients.
   */
  public static ProtocolError fromJson(JsonObject json) {
    String code = json.getValue("code") instanceof String s ? s : "";
    String message = json.getValue("message") instanceof String s ? s : "";
    boolean retryable = Boolean.TRUE.equals(json.getValue("retryable"));
    return ErrorCode.fromCode(code)
        .<WireErrorCode>map(c -> c)
        .or(() -> PluginErrorCode.fromCode(code, retryable))
        .map(c -> new ProtocolError(c, message))
        .orElseGet(() -> new ProtocolError(ErrorCode.INTERNAL, code + ": " + message));
  }

  /** The JSON kind of a decoded value, for messages: "an object", "a string", "null", ... */
  public static String jsonKind(Object value) {
    if (value == null) {
      return "null";
    } else if (value instanceof JsonObject) {
      return "an object";
    } else if (value instanceof JsonArray) {
      return "an array";
    } else if (value instanceof CharSequence) {
      return "a string";
    } else if (value instanceof Number) {
      return "a number";
    } else if (value instanceof Boolean) {
      return "a boolean";
    }
    return value.getClass().getSimpleName();
  }

  private static String show(Object value) {
    if (value instanceof CharSequence text) {
      String s = text.toString();
      return s.length() <= MAX_SHOWN_CHARS
          ? "'" + s + "'"
          : "'" + cut(s) + "' (" + s.length() + " characters)";
    }
    return jsonKind(value) + (value == null ? "" : " " + value);
  }

  private static String cut(String s) {
    return s.length() <= MAX_SHOWN_CHARS ? s : s.substring(0, MAX_SHOWN_CHARS) + "…";
  }
}

package io.switchboard.protocol;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The stable error codes of wire protocol v1, carried in {@code error.code} of {@code error}
 * frames. The code never changes for a given situation; the human message beside it may improve.
 * Plugins add codes of their own beside these ({@link PluginErrorCode}, {@code <plugin>.<name>}).
 *
 * <p>{@link #retryable()} is true only where sending the same frame again later can succeed.
 */
public enum ErrorCode implements WireErrorCode {
  /** The frame is malformed: not JSON, not an object, a field missing or of the wrong type. */
  BAD_REQUEST("bad_request", false, 400),
  /** The {@code type} is neither built in nor registered by a plugin. */
  UNKNOWN_TYPE("unknown_type", false, 400),
  /** A binary frame was received; the protocol uses text frames only. */
  UNSUPPORTED_FRAME("unsupported_frame", false, 400),
  /** A leave (or another channel action) named a channel this connection has not joined. */
  NOT_SUBSCRIBED("not_subscribed", false, 409),
  /** A join named a channel this connection has already joined. */
  ALREADY_SUBSCRIBED("already_subscribed", false, 409),
  /** The channel does not exist (e.g. an unknown {@code $} server channel). */
  CHANNEL_NOT_FOUND("channel_not_found", false, 404),
  /** The action is not allowed, e.g. a client publishing to a {@code $} channel. */
  FORBIDDEN("forbidden", false, 403),
  /** Authentication is missing or invalid. */
  UNAUTHORIZED("unauthorized", false, 401),
  /** The frame or message is over a configured size limit. */
  MESSAGE_TOO_LARGE("message_too_large", false, 413),
  /** Too many frames in too short a time; retry later. */
  RATE_LIMITED("rate_limited", true, 429),
  /**
   * A connection limit was reached (per IP address or per user): the upgrade is refused; retry once
   * another connection has closed.
   */
  TOO_MANY_CONNECTIONS("too_many_connections", true, 429),
  /** A per-connection limit was reached, e.g. the number of channels one connection may join. */
  LIMIT_EXCEEDED("limit_exceeded", false, 409),
  /** The server cannot take the request now (full, or shutting down); retry later. */
  UNAVAILABLE("unavailable", true, 503),
  /**
   * A plugin failed while handling the frame or deciding on a join or publish: it threw, failed, or
   * broke its contract; the message carries a reference id.
   */
  PLUGIN_ERROR("plugin_error", false, 500),
  /** A plugin did not handle the frame, or decide on a join or publish, within its timeout. */
  PLUGIN_TIMEOUT("plugin_timeout", true, 504),
  /**
   * A history request named a position ({@code since}) the channel's history no longer covers: its
   * epoch is not the stream's current one, or messages after it have been dropped (by size or age).
   * The client resyncs from the present instead of reading a partial history.
   */
  HISTORY_UNAVAILABLE("history_unavailable", false, 410),
  /** An unexpected server failure; the message carries a reference id found in the server log. */
  INTERNAL("internal", true, 500);

  private static final Map<String, ErrorCode> BY_CODE = new HashMap<>();

  static {
    for (ErrorCode code : values()) {
      BY_CODE.put(code.code, code);
    }
  }

  private final String code;
  private final boolean retryable;
  private final int httpStatus;

  ErrorCode(String code, boolean retryable, int httpStatus) {
    this.code = code;
    this.retryable = retryable;
    this.httpStatus = httpStatus;
  }

  /** The wire code, e.g. {@code not_subscribed}. */
  @Override
  public String code() {
    return code;
  }

  /** Whether retrying the same frame later can succeed. */
  @Override
  public boolean retryable() {
    return retryable;
  }

  /** The HTTP status the admin API answers with for this code. */
  @Override
  public int httpStatus() {
    return httpStatus;
  }

  /** Looks a code up by its wire name; empty for anything else, a plugin's codes included. */
  public static Optional<ErrorCode> fromCode(String code) {
    return Optional.ofNullable(code == null ? null : BY_CODE.get(code));
  }
}

package io.switchboard.protocol;

/**
 * An error code as {@code error.code} carries it on the wire: one of the protocol's own ({@link
 * ErrorCode}) or one a plugin defined for itself ({@link PluginErrorCode}, {@code <plugin>.<name>},
 * e.g. {@code polls.closed}). Compare the protocol's own with {@code ==}: {@code error.code() ==
 * ErrorCode.FORBIDDEN}; tell a plugin's apart with {@code instanceof PluginErrorCode}.
 */
public sealed interface WireErrorCode permits ErrorCode, PluginErrorCode {

  /**
   * The code as sent in {@code error.code}, e.g. {@code not_subscribed} or {@code polls.closed}.
   */
  String code();

  /** Whether sending the same frame again later can succeed ({@code error.retryable}). */
  boolean retryable();

  /**
   * The HTTP status that stands for this code: the admin API's answer, and the failure code of an
   * event-bus request failed with it.
   */
  int httpStatus();
}

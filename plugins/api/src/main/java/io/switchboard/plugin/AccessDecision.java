package io.switchboard.plugin;

import io.switchboard.protocol.ErrorCode;
import io.switchboard.protocol.PluginErrorCode;
import io.switchboard.protocol.ProtocolError;
import io.switchboard.protocol.WireErrorCode;
import java.util.Objects;

/**
 * A {@link ChannelAuthorizer}'s answer: {@link #allow()}, or a refusal with the sentence the client
 * reads ({@link #refuse(String)}, code {@code forbidden}) and, if the plugin wants one, a code of
 * its own ({@link #refuse(PluginErrorCode, String)}).
 */
public final class AccessDecision {

  private static final AccessDecision ALLOWED = new AccessDecision(null);

  private final ProtocolError refusal;

  private AccessDecision(ProtocolError refusal) {
    this.refusal = refusal;
  }

  /** The join or publish may go ahead. */
  public static AccessDecision allow() {
    return ALLOWED;
  }

  /**
   * Refuses with {@code forbidden}: the client gets an {@code error} frame with code {@code
   * forbidden} and exactly this message.
   *
   * @param message what the client reads, e.g. {@code "room 'ops' is for the on-call team only"}
   * @throws IllegalArgumentException when the message is null or blank
   */
  public static AccessDecision refuse(String message) {
    return refuse(ErrorCode.FORBIDDEN, message);
  }

  /**
   * Refuses with one of the plugin's own codes, which must start with the plugin's name: a code of
   * another plugin is a programming error, answered {@code plugin_error} and logged.
   *
   * @param code e.g. {@code PluginErrorCode.of("rooms", "not_invited", false)}
   * @param message what the client reads
   * @throws IllegalArgumentException when the message is null or blank
   */
  public static AccessDecision refuse(PluginErrorCode code, String message) {
    return refuse((WireErrorCode) code, message);
  }

  private static AccessDecision refuse(WireErrorCode code, String message) {
    Objects.requireNonNull(code, "code");
    if (message == null || message.isBlank()) {
      throw new IllegalArgumentException(
          "a refusal needs a message that tells the client why, was " + message);
    }
    return new AccessDecision(ProtocolError.of(code, message));
  }

  /** Whether the join or publish may go ahead. */
  public boolean allowed() {
    return refusal == null;
  }

  /** The error the client gets, or null when allowed. */
  public ProtocolError refusal() {
    return refusal;
  }

  @Override
  public String toString() {
    return allowed()
        ? "allowed"
        : "refused (" + refusal.code().code() + ": " + refusal.message() + ")";
  }
}

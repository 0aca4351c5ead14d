package io.switchboard.protocol;

import java.util.Collection;

/**
 * The rules for channel names: 1 to {@value #MAX_LENGTH} characters of {@code [A-Za-z0-9_:.@$-]}.
 * Names starting with {@value #SERVER_PREFIX} belong to the server (e.g. {@value #TELEMETRY}):
 * clients may join the ones that exist, and may never publish to them.
 */
public final class ChannelNames {

  /** The longest channel name, in characters. */
  public static final int MAX_LENGTH = 200;

  /** The prefix of the server's own channels. */
  public static final String SERVER_PREFIX = "$";

  /** The channel that receives {@code metrics_update} frames. */
  public static final String TELEMETRY = "$telemetry";

  private static final String ALLOWED = "A-Z a-z 0-9 _ : . @ $ -";

  private ChannelNames() {}

  /**
   * Checks a channel name against the rules.
   *
   * @param field the field name to use in the error message (usually {@code channel})
   * @throws ProtocolException with {@code bad_request} naming the field and the rule broken
   */
  public static void validate(String field, String name) {
    if (name.isEmpty()) {
      throw new ProtocolException(
          ProtocolError.of(ErrorCode.BAD_REQUEST, "field '" + field + "' must not be empty"));
    }
    if (name.length() > MAX_LENGTH) {
      throw new ProtocolException(
          ProtocolError.invalidField(field, name, "at most " + MAX_LENGTH + " characters"));
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (!isAllowed(c)) {
        throw new ProtocolException(
            ProtocolError.of(
                ErrorCode.BAD_REQUEST,
                "field '"
                    + field
                    + "' may only contain "
                    + ALLOWED
                    + ", found "
                    + describe(c)
                    + " at index "
                    + i));
      }
    }
  }

  /**
   * Whether channel grants (a token's channels claim) include {@code channel}: a grant names a
   * channel exactly, or ends in {@code *} and names every channel starting with what precedes it
   * ({@code chat:*}).
   */
  public static boolean granted(Collection<String> grants, String channel) {
    for (String grant : grants) {
      if (grant.endsWith("*")
          ? channel.startsWith(grant.substring(0, grant.length() - 1))
          : grant.equals(channel)) {
        return true;
      }
    }
    return false;
  }

  /** Whether the name is one of the server's own ({@code $}-prefixed) channels. */
  public static boolean isServerChannel(String name) {
    return name.startsWith(SERVER_PREFIX);
  }

  private static boolean isAllowed(char c) {
    return (c >= 'a' && c <= 'z')
        || (c >= 'A' && c <= 'Z')
        || (c >= '0' && c <= '9')
        || c == '_'
        || c == ':'
        || c == '.'
        || c == '@'
        || c == '$'
        || c == '-';
  }

  private static String describe(char c) {
    if (Character.isISOControl(c) || Character.isWhitespace(c) || Character.isSurrogate(c)) {
      return String.format("U+%04X", (int) c);
    }
    return "'" + c + "'";
  }
}

package io.switchboard.protocol;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * An error code a plugin defined for itself: {@code <plugin>.<name>}, the plugin's name, a dot and
 * a lower-case snake-case name, e.g. {@code polls.closed}. It reaches the client's {@code error}
 * frame unchanged, with the plugin's own {@code retryable} flag; it can never be mistaken for one
 * of the protocol's codes, which have no dot. Declare a plugin's codes as constants:
 *
 * <pre>{@code
 * static final PluginErrorCode CLOSED = PluginErrorCode.of("polls", "closed", false);
 * }</pre>
 *
 * @param plugin the name of the plugin that defines it: 1 to 63 lower-case letters, digits and
 *     dashes, starting with a letter or digit
 * @param name the code within the plugin: 1 to 63 lower-case letters, digits and underscores,
 *     starting with a letter
 * @param retryable whether sending the same frame again later can succeed
 * @throws IllegalArgumentException when {@code plugin} or {@code name} breaks its rule
 */
public record PluginErrorCode(String plugin, String name, boolean retryable)
    implements WireErrorCode {

  /** What a plugin's name looks like (the same rule the server applies when loading plugins). */
  public static final Pattern PLUGIN_NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

  /** What the part after the plugin's name looks like. */
  public static final Pattern CODE_NAME = Pattern.compile("[a-z][a-z0-9_]{0,62}");

  /** The HTTP status of a plugin's code that is not retryable: 422, the request was refused. */
  public static final int STATUS = 422;

  /** The HTTP status of a plugin's retryable code: 503, try again later. */
  public static final int RETRYABLE_STATUS = 503;

  public PluginErrorCode {
    if (plugin == null || !PLUGIN_NAME.matcher(plugin).matches()) {
      throw new IllegalArgumentException(
          "a plugin error code starts with the plugin's name (1 to 63 lower-case letters, digits"
              + " and dashes), was '"
              + plugin
              + "'");
    }
    if (name == null || !CODE_NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "a plugin error code's name is 1 to 63 lower-case letters, digits and underscores"
              + " starting with a letter (e.g. 'closed' in '"
              + plugin
              + ".closed'), was '"
              + name
              + "'");
    }
  }

  /** A code of the plugin {@code plugin}, e.g. {@code of("polls", "closed", false)}. */
  public static PluginErrorCode of(String plugin, String name, boolean retryable) {
    return new PluginErrorCode(plugin, name, retryable);
  }

  /**
   * Reads {@code <plugin>.<name>} as it appears on the wire.
   *
   * @return empty when {@code code} is not of that form (a protocol code, or anything else)
   */
  public static Optional<PluginErrorCode> fromCode(String code, boolean retryable) {
    int dot = code == null ? -1 : code.indexOf('.');
    if (dot < 0 || code.indexOf('.', dot + 1) >= 0) {
      return Optional.empty();
    }
    String plugin = code.substring(0, dot);
    String name = code.substring(dot + 1);
    if (!PLUGIN_NAME.matcher(plugin).matches() || !CODE_NAME.matcher(name).matches()) {
      return Optional.empty();
    }
    return Optional.of(new PluginErrorCode(plugin, name, retryable));
  }

  /** {@code <plugin>.<name>}, e.g. {@code polls.closed}. */
  @Override
  public String code() {
    return plugin + "." + name;
  }

  /** {@value #RETRYABLE_STATUS} when retryable, else {@value #STATUS}. */
  @Override
  public int httpStatus() {
    return retryable ? RETRYABLE_STATUS : STATUS;
  }

  @Override
  public String toString() {
    return code();
  }
}

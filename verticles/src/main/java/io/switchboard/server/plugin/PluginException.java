package io.switchboard.server.plugin;

/**
 * Plugins cannot be loaded as configured: a duplicate type or name, a built-in type claimed, a
 * broken jar, a missing verticle class. The message names every party; start-up stops with it.
 */
public final class PluginException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public PluginException(String message) {
    super(message, null, false, false);
  }

  public PluginException(String message, Throwable cause) {
    super(message, cause);
  }
}

package io.switchboard.server.plugin;

/**
 * Plugins cannot be loaded as configured: a duplicate type or name, a built-in type claimed, a
 * broken jar, settings or an authorizer naming a plugin that is not loaded, a missing verticle
 * class. The message names every party; start-up stops with it, and the launcher takes it for a
 * configuration error (exit code 2). A plugin that is loaded but fails to start is a {@link
 * PluginStartException} instead.
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

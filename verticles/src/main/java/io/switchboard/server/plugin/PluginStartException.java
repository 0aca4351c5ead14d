package io.switchboard.server.plugin;

/**
 * The configured plugins were loaded, but one of them did not start: a plugin's own {@code start}
 * failed, or a plugin verticle failed to deploy. Unlike a {@link PluginException}, the
 * configuration may be right (a plugin's database may be down); start-up stops with the plugin's
 * name and its failure as the cause.
 */
public final class PluginStartException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public PluginStartException(String message, Throwable cause) {
    super(message, cause);
  }
}

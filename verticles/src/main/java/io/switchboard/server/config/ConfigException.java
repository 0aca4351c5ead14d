package io.switchboard.server.config;

/**
 * A configuration value breaks a rule. The message names the key, the value and the rule, e.g.
 * {@code heartbeat.intervalMs must be > 0, was -5}; start-up stops with it.
 */
public final class ConfigException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public ConfigException(String message) {
    super(message, null, false, false);
  }
}

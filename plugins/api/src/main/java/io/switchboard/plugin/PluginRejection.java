package io.switchboard.plugin;

import io.switchboard.protocol.ProtocolError;

/**
 * The failure of a handling the plugin refused on purpose ({@link PluginContext#reject}). The
 * sender gets an {@code error} frame with its code and message; nothing is logged as a failure. Its
 * code is one of the protocol's or one of the plugin's own; a code of another plugin is answered
 * {@code plugin_error} instead.
 */
public final class PluginRejection extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final transient ProtocolError error;

  public PluginRejection(ProtocolError error) {
    super(error.code().code() + ": " + error.message(), null, false, false);
    this.error = error;
  }

  /** The error the sender gets. */
  public ProtocolError error() {
    return error;
  }
}

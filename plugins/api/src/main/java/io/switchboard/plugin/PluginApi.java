package io.switchboard.plugin;

/**
 * The plugin SPI's version. The SPI itself ({@code MessageTypePlugin}, {@code PluginContext})
 * arrives with the plugin issue; until then this module only reserves the artifact and package so
 * that the build layout matches the design.
 */
public final class PluginApi {

  /** Raised on every incompatible change to the SPI. */
  public static final int VERSION = 1;

  private PluginApi() {}
}

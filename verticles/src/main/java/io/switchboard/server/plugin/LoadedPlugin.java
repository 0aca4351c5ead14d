package io.switchboard.server.plugin;

import io.switchboard.plugin.MessageTypePlugin;
import io.switchboard.server.config.PluginsConfig.PluginSettings;

/**
 * A plugin found at start-up.
 *
 * @param plugin the instance
 * @param source where it came from: {@code classpath}, {@code embedded} (given programmatically) or
 *     the jar's file name
 * @param settings its settings (enabled, timeout, own configuration)
 * @param timeoutMs its effective handling timeout
 * @param version the version {@code GET /api/plugins} shows (see {@link PluginVersion})
 */
public record LoadedPlugin(
    MessageTypePlugin plugin,
    String source,
    PluginSettings settings,
    long timeoutMs,
    String version) {

  public String name() {
    return plugin.name();
  }

  /** How the plugin is named in messages: {@code 'chat' (chat.jar)}. */
  String label() {
    return "'" + plugin.name() + "' (" + source + ")";
  }
}

package io.switchboard.server.plugin;

/**
 * Where routing sends a frame of a plugin type.
 *
 * @param plugin the owning plugin's name (its address is {@code switchboard.plugin.<name>})
 * @param timeoutMs the plugin's handling timeout
 */
public record PluginRoute(String plugin, long timeoutMs) {}

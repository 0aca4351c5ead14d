package io.switchboard.plugin;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

/**
 * What a plugin gets at {@link MessageTypePlugin#start}: its Vert.x instance and its configuration
 * section ({@code plugins.settings.<name>.config} in {@code conf/switchboard.json}, an empty object
 * when absent).
 */
public interface PluginEnvironment {

  /** The Vert.x instance the server runs in. */
  Vertx vertx();

  /** The plugin's own configuration; never null. */
  JsonObject config();
}

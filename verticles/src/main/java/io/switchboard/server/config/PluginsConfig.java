package io.switchboard.server.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Plugins ({@code plugins} section).
 *
 * @param directory the folder whose jars are searched for plugins; a relative path is resolved
 *     against the folder of {@code switchboard.jar} when the launcher ({@code Main}) runs it, and
 *     against the working directory when an application embeds the server ({@code
 *     SwitchboardServer.start} or {@code deploy})
 * @param scanClasspath whether plugins on the server's own class path are loaded too
 * @param timeoutMs how long a plugin may take to handle a frame before the sender gets {@code
 *     plugin_timeout}, unless its settings say otherwise
 * @param settings per plugin name: whether it is enabled, its timeout and its own configuration
 * @param verticles verticles to deploy after the core verticles (and undeploy before them)
 */
public record PluginsConfig(
    String directory,
    boolean scanClasspath,
    long timeoutMs,
    Map<String, PluginSettings> settings,
    List<PluginVerticle> verticles) {

  public static final String SECTION = "plugins";
  public static final String DEFAULT_DIRECTORY = "plugins";
  public static final boolean DEFAULT_SCAN_CLASSPATH = true;
  public static final long DEFAULT_TIMEOUT_MS = 5_000;

  private static final Set<String> KEYS =
      Set.of("directory", "scanClasspath", "timeoutMs", "settings", "verticles");

  /**
   * One plugin's settings ({@code plugins.settings.<name>}).
   *
   * @param enabled false keeps the plugin unloaded: its types are then unknown
   * @param timeoutMs this plugin's handling timeout; 0 uses {@code plugins.timeoutMs}
   * @param config the plugin's own configuration, given to it as is
   */
  public record PluginSettings(boolean enabled, long timeoutMs, JsonObject config) {

    static final Set<String> KEYS = Set.of("enabled", "timeoutMs", "config");

    /** The settings of a plugin that the configuration does not mention. */
    public static final PluginSettings DEFAULT = new PluginSettings(true, 0, new JsonObject());
  }

  /**
   * A verticle to deploy ({@code plugins.verticles[i]}).
   *
   * @param className the verticle's class (a {@code Deployable} with a no-argument constructor)
   * @param jar the jar holding it, relative to the plugins folder, or null for the class path
   * @param instances how many instances to deploy
   * @param config the verticle's {@code config()}
   */
  public record PluginVerticle(String className, String jar, int instances, JsonObject config) {

    static final Set<String> KEYS = Set.of("class", "jar", "instances", "config");
  }

  static PluginsConfig from(JsonObject root) {
    ConfigSection s = ConfigSection.of(root, SECTION, KEYS);
    Map<String, PluginSettings> settings = new LinkedHashMap<>();
    JsonObject rawSettings = s.object("settings");
    for (String name : rawSettings.fieldNames()) {
      ConfigSection one =
          ConfigSection.at(
              s.name("settings." + name), rawSettings.getValue(name), PluginSettings.KEYS);
      settings.put(
          name,
          new PluginSettings(
              one.bool("enabled", true), one.millis("timeoutMs", 0, 0), one.object("config")));
    }
    List<PluginVerticle> verticles = new ArrayList<>();
    JsonArray rawVerticles = s.array("verticles");
    for (int i = 0; i < rawVerticles.size(); i++) {
      ConfigSection one =
          ConfigSection.at(
              s.name("verticles[" + i + "]"), rawVerticles.getValue(i), PluginVerticle.KEYS);
      String className = one.string("class", "");
      if (className.isBlank()) {
        throw one.invalid("class", "\"\"", "a class name");
      }
      String jar = one.string("jar", null);
      verticles.add(
          new PluginVerticle(
              className, jar, one.integer("instances", 1, 1, 1024), one.object("config")));
    }
    return new PluginsConfig(
        s.string("directory", DEFAULT_DIRECTORY),
        s.bool("scanClasspath", DEFAULT_SCAN_CLASSPATH),
        s.millis("timeoutMs", DEFAULT_TIMEOUT_MS, 1),
        Map.copyOf(settings),
        List.copyOf(verticles));
  }

  /** The settings of a plugin, or the defaults when the configuration does not name it. */
  public PluginSettings settingsOf(String name) {
    return settings.getOrDefault(name, PluginSettings.DEFAULT);
  }

  /** The handling timeout of a plugin. */
  public long timeoutOf(String name) {
    long own = settingsOf(name).timeoutMs();
    return own > 0 ? own : timeoutMs;
  }

  JsonObject toJson() {
    JsonObject settingsJson = new JsonObject();
    settings.forEach(
        (name, one) ->
            settingsJson.put(
                name,
                new JsonObject()
                    .put("enabled", one.enabled())
                    .put("timeoutMs", one.timeoutMs())
                    .put("config", one.config())));
    JsonArray verticlesJson = new JsonArray();
    verticles.forEach(
        v ->
            verticlesJson.add(
                new JsonObject()
                    .put("class", v.className())
                    .put("jar", v.jar())
                    .put("instances", v.instances())
                    .put("config", v.config())));
    return new JsonObject()
        .put("directory", directory)
        .put("scanClasspath", scanClasspath)
        .put("timeoutMs", timeoutMs)
        .put("settings", settingsJson)
        .put("verticles", verticlesJson);
  }
}

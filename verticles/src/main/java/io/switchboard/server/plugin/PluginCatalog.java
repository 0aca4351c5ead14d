package io.switchboard.server.plugin;

import io.switchboard.plugin.ChannelAuthorizer;
import io.switchboard.server.config.ChannelsConfig;
import io.switchboard.server.config.ChannelsConfig.NamespaceConfig;
import io.switchboard.server.config.PluginsConfig.PluginVerticle;
import io.switchboard.server.metrics.PluginMeters;
import io.switchboard.server.metrics.SwitchboardMetrics;
import io.vertx.core.Deployable;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What was loaded at start-up: every plugin (enabled or not), which plugin owns each message type,
 * and the class loaders of the plugin jars (for plugin verticles). Fixed once built, except for the
 * deployment ids of plugin verticles.
 */
public final class PluginCatalog {

  private final String configuredDirectory;
  private final Path directory;
  private final List<LoadedPlugin> plugins;
  private final Map<String, LoadedPlugin> types;
  private final Map<String, URLClassLoader> jars;
  private final Map<PluginVerticle, String> deployedVerticles = new ConcurrentHashMap<>();
  private final Map<PluginVerticle, String> verticleSources = new ConcurrentHashMap<>();

  /**
   * @param configuredDirectory {@code plugins.directory} as configured, the only form the admin API
   *     shows: the resolved path would tell a caller where the server is installed
   * @param directory the folder the jars were read from
   */
  PluginCatalog(
      String configuredDirectory,
      Path directory,
      List<LoadedPlugin> plugins,
      Map<String, LoadedPlugin> types,
      Map<String, URLClassLoader> jars) {
    this.configuredDirectory = configuredDirectory;
    this.directory = directory;
    this.plugins = List.copyOf(plugins);
    this.types = Map.copyOf(types);
    this.jars = jars;
  }

  /** A catalog without plugins, for a server that loads none. */
  public static PluginCatalog empty() {
    return new PluginCatalog("", Path.of(""), List.of(), Map.of(), Map.of());
  }

  /** Every plugin found, enabled or not. */
  public List<LoadedPlugin> plugins() {
    return plugins;
  }

  /** The plugins that run. */
  public List<LoadedPlugin> enabled() {
    return plugins.stream().filter(p -> p.settings().enabled()).toList();
  }

  /** For each message type, where routing sends it. */
  public Map<String, PluginRoute> routes() {
    Map<String, PluginRoute> routes = new java.util.HashMap<>();
    types.forEach(
        (type, plugin) -> routes.put(type, new PluginRoute(plugin.name(), plugin.timeoutMs())));
    return Map.copyOf(routes);
  }

  /**
   * Checks that every namespace's {@code authorizer} names a plugin that runs and is a {@link
   * ChannelAuthorizer}.
   *
   * @throws PluginException naming the namespace's key and the plugin, when one does not
   */
  public void checkAuthorizers(ChannelsConfig channels) {
    for (NamespaceConfig namespace : new java.util.TreeMap<>(channels.namespaces()).values()) {
      if (!namespace.hasAuthorizer()) {
        continue;
      }
      String key = namespace.key("authorizer");
      LoadedPlugin plugin =
          plugins.stream()
              .filter(p -> p.name().equals(namespace.authorizer()))
              .findFirst()
              .orElse(null);
      if (plugin == null) {
        throw new PluginException(
            key
                + " names plugin '"
                + namespace.authorizer()
                + "', which is not loaded; loaded: "
                + (plugins.isEmpty()
                    ? "none"
                    : String.join(", ", plugins.stream().map(LoadedPlugin::name).toList())));
      }
      if (!(plugin.plugin() instanceof ChannelAuthorizer)) {
        throw new PluginException(
            key
                + " names plugin "
                + plugin.label()
                + ", which is not a ChannelAuthorizer ("
                + plugin.plugin().getClass().getName()
                + ")");
      }
      if (!plugin.settings().enabled()) {
        throw new PluginException(
            key
                + " names plugin "
                + plugin.label()
                + ", which is disabled (plugins.settings."
                + plugin.name()
                + ".enabled: false)");
      }
    }
  }

  /**
   * The class of a plugin verticle, from its jar in the plugins folder or from the class path.
   *
   * @throws PluginException naming the configuration entry when the class cannot be used
   */
  public Class<? extends Deployable> verticleClass(int index, PluginVerticle spec) {
    String where = "plugins.verticles[" + index + "]";
    Map<String, ClassLoader> candidates = new java.util.LinkedHashMap<>();
    if (spec.jar() != null) {
      ClassLoader loader = jars.get(spec.jar());
      if (loader == null) {
        throw new PluginException(
            where + ".jar " + spec.jar() + " is not in the plugins folder " + directory);
      }
      candidates.put(spec.jar(), loader);
    } else {
      // Without a jar: the class path first, then every plugin jar.
      candidates.put("classpath", PluginCatalog.class.getClassLoader());
      candidates.putAll(jars);
    }
    Class<?> type = null;
    for (Map.Entry<String, ClassLoader> candidate : candidates.entrySet()) {
      try {
        type = Class.forName(spec.className(), false, candidate.getValue());
        verticleSources.put(spec, candidate.getKey());
        break;
      } catch (ClassNotFoundException | LinkageError e) {
        // try the next place
      }
    }
    if (type == null) {
      throw new PluginException(
          where
              + ".class "
              + spec.className()
              + " was not found in "
              + (spec.jar() == null ? "the class path or the plugin jars" : spec.jar()));
    }
    if (!Deployable.class.isAssignableFrom(type)) {
      throw new PluginException(
          where + ".class " + spec.className() + " is not a Vert.x verticle (Deployable)");
    }
    return type.asSubclass(Deployable.class);
  }

  public void verticleDeployed(PluginVerticle spec, String deploymentId) {
    deployedVerticles.put(spec, deploymentId);
  }

  /**
   * The plugins and plugin verticles, as {@code GET /api/plugins} shows them: the folder as
   * configured and jars by file name, never an absolute path of the server's machine.
   */
  public JsonObject describe(SwitchboardMetrics metrics, List<PluginVerticle> verticles) {
    JsonArray pluginList = new JsonArray();
    for (LoadedPlugin plugin : plugins) {
      PluginMeters meters = metrics.plugin(plugin.name());
      pluginList.add(
          new JsonObject()
              .put("name", plugin.name())
              .put("version", plugin.version())
              .put("jar", plugin.source())
              .put(
                  "types",
                  new JsonArray(List.copyOf(new TreeSet<>(plugin.plugin().messageTypes()))))
              .put("authorizer", plugin.plugin() instanceof ChannelAuthorizer)
              .put("enabled", plugin.settings().enabled())
              .put("timeoutMs", plugin.timeoutMs())
              .put("handled", meters.handledTotal())
              .put("rejected", meters.rejectedTotal())
              .put("failed", meters.failedTotal())
              .put("allowed", meters.allowedTotal())
              .put("refused", meters.refusedTotal()));
    }
    JsonArray verticleList = new JsonArray();
    for (PluginVerticle spec : verticles) {
      verticleList.add(
          new JsonObject()
              .put("class", spec.className())
              .put("jar", verticleSources.get(spec))
              .put("instances", spec.instances())
              .put("deploymentId", deployedVerticles.get(spec)));
    }
    return new JsonObject()
        .put("directory", configuredDirectory)
        .put("plugins", pluginList)
        .put("verticles", verticleList);
  }

  /** Releases the plugin jars. */
  public void close() {
    jars.values().forEach(PluginCatalog::closeQuietly);
  }

  static void closeQuietly(URLClassLoader loader) {
    try {
      loader.close();
    } catch (IOException e) {
      // Nothing left to do: the jar stays open until the JVM exits.
    }
  }
}

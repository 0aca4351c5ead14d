package io.switchboard.server.plugin;

import io.switchboard.plugin.ChannelAuthorizer;
import io.switchboard.plugin.MessageTypePlugin;
import io.switchboard.protocol.MessageType;
import io.switchboard.server.config.PluginsConfig;
import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds plugins with {@link ServiceLoader}: instances given programmatically, the server's class
 * path, and every jar of the plugins folder, each jar in a class loader of its own (whose parent is
 * the server's, so the SPI and Vert.x are shared). Checks names and type ownership; anything wrong
 * is a {@link PluginException} naming every party.
 */
public final class PluginLoader {

  private static final Logger log = LoggerFactory.getLogger(PluginLoader.class);
  private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

  private PluginLoader() {}

  /**
   * Loads every plugin. Blocking (reads jars): call it off the event loop.
   *
   * @param embedded plugin instances given programmatically (e.g. by tests or an embedding
   *     application), checked like the others
   * @param base the folder a relative {@code plugins.directory} is resolved against: the working
   *     directory for an embedded server, the folder of the server jar for the launcher
   */
  public static PluginCatalog load(
      PluginsConfig config, List<MessageTypePlugin> embedded, Path base) {
    Path directory = resolveDirectory(config.directory(), base);
    Map<String, URLClassLoader> jars = openJars(directory);
    List<LoadedPlugin> found = new ArrayList<>();
    try {
      for (MessageTypePlugin plugin : embedded) {
        found.add(loaded(config, plugin, "embedded", true));
      }
      if (config.scanClasspath()) {
        discover(PluginLoader.class.getClassLoader(), false, "classpath", config, found);
      }
      for (Map.Entry<String, URLClassLoader> jar : jars.entrySet()) {
        discover(jar.getValue(), true, jar.getKey(), config, found);
      }
      Map<String, LoadedPlugin> types = check(config, found);
      log.info(
          "plugins loaded [folder: {}, plugins: {}, types: {}]",
          directory,
          found.stream()
              .map(p -> p.name() + (p.settings().enabled() ? "" : " (disabled)"))
              .toList(),
          types.keySet());
      return new PluginCatalog(config.directory(), directory, found, types, jars);
    } catch (RuntimeException e) {
      jars.values().forEach(PluginCatalog::closeQuietly);
      throw e;
    }
  }

  /** The plugins folder: an absolute path as is, a relative one against {@code base}. */
  public static Path resolveDirectory(String configured, Path base) {
    return base.resolve(configured).toAbsolutePath().normalize();
  }

  /**
   * The folder of the jar this class was loaded from, or the working directory when it was not
   * loaded from a jar (the server run from its classes, as in an IDE).
   */
  public static Path serverJarFolder() {
    try {
      URL location = PluginLoader.class.getProtectionDomain().getCodeSource().getLocation();
      Path code = Path.of(location.toURI());
      if (Files.isRegularFile(code) && code.toString().endsWith(".jar")) {
        return code.toAbsolutePath().getParent();
      }
    } catch (URISyntaxException | SecurityException | NullPointerException e) {
      log.debug("cannot locate the server jar; plugins folder taken from the working directory", e);
    }
    return workingDirectory();
  }

  /** The working directory, which a relative path of an embedded server's configuration names. */
  public static Path workingDirectory() {
    return Path.of("").toAbsolutePath();
  }

  private static Map<String, URLClassLoader> openJars(Path directory) {
    Map<String, URLClassLoader> jars = new LinkedHashMap<>();
    if (!Files.isDirectory(directory)) {
      return jars;
    }
    List<Path> files = new ArrayList<>();
    try (DirectoryStream<Path> stream = Files.newDirectoryStream(directory, "*.jar")) {
      stream.forEach(files::add);
    } catch (IOException e) {
      throw new PluginException(
          "cannot read the plugins folder " + directory + ": " + e.getMessage(), e);
    }
    files.sort(null);
    for (Path jar : files) {
      try {
        jars.put(
            jar.getFileName().toString(),
            new URLClassLoader(
                "plugin:" + jar.getFileName(),
                new URL[] {jar.toUri().toURL()},
                PluginLoader.class.getClassLoader()));
      } catch (MalformedURLException e) {
        throw new PluginException("cannot open plugin jar " + jar + ": " + e.getMessage(), e);
      }
    }
    return jars;
  }

  /**
   * Adds the providers of one loader, listed as {@code MessageTypePlugin}s or {@code
   * ChannelAuthorizer}s; a class listed as both is one plugin. For a jar, only the providers
   * defined by the jar itself count: its loader also sees the server's class path through its
   * parent.
   */
  private static void discover(
      ClassLoader loader,
      boolean ownClassesOnly,
      String source,
      PluginsConfig config,
      List<LoadedPlugin> found) {
    Set<Class<?>> seen = new HashSet<>();
    try {
      Stream.concat(
              ServiceLoader.load(MessageTypePlugin.class, loader).stream(),
              ServiceLoader.load(ChannelAuthorizer.class, loader).stream())
          .filter(provider -> !ownClassesOnly || provider.type().getClassLoader() == loader)
          .filter(provider -> seen.add(provider.type()))
          .forEach(provider -> found.add(loaded(config, provider.get(), source, false)));
    } catch (ServiceConfigurationError e) {
      throw new PluginException(
          "plugin in " + source + " cannot be instantiated: " + e.getMessage(), e);
    }
  }

  private static LoadedPlugin loaded(
      PluginsConfig config, MessageTypePlugin plugin, String source, boolean embedded) {
    String name = plugin.name();
    if (name == null || !NAME.matcher(name).matches()) {
      throw new PluginException(
          "plugin "
              + plugin.getClass().getName()
              + " ("
              + source
              + ") has the name '"
              + name
              + "'; a plugin name is 1 to 63 lower-case letters, digits and dashes");
    }
    return new LoadedPlugin(
        plugin,
        source,
        config.settingsOf(name),
        config.timeoutOf(name),
        PluginVersion.of(plugin, !embedded));
  }

  /** Checks names and types; returns the owner of every type of every enabled plugin. */
  private static Map<String, LoadedPlugin> check(PluginsConfig config, List<LoadedPlugin> found) {
    Map<String, LoadedPlugin> byName = new LinkedHashMap<>();
    for (LoadedPlugin plugin : found) {
      LoadedPlugin other = byName.putIfAbsent(plugin.name(), plugin);
      if (other != null) {
        throw new PluginException(
            "two plugins are named '"
                + plugin.name()
                + "': "
                + other.plugin().getClass().getName()
                + " ("
                + other.source()
                + ") and "
                + plugin.plugin().getClass().getName()
                + " ("
                + plugin.source()
                + ")");
      }
    }
    for (String configured : config.settings().keySet()) {
      if (!byName.containsKey(configured)) {
        throw new PluginException(
            "plugins.settings."
                + configured
                + " names no loaded plugin; loaded: "
                + (byName.isEmpty() ? "none" : String.join(", ", byName.keySet())));
      }
    }
    Map<String, LoadedPlugin> types = new LinkedHashMap<>();
    for (LoadedPlugin plugin : found) {
      if (!plugin.settings().enabled()) {
        continue;
      }
      if (plugin.plugin().messageTypes() == null
          || plugin.plugin().messageTypes().isEmpty()
              && !(plugin.plugin() instanceof ChannelAuthorizer)) {
        throw new PluginException(
            "plugin "
                + plugin.label()
                + " declares no message type; only a ChannelAuthorizer may own none");
      }
      for (String type : plugin.plugin().messageTypes()) {
        if (type == null || type.isEmpty() || type.length() > 64) {
          throw new PluginException(
              "plugin "
                  + plugin.label()
                  + " declares the message type '"
                  + type
                  + "'; a type is 1 to 64 characters");
        }
        if (MessageType.isBuiltIn(type)) {
          throw new PluginException(
              "plugin "
                  + plugin.label()
                  + " claims the built-in message type '"
                  + type
                  + "' (built in as '"
                  + MessageType.fromWire(type).orElseThrow().wireName()
                  + "')");
        }
        LoadedPlugin owner = types.putIfAbsent(type, plugin);
        if (owner != null) {
          throw new PluginException(
              "message type '"
                  + type
                  + "' is claimed by plugin "
                  + owner.label()
                  + " and plugin "
                  + plugin.label());
        }
      }
    }
    return types;
  }
}

package io.switchboard.server.plugin;

import io.switchboard.plugin.MessageTypePlugin;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The version {@code GET /api/plugins} shows for a plugin: its own {@link
 * MessageTypePlugin#version()} (by default its jar manifest's {@code Implementation-Version}), and
 * when that is {@value #UNKNOWN}, the version Maven wrote into the plugin's jar ({@code
 * META-INF/maven/<group>/<artifact>/pom.properties}, in every jar Maven builds). Read once, when
 * the plugin is loaded.
 */
final class PluginVersion {

  /** What the plugin API answers when the manifest names no version. */
  static final String UNKNOWN = "unknown";

  private static final Logger log = LoggerFactory.getLogger(PluginVersion.class);
  private static final Pattern POM_PROPERTIES =
      Pattern.compile("META-INF/maven/[^/]+/[^/]+/pom\\.properties");

  /** The Maven coordinates of one {@code pom.properties}. */
  record Coordinates(String groupId, String artifactId, String version) {}

  private PluginVersion() {}

  /**
   * The plugin's version. Blocking (may read a jar).
   *
   * @param lookInJar whether to look into the jar the plugin's class came from when the plugin does
   *     not know its version; false for an instance given programmatically, which may be a wrapper
   *     (as the TCK's) whose class and jar are not the plugin's
   */
  static String of(MessageTypePlugin plugin, boolean lookInJar) {
    String declared;
    try {
      declared = plugin.version();
    } catch (RuntimeException e) {
      log.warn("plugin version() failed [plugin: {}]", plugin.name(), e);
      declared = null;
    }
    if (declared != null && !declared.isBlank() && !declared.equals(UNKNOWN)) {
      return declared;
    }
    String fromMaven = lookInJar ? fromMavenMetadata(plugin.getClass()) : null;
    return fromMaven == null ? UNKNOWN : fromMaven;
  }

  /** The version in the Maven metadata of the jar that {@code type} came from, or null. */
  static String fromMavenMetadata(Class<?> type) {
    Path jar = jarOf(type);
    if (jar == null) {
      return null;
    }
    List<Coordinates> found = new ArrayList<>();
    try (JarFile file = new JarFile(jar.toFile())) {
      for (JarEntry entry : file.stream().toList()) {
        if (POM_PROPERTIES.matcher(entry.getName()).matches()) {
          Properties properties = new Properties();
          try (InputStream in = file.getInputStream(entry)) {
            properties.load(in);
          }
          found.add(
              new Coordinates(
                  properties.getProperty("groupId", ""),
                  properties.getProperty("artifactId", ""),
                  properties.getProperty("version")));
        }
      }
    } catch (IOException | IllegalArgumentException e) {
      log.debug("cannot read the Maven metadata of {}", jar, e);
      return null;
    }
    Coordinates own = choose(found, type.getPackageName());
    return own == null || own.version() == null || own.version().isBlank() ? null : own.version();
  }

  /**
   * The plugin's own coordinates among those of its jar: the only ones, or, in a jar that bundles
   * others (a shaded jar), those whose group the plugin's package is in, the longest such group if
   * several are; null when that leaves no single one.
   */
  static Coordinates choose(List<Coordinates> found, String packageName) {
    if (found.size() == 1) {
      return found.get(0);
    }
    List<Coordinates> inGroup =
        found.stream()
            .filter(
                c ->
                    !c.groupId().isEmpty()
                        && (packageName.equals(c.groupId())
                            || packageName.startsWith(c.groupId() + ".")))
            .sorted(Comparator.comparingInt((Coordinates c) -> c.groupId().length()).reversed())
            .toList();
    if (inGroup.isEmpty()
        || inGroup.size() > 1
            && inGroup.get(0).groupId().length() == inGroup.get(1).groupId().length()) {
      return null;
    }
    return inGroup.get(0);
  }

  private static Path jarOf(Class<?> type) {
    try {
      CodeSource source = type.getProtectionDomain().getCodeSource();
      if (source == null || source.getLocation() == null) {
        return null;
      }
      Path path = Path.of(source.getLocation().toURI());
      return Files.isRegularFile(path) ? path : null;
    } catch (URISyntaxException | IllegalArgumentException | SecurityException e) {
      return null;
    }
  }
}

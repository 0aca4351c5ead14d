package io.switchboard.server;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * The server's version: the Maven project version, written by the build into {@code
 * io/switchboard/server/version.properties} (a filtered resource), so the fat jar and the compiled
 * classes of a build (tests, an embedding application) read the same value. Classes compiled
 * without Maven's resource filtering (some IDEs) report {@value #UNKNOWN}.
 */
public final class ServerVersion {

  /** The version reported when the build did not write one. */
  public static final String UNKNOWN = "unknown";

  private static final String VERSION = read();

  private ServerVersion() {}

  /** The version, e.g. {@code 0.1.0} or {@code 0.1.0-SNAPSHOT}; {@value #UNKNOWN} if not built. */
  public static String current() {
    return VERSION;
  }

  private static String read() {
    try (InputStream in = ServerVersion.class.getResourceAsStream("version.properties")) {
      if (in == null) {
        return UNKNOWN;
      }
      Properties properties = new Properties();
      properties.load(in);
      String version = properties.getProperty("version", "").trim();
      // An unfiltered copy still says ${project.version}.
      return version.isEmpty() || version.contains("${") ? UNKNOWN : version;
    } catch (IOException e) {
      return UNKNOWN;
    }
  }
}

package io.switchboard.server.config;

import io.vertx.config.ConfigRetriever;
import io.vertx.config.ConfigRetrieverOptions;
import io.vertx.config.ConfigStoreOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Loads the configuration with vertx-config, in layers where each overrides the one before:
 *
 * <ol>
 *   <li>the defaults embedded in the jar (the repository's {@code conf/switchboard.json});
 *   <li>the configuration file, if one is given;
 *   <li>environment variables: {@code SWITCHBOARD_<SECTION>_<KEY>} with the key in upper snake
 *       case, e.g. {@code SWITCHBOARD_WS_PORT}, {@code SWITCHBOARD_HEARTBEAT_INTERVAL_MS};
 *   <li>system properties: {@code switchboard.<section>.<key>}, e.g. {@code
 *       -Dswitchboard.ws.port=9090}.
 * </ol>
 *
 * Overrides are typed by the default they replace. An override naming an unknown section or key
 * stops start-up, as does any value breaking its rule: every environment variable starting with
 * {@code SWITCHBOARD_} is an override but those of {@link #OTHER_VARIABLES}, and every system
 * property {@code switchboard.<section>.<key>} is one.
 */
public final class ConfigLoader {

  /** Where the embedded defaults live on the classpath. */
  public static final String DEFAULTS_RESOURCE = "io/switchboard/server/config/switchboard.json";

  private static final String ENV_PREFIX = "SWITCHBOARD_";
  private static final String SYS_PREFIX = "switchboard.";

  /**
   * The environment variables starting with {@code SWITCHBOARD_} that are not configuration
   * overrides, so not refused: the configuration file ({@code SWITCHBOARD_CONF}, read by the
   * launcher), the log levels of {@code logback.xml} and the test-jar's {@code logback-test.xml},
   * and the token the README's SDK example reads. Every other one must name a section and a key.
   */
  public static final List<String> OTHER_VARIABLES =
      List.of(
          "SWITCHBOARD_CONF",
          "SWITCHBOARD_LOG_LEVEL",
          "SWITCHBOARD_TEST_LOG_LEVEL",
          "SWITCHBOARD_TOKEN");

  private ConfigLoader() {}

  /**
   * Loads and checks the configuration.
   *
   * @param file the configuration file, or null for the embedded defaults alone
   * @return the configuration, or a failure with a {@link ConfigException} naming what is wrong
   */
  public static Future<SwitchboardConfig> load(Vertx vertx, Path file) {
    if (file != null && !Files.isRegularFile(file)) {
      return Future.failedFuture(
          new ConfigException("configuration file " + file + " does not exist"));
    }
    ConfigStoreOptions defaults =
        new ConfigStoreOptions().setType("json").setConfig(embeddedDefaults());
    ConfigRetrieverOptions layers =
        new ConfigRetrieverOptions()
            .setScanPeriod(-1)
            .setIncludeDefaultStores(false)
            .addStore(defaults);
    if (file != null) {
      layers.addStore(
          new ConfigStoreOptions()
              .setType("file")
              .setFormat("json")
              .setConfig(new JsonObject().put("path", file.toAbsolutePath().toString())));
    }
    ConfigRetrieverOptions overrides =
        new ConfigRetrieverOptions()
            .setScanPeriod(-1)
            .setIncludeDefaultStores(false)
            .addStore(
                new ConfigStoreOptions()
                    .setType("env")
                    .setConfig(new JsonObject().put("raw-data", true)))
            .addStore(
                new ConfigStoreOptions()
                    .setType("sys")
                    .setConfig(new JsonObject().put("raw-data", true).put("cache", false)));
    return retrieve(vertx, layers)
        .recover(
            failure ->
                Future.failedFuture(
                    new ConfigException(
                        "configuration file " + file + " is not valid: " + rootMessage(failure))))
        .compose(base -> retrieve(vertx, overrides).map(env -> applyOverrides(base, env)))
        .compose(
            merged -> {
              try {
                return Future.succeededFuture(SwitchboardConfig.fromJson(merged));
              } catch (ConfigException e) {
                return Future.failedFuture(e);
              }
            });
  }

  /** The defaults embedded in the jar. */
  public static JsonObject embeddedDefaults() {
    try (InputStream in =
        ConfigLoader.class.getClassLoader().getResourceAsStream(DEFAULTS_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(DEFAULTS_RESOURCE + " is missing from the classpath");
      }
      return new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The environment variable overriding {@code section.key}, e.g. {@code SWITCHBOARD_WS_PORT}. */
  public static String envName(String section, String key) {
    return ENV_PREFIX
        + section.toUpperCase(Locale.ROOT)
        + "_"
        + key.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toUpperCase(Locale.ROOT);
  }

  /** The system property overriding {@code section.key}, e.g. {@code switchboard.ws.port}. */
  public static String sysName(String section, String key) {
    return SYS_PREFIX + section + "." + key;
  }

  /**
   * Applies environment variables, then system properties, to the file layers. Both come flat in
   * {@code flat}: vertx-config merges its env and sys stores into one object.
   */
  static JsonObject applyOverrides(JsonObject base, JsonObject flat) {
    JsonObject defaults = embeddedDefaults();
    JsonObject merged = base.copy();
    rejectUnknownOverrides(defaults, flat);
    for (String section : defaults.fieldNames()) {
      Object present = merged.getValue(section);
      if (present != null && !(present instanceof JsonObject)) {
        continue; // SwitchboardConfig.fromJson refuses it: "<section> must be a JSON object"
      }
      JsonObject target = (JsonObject) present;
      if (target == null) {
        target = new JsonObject();
        merged.put(section, target);
      }
      for (Map.Entry<String, Object> entry : defaults.getJsonObject(section)) {
        String key = entry.getKey();
        for (String name : List.of(envName(section, key), sysName(section, key))) {
          Object raw = flat.getValue(name);
          if (raw != null) {
            target.put(key, coerce(name, section + "." + key, raw.toString(), entry.getValue()));
          }
        }
      }
    }
    return merged;
  }

  /**
   * Refuses every environment variable starting with {@code SWITCHBOARD_} and every system property
   * of the form {@code switchboard.<section>.<key>} that does not name a known section and key, so
   * that a typo in either stops start-up instead of going unnoticed. The variables of {@link
   * #OTHER_VARIABLES} are let through, and so is a system property with no dot after {@code
   * switchboard.} (such as a build's {@code switchboard.version}): neither is an override.
   */
  private static void rejectUnknownOverrides(JsonObject defaults, JsonObject flat) {
    for (String name : flat.fieldNames()) {
      boolean env = name.startsWith(ENV_PREFIX) && !OTHER_VARIABLES.contains(name);
      boolean sys = name.startsWith(SYS_PREFIX) && name.indexOf('.', SYS_PREFIX.length()) >= 0;
      if (!env && !sys) {
        continue;
      }
      String section = sectionOf(defaults, name, env);
      if (section == null) {
        throw new ConfigException(
            "unknown configuration override "
                + name
                + "; "
                + (env
                    ? "an environment variable override is SWITCHBOARD_<SECTION>_<KEY>"
                    : "a system property override is switchboard.<section>.<key>")
                + " with a section of "
                + String.join(", ", defaults.fieldNames())
                + (env
                    ? "; the other SWITCHBOARD_ variables allowed are "
                        + String.join(", ", OTHER_VARIABLES)
                    : ""));
      }
      JsonObject keys = defaults.getJsonObject(section);
      if (keys.fieldNames().stream()
          .noneMatch(
              key -> name.equals(envName(section, key)) || name.equals(sysName(section, key)))) {
        throw new ConfigException(
            "unknown configuration override "
                + name
                + "; "
                + section
                + " accepts "
                + String.join(", ", keys.fieldNames()));
      }
    }
  }

  /**
   * The known section an override names: {@code WS} in {@code SWITCHBOARD_WS_PORT}, {@code ws} in
   * {@code switchboard.ws.port}; null for none.
   */
  private static String sectionOf(JsonObject defaults, String name, boolean env) {
    String rest = name.substring(env ? ENV_PREFIX.length() : SYS_PREFIX.length());
    int end = rest.indexOf(env ? '_' : '.');
    String named = end < 0 ? rest : rest.substring(0, end);
    for (String section : defaults.fieldNames()) {
      if (named.equals(env ? section.toUpperCase(Locale.ROOT) : section)) {
        return section;
      }
    }
    return null;
  }

  private static Object coerce(String name, String key, String raw, Object defaultValue) {
    String value = raw.trim();
    if (defaultValue instanceof Boolean) {
      if (value.equalsIgnoreCase("true") || value.equalsIgnoreCase("false")) {
        return Boolean.parseBoolean(value);
      }
      throw new ConfigException(name + " (" + key + ") must be true or false, was \"" + raw + "\"");
    }
    if (defaultValue instanceof JsonObject
        || defaultValue instanceof io.vertx.core.json.JsonArray) {
      try {
        return io.vertx.core.json.Json.decodeValue(value);
      } catch (DecodeException e) {
        throw new ConfigException(name + " (" + key + ") must be JSON, was \"" + raw + "\"");
      }
    }
    if (defaultValue instanceof Number) {
      try {
        return Long.parseLong(value);
      } catch (NumberFormatException e) {
        throw new ConfigException(
            name + " (" + key + ") must be a whole number, was \"" + raw + "\"");
      }
    }
    return raw;
  }

  private static Future<JsonObject> retrieve(Vertx vertx, ConfigRetrieverOptions options) {
    ConfigRetriever retriever = ConfigRetriever.create(vertx, options);
    return retriever.getConfig().andThen(done -> retriever.close());
  }

  private static String rootMessage(Throwable failure) {
    Throwable t = failure;
    while (t.getCause() != null && !(t instanceof DecodeException)) {
      t = t.getCause();
    }
    return t.getMessage();
  }
}

package io.switchboard.server;

import io.switchboard.server.config.ConfigException;
import io.switchboard.server.config.ConfigLoader;
import io.switchboard.server.config.SwitchboardConfig;
import io.switchboard.server.plugin.PluginException;
import io.switchboard.server.plugin.PluginLoader;
import io.switchboard.server.plugin.PluginStartException;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The launcher: {@code java -jar switchboard.jar [--conf FILE]} ({@code --version} prints the
 * version, {@code --help} the usage). Loads the configuration, starts the server with a relative
 * {@code plugins.directory} resolved against the folder of the jar, and on SIGTERM or Ctrl-C shuts
 * it down gracefully before the JVM exits.
 *
 * <p>Exit codes: {@value #EXIT_CONFIG} whenever the configuration is wrong (a bad argument, file,
 * key, section, override or value, key material that does not load, plugins that cannot be loaded
 * as configured), with a message naming what is wrong; {@value #EXIT_START} when the server could
 * not start for another reason (a port in use, a plugin whose own start failed).
 */
public final class Main {

  /** The configuration file read when none is named, if it exists in the working directory. */
  public static final Path DEFAULT_CONF = Path.of("conf", "switchboard.json");

  static final int EXIT_CONFIG = 2;
  static final int EXIT_START = 1;

  /**
   * How much longer than {@code shutdown.timeoutMs} the shutdown hook waits for the server to stop:
   * a service manager's stop timeout must be longer than both (see {@code conf/}).
   */
  static final long SHUTDOWN_MARGIN_MS = 5_000;

  private static final Logger log = LoggerFactory.getLogger(Main.class);

  private Main() {}

  /**
   * The command line: {@code --help}, {@code --version}, the configuration file to read (null for
   * none), and whether {@code --cluster} asked for a clustered start.
   */
  record Arguments(boolean help, boolean version, Path conf, boolean cluster) {}

  public static void main(String[] args) {
    if (args.length > 0 && args[0].equals("token")) {
      System.exit(
          TokenCommand.run(Arrays.copyOfRange(args, 1, args.length), System.out, System.err));
      return;
    }
    Arguments arguments;
    try {
      arguments = parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("switchboard: " + e.getMessage());
      System.err.println(usage());
      System.exit(EXIT_CONFIG);
      return;
    }
    if (arguments.help()) {
      System.out.println(usage());
      return;
    }
    if (arguments.version()) {
      System.out.println("switchboard " + ServerVersion.current());
      return;
    }
    Path file = arguments.conf();
    SwitchboardConfig config;
    Vertx bootstrap = Vertx.vertx();
    try {
      config = ConfigLoader.load(bootstrap, file).await(30, TimeUnit.SECONDS);
      if (arguments.cluster()) {
        config = config.clustered();
      }
      log.info(
          "configuration loaded [file: {}, effective: {}]",
          file == null ? "embedded defaults" : file,
          config.toLoggableJson().encode());
    } catch (ConfigException e) {
      System.err.println("switchboard: configuration error: " + e.getMessage());
      System.exit(EXIT_CONFIG);
      return;
    } catch (Exception e) {
      System.err.println("switchboard: could not load the configuration: " + e);
      System.exit(EXIT_CONFIG);
      return;
    } finally {
      bootstrap.close();
    }

    SwitchboardServer server;
    try {
      server =
          SwitchboardServer.start(config, List.of(), PluginLoader.serverJarFolder())
              .await(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      RuntimeException configError = configError(e);
      if (configError != null) {
        // Found only once the server reads its files (TLS key material) and its plugins: still
        // the configuration.
        System.err.println("switchboard: configuration error: " + configError.getMessage());
        System.exit(EXIT_CONFIG);
        return;
      }
      log.error("switchboard failed to start: {}", e.getMessage(), e);
      System.exit(EXIT_START);
      return;
    }
    long graceMs = config.shutdown().timeoutMs() + SHUTDOWN_MARGIN_MS;
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  log.info("shutting down");
                  try {
                    server.stop().await(graceMs, TimeUnit.MILLISECONDS);
                  } catch (Exception e) {
                    log.warn("shutdown did not complete cleanly: {}", e.toString());
                  }
                  stopLogging();
                },
                "switchboard-shutdown"));
  }

  /**
   * Reads the command line. The configuration file is {@code --conf FILE} (or {@code -c FILE}),
   * else the {@code SWITCHBOARD_CONF} variable, else {@code conf/switchboard.json} if it exists,
   * else none (the embedded defaults).
   *
   * @throws IllegalArgumentException naming an unknown argument or a missing file name
   */
  static Arguments parse(String[] args) {
    Path file = null;
    boolean cluster = false;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--help", "-h" -> {
          return new Arguments(true, false, null, false);
        }
        case "--version" -> {
          return new Arguments(false, true, null, false);
        }
        case "--conf", "-c" -> {
          if (i + 1 >= args.length) {
            throw new IllegalArgumentException(args[i] + " needs a file");
          }
          file = Path.of(args[++i]);
        }
        case "--cluster" -> cluster = true;
        default -> throw new IllegalArgumentException("unknown argument " + args[i]);
      }
    }
    if (file == null) {
      String fromEnv = System.getenv("SWITCHBOARD_CONF");
      if (fromEnv != null && !fromEnv.isBlank()) {
        file = Path.of(fromEnv);
      } else if (Files.isRegularFile(DEFAULT_CONF)) {
        file = DEFAULT_CONF;
      }
    }
    return new Arguments(false, false, file, cluster);
  }

  private static String usage() {
    return String.join(
        System.lineSeparator(),
        "usage: java -jar switchboard.jar [--conf FILE] [--cluster]",
        "       java -jar switchboard.jar token --sub USER [...]  (prints a test token; token --help)",
        "       java -jar switchboard.jar --version               (prints switchboard <version>)",
        "  --conf, -c FILE  configuration file (default: $SWITCHBOARD_CONF, else conf/switchboard.json",
        "                   if present, else the embedded defaults)",
        "  --cluster        start clustered (cluster.enabled=true): Hazelcast finds the other",
        "                   nodes as conf/cluster.xml or cluster.configFile says",
        "  --version        print switchboard <version> and exit",
        "  --help, -h       this help",
        "Every key can be overridden by SWITCHBOARD_<SECTION>_<KEY> environment variables and",
        "-Dswitchboard.<section>.<key> system properties; see the README's configuration table.",
        "Unknown sections and keys are refused, in the file and in overrides: every SWITCHBOARD_",
        "variable must name a section and a key, except these:",
        "  " + String.join(", ", ConfigLoader.OTHER_VARIABLES),
        "A relative plugins.directory is resolved against the folder of switchboard.jar.",
        "Exit status: 2 when the configuration is wrong (arguments, file, keys, values, key",
        "material, plugins that conflict or cannot be loaded); 1 when the server could not start",
        "for another reason (a port in use, a plugin whose own start failed).");
  }

  /**
   * The configuration error that made start-up fail: a {@link ConfigException} or a {@link
   * PluginException} (plugins that cannot be loaded as configured); null for any other failure,
   * such as a {@link PluginStartException}, whatever its cause.
   */
  static RuntimeException configError(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof PluginStartException) {
        return null;
      }
      if (t instanceof ConfigException || t instanceof PluginException) {
        return (RuntimeException) t;
      }
    }
    return null;
  }

  /** Flushes and stops Logback, which this hook replaces as the last thing to run. */
  private static void stopLogging() {
    if (LoggerFactory.getILoggerFactory() instanceof ch.qos.logback.classic.LoggerContext context) {
      context.stop();
    }
  }
}

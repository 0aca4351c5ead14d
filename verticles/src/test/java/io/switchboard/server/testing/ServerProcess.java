package io.switchboard.server.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The fat jar run as a user runs it: a separate JVM in a working folder of its own, with an empty
 * plugins folder unless told otherwise (the {@code SWITCHBOARD_PLUGINS_DIRECTORY} it sets can be
 * replaced with {@link Options#env}). By default the JVM runs {@code java -jar switchboard.jar};
 * {@link Options#mainClass} runs another main class with the fat jar on its class path instead, as
 * an application embedding the server does. Its output goes to a file, not a pipe: the JDK closes a
 * pipe when the process exits, racing any reader.
 */
public final class ServerProcess implements AutoCloseable {

  private static final Pattern STARTED =
      Pattern.compile(
          "switchboard started \\[ws: wss?://127\\.0\\.0\\.1:(\\d+)/ws, instances: \\d+,"
              + " transport: \\w+, admin:"
              + " https?://127\\.0\\.0\\.1:(\\d+)\\]");

  private final Process process;
  private final Path log;
  private int wsPort = -1;
  private int adminPort = -1;

  private ServerProcess(Process process, Path log) {
    this.process = process;
    this.log = log;
  }

  /** The fat jar built by {@code mvn package} (Failsafe passes its path). */
  public static Path fatJar() {
    Path jar = Path.of(System.getProperty("switchboard.fatJar", "target/switchboard.jar"));
    assertThat(jar).as("the fat jar (built by mvn package)").exists();
    return jar.toAbsolutePath();
  }

  /** Options for a server process. */
  public static final class Options {
    private final Map<String, String> env = new HashMap<>();
    private final List<String> jvmArgs = new ArrayList<>();
    private final List<String> args = new ArrayList<>();
    private String mainClass;
    private final List<Path> classPath = new ArrayList<>();

    /** Binds both ports to free ports of 127.0.0.1. */
    public Options onFreeLoopbackPorts() {
      env.put("SWITCHBOARD_WS_HOST", "127.0.0.1");
      env.put("SWITCHBOARD_WS_PORT", "0");
      env.put("SWITCHBOARD_ADMIN_PORT", "0");
      return this;
    }

    public Options env(String name, String value) {
      env.put(name, value);
      return this;
    }

    public Options jvmArg(String arg) {
      jvmArgs.add(arg);
      return this;
    }

    public Options arg(String arg) {
      args.add(arg);
      return this;
    }

    /**
     * Runs {@code className} with the fat jar and these folders or jars on the class path, instead
     * of the jar's own main class.
     */
    public Options mainClass(String className, Path... extraClassPath) {
      mainClass = className;
      classPath.addAll(List.of(extraClassPath));
      return this;
    }
  }

  public static ServerProcess start(Path workDir, Options options) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(options.jvmArgs);
    if (options.mainClass == null) {
      command.add("-jar");
      command.add(fatJar().toString());
    } else {
      List<String> classPath = new ArrayList<>(List.of(fatJar().toString()));
      options.classPath.forEach(entry -> classPath.add(entry.toAbsolutePath().toString()));
      command.add("-cp");
      command.add(String.join(java.io.File.pathSeparator, classPath));
      command.add(options.mainClass);
    }
    command.addAll(options.args);
    Path log = workDir.resolve("switchboard.out");
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .directory(workDir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    builder
        .environment()
        .put("SWITCHBOARD_PLUGINS_DIRECTORY", workDir.resolve("plugins").toString());
    builder.environment().putAll(options.env);
    try {
      return new ServerProcess(builder.start(), log);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Waits for the start-up line and reads the ports from it. A process that does not get there is
   * killed: the caller has no reference to it yet, so nothing else would.
   */
  public ServerProcess awaitStarted() {
    Matcher started;
    try {
      started = awaitLine(STARTED);
    } catch (AssertionError | RuntimeException e) {
      close();
      throw e;
    }
    wsPort = Integer.parseInt(started.group(1));
    adminPort = Integer.parseInt(started.group(2));
    return this;
  }

  public int wsPort() {
    return wsPort;
  }

  public int adminPort() {
    return adminPort;
  }

  /** The process id, for the JDK's tools and {@code /proc}. */
  public long pid() {
    return process.pid();
  }

  /** Every line the process has written so far. */
  public List<String> output() {
    try {
      return Files.exists(log) ? Files.readAllLines(log, StandardCharsets.UTF_8) : List.of();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The first output line matching, waiting up to a minute; fails if the process exits first. */
  public Matcher awaitLine(Pattern pattern) {
    Matcher[] found = new Matcher[1];
    Await.until(
        "the line " + pattern + " in the output",
        Duration.ofSeconds(60),
        () -> {
          for (String line : output()) {
            Matcher m = pattern.matcher(line);
            if (m.find()) {
              found[0] = m;
              return true;
            }
          }
          if (!process.isAlive()) {
            throw new AssertionError("the process exited: " + output());
          }
          return false;
        });
    return found[0];
  }

  /** Asks the process to stop, as an init system would. */
  public void sigterm() {
    process.destroy();
  }

  /** Waits (at most 30 s) for the process to exit and returns its exit code. */
  public int awaitExit() {
    try {
      assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("the process exits").isTrue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
    return process.exitValue();
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      process.destroyForcibly();
      try {
        process.waitFor(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}

package io.switchboard.examples.jvmservice;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.server.testing.Await;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * The example service's jar run as a user runs it, {@code java -jar}, in a JVM of its own: its
 * stdin is a pipe the test writes lines to, its output a file the test reads (a pipe would close
 * with the process, racing the reader).
 */
final class ServiceProcess implements AutoCloseable {

  private final Process process;
  private final Path log;
  private final Writer stdin;

  private ServiceProcess(Process process, Path log) {
    this.process = process;
    this.log = log;
    this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
  }

  /** The jar built by {@code mvn package} (Failsafe passes its path). */
  static Path jar() {
    Path jar =
        Path.of(System.getProperty("example.jar", "target/switchboard-example-jvm-service.jar"));
    assertThat(jar).as("the example service's jar (built by mvn package)").exists();
    return jar.toAbsolutePath();
  }

  static ServiceProcess start(Path workDir, String... args) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx128m");
    command.add("-XX:TieredStopAtLevel=1");
    command.add("-jar");
    command.add(jar().toString());
    command.addAll(List.of(args));
    Path log = workDir.resolve("service.out");
    try {
      Files.createDirectories(workDir);
      Process process =
          new ProcessBuilder(command)
              .directory(workDir.toFile())
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
      return new ServiceProcess(process, log);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Every line the service has written so far. */
  List<String> output() {
    try {
      return Files.exists(log) ? Files.readAllLines(log, StandardCharsets.UTF_8) : List.of();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Waits (at most {@code timeout}) for a line matching; fails at once if the service exits. */
  void awaitLine(Pattern pattern, Duration timeout) {
    Await.until(
        "the line " + pattern + " in the service's output",
        timeout,
        () -> {
          if (output().stream().anyMatch(line -> pattern.matcher(line).find())) {
            return true;
          }
          if (!process.isAlive()) {
            throw new AssertionError("the service exited: " + output());
          }
          return false;
        });
  }

  /** Writes one line to the service's stdin. */
  void writeLine(String line) {
    try {
      stdin.write(line + "\n");
      stdin.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Closes its stdin: end of input, on which the service leaves the cluster and exits. */
  void endInput() {
    try {
      stdin.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Waits (at most 30 s) for the service to exit and returns its exit code. */
  int awaitExit() throws InterruptedException {
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("the service exits").isTrue();
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

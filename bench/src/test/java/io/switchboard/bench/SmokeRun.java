package io.switchboard.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs the bench in this JVM, as {@code java -jar switchboard-bench.jar ARGS} would, against
 * servers it starts itself from the built jars, and reads back its JSON report. Runs are small and
 * unpinned (the build shares the cores); assertions are about correctness, never timings.
 */
final class SmokeRun {

  /** Server JVMs for smoke runs: a small heap, and C1 only, since runs last seconds. */
  static final String JVM_OPTS = "-Xmx256m -XX:+UseG1GC -XX:TieredStopAtLevel=1";

  private SmokeRun() {}

  static Path serverJar() {
    Path jar =
        Path.of(System.getProperty("switchboard.fatJar", "../verticles/target/switchboard.jar"));
    assertThat(jar).as("the server's fat jar (built by the reactor before bench)").exists();
    return jar;
  }

  static Path socketioDir() {
    return Path.of(System.getProperty("bench.socketioDir", "socketio"));
  }

  static Path benchJar() {
    Path jar = Path.of(System.getProperty("bench.jar", "target/switchboard-bench.jar"));
    assertThat(jar).as("the bench jar (built at package)").exists();
    return jar;
  }

  /** The options every smoke run adds after the scenario's own. */
  static List<String> common(Path dir) {
    return List.of(
        "--no-pin",
        "--json",
        dir.resolve("report.json").toString(),
        "--work-dir",
        dir.resolve("work").toString(),
        "--server-jar",
        serverJar().toString(),
        "--socketio-dir",
        socketioDir().toString(),
        "--jvm-opts",
        JVM_OPTS);
  }

  /** Runs the bench, asserts it exited 0 and returns its JSON report. */
  static JsonObject passing(Path dir, String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(common(dir));
    int exit = BenchMain.commandLine().execute(all.toArray(String[]::new));
    JsonObject report = report(dir);
    assertThat(exit).as("exit code; report: %s", report.encodePrettily()).isZero();
    return report;
  }

  static JsonObject report(Path dir) {
    try {
      return new JsonObject(Files.readString(dir.resolve("report.json")));
    } catch (IOException e) {
      throw new UncheckedIOException("no JSON report was written", e);
    }
  }

  /** The result of one target, asserting that it ran and passed its checks. */
  static JsonObject passed(JsonObject report, String target) {
    JsonArray results = report.getJsonArray("results");
    for (int i = 0; i < results.size(); i++) {
      JsonObject result = results.getJsonObject(i);
      if (result.getString("target").equals(target)) {
        assertThat(result.getString("error")).as("%s's error", target).isNull();
        assertThat(result.getJsonArray("problems")).as("%s's problems", target).isEmpty();
        assertThat(result.getBoolean("passed")).isTrue();
        return result.getJsonObject("figures");
      }
    }
    throw new AssertionError("no result for " + target + " in " + report.encodePrettily());
  }
}

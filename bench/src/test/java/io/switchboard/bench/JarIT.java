package io.switchboard.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.bench.target.Targets;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The runnable jar as a user runs it: its own process, pinned with taskset when available. */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class JarIT {

  @TempDir Path dir;

  /** The exit code and everything the process printed. */
  record Outcome(int exit, String output) {}

  @Test
  void helpListsEveryCommand() throws Exception {
    Outcome help = run("--help");

    assertThat(help.exit()).isZero();
    assertThat(help.output())
        .contains("Usage: switchboard-bench")
        .contains("fanout", "channels", "idle", "connect", "reconnect", "compare");
  }

  @Test
  void reconnectRefusesSocketIoClearly() throws Exception {
    Outcome reconnect = run("reconnect", "--target", "socketio", "-n", "10");

    assertThat(reconnect.exit()).isNotZero();
    assertThat(reconnect.output())
        .contains("reconnect drives Switchboard's SDK client, which does not speak Socket.IO");
  }

  @Test
  void aPinnedRunPrintsItsHeaderProgressAndResultsAndWritesJson() throws Exception {
    List<String> args =
        new ArrayList<>(
            List.of(
                "fanout",
                "--target",
                "bare",
                "-n",
                "100",
                "-r",
                "100",
                "-d",
                "2s",
                "--warmup",
                "0s"));
    args.addAll(SmokeRun.common(dir));
    args.remove("--no-pin");

    Outcome run = run(args.toArray(String[]::new));

    assertThat(run.exit()).as(run.output()).isZero();
    assertThat(run.output())
        .contains("switchboard-bench fanout")
        .containsPattern(
            "pinning     : (server on cpu 0, generator on cpu 1 \\(taskset\\)|off \\(.*\\))")
        .containsPattern("\\[ *\\d+\\.\\ds\\] ")
        .contains("deliveries/s")
        .contains("check (no loss, no duplicates)");
    JsonObject report = SmokeRun.report(dir);
    assertThat(SmokeRun.passed(report, "bare").getLong("lost")).isZero();
  }

  private Outcome run(String... args) throws IOException, InterruptedException {
    List<String> command =
        new ArrayList<>(List.of(Targets.java(), "-jar", SmokeRun.benchJar().toString()));
    command.addAll(List.of(args));
    Path output = dir.resolve("output.txt");
    Process process =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(output.toFile())
            .start();
    if (!process.waitFor(150, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("the bench did not finish: " + Files.readString(output));
    }
    return new Outcome(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
  }
}

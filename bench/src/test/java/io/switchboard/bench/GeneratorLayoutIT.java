package io.switchboard.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.bench.target.Pinning;
import io.switchboard.bench.target.RunningTarget;
import io.switchboard.bench.target.TargetKind;
import io.switchboard.bench.target.TargetSettings;
import io.switchboard.bench.target.Targets;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * How the generator and the targets are laid out: worker processes, a server the bench did not
 * start, restarts, the bare server's coalescing.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class GeneratorLayoutIT {

  @TempDir Path dir;

  @Test
  void aRunSplitOverWorkerProcessesAddsUpTheirDeliveries() {
    JsonObject report =
        SmokeRun.passing(
            dir,
            "fanout",
            "--target",
            "bare",
            "-n",
            "200",
            "-r",
            "50",
            "-d",
            "1s",
            "--warmup",
            "500ms",
            "--max-sockets-per-process",
            "100",
            "--worker-jvm-opts",
            "-Xmx128m -XX:TieredStopAtLevel=1");

    assertThat(report.getJsonObject("setup").getInteger("generatorProcesses"))
        .as("this process and two workers of 100 sockets")
        .isEqualTo(3);
    JsonObject figures = SmokeRun.passed(report, "bare");
    long published = figures.getLong("published");
    assertThat(published).isEqualTo(75);
    assertThat(figures.getLong("deliveries")).isEqualTo(published * 200);
    assertThat(figures.getLong("latencySamples")).as("latency from the workers").isPositive();
  }

  private TargetSettings settings() {
    return new TargetSettings(
        null,
        SmokeRun.serverJar(),
        BenchRun.splitOptions(SmokeRun.JVM_OPTS),
        Map.of(),
        "coalesce",
        1,
        TargetOptions.DEFAULT_CLUSTER_NODES,
        SmokeRun.socketioDir(),
        "node",
        System.getProperty("java.class.path"),
        Duration.ofSeconds(60),
        dir);
  }

  @Test
  void aServerAlreadyRunningIsMeasuredAtItsUrlWithoutServerFigures() {
    RunningTarget bare = Targets.start(TargetKind.BARE, settings(), Pinning.none());
    try {
      JsonObject report =
          SmokeRun.passing(
              dir,
              "fanout",
              "--target",
              "bare",
              "--url",
              "ws://" + bare.host() + ":" + bare.port() + "/ws",
              "-n",
              "100",
              "-r",
              "100",
              "-d",
              "1s",
              "--warmup",
              "0s");

      JsonObject figures = SmokeRun.passed(report, "bare");
      assertThat(figures.getLong("deliveries")).isEqualTo(figures.getLong("published") * 100);
      assertThat(figures.getValue("serverCpuSeconds")).as("not ours: no /proc figure").isNull();
      assertThat(report.getJsonObject("setup").getString("url")).startsWith("ws://");
    } finally {
      bare.stop();
    }
  }

  @Test
  void connectionSetUpSplitOverWorkersIsTimedAfterEachWarmsUp() {
    JsonObject report =
        SmokeRun.passing(
            dir,
            "connect",
            "--target",
            "bare",
            "-n",
            "200",
            "--workers",
            "2",
            "--warmup-connections",
            "20",
            "--worker-jvm-opts",
            "-Xmx128m -XX:TieredStopAtLevel=1");

    assertThat(report.getJsonObject("setup").getInteger("generatorProcesses")).isEqualTo(3);
    JsonObject figures = SmokeRun.passed(report, "bare");
    assertThat(figures.getLong("connections")).isEqualTo(200);
    assertThat(figures.getLong("failed")).isZero();
    assertThat(figures.getDouble("setupP99Ms")).isPositive();
  }

  @Test
  void aStartedServerRestartsOnTheSamePort() {
    RunningTarget bare = Targets.start(TargetKind.BARE, settings(), Pinning.none());
    try {
      int port = bare.port();
      double cpu = bare.cpuSeconds();

      bare.restart();

      assertThat(bare.port()).as("clients reconnect to the same URL").isEqualTo(port);
      assertThat(cpu).as("CPU of the first process").isPositive();
      assertThat(bare.heapAfterGc()).as("the new process answers jcmd").isPositive();
    } finally {
      bare.stop();
    }
  }

  @Test
  void theBareServerFlushingEveryMessageLosesNothing() {
    JsonObject report =
        SmokeRun.passing(
            dir,
            "channels",
            "--target",
            "bare",
            "--flush",
            "per-message",
            "--bare-instances",
            "2",
            "-c",
            "3",
            "-k",
            "40",
            "-r",
            "300",
            "-d",
            "1s",
            "--warmup",
            "0s");

    JsonObject figures = SmokeRun.passed(report, "bare");
    assertThat(figures.getLong("deliveries")).isEqualTo(figures.getLong("published") * 40);
    assertThat(report.getJsonObject("setup").getString("flush")).isEqualTo("per-message");
  }
}

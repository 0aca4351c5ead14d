package io.switchboard.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** idle and connect against the bare server and Switchboard's fat jar. */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ConnectionScenariosIT {

  @TempDir Path dir;

  @Test
  void idleMeasuresTheServerHeapPerConnectionAfterGc() {
    JsonObject report =
        SmokeRun.passing(
            dir,
            "compare",
            "--targets",
            "bare,switchboard",
            "idle",
            "-n",
            "200",
            "--hold",
            "500ms");

    for (String target : new String[] {"bare", "switchboard"}) {
      JsonObject figures = SmokeRun.passed(report, target);
      assertThat(figures.getLong("connections")).isEqualTo(200);
      assertThat(figures.getLong("failed")).isZero();
      assertThat(figures.getLong("heapEmptyBytes"))
          .as("%s: jcmd GC.heap_info", target)
          .isPositive();
      assertThat(figures.getLong("heapLoadedBytes")).isPositive();
      assertThat(figures.getValue("heapPerConnectionBytes")).isInstanceOf(Number.class);
    }
    assertThat(report.getJsonObject("ratiosToBare").getJsonObject("switchboard").getMap())
        .containsKeys("heapPerConnectionBytes");
  }

  @Test
  void connectTimesEveryConnectionFromUpgradeToWelcome() {
    JsonObject report =
        SmokeRun.passing(
            dir,
            "compare",
            "--targets",
            "bare,switchboard",
            "connect",
            "-n",
            "300",
            "--concurrency",
            "50",
            "--warmup-connections",
            "50");

    for (String target : new String[] {"bare", "switchboard"}) {
      JsonObject figures = SmokeRun.passed(report, target);
      assertThat(figures.getLong("connections")).isEqualTo(300);
      assertThat(figures.getLong("failed")).isZero();
      assertThat(figures.getDouble("connectionsPerSecond")).isPositive();
      assertThat(figures.getDouble("setupP50Ms")).isPositive();
      assertThat(figures.getDouble("setupMaxMs"))
          .isGreaterThanOrEqualTo(figures.getDouble("setupP50Ms"));
    }
  }

  @Test
  void reconnectBringsEverySdkClientBackAndJoinedAfterARestart() {
    JsonObject report =
        SmokeRun.passing(
            dir,
            "compare",
            "--targets",
            "bare,switchboard",
            "reconnect",
            "-n",
            "100",
            "--initial-delay-ms",
            "100",
            "--max-delay-ms",
            "1000");

    for (String target : new String[] {"bare", "switchboard"}) {
      JsonObject figures = SmokeRun.passed(report, target);
      assertThat(figures.getLong("clients")).isEqualTo(100);
      assertThat(figures.getLong("back")).as("%s: clients back and joined", target).isEqualTo(100);
      assertThat(figures.getLong("missing")).isZero();
      assertThat(figures.getDouble("allBackMs"))
          .isGreaterThanOrEqualTo(figures.getDouble("backP50Ms"));
      assertThat(figures.getLong("reconnectAttempts")).isPositive();
    }
  }
}

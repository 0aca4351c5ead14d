package io.switchboard.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.switchboard.bench.target.SocketIoInstall;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Socket.IO peer, spoken to over Engine.IO v4. The bench installs its locked dependencies from
 * the npm registry itself when they are missing, as on a fresh clone in CI.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class SocketIoIT {

  @TempDir Path dir;

  @Test
  void fanoutOverSocketIoRoomsDeliversEveryMessageExactlyOnce() {
    assumeTrue(
        SocketIoInstall.nodeAvailable("node"),
        "node is not installed: the socketio target cannot run here");

    JsonObject report =
        SmokeRun.passing(
            dir,
            "fanout",
            "--target",
            "socketio",
            "-n",
            "200",
            "-r",
            "100",
            "-d",
            "2s",
            "--warmup",
            "500ms");

    JsonObject figures = SmokeRun.passed(report, "socketio");
    long published = figures.getLong("published");
    assertThat(published).isEqualTo(250);
    assertThat(figures.getLong("deliveries")).isEqualTo(published * 200);
    assertThat(figures.getLong("lost")).isZero();
    assertThat(figures.getLong("duplicates")).isZero();
    assertThat(figures.getLong("latencySamples")).isPositive();
  }
}

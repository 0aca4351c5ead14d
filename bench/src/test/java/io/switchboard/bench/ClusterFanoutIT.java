package io.switchboard.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * fanout across a cluster of three fat-jar processes: the publisher on node 0, the subscribers on
 * nodes 1 and 2, beside bare in the same run for the ratios; and a cluster that cannot be used is
 * refused with its nodes stopped.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ClusterFanoutIT {

  @TempDir Path dir;

  @Test
  void crossNodeFanoutDeliversEveryMessageToEverySubscriberOnTheOtherNodesExactlyOnce() {
    JsonObject report =
        SmokeRun.passing(
            dir,
            "compare",
            "--targets",
            "bare,switchboard-cluster",
            "fanout",
            "-n",
            "50",
            "-r",
            "50",
            "-s",
            "128",
            "-d",
            "2s",
            "--warmup",
            "500ms",
            "--sample",
            "4");

    JsonObject figures = SmokeRun.passed(report, "switchboard-cluster");
    long published = figures.getLong("published");
    assertThat(published).as("50/s for 2.5 s").isEqualTo(125);
    assertThat(figures.getLong("subscribers")).isEqualTo(50);
    assertThat(figures.getLong("expectedDeliveries")).isEqualTo(published * 50);
    assertThat(figures.getLong("deliveries")).isEqualTo(published * 50);
    assertThat(figures.getLong("lost")).isZero();
    assertThat(figures.getLong("duplicates")).isZero();
    assertThat(figures.getLong("latencySamples")).as("sampled subscribers measured").isPositive();
    assertThat(figures.getLong("serverNodes")).isEqualTo(3);
    // As each node counts its own connections: the publisher alone on node 0, the subscribers
    // dealt out in turn to nodes 1 and 2.
    assertThat(figures.getLong("node0Connections")).isEqualTo(1);
    assertThat(figures.getLong("node1Connections")).isEqualTo(25);
    assertThat(figures.getLong("node2Connections")).isEqualTo(25);
    assertThat(figures.getDouble("serverCpuSeconds")).as("three processes' /proc").isPositive();
    assertThat(figures.getDouble("serverCpuMicrosPerDelivery")).isPositive();
    assertThat(figures.getDouble("serverJitCpuSeconds")).isGreaterThanOrEqualTo(0.0);

    assertThat(SmokeRun.passed(report, "bare").getLong("serverNodes")).isEqualTo(1);
    assertThat(report.getJsonObject("setup").getInteger("clusterNodes")).isEqualTo(3);
    assertThat(report.getJsonObject("ratiosToBare").getJsonObject("switchboard-cluster").getMap())
        .containsKeys("deliveriesPerSecond", "latencyP99Ms", "serverCpuMicrosPerDelivery");
    String server =
        report.getJsonArray("results").getJsonObject(1).getString("server", "(no description)");
    assertThat(server).startsWith("3 Switchboard nodes clustered on 127.0.0.1");
  }

  @Test
  void aClusterWhoseHealthCannotBeReadIsRefusedAndEveryNodeIsStopped() {
    List<String> args =
        new ArrayList<>(
            List.of(
                "fanout",
                "--target",
                "switchboard-cluster",
                "--cluster-nodes",
                "2",
                "-n",
                "10",
                "-d",
                "1s",
                "--server-env",
                "SWITCHBOARD_ADMIN_ENABLED=false"));
    args.addAll(SmokeRun.common(dir));

    int exit = BenchMain.commandLine().execute(args.toArray(String[]::new));

    assertThat(exit).isEqualTo(BenchRun.EXIT_CHECK_FAILED);
    JsonObject result = SmokeRun.report(dir).getJsonArray("results").getJsonObject(0);
    assertThat(result.getString("error"))
        .startsWith("switchboard-cluster node 0 gives no plain-HTTP admin API (admin: off)");
    // Both nodes were started (node 0 got as far as its start-up line) ...
    assertThat(dir.resolve("work").resolve("switchboard-cluster-node-0.log"))
        .content()
        .contains("switchboard started");
    assertThat(dir.resolve("work").resolve("switchboard-cluster-node-1.log")).exists();
    // ... and neither outlived the refusal.
    assertThat(
            ProcessHandle.current()
                .descendants()
                .filter(ProcessHandle::isAlive)
                .filter(p -> p.info().commandLine().orElse("").contains("switchboard.jar")))
        .as("server processes left running")
        .isEmpty();
  }
}

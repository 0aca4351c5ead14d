package io.switchboard.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** fanout and channels against the bare server and Switchboard's fat jar, a few seconds each. */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class DeliveryScenariosIT {

  @TempDir Path dir;

  @Test
  void fanoutDeliversEveryMessageToEverySubscriberExactlyOnce() {
    JsonObject report =
        SmokeRun.passing(
            dir,
            "compare",
            "--targets",
            "bare,switchboard",
            "fanout",
            "-n",
            "200",
            "-r",
            "100",
            "-s",
            "128",
            "-d",
            "2s",
            "--warmup",
            "500ms",
            "--sample",
            "8");

    for (String target : new String[] {"bare", "switchboard"}) {
      JsonObject figures = SmokeRun.passed(report, target);
      long published = figures.getLong("published");
      assertThat(published).as("%s: 100/s for 2.5 s", target).isEqualTo(250);
      assertThat(figures.getLong("subscribers")).isEqualTo(200);
      assertThat(figures.getLong("expectedDeliveries")).isEqualTo(published * 200);
      assertThat(figures.getLong("deliveries")).isEqualTo(published * 200);
      assertThat(figures.getLong("lost")).isZero();
      assertThat(figures.getLong("duplicates")).isZero();
      assertThat(figures.getLong("latencySamples")).as("sampled subscribers measured").isPositive();
      assertThat(figures.getDouble("deliveriesPerSecond")).isPositive();
      // A server making 20,000 deliveries a second spends CPU; its compiler may have finished in
      // the warm-up, but never spends less than nothing.
      assertThat(figures.getDouble("serverCpuSeconds")).as("read from /proc").isPositive();
      assertThat(figures.getDouble("serverJitCpuSeconds"))
          .as("JVM compiler threads")
          .isGreaterThanOrEqualTo(0.0);
    }
    assertThat(report.getJsonObject("ratiosToBare").getJsonObject("switchboard").getMap())
        .containsKeys("deliveriesPerSecond", "latencyP99Ms");
  }

  @Test
  void channelsDeliverEachChannelsMessagesToItsSubscribersOnly() {
    JsonObject report =
        SmokeRun.passing(
            dir,
            "compare",
            "--targets",
            "bare,switchboard",
            "channels",
            "-c",
            "4",
            "-k",
            "50",
            "-p",
            "2",
            "-r",
            "200",
            "-d",
            "2s",
            "--warmup",
            "0s");

    for (String target : new String[] {"bare", "switchboard"}) {
      JsonObject figures = SmokeRun.passed(report, target);
      long published = figures.getLong("published");
      assertThat(published).isEqualTo(400);
      assertThat(figures.getLong("channels")).isEqualTo(4);
      // Each message goes to one channel of four, so to 50 of the 200 subscribers.
      assertThat(figures.getLong("deliveries")).isEqualTo(published * 50);
      assertThat(figures.getLong("lost")).isZero();
      assertThat(figures.getLong("duplicates")).isZero();
    }
  }
}

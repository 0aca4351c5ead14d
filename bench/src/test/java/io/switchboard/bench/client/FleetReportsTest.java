package io.switchboard.bench.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.bench.report.Histograms;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

/** Fleet reports cross process boundaries as JSON and add up across processes. */
class FleetReportsTest {

  @Test
  void finishedSurvivesJsonAndCombinesBySumming() {
    Finished a = finished(100, 98, 1, 2, 50, 1_000, Map.of(4002, 1), 10, 20);
    Finished b = finished(100, 100, 0, 0, 60, 2_000, Map.of(4002, 2, 1006, 1), 30);

    Finished combined =
        Finished.combine(List.of(Finished.fromJson(a.toJson()), Finished.fromJson(b.toJson())));

    assertThat(combined.expected()).isEqualTo(200);
    assertThat(combined.unique()).isEqualTo(198);
    assertThat(combined.duplicates()).isEqualTo(1);
    assertThat(combined.lost()).isEqualTo(2);
    assertThat(combined.measured()).isEqualTo(110);
    assertThat(combined.lastMeasuredNanos()).isEqualTo(2_000);
    assertThat(combined.unexpectedCloses())
        .containsExactlyInAnyOrderEntriesOf(Map.of(4002, 3, 1006, 1));
    assertThat(combined.unexpectedCloseCount()).isEqualTo(4);
    assertThat(combined.latencyMicros().getTotalCount()).isEqualTo(3);
    assertThat(combined.latencyMicros().getMaxValue()).isEqualTo(30);
  }

  @Test
  void anUnknownCpuTimeSurvivesJson() {
    Finished unknown = new Finished(0, 0, 0, 0, 0, 0, Histograms.create(), Map.of(), Double.NaN);

    assertThat(Finished.fromJson(unknown.toJson()).cpuSeconds()).isNaN();
  }

  @Test
  void openedSurvivesJsonAndCombines() {
    Histogram setup = Histograms.create();
    setup.recordValue(500);
    Opened a = new Opened(10, 1, setup, 2_000, "connection 3: refused");
    Opened b = new Opened(5, 0, Histograms.create(), 3_000, null);

    Opened combined = Opened.combine(List.of(Opened.fromJson(a.toJson()), b));

    assertThat(combined.ready()).isEqualTo(15);
    assertThat(combined.failed()).isEqualTo(1);
    assertThat(combined.tookNanos()).isEqualTo(3_000);
    assertThat(combined.firstFailure()).isEqualTo("connection 3: refused");
    assertThat(combined.setupMicros().getTotalCount()).isEqualTo(1);
  }

  private static Finished finished(
      long expected,
      long unique,
      long duplicates,
      long lost,
      long measured,
      long last,
      Map<Integer, Integer> closes,
      long... latencies) {
    Histogram latency = Histograms.create();
    for (long value : latencies) {
      latency.recordValue(value);
    }
    return new Finished(expected, unique, duplicates, lost, measured, last, latency, closes, 0.5);
  }
}

package io.switchboard.bench.report;

import static io.switchboard.bench.report.Figures.Better.HIGHER;
import static io.switchboard.bench.report.Figures.Better.LOWER;
import static io.switchboard.bench.report.Figures.Unit.COUNT;
import static io.switchboard.bench.report.Figures.Unit.MILLIS;
import static io.switchboard.bench.report.Figures.Unit.PER_SECOND;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import io.vertx.core.json.JsonObject;
import java.util.List;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class ReportTest {

  private static Figures figures(double rate, double p99, long lost) {
    Figures figures =
        new Figures()
            .add("subscribers", "subscribers", 200, COUNT)
            .add("deliveriesPerSecond", "deliveries/s", rate, PER_SECOND, HIGHER)
            .add("latencyP99Ms", "latency p99", p99, MILLIS, LOWER)
            .add("lost", "lost", lost, COUNT, LOWER);
    if (lost > 0) {
      figures.problem("lost " + lost + " of 1000 deliveries");
    }
    return figures;
  }

  @Test
  void theTableShowsEveryFigureWithItsRatioToBare() {
    String table =
        ResultTable.render(
            List.of(
                TargetResult.ran("bare", "bare server", figures(100_000, 2.0, 0)),
                TargetResult.ran("switchboard", "fat jar", figures(80_000, 3.0, 0))));

    assertThat(table.lines())
        .containsSubsequence(
            "figure                             bare     switchboard",
            "subscribers                         200             200",
            "deliveries/s                    100,000  80,000 (0.80x)",
            "latency p99 (ms)                  2.000   3.000 (1.50x)",
            "check (no loss, no duplicates)     pass            pass",
            "(x) = the figure divided by bare's figure");
  }

  @Test
  void aFigureOnlyALaterTargetHasIsShownWhereThatTargetListsIt() {
    Figures cluster = figures(80_000, 3.0, 0);
    Figures withNodes =
        new Figures()
            .add("subscribers", "subscribers", 200, COUNT)
            .add("node0Connections", "connections on node 0", 1, COUNT);
    cluster.all().stream()
        .filter(f -> !f.key().equals("subscribers"))
        .forEach(f -> withNodes.add(f.key(), f.label(), f.value(), f.unit(), f.better()));

    String table =
        ResultTable.render(
            List.of(
                TargetResult.ran("bare", "bare server", figures(100_000, 2.0, 0)),
                TargetResult.ran("switchboard-cluster", "3 nodes", withNodes)));

    assertThat(table.lines().map(line -> line.split("  ")[0]))
        .containsSubsequence("subscribers", "connections on node 0", "deliveries/s", "lost");
    assertThat(table.lines().filter(line -> line.startsWith("connections on node 0")))
        .singleElement()
        .satisfies(line -> assertThat(line.split("\\s+")).containsSubsequence("-", "1"));
  }

  @Test
  void problemsAndTargetsThatDidNotRunAreListedUnderTheTable() {
    String table =
        ResultTable.render(
            List.of(
                TargetResult.ran("bare", "b", figures(1, 1, 3)),
                TargetResult.failed("socketio", "", "node is not installed")));

    assertThat(table)
        .contains("FAIL")
        .contains("did not run")
        .contains("bare: lost 3 of 1000 deliveries")
        .contains("socketio did not run: node is not installed");
  }

  @Test
  void unknownFiguresReadAsNotAvailable() {
    assertThat(ResultTable.format(Double.NaN, MILLIS)).isEqualTo("n/a");
    assertThat(ResultTable.format(0.41234, MILLIS)).isEqualTo("0.412");
    assertThat(ResultTable.format(12.34, MILLIS)).isEqualTo("12.3");
    assertThat(ResultTable.format(1_234_567.8, PER_SECOND)).isEqualTo("1,234,568");
  }

  @Test
  void theJsonReportHoldsTheSameFiguresAndTheRatiosToBare() {
    JsonObject report =
        JsonReport.build(
            "fanout",
            new JsonObject().put("pinning", "off"),
            List.of(
                TargetResult.ran("bare", "b", figures(100_000, 2.0, 0)),
                TargetResult.ran("switchboard", "s", figures(50_000, Double.NaN, 2)),
                TargetResult.failed("socketio", "", "no node")));

    JsonObject bare = report.getJsonArray("results").getJsonObject(0);
    JsonObject switchboard = report.getJsonArray("results").getJsonObject(1);
    JsonObject socketio = report.getJsonArray("results").getJsonObject(2);
    assertThat(report.getString("scenario")).isEqualTo("fanout");
    assertThat(bare.getBoolean("passed")).isTrue();
    assertThat(bare.getJsonObject("figures").getLong("deliveriesPerSecond")).isEqualTo(100_000);
    assertThat(bare.getJsonObject("units").getString("latencyP99Ms")).isEqualTo("millis");
    assertThat(switchboard.getBoolean("passed")).isFalse();
    assertThat(switchboard.getJsonArray("problems")).containsExactly("lost 2 of 1000 deliveries");
    assertThat(switchboard.getJsonObject("figures").getValue("latencyP99Ms")).isNull();
    assertThat(socketio.getString("error")).isEqualTo("no node");
    JsonObject ratios = report.getJsonObject("ratiosToBare").getJsonObject("switchboard");
    assertThat(ratios.getDouble("deliveriesPerSecond")).isEqualTo(0.5);
    assertThat(ratios.containsKey("subscribers")).as("context figures get no ratio").isFalse();
  }

  @Test
  void histogramsSurviveTheirCompactEncoding() {
    Histogram histogram = Histograms.create();
    for (long micros = 1; micros <= 10_000; micros++) {
      histogram.recordValue(micros);
    }

    Histogram decoded = Histograms.decode(Histograms.encode(histogram));

    assertThat(decoded).isEqualTo(histogram);
    assertThat(Histograms.millisAt(decoded, 50)).isCloseTo(5.0, offset(0.01));
    assertThat(Histograms.maxMillis(decoded)).isCloseTo(10.0, offset(0.01));
    assertThat(Histograms.millisAt(Histograms.create(), 99)).isNaN();
  }

  @Test
  void ratiosOfUnknownOrZeroBaselinesAreUnknown() {
    assertThat(Ratios.of(2, 4)).isEqualTo(0.5);
    assertThat(Ratios.of(2, 0)).isNaN();
    assertThat(Ratios.of(Double.NaN, 1)).isNaN();
  }
}

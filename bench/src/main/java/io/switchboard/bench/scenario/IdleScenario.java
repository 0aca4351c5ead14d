package io.switchboard.bench.scenario;

import static io.switchboard.bench.report.Figures.Better.LOWER;
import static io.switchboard.bench.report.Figures.Unit.BYTES;
import static io.switchboard.bench.report.Figures.Unit.COUNT;
import static io.switchboard.bench.report.Figures.Unit.SECONDS;

import io.switchboard.bench.DurationConverter;
import io.switchboard.bench.ScenarioCommand;
import io.switchboard.bench.client.Finished;
import io.switchboard.bench.client.Opened;
import io.switchboard.bench.report.Figures;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code idle}: N idle connections and the server heap each one costs, measured after a full GC and
 * minus the heap of the same server with no connection at all.
 */
@Command(
    name = "idle",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description =
        "N idle connections; server heap per connection (after a full GC, minus the empty"
            + " server's heap).")
public final class IdleScenario extends ScenarioCommand {

  @Option(
      names = {"-n", "--connections"},
      paramLabel = "N",
      description = "Idle connections (default: ${DEFAULT-VALUE}).")
  int connections = 1000;

  @Option(
      names = "--hold",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      description = "How long they stay idle before the heap is measured (default: 2s).")
  Duration hold = Duration.ofSeconds(2);

  @Override
  public String name() {
    return "idle";
  }

  @Override
  public Map<String, Object> parameters() {
    Map<String, Object> parameters = new LinkedHashMap<>();
    parameters.put("connections", connections);
    parameters.put("hold", DurationConverter.format(hold));
    return parameters;
  }

  @Override
  public int connections() {
    return connections;
  }

  /** Connections opened and closed before the baseline, not measured. */
  static final int WARM_UP_CONNECTIONS = 50;

  @Override
  public void validate() {
    if (connections < 1) {
      throw new IllegalArgumentException("--connections must be >= 1, was " + connections);
    }
  }

  @Override
  public Figures run(ScenarioContext context) throws Exception {
    Figures figures = new Figures();
    warmUp(context);
    context.progress().show(() -> "measuring the empty server's heap...");
    long baseline = context.target().heapAfterGc();
    Fleets fleets = context.fleets(connections, 0, "", 1, 0);
    try {
      context.progress().show(() -> fleets.connecting("connecting"));
      Opened opened = fleets.open();
      double cpuBefore = context.target().cpuSeconds();
      context
          .progress()
          .show(() -> String.format(Locale.ROOT, "holding %,d idle connections", opened.ready()));
      context.hold(hold);
      double cpu = context.target().cpuSeconds() - cpuBefore;
      context.progress().show(() -> "measuring the heap...");
      long loaded = context.target().heapAfterGc();
      Finished finished = fleets.finish(new long[0], 0);
      boolean known = baseline >= 0 && loaded >= 0 && opened.ready() > 0;
      figures
          .add("connections", "connections held", opened.ready(), COUNT)
          .add("failed", "connections failed", opened.failed(), COUNT, LOWER)
          .add("heapEmptyBytes", "server heap, empty", baseline < 0 ? Double.NaN : baseline, BYTES)
          .add(
              "heapLoadedBytes",
              "server heap, with connections",
              loaded < 0 ? Double.NaN : loaded,
              BYTES)
          .add(
              "heapPerConnectionBytes",
              "server heap per connection",
              known ? (double) (loaded - baseline) / opened.ready() : Double.NaN,
              BYTES,
              LOWER)
          .add("serverIdleCpuSeconds", "server CPU while idle", cpu, SECONDS, LOWER);
      if (opened.failed() > 0) {
        figures.problem(opened.failed() + " connections failed: " + opened.firstFailure());
      }
      if (finished.unexpectedCloseCount() > 0) {
        figures.problem(
            "the server closed "
                + finished.unexpectedCloseCount()
                + " idle connections, by close code: "
                + finished.unexpectedCloses());
      }
      return figures;
    } finally {
      fleets.close();
    }
  }

  /**
   * Opens and closes a few connections first, so that the baseline is a server that has served
   * clients and has none: what a server allocates once, on its first connection (pools, caches), is
   * not counted as a per-connection cost.
   */
  private static void warmUp(ScenarioContext context) throws Exception {
    Fleets warmUp = context.warmUpFleets(WARM_UP_CONNECTIONS, 0);
    context.progress().show(() -> warmUp.connecting("warming up"));
    try {
      warmUp.open();
    } finally {
      warmUp.close();
    }
    // The server forgets a connection after its close handshake: give it time to finish them.
    context.hold(Duration.ofSeconds(1));
  }
}

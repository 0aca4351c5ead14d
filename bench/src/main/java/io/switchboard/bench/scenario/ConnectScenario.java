package io.switchboard.bench.scenario;

import static io.switchboard.bench.report.Figures.Better.HIGHER;
import static io.switchboard.bench.report.Figures.Better.LOWER;
import static io.switchboard.bench.report.Figures.Unit.COUNT;
import static io.switchboard.bench.report.Figures.Unit.MILLIS;
import static io.switchboard.bench.report.Figures.Unit.PER_SECOND;
import static io.switchboard.bench.report.Figures.Unit.SECONDS;

import io.switchboard.bench.ScenarioCommand;
import io.switchboard.bench.client.Opened;
import io.switchboard.bench.report.Figures;
import io.switchboard.bench.report.Histograms;
import io.switchboard.bench.target.ProcStat;
import java.util.LinkedHashMap;
import java.util.Map;
import org.HdrHistogram.Histogram;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code connect}: connection set-up latency, from the upgrade request to the server's welcome (to
 * Socket.IO's connect packet for {@code socketio}), and the rate at which connections are set up.
 */
@Command(
    name = "connect",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = "Connection set-up latency and rate: upgrade request to welcome.")
public final class ConnectScenario extends ScenarioCommand {

  @Option(
      names = {"-n", "--connections"},
      paramLabel = "N",
      description = "Connections to set up (default: ${DEFAULT-VALUE}).")
  int connections = 1000;

  @Option(
      names = "--concurrency",
      paramLabel = "N",
      description = "Connections in set-up at once, per process (default: ${DEFAULT-VALUE}).")
  int concurrency = 100;

  @Option(
      names = "--warmup-connections",
      paramLabel = "N",
      description =
          "Connections each generator process sets up and closes first, not measured, so that"
              + " neither JIT compiler starts cold (default: ${DEFAULT-VALUE}).")
  int warmupConnections = 500;

  @Override
  public String name() {
    return "connect";
  }

  @Override
  public Map<String, Object> parameters() {
    Map<String, Object> parameters = new LinkedHashMap<>();
    parameters.put("connections", connections);
    parameters.put("concurrency", concurrency);
    parameters.put("warmupConnections", warmupConnections);
    return parameters;
  }

  @Override
  public int connections() {
    return connections;
  }

  @Override
  public void validate() {
    if (connections < 1 || concurrency < 1 || warmupConnections < 0) {
      throw new IllegalArgumentException(
          "--connections and --concurrency must be >= 1 and --warmup-connections >= 0, were "
              + connections
              + ", "
              + concurrency
              + " and "
              + warmupConnections);
    }
  }

  @Override
  public Figures run(ScenarioContext context) throws Exception {
    Figures figures = new Figures();
    Fleets fleets = context.fleets(connections, 0, "", 1, concurrency);
    try {
      context.progress().show(() -> "warming up...");
      fleets.warmUp(warmupConnections);
      double cpuBefore = context.target().cpuSeconds();
      double generatorCpuBefore = ProcStat.selfCpuSeconds();
      context.progress().show(() -> fleets.connecting("connecting"));
      Opened opened = fleets.open();
      double cpu = context.target().cpuSeconds() - cpuBefore;
      double generatorCpu = ProcStat.selfCpuSeconds() - generatorCpuBefore;
      double seconds = opened.tookNanos() / 1e9;
      Histogram setup = opened.setupMicros();
      figures
          .add("connections", "connections set up", opened.ready(), COUNT)
          .add("failed", "connections failed", opened.failed(), COUNT, LOWER)
          .add(
              "connectionsPerSecond",
              "connections/s",
              seconds > 0 ? opened.ready() / seconds : Double.NaN,
              PER_SECOND,
              HIGHER)
          .add("setupP50Ms", "set-up p50", Histograms.millisAt(setup, 50), MILLIS, LOWER)
          .add("setupP90Ms", "set-up p90", Histograms.millisAt(setup, 90), MILLIS, LOWER)
          .add("setupP99Ms", "set-up p99", Histograms.millisAt(setup, 99), MILLIS, LOWER)
          .add("setupP999Ms", "set-up p99.9", Histograms.millisAt(setup, 99.9), MILLIS, LOWER)
          .add("setupMaxMs", "set-up max", Histograms.maxMillis(setup), MILLIS, LOWER)
          .add("serverCpuSeconds", "server CPU", cpu, SECONDS, LOWER)
          .add("generatorCpuSeconds", "generator CPU (this process)", generatorCpu, SECONDS);
      if (opened.failed() > 0) {
        figures.problem(opened.failed() + " connections failed: " + opened.firstFailure());
      }
      return figures;
    } finally {
      fleets.close();
    }
  }
}

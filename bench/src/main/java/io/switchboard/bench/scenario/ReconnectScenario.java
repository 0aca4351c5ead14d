package io.switchboard.bench.scenario;

import io.switchboard.bench.ScenarioCommand;
import io.switchboard.bench.report.Figures;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code reconnect}: N SDK clients, the server restarted ({@link
 * io.switchboard.bench.target.RunningTarget#restart()}), and the time until all are back and
 * joined. It needs Switchboard's SDK client, which is not written yet; until then it refuses to
 * run, and this class is the one place to fill in.
 */
@Command(
    name = "reconnect",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description =
        "N SDK clients, the server restarted: time until all are back and joined"
            + " (not available yet: it needs the SDK client).")
public final class ReconnectScenario extends ScenarioCommand {

  /** Why the scenario cannot run yet. */
  public static final String NOT_AVAILABLE =
      "the reconnect scenario is not available yet: it drives Switchboard's SDK client"
          + " (io.switchboard.sdk), which is still being written";

  @Option(
      names = {"-n", "--clients"},
      paramLabel = "N",
      description = "SDK clients (default: ${DEFAULT-VALUE}).")
  int clients = 1000;

  @Override
  public String name() {
    return "reconnect";
  }

  @Override
  public Map<String, Object> parameters() {
    Map<String, Object> parameters = new LinkedHashMap<>();
    parameters.put("clients", clients);
    return parameters;
  }

  @Override
  public int connections() {
    return clients;
  }

  @Override
  public String unavailable() {
    return NOT_AVAILABLE;
  }

  @Override
  public Figures run(ScenarioContext context) {
    throw new UnsupportedOperationException(NOT_AVAILABLE);
  }
}

package io.switchboard.bench.scenario;

import io.switchboard.bench.ScenarioCommand;
import io.switchboard.bench.report.Figures;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code fanout}: one channel, N subscribers, one publisher at R messages/s of S bytes for D. */
@Command(
    name = "fanout",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = "One channel, N subscribers, one publisher at R messages/s of S bytes for D.")
public final class FanoutScenario extends ScenarioCommand {

  @Option(
      names = {"-n", "--subscribers"},
      paramLabel = "N",
      description = "Subscribers of the channel (default: ${DEFAULT-VALUE}).")
  int subscribers = 1000;

  @Mixin DeliveryOptions delivery;

  @Override
  public String name() {
    return "fanout";
  }

  @Override
  public Map<String, Object> parameters() {
    Map<String, Object> parameters = new LinkedHashMap<>();
    parameters.put("subscribers", subscribers);
    parameters.put("channels", 1);
    parameters.put("publishers", 1);
    delivery.describe(parameters);
    return parameters;
  }

  @Override
  public int connections() {
    return subscribers;
  }

  @Override
  public void validate() {
    if (subscribers < 1) {
      throw new IllegalArgumentException("--subscribers must be >= 1, was " + subscribers);
    }
    delivery.validate();
  }

  @Override
  public Figures run(ScenarioContext context) throws Exception {
    return DeliveryRun.run(context, 1, subscribers, 1, delivery);
  }
}

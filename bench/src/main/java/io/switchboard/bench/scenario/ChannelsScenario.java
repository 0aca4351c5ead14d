package io.switchboard.bench.scenario;

import io.switchboard.bench.ScenarioCommand;
import io.switchboard.bench.report.Figures;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code channels}: C channels × K subscribers each, publishes spread over the channels. */
@Command(
    name = "channels",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description =
        "C channels x K subscribers each; R messages/s spread round-robin over the channels.")
public final class ChannelsScenario extends ScenarioCommand {

  @Option(
      names = {"-c", "--channels"},
      paramLabel = "C",
      description = "Channels (default: ${DEFAULT-VALUE}).")
  int channels = 10;

  @Option(
      names = {"-k", "--subscribers-per-channel"},
      paramLabel = "K",
      description = "Subscribers of each channel (default: ${DEFAULT-VALUE}).")
  int perChannel = 100;

  @Option(
      names = {"-p", "--publishers"},
      paramLabel = "P",
      description =
          "Publisher connections; channel i is published by publisher i %% P"
              + " (default: ${DEFAULT-VALUE}).")
  int publishers = 1;

  @Mixin DeliveryOptions delivery;

  @Override
  public String name() {
    return "channels";
  }

  @Override
  public Map<String, Object> parameters() {
    Map<String, Object> parameters = new LinkedHashMap<>();
    parameters.put("channels", channels);
    parameters.put("subscribersPerChannel", perChannel);
    parameters.put("subscribers", channels * perChannel);
    parameters.put("publishers", publishers);
    delivery.describe(parameters);
    return parameters;
  }

  @Override
  public int connections() {
    return channels * perChannel;
  }

  @Override
  public void validate() {
    if (channels < 1 || perChannel < 1 || publishers < 1) {
      throw new IllegalArgumentException(
          "--channels, --subscribers-per-channel and --publishers must be >= 1, were "
              + channels
              + ", "
              + perChannel
              + " and "
              + publishers);
    }
    delivery.validate();
  }

  @Override
  public Figures run(ScenarioContext context) throws Exception {
    return DeliveryRun.run(context, channels, perChannel, Math.min(publishers, channels), delivery);
  }
}

package io.switchboard.bench.scenario;

import io.switchboard.bench.ScenarioCommand;
import java.util.List;

/** Every scenario, in the order the help lists them. A new scenario is one class, added here. */
public final class Scenarios {

  private Scenarios() {}

  /** Fresh instances: picocli fills each instance's options, so each command line needs its own. */
  public static List<ScenarioCommand> all() {
    return List.of(
        new FanoutScenario(),
        new ChannelsScenario(),
        new IdleScenario(),
        new ConnectScenario(),
        new ReconnectScenario());
  }
}

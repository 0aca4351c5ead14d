package io.switchboard.bench.scenario;

import io.switchboard.bench.report.Figures;
import java.util.Map;

/**
 * One workload. A scenario is one class: its picocli options (it extends {@code ScenarioCommand}),
 * its parameters for the report, and {@link #run}, which drives a started target through a {@link
 * ScenarioContext} and returns the figures. Register it in {@link Scenarios} and it is on the
 * command line, under {@code compare} too.
 */
public interface Scenario {

  /** The name on the command line and in reports. */
  String name();

  /** The parameters, in display order, for the report header and the JSON report. */
  Map<String, Object> parameters();

  /** How many generator connections the scenario holds at once, publishers excluded. */
  int connections();

  /**
   * Checks the parameters before any server starts.
   *
   * @throws IllegalArgumentException naming the option, its value and the rule
   */
  default void validate() {}

  /** Why the scenario cannot run yet, or null when it can. */
  default String unavailable() {
    return null;
  }

  /**
   * Runs once against the context's target, which is started and listening.
   *
   * @return the figures, with any correctness problem recorded in them
   * @throws Exception when the run could not be carried out at all
   */
  Figures run(ScenarioContext context) throws Exception;
}

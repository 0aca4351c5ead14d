package io.switchboard.bench;

import io.switchboard.bench.scenario.Scenario;
import io.switchboard.bench.target.TargetKind;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The command-line side every scenario shares: the target options and the generator options, and
 * running the scenario against one target, or against several under {@code compare}.
 */
public abstract class ScenarioCommand implements Scenario, Callable<Integer> {

  @Option(
      names = {"-t", "--target"},
      paramLabel = "TARGET",
      description =
          "switchboard, bare, socketio or switchboard-cluster (default: ${DEFAULT-VALUE}).")
  String target = TargetKind.SWITCHBOARD.id();

  @ArgGroup(validate = false, heading = "%nTarget options:%n", order = 1)
  TargetOptions targetOptions = new TargetOptions();

  @ArgGroup(validate = false, heading = "%nGenerator and output options:%n", order = 2)
  GeneratorOptions generatorOptions = new GeneratorOptions();

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    List<TargetKind> targets;
    if (spec.parent() != null && spec.parent().userObject() instanceof CompareCommand compare) {
      if (spec.commandLine().getParseResult().hasMatchedOption("--target")) {
        throw new ParameterException(
            spec.commandLine(), "compare takes its targets from --targets, not --target");
      }
      targets = compare.targets(spec.commandLine());
    } else {
      try {
        targets = List.of(TargetKind.of(target));
      } catch (IllegalArgumentException e) {
        throw new ParameterException(spec.commandLine(), e.getMessage());
      }
    }
    try {
      return new BenchRun(this, targets, targetOptions, generatorOptions).execute();
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
  }
}

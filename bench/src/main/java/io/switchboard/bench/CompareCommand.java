package io.switchboard.bench;

import io.switchboard.bench.target.TargetKind;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * {@code compare [--targets bare,switchboard,socketio] SCENARIO [options]}: one scenario against
 * several targets, one after the other, each started afresh, with every figure also shown as a
 * ratio to {@code bare}.
 */
@Command(
    name = "compare",
    mixinStandardHelpOptions = true,
    synopsisSubcommandLabel = "SCENARIO",
    description = {
      "Run one scenario against several targets in one invocation and print each figure as a"
          + " ratio to bare.",
      "Example: compare --targets bare,switchboard,socketio fanout --subscribers 200 -d 5s"
    })
final class CompareCommand implements Runnable {

  @Option(
      names = "--targets",
      split = ",",
      paramLabel = "TARGET",
      description = "Targets in the order they run (default: ${DEFAULT-VALUE}).")
  List<String> targets = new ArrayList<>(List.of("bare", "switchboard", "socketio"));

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "name the scenario to compare");
  }

  List<TargetKind> targets(CommandLine forErrors) {
    List<TargetKind> kinds = new ArrayList<>();
    for (String name : targets) {
      try {
        TargetKind kind = TargetKind.of(name.trim());
        if (kinds.contains(kind)) {
          throw new IllegalArgumentException("target '" + name + "' is listed twice");
        }
        kinds.add(kind);
      } catch (IllegalArgumentException e) {
        throw new ParameterException(forErrors, e.getMessage());
      }
    }
    if (kinds.isEmpty()) {
      throw new ParameterException(forErrors, "--targets names no target");
    }
    return kinds;
  }
}

package io.switchboard.bench;

import io.switchboard.bench.scenario.Scenarios;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code java -jar switchboard-bench.jar SCENARIO [options]} or {@code compare --targets ...
 * SCENARIO [options]}: the load generator of Switchboard's benchmarks.
 */
@Command(
    name = "switchboard-bench",
    mixinStandardHelpOptions = true,
    version = "switchboard-bench 0.1.0",
    synopsisSubcommandLabel = "COMMAND",
    description = {
      "Load generator for Switchboard: drives real WebSocket connections at a target server and"
          + " reports deliveries/s, publish-to-delivery latency, connection set-up and heap per"
          + " connection, checking that every message reaches every subscriber exactly once.",
      "Targets: switchboard (the fat jar, started by the bench, or --url), bare (the bare Vert.x"
          + " server of this module: the ceiling), socketio (a Socket.IO 4 rooms server on Node),"
          + " switchboard-cluster (--cluster-nodes fat jars clustered on loopback: publishers on"
          + " node 0, subscribers on the others).",
    },
    footer = {
      "",
      "Examples:",
      "  java -jar bench/target/switchboard-bench.jar fanout --target bare -n 1000 -r 1000 -d 10s",
      "  java -jar bench/target/switchboard-bench.jar compare fanout -n 200 -d 5s --json out.json",
      "  java -jar bench/target/switchboard-bench.jar compare --targets"
          + " bare,switchboard,switchboard-cluster fanout -n 1000 -r 40 -d 30s",
      "Exit codes: 0 every check passed, 2 usage error or scenario not available, 3 a target did"
          + " not run or lost or duplicated messages."
    })
public final class BenchMain implements Runnable {

  /** Help text width: the examples and option descriptions read better unwrapped. */
  private static final int USAGE_WIDTH = 100;

  @Spec CommandSpec spec;

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** The command line with every scenario, {@code compare} and the hidden {@code worker}. */
  public static CommandLine commandLine() {
    CommandLine root = new CommandLine(new BenchMain());
    Scenarios.all().forEach(root::addSubcommand);
    CommandLine compare = new CommandLine(new CompareCommand());
    Scenarios.all().forEach(compare::addSubcommand);
    root.addSubcommand(compare);
    root.addSubcommand(new WorkerCommand());
    return root.setUsageHelpWidth(USAGE_WIDTH);
  }

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }
}

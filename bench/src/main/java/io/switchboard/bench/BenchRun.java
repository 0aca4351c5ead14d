package io.switchboard.bench;

import io.switchboard.bench.bare.FlushPolicy;
import io.switchboard.bench.client.GeneratorVertx;
import io.switchboard.bench.report.Figures;
import io.switchboard.bench.report.JsonReport;
import io.switchboard.bench.report.Progress;
import io.switchboard.bench.report.ResultTable;
import io.switchboard.bench.report.TargetResult;
import io.switchboard.bench.scenario.FleetPlan;
import io.switchboard.bench.scenario.Scenario;
import io.switchboard.bench.scenario.ScenarioContext;
import io.switchboard.bench.target.Pinning;
import io.switchboard.bench.target.RunningTarget;
import io.switchboard.bench.target.TargetKind;
import io.switchboard.bench.target.TargetSettings;
import io.switchboard.bench.target.Targets;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * One invocation: pins the generator, prints the header, then for each target starts it, runs the
 * scenario, stops it; prints the results table and writes the JSON report.
 */
final class BenchRun {

  /** Exit code when a target did not run or a correctness check failed. */
  static final int EXIT_CHECK_FAILED = 3;

  /** Exit code when the scenario cannot run at all. */
  static final int EXIT_UNAVAILABLE = 2;

  private final Scenario scenario;
  private final List<TargetKind> targets;
  private final TargetOptions targetOptions;
  private final GeneratorOptions generatorOptions;
  private final PrintStream out = System.out;

  BenchRun(
      Scenario scenario,
      List<TargetKind> targets,
      TargetOptions targetOptions,
      GeneratorOptions generatorOptions) {
    this.scenario = scenario;
    this.targets = targets;
    this.targetOptions = targetOptions;
    this.generatorOptions = generatorOptions;
  }

  int execute() {
    if (scenario.unavailable() != null) {
      System.err.println("switchboard-bench: " + scenario.unavailable());
      return EXIT_UNAVAILABLE;
    }
    scenario.validate();
    int cores = Runtime.getRuntime().availableProcessors(); // before pinning narrows it
    checkTargetOptions();
    if (generatorOptions.sourceAddresses < 1 || generatorOptions.sourceAddresses > 254) {
      throw new IllegalArgumentException(
          "--source-addresses must be between 1 and 254, was " + generatorOptions.sourceAddresses);
    }
    Pinning pinning =
        targetOptions.url != null
            ? Pinning.detect(false, null, null)
            : Pinning.detect(
                generatorOptions.pin, generatorOptions.serverCpus, generatorOptions.generatorCpus);
    try {
      pinning.pinThisProcess();
    } catch (IllegalStateException e) {
      pinning = pinning.off("taskset failed: " + e.getMessage());
    }
    Path workDir = workDir();
    TargetSettings settings = settings(workDir);
    FleetPlan plan =
        FleetPlan.of(
            scenario.connections(),
            generatorOptions.maxSocketsPerProcess,
            generatorOptions.workers);
    Vertx vertx = GeneratorVertx.create();
    Vertx publishing = GeneratorVertx.createForPublishers();
    JsonObject setup =
        setup(pinning, plan, settings)
            .put("cores", cores)
            .put("generatorTransport", GeneratorVertx.transport(vertx));
    printHeader(pinning, plan, settings, GeneratorVertx.transport(vertx));

    List<TargetResult> results = new ArrayList<>();
    try {
      ScenarioContext.Generator generator =
          new ScenarioContext.Generator(
              generatorOptions.maxSocketsPerProcess,
              generatorOptions.workers,
              generatorOptions.sourceAddresses,
              generatorOptions.connectConcurrency,
              workerCommand(pinning, settings.classPath()),
              workDir,
              pinning.generatorCores());
      for (TargetKind kind : targets) {
        results.add(runOn(kind, vertx, publishing, generator, settings, pinning));
      }
    } finally {
      closeQuietly(publishing);
      closeQuietly(vertx);
    }

    out.println();
    out.println("results: " + scenario.name() + " " + describe(scenario.parameters()));
    out.print(ResultTable.render(results));
    if (generatorOptions.json != null) {
      writeJson(JsonReport.build(scenario.name(), setup, results));
      out.println("figures written to " + generatorOptions.json.toAbsolutePath());
    }
    return results.stream().allMatch(TargetResult::passed) ? 0 : EXIT_CHECK_FAILED;
  }

  /** Refuses target options that contradict each other or the targets, before anything starts. */
  private void checkTargetOptions() {
    if (targetOptions.url != null && targets.size() > 1) {
      throw new IllegalArgumentException("--url names one server: it cannot be used with compare");
    }
    if (targetOptions.url != null && targets.contains(TargetKind.SWITCHBOARD_CLUSTER)) {
      throw new IllegalArgumentException(
          "--url names one server: switchboard-cluster starts its own nodes");
    }
    if (targetOptions.clusterNodes < 2) {
      throw new IllegalArgumentException(
          "--cluster-nodes must be >= 2, was " + targetOptions.clusterNodes);
    }
    if (targets.contains(TargetKind.SWITCHBOARD_CLUSTER)) {
      for (String key : targetOptions.serverEnv.keySet()) {
        if (Targets.CLUSTER_ENV.contains(key)) {
          throw new IllegalArgumentException(
              "--server-env "
                  + key
                  + " cannot be used with switchboard-cluster, which sets it on every node to"
                  + " form the cluster on free loopback ports");
        }
      }
    }
  }

  private TargetResult runOn(
      TargetKind kind,
      Vertx vertx,
      Vertx publishing,
      ScenarioContext.Generator generator,
      TargetSettings settings,
      Pinning pinning) {
    out.println();
    out.println("== " + kind + ": starting");
    RunningTarget target;
    try {
      target = Targets.start(kind, settings, pinning);
    } catch (RuntimeException e) {
      out.println("== " + kind + ": could not start: " + e.getMessage());
      return TargetResult.failed(kind.id(), "", e.getMessage());
    }
    out.println("   " + target.description());
    if (target.nodes() == 1) {
      out.println("   listening on " + target.host() + ":" + target.port());
    }
    try (Progress progress = new Progress(out)) {
      Figures figures =
          scenario.run(new ScenarioContext(vertx, publishing, target, generator, progress));
      out.println("== " + kind + ": done" + (figures.passed() ? "" : " (check FAILED)"));
      return TargetResult.ran(kind.id(), target.description(), figures);
    } catch (Exception e) {
      out.println("== " + kind + ": failed: " + e);
      return TargetResult.failed(kind.id(), target.description(), String.valueOf(e.getMessage()));
    } finally {
      target.stop();
    }
  }

  private void printHeader(
      Pinning pinning, FleetPlan plan, TargetSettings settings, String transport) {
    out.println("switchboard-bench " + scenario.name());
    out.println("  parameters  : " + describe(scenario.parameters()));
    out.println(
        "  targets     : "
            + targets.stream().map(TargetKind::id).collect(Collectors.joining(", "))
            + (settings.url() != null ? " at " + settings.url() : ""));
    out.println("  pinning     : " + pinning.why());
    out.println(
        "  generator   : "
            + plan.describe()
            + ", at most "
            + generatorOptions.maxSocketsPerProcess
            + " sockets each, source addresses 127.0.0.1-127.0.0."
            + generatorOptions.sourceAddresses
            + ", "
            + transport);
    out.println(
        "  server JVMs : "
            + String.join(" ", settings.jvmOpts())
            + " (switchboard, each switchboard-cluster node, and bare); flush policy (all): "
            + settings.flush()
            + (settings.serverEnv().isEmpty() ? "" : "; switchboard env: " + settings.serverEnv()));
    if (targets.contains(TargetKind.SWITCHBOARD_CLUSTER)) {
      out.println(
          "  cluster     : switchboard-cluster runs "
              + settings.clusterNodes()
              + " nodes on the server's cores: publishers on node 0, subscribers on nodes 1-"
              + (settings.clusterNodes() - 1));
    }
    out.println("  compression : off (generator and every target)");
    out.println("  logs        : " + settings.workDir());
  }

  private JsonObject setup(Pinning pinning, FleetPlan plan, TargetSettings settings) {
    return new JsonObject()
        .put("startedAt", Instant.now().toString())
        .put("parameters", new JsonObject(new LinkedHashMap<>(scenario.parameters())))
        .put("targets", targets.stream().map(TargetKind::id).toList())
        .put("url", settings.url() == null ? null : settings.url().toString())
        .put("pinning", pinning.why())
        .put("pinned", pinning.enabled())
        .put("generatorProcesses", plan.processes())
        .put("maxSocketsPerProcess", generatorOptions.maxSocketsPerProcess)
        .put("sourceAddresses", generatorOptions.sourceAddresses)
        .put("jvmOpts", String.join(" ", settings.jvmOpts()))
        .put("flush", settings.flush())
        .put(
            "clusterNodes",
            targets.contains(TargetKind.SWITCHBOARD_CLUSTER) ? settings.clusterNodes() : null)
        .put("serverEnv", new JsonObject(new LinkedHashMap<>(settings.serverEnv())))
        .put("compression", "off")
        .put("java", System.getProperty("java.version"));
  }

  private TargetSettings settings(Path workDir) {
    Path serverJar =
        targetOptions.serverJar != null
            ? targetOptions.serverJar
            : RepositoryPaths.find(Path.of("verticles", "target", "switchboard.jar"));
    Path socketio =
        targetOptions.socketioDir != null
            ? targetOptions.socketioDir
            : RepositoryPaths.find(Path.of("bench", "socketio"));
    FlushPolicy.of(targetOptions.flush); // fail early on a typo
    String envFlush = targetOptions.serverEnv.get(Targets.FLUSH_POLICY_ENV);
    if (envFlush != null && !envFlush.equals(targetOptions.flush)) {
      throw new IllegalArgumentException(
          "--server-env "
              + Targets.FLUSH_POLICY_ENV
              + "="
              + envFlush
              + " contradicts --flush "
              + targetOptions.flush
              + "; set the policy with --flush alone, it applies to Switchboard and bare");
    }
    return new TargetSettings(
        targetOptions.url,
        serverJar,
        splitOptions(targetOptions.jvmOpts),
        Map.copyOf(targetOptions.serverEnv),
        targetOptions.flush,
        targetOptions.bareInstances,
        targetOptions.clusterNodes,
        socketio,
        targetOptions.node,
        System.getProperty("java.class.path"),
        targetOptions.startupTimeout,
        workDir);
  }

  private List<String> workerCommand(Pinning pinning, String classPath) {
    List<String> command = new ArrayList<>(pinning.generatorPrefix());
    command.add(Targets.java());
    command.addAll(splitOptions(generatorOptions.workerJvmOpts));
    command.addAll(
        List.of("-cp", Targets.absoluteClassPath(classPath), BenchMain.class.getName(), "worker"));
    return command;
  }

  private Path workDir() {
    try {
      if (generatorOptions.workDir != null) {
        return Files.createDirectories(generatorOptions.workDir).toAbsolutePath();
      }
      return Files.createTempDirectory("switchboard-bench-").toAbsolutePath();
    } catch (IOException e) {
      throw new UncheckedIOException("could not create the work directory", e);
    }
  }

  private void writeJson(JsonObject report) {
    try {
      Path file = generatorOptions.json.toAbsolutePath();
      if (file.getParent() != null) {
        Files.createDirectories(file.getParent());
      }
      Files.writeString(file, report.encodePrettily() + System.lineSeparator());
    } catch (IOException e) {
      throw new UncheckedIOException("could not write " + generatorOptions.json, e);
    }
  }

  private static void closeQuietly(Vertx vertx) {
    try {
      vertx.close().await(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      // the figures are in: a slow close changes nothing
    }
  }

  static List<String> splitOptions(String options) {
    return options == null || options.isBlank()
        ? List.of()
        : Arrays.stream(options.trim().split("\\s+")).toList();
  }

  static String describe(Map<String, Object> parameters) {
    return parameters.entrySet().stream()
        .map(e -> e.getKey() + "=" + e.getValue())
        .collect(Collectors.joining(" "));
  }
}

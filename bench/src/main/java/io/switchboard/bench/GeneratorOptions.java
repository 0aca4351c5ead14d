package io.switchboard.bench;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** How the load is generated and where the figures go. */
public final class GeneratorOptions {

  /** This machine's open-file limit is 20,000 and cannot be raised: leave room for the JVM. */
  public static final int DEFAULT_MAX_SOCKETS_PER_PROCESS = 19_000;

  @Option(
      names = "--pin",
      negatable = true,
      defaultValue = "true",
      fallbackValue = "true",
      description =
          "Pin the server and the generator to different cores with taskset when available"
              + " (default: on).")
  boolean pin;

  @Option(
      names = "--server-cpus",
      paramLabel = "CPUS",
      description = "The server's cores, taskset -c syntax (default: 0).")
  String serverCpus;

  @Option(
      names = "--generator-cpus",
      paramLabel = "CPUS",
      description = "The generator's cores (default: every other core).")
  String generatorCpus;

  @Option(
      names = "--source-addresses",
      paramLabel = "N",
      description =
          "Spread connections over source addresses 127.0.0.1 to 127.0.0.N, ~28k ports each"
              + " (default: ${DEFAULT-VALUE}).")
  int sourceAddresses = 8;

  @Option(
      names = "--max-sockets-per-process",
      paramLabel = "N",
      description =
          "Sockets one generator process may hold; larger runs start worker processes"
              + " (default: ${DEFAULT-VALUE}).")
  int maxSocketsPerProcess = DEFAULT_MAX_SOCKETS_PER_PROCESS;

  @Option(
      names = "--workers",
      paramLabel = "N",
      description =
          "Hold the connections in at least N worker processes; 0 decides from"
              + " --max-sockets-per-process (default: ${DEFAULT-VALUE}).")
  int workers = 0;

  @Option(
      names = "--worker-jvm-opts",
      paramLabel = "OPTS",
      description = "JVM options of worker processes (default: ${DEFAULT-VALUE}).")
  String workerJvmOpts = "-Xmx1g";

  @Option(
      names = "--connect-concurrency",
      paramLabel = "N",
      description = "Connections in set-up at once, per process (default: ${DEFAULT-VALUE}).")
  int connectConcurrency = 200;

  @Option(
      names = "--work-dir",
      paramLabel = "DIR",
      description = "Where server and worker logs go (default: a new temporary folder).")
  Path workDir;

  @Option(
      names = "--json",
      paramLabel = "FILE",
      description = "Also write the figures to FILE as JSON.")
  Path json;
}

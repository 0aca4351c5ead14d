package io.switchboard.bench;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/** How the targets are started or reached. */
public final class TargetOptions {

  /** JVM options of both JVM targets unless told otherwise: the same heap, the same collector. */
  public static final String DEFAULT_JVM_OPTS = "-Xms1g -Xmx1g -XX:+UseG1GC";

  /** Nodes of {@code switchboard-cluster}: the publishers on one, the subscribers on two. */
  public static final int DEFAULT_CLUSTER_NODES = 3;

  @Option(
      names = "--url",
      paramLabel = "URL",
      description =
          "Measure a server that is already running, e.g. ws://127.0.0.1:8080/ws, instead of"
              + " starting one (no server CPU or heap figures then).")
  URI url;

  @Option(
      names = "--server-jar",
      paramLabel = "JAR",
      description =
          "Switchboard's fat jar (default: verticles/target/switchboard.jar of this repository).")
  Path serverJar;

  @Option(
      names = "--jvm-opts",
      paramLabel = "OPTS",
      description = "JVM options of the switchboard and bare servers (default: ${DEFAULT-VALUE}).")
  String jvmOpts = DEFAULT_JVM_OPTS;

  @Option(
      names = "--server-env",
      paramLabel = "KEY=VALUE",
      description =
          "Environment of the Switchboard process, repeatable, e.g."
              + " --server-env SWITCHBOARD_WS_INSTANCES=1.")
  Map<String, String> serverEnv = new LinkedHashMap<>();

  @Option(
      names = "--flush",
      paramLabel = "POLICY",
      description =
          "Flush policy of both JVM servers, per-message or coalesce: Switchboard gets it as"
              + " SWITCHBOARD_WS_FLUSH_POLICY, the bare server as its own setting, so the two"
              + " always compare at the same policy (default: ${DEFAULT-VALUE}, Switchboard's"
              + " default).")
  String flush = "coalesce";

  @Option(
      names = "--cluster-nodes",
      paramLabel = "N",
      description =
          "Switchboard processes of the switchboard-cluster target, at least 2: node 0 takes the"
              + " publishers, nodes 1 to N-1 the subscribers in turn (default: ${DEFAULT-VALUE}).")
  int clusterNodes = DEFAULT_CLUSTER_NODES;

  @Option(
      names = "--bare-instances",
      paramLabel = "N",
      description =
          "The bare server's verticle instances; 0 for one per event loop, as Switchboard's"
              + " ws.instances (default: ${DEFAULT-VALUE}).")
  int bareInstances = 0;

  @Option(
      names = "--socketio-dir",
      paramLabel = "DIR",
      description = "The Socket.IO server's folder (default: bench/socketio of this repository).")
  Path socketioDir;

  @Option(
      names = "--node",
      paramLabel = "EXE",
      description = "The Node.js executable (default: ${DEFAULT-VALUE}).")
  String node = "node";

  @Option(
      names = "--startup-timeout",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      description = "How long a server may take to listen (default: 60s).")
  Duration startupTimeout = Duration.ofSeconds(60);
}

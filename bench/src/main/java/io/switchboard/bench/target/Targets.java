package io.switchboard.bench.target;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** Starts targets: each as its own process on the server's cores, or reached at a URL. */
public final class Targets {

  /** The bare server's entry point, run from this bench's own class path. */
  public static final String BARE_MAIN = "io.switchboard.bench.bare.BareServer";

  /** The environment variable that sets Switchboard's {@code ws.flushPolicy}. */
  public static final String FLUSH_POLICY_ENV = "SWITCHBOARD_WS_FLUSH_POLICY";

  /**
   * The environment the bench sets on every node of {@code switchboard-cluster} to form the
   * cluster, after {@code --server-env}, which therefore may not set it.
   */
  public static final Set<String> CLUSTER_ENV =
      Set.of(
          "SWITCHBOARD_CLUSTER_ENABLED",
          "SWITCHBOARD_CLUSTER_HOST",
          "SWITCHBOARD_CLUSTER_PORT",
          "SWITCHBOARD_CLUSTER_MEMBERS");

  /** The Switchboard settings of every benchmark run (see {@code startSwitchboard}). */
  static final Map<String, String> BENCH_LIMITS =
      Map.of(
          "SWITCHBOARD_LIMITS_MAX_CONNECTIONS", "1000000",
          "SWITCHBOARD_LIMITS_MAX_CONNECTIONS_PER_IP", "1000000",
          "SWITCHBOARD_LIMITS_MAX_PENDING_HANDSHAKES", "1000000",
          "SWITCHBOARD_LIMITS_MAX_PENDING_HANDSHAKES_PER_IP", "1000000",
          "SWITCHBOARD_LIMITS_MESSAGE_RATE", "0",
          "SWITCHBOARD_LIMITS_FIRST_FRAME_TIMEOUT_MS", "0",
          "SWITCHBOARD_CHANNELS_NAMESPACES",
              "{\"\": {\"join\": \"anyone\", \"publish\": \"anyone\"}}");

  private Targets() {}

  /**
   * Starts {@code kind} (or connects to {@link TargetSettings#url()}) and waits until it listens.
   *
   * @throws IllegalStateException when it cannot be started, with the reason and its log's tail
   */
  public static RunningTarget start(TargetKind kind, TargetSettings settings, Pinning pinning) {
    if (settings.url() != null) {
      return new ExternalTarget(kind, settings.url());
    }
    Path log = settings.workDir().resolve(kind.id() + ".log");
    return switch (kind) {
      case SWITCHBOARD -> startSwitchboard(settings, pinning, log);
      case BARE -> startBare(settings, pinning, log);
      case SOCKETIO -> startSocketIo(settings, pinning, log);
      case SWITCHBOARD_CLUSTER -> ClusterTarget.start(settings, pinning);
    };
  }

  private static RunningTarget startSwitchboard(
      TargetSettings settings, Pinning pinning, Path log) {
    return ServerProcess.start(
        TargetKind.SWITCHBOARD,
        switchboardLauncher(settings, pinning, Map.of()),
        server -> JvmHeap.usedAfterGc(server.pid()),
        settings.startupTimeout(),
        log);
  }

  /**
   * Runs Switchboard's fat jar on the server's cores, listening on 127.0.0.1, with the flush policy
   * and the benchmark's limits, then the user's {@code --server-env}, then {@code env}.
   */
  static ServerProcess.Launcher switchboardLauncher(
      TargetSettings settings, Pinning pinning, Map<String, String> env) {
    Path jar = settings.serverJar().toAbsolutePath();
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(
          "no Switchboard fat jar at " + jar + "; build it (mvn -B package) or set --server-jar");
    }
    return port -> {
      List<String> command = new ArrayList<>(pinning.serverPrefix());
      command.add(java());
      command.addAll(settings.jvmOpts());
      command.addAll(List.of("-jar", jar.toString()));
      ProcessBuilder builder = new ProcessBuilder(command).directory(settings.workDir().toFile());
      builder.environment().put("SWITCHBOARD_WS_HOST", "127.0.0.1");
      builder.environment().put("SWITCHBOARD_WS_PORT", String.valueOf(port));
      builder.environment().put("SWITCHBOARD_ADMIN_HOST", "127.0.0.1");
      builder.environment().put("SWITCHBOARD_ADMIN_PORT", "0");
      builder.environment().put(FLUSH_POLICY_ENV, settings.flush());
      // The load generator is one trusted client on loopback: it opens thousands of sockets
      // from one address, publishes as fast as the scenario asks, holds idle sockets and
      // publishes to plain channels. Lift the limits and access rules that exist to stop
      // hostile clients, so the measurement is of delivery, not of refusals.
      BENCH_LIMITS.forEach(builder.environment()::put);
      builder.environment().putAll(settings.serverEnv());
      builder.environment().putAll(env);
      return builder;
    };
  }

  private static RunningTarget startBare(TargetSettings settings, Pinning pinning, Path log) {
    ServerProcess.Launcher launcher =
        port -> {
          List<String> command = new ArrayList<>(pinning.serverPrefix());
          command.add(java());
          command.addAll(settings.jvmOpts());
          command.addAll(List.of("-cp", absoluteClassPath(settings.classPath()), BARE_MAIN));
          command.addAll(
              List.of(
                  "--host", "127.0.0.1",
                  "--port", String.valueOf(port),
                  "--flush", settings.flush(),
                  "--instances", String.valueOf(settings.bareInstances())));
          return new ProcessBuilder(command).directory(settings.workDir().toFile());
        };
    return ServerProcess.start(
        TargetKind.BARE,
        launcher,
        server -> JvmHeap.usedAfterGc(server.pid()),
        settings.startupTimeout(),
        log);
  }

  private static RunningTarget startSocketIo(TargetSettings settings, Pinning pinning, Path log) {
    Path dir = settings.socketioDir().toAbsolutePath();
    SocketIoInstall.ensureInstalled(dir, settings.node(), settings.workDir().resolve("npm.log"));
    ServerProcess.Launcher launcher =
        port -> {
          List<String> command = new ArrayList<>(pinning.serverPrefix());
          command.addAll(List.of(settings.node(), "--expose-gc", "server.js"));
          ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile());
          builder.environment().put("HOST", "127.0.0.1");
          builder.environment().put("PORT", String.valueOf(port));
          return builder;
        };
    return ServerProcess.start(
        TargetKind.SOCKETIO,
        launcher,
        server -> NodeHeap.usedAfterGc(server.host(), server.port()),
        settings.startupTimeout(),
        log);
  }

  /** The java executable of this JVM. */
  public static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  /** A class path whose entries are absolute, so that it works from any working directory. */
  public static String absoluteClassPath(String classPath) {
    return Stream.of(classPath.split(File.pathSeparator))
        .filter(entry -> !entry.isBlank())
        .map(entry -> Path.of(entry).toAbsolutePath().toString())
        .collect(Collectors.joining(File.pathSeparator));
  }
}

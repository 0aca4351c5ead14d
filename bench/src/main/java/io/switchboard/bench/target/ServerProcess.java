package io.switchboard.bench.target;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A target server the bench runs as a child process, pinned to the server's cores, its output in a
 * log file. It is ready once it prints its listening line, which every target prints in the same
 * shape: {@code ... [ws: ws://HOST:PORT/...}.
 */
final class ServerProcess implements RunningTarget {

  /** The listening line of Switchboard, the bare server and the Socket.IO server. */
  static final Pattern LISTENING =
      Pattern.compile(
          "(?:switchboard started|bare server listening|socket\\.io server listening)"
              + " \\[ws: ws://([^:/\\s]+):(\\d+)/");

  /** The command that runs the server on a port (0: any free port). */
  interface Launcher {
    ProcessBuilder command(int port);
  }

  /** Measures the heap of the running process. */
  interface HeapProbe {
    long usedAfterGc(ServerProcess server);
  }

  private final TargetKind kind;
  private final String name;
  private final Launcher launcher;
  private final HeapProbe heap;
  private final Duration startupTimeout;
  private final Path log;
  private Process process;
  private String description;
  private String host;
  private int port;

  private ServerProcess(
      TargetKind kind,
      String name,
      Launcher launcher,
      HeapProbe heap,
      Duration startupTimeout,
      Path log) {
    this.kind = kind;
    this.name = name;
    this.launcher = launcher;
    this.heap = heap;
    this.startupTimeout = startupTimeout;
    this.log = log;
  }

  /** Starts the server and waits until it listens. */
  static ServerProcess start(
      TargetKind kind, Launcher launcher, HeapProbe heap, Duration startupTimeout, Path log) {
    ServerProcess server = spawn(kind, kind.id(), launcher, heap, startupTimeout, log);
    server.awaitListening();
    return server;
  }

  /**
   * Starts the server without waiting for it, so that several can start side by side (the nodes of
   * a cluster, which find each other while starting); {@link #awaitListening()} waits.
   *
   * @param name what messages call it, e.g. {@code switchboard-cluster node 1}
   */
  static ServerProcess spawn(
      TargetKind kind,
      String name,
      Launcher launcher,
      HeapProbe heap,
      Duration startupTimeout,
      Path log) {
    ServerProcess server = new ServerProcess(kind, name, launcher, heap, startupTimeout, log);
    server.begin(0);
    return server;
  }

  private void launch(int onPort) {
    begin(onPort);
    awaitListening();
  }

  private void begin(int onPort) {
    ProcessBuilder builder = launcher.command(onPort);
    description = String.join(" ", builder.command());
    try {
      Files.deleteIfExists(log);
      process =
          ChildProcesses.track(
              builder.redirectErrorStream(true).redirectOutput(log.toFile()).start());
    } catch (IOException e) {
      throw new UncheckedIOException("could not start " + name + ": " + description, e);
    }
  }

  /**
   * Waits until the server prints its listening line and reads its address from it.
   *
   * @throws IllegalStateException when it exits first or the start-up timeout passes (it is stopped
   *     then), with its log's tail
   */
  void awaitListening() {
    Matcher listening = awaitLine(LISTENING);
    host = listening.group(1);
    if (host.equals("0.0.0.0")) {
      host = "127.0.0.1";
    }
    port = Integer.parseInt(listening.group(2));
  }

  /** The first line of its output so far that {@code pattern} finds something in, or null. */
  Matcher find(Pattern pattern) {
    for (String line : output()) {
      Matcher matcher = pattern.matcher(line);
      if (matcher.find()) {
        return matcher;
      }
    }
    return null;
  }

  boolean isAlive() {
    return process.isAlive();
  }

  private Matcher awaitLine(Pattern pattern) {
    long deadline = System.nanoTime() + startupTimeout.toNanos();
    while (true) {
      Matcher matcher = find(pattern);
      if (matcher != null) {
        return matcher;
      }
      if (!process.isAlive()) {
        throw new IllegalStateException(
            name + " exited with code " + process.exitValue() + " before listening; " + logTail());
      }
      if (System.nanoTime() > deadline) {
        ChildProcesses.stop(process, 5);
        throw new IllegalStateException(
            name + " did not listen within " + startupTimeout + "; " + logTail());
      }
      pause(20);
    }
  }

  long pid() {
    return process.pid();
  }

  @Override
  public TargetKind kind() {
    return kind;
  }

  @Override
  public String host() {
    return host;
  }

  @Override
  public int port() {
    return port;
  }

  @Override
  public String description() {
    return description;
  }

  @Override
  public double cpuSeconds() {
    return ProcStat.cpuSeconds(process.pid());
  }

  @Override
  public CompilerCpu compilerCpu() {
    return kind == TargetKind.SOCKETIO ? CompilerCpu.UNKNOWN : ProcStat.compilerCpu(process.pid());
  }

  @Override
  public long heapAfterGc() {
    return heap.usedAfterGc(this);
  }

  @Override
  public void restart() {
    int samePort = port;
    ChildProcesses.stop(process, 30);
    launch(samePort);
  }

  @Override
  public void stop() {
    ChildProcesses.stop(process, 30);
  }

  /** Asks the server to stop (SIGTERM) without waiting; {@link #stop()} then waits for it. */
  void requestStop() {
    process.destroy();
  }

  /** The log's last lines, for error messages. */
  String logTail() {
    List<String> lines = output();
    return "its log "
        + log
        + " ends with: "
        + String.join(" | ", lines.subList(Math.max(0, lines.size() - 8), lines.size()));
  }

  private List<String> output() {
    try {
      return Files.exists(log) ? Files.readAllLines(log, StandardCharsets.UTF_8) : List.of();
    } catch (IOException e) {
      return List.of();
    }
  }

  /** A poll interval while waiting for a process: the deadline decides, not the pause. */
  static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}

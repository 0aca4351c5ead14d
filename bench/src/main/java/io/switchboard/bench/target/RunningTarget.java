package io.switchboard.bench.target;

import io.switchboard.bench.client.Wire;
import java.util.List;

/** A server under measurement: started by the bench, or already running at a URL. */
public interface RunningTarget {

  TargetKind kind();

  /** The address generator connections go to. */
  String host();

  /** The port publishers connect to, and every connection of a single server. */
  int port();

  /**
   * The ports a scenario's other connections (subscribers, idle and connect connections) go to,
   * taking them in turn: {@link #port()} alone for a single server; for a cluster, the nodes other
   * than the publishers' one.
   */
  default List<Integer> fleetPorts() {
    return List.of(port());
  }

  /** How many server processes make up the target: more than one for a cluster. */
  default int nodes() {
    return 1;
  }

  /**
   * Connections open on each node now, as the node itself counts them, by node; empty when the
   * target is one server (the generator's own counts say it all).
   */
  default List<Long> connectionsByNode() {
    return List.of();
  }

  default Wire wire() {
    return kind().wire();
  }

  /** How it was started (the command line) or where it runs (the URL), for the report. */
  String description();

  /**
   * CPU seconds the server process (every node's, summed, for a cluster) has used so far, or NaN
   * when the bench did not start it.
   */
  double cpuSeconds();

  /**
   * CPU seconds the server's JIT compiler threads have used so far, or {@link CompilerCpu#UNKNOWN}
   * (not a JVM, or not started by the bench). Compiling during a measurement means the warm-up was
   * too short.
   */
  default CompilerCpu compilerCpu() {
    return CompilerCpu.UNKNOWN;
  }

  /**
   * Bytes in use on the server's heap (every node's, summed, for a cluster) right after a full
   * collection, or -1 when unknown: {@code jcmd GC.run} then {@code GC.heap_info} for a JVM, {@code
   * global.gc()} then {@code heapUsed} for Node. Off-heap memory (Netty's direct buffers, Node's
   * external memory) is not included.
   */
  long heapAfterGc();

  /**
   * Stops the server and starts it again on the same port, for scenarios about restarts.
   *
   * @throws UnsupportedOperationException when the bench did not start it, or it is a cluster
   */
  void restart();

  /** Stops the server if the bench started it. */
  void stop();
}

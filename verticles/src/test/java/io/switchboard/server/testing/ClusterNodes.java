package io.switchboard.server.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A cluster of fat-jar processes on loopback: each node its own JVM, all of them in one Hazelcast
 * cluster on a run of free ports of their own (so that test classes running at the same time never
 * join one another), and a WebClient for their admin APIs.
 */
public final class ClusterNodes implements AutoCloseable {

  private final List<ServerProcess> nodes = new ArrayList<>();
  private final WebClient http;
  private final Path workDir;
  private final int base;
  private final int capacity;
  private final NodeSetup setup;
  private final JsonArray members = new JsonArray();

  /** What one node gets beyond what every node gets: e.g. the bridge on one node only. */
  @FunctionalInterface
  public interface NodeSetup {
    /** Adds to the options of node {@code node} (0 for the first started). */
    void apply(int node, ServerProcess.Options options);
  }

  private ClusterNodes(Vertx vertx, Path workDir, int capacity, NodeSetup setup) {
    this.http = WebClient.create(vertx);
    this.workDir = workDir;
    this.capacity = capacity;
    this.setup = setup;
    this.base = freePortRun(capacity);
    for (int i = 0; i < capacity; i++) {
      members.add("127.0.0.1:" + (base + i));
    }
  }

  /**
   * Starts {@code count} nodes at once and waits until each has started and sees all the others.
   */
  public static ClusterNodes start(Vertx vertx, Path workDir, int count) {
    return start(vertx, workDir, count, count);
  }

  /**
   * Starts {@code count} nodes of a cluster that has room (Hazelcast ports) for {@code capacity},
   * so that {@link #add()} can start more later.
   */
  public static ClusterNodes start(Vertx vertx, Path workDir, int count, int capacity) {
    return start(vertx, workDir, count, capacity, (node, options) -> {});
  }

  /**
   * Starts {@code count} nodes of a cluster that has room (Hazelcast ports) for {@code capacity}
   * members, each node's options completed by {@code setup}. Room beyond the nodes can also go to
   * another member of the cluster that is no Switchboard node, on {@link #memberPort}.
   */
  public static ClusterNodes start(
      Vertx vertx, Path workDir, int count, int capacity, NodeSetup setup) {
    ClusterNodes cluster = new ClusterNodes(vertx, workDir, capacity, setup);
    try {
      for (int i = 0; i < count; i++) {
        cluster.launch(i);
      }
    } catch (IOException e) {
      cluster.close();
      throw new UncheckedIOException(e);
    }
    try {
      cluster.nodes.forEach(ServerProcess::awaitStarted);
      cluster.awaitMembers();
    } catch (RuntimeException | AssertionError e) {
      cluster.close();
      throw e;
    }
    return cluster;
  }

  /** Starts one more node and waits until every node sees it and it is ready to own channels. */
  public int add() {
    int i = nodes.size();
    try {
      launch(i);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    nodes.get(i).awaitStarted();
    awaitMembers();
    awaitReady(i);
    return i;
  }

  /**
   * Waits until node {@code i} is ready to own channels ({@code /health}'s {@code cluster.state} is
   * {@code joined}): from then on every node that sees the same members picks the same owners.
   */
  public void awaitReady(int i) {
    Await.until(
        "node " + i + " is ready to own channels",
        Duration.ofSeconds(30),
        () -> "joined".equals(get(i, "/health").getJsonObject("cluster").getString("state")));
  }

  private void awaitMembers() {
    int count = nodes.size();
    for (int i = 0; i < count; i++) {
      int node = i;
      Await.until(
          "node " + i + " sees " + count + " members",
          Duration.ofSeconds(60),
          () -> nodesSeenBy(node).size() == count);
    }
  }

  private void launch(int i) throws IOException {
    Path dir = Files.createDirectories(workDir.resolve("node-" + i));
    Files.createDirectories(dir.resolve("plugins"));
    ServerProcess.Options options =
        new ServerProcess.Options()
            .onFreeLoopbackPorts()
            .jvmArg("-Xmx256m")
            // Short-lived JVMs on a shared machine: C1 alone spends less CPU compiling.
            .jvmArg("-XX:TieredStopAtLevel=1")
            .env("SWITCHBOARD_CLUSTER_PORT", String.valueOf(base + i))
            .env("SWITCHBOARD_CLUSTER_MEMBERS", members.encode())
            .env("SWITCHBOARD_ROUTING_INSTANCES", "2")
            .env("SWITCHBOARD_WS_INSTANCES", "2");
    // One node by the command line, the others by the environment: both turn clustering on.
    if (i == 0) {
      options.arg("--cluster");
    } else {
      options.env("SWITCHBOARD_CLUSTER_ENABLED", "true");
    }
    setup.apply(i, options);
    nodes.add(ServerProcess.start(dir, options));
  }

  /**
   * The Hazelcast port of member {@code slot} of this cluster's run (node {@code i} has slot {@code
   * i}), which every node looks for members on: e.g. for a service joining the cluster beside the
   * nodes, on a slot beyond them.
   */
  public int memberPort(int slot) {
    if (slot < 0 || slot >= capacity) {
      throw new IllegalArgumentException(
          "slot must be from 0 to " + (capacity - 1) + " (the capacity), was " + slot);
    }
    return base + slot;
  }

  public ServerProcess node(int i) {
    return nodes.get(i);
  }

  public int size() {
    return nodes.size();
  }

  /** {@code ws://127.0.0.1:<port>/ws} of a node. */
  public String url(int i) {
    return "ws://127.0.0.1:" + nodes.get(i).wsPort() + "/ws";
  }

  /** {@code GET <path>} on a node's admin API, its JSON body (any status). */
  public JsonObject get(int node, String path) {
    return Await.result(
            http.get(nodes.get(node).adminPort(), "127.0.0.1", path).timeout(10_000).send())
        .bodyAsJsonObject();
  }

  /** {@code DELETE <path>} on a node's admin API, its JSON body (any status). */
  public JsonObject delete(int node, String path) {
    return Await.result(
            http.delete(nodes.get(node).adminPort(), "127.0.0.1", path).timeout(10_000).send())
        .bodyAsJsonObject();
  }

  /** {@code POST <path>} with a JSON body on a node's admin API, its JSON body. */
  public JsonObject post(int node, String path, JsonObject body) {
    return Await.result(
            http.post(nodes.get(node).adminPort(), "127.0.0.1", path)
                .timeout(10_000)
                .sendJsonObject(body))
        .bodyAsJsonObject();
  }

  /** The ids of the nodes that {@code GET /api/nodes} on node {@code i} lists as up. */
  public List<String> nodesSeenBy(int i) {
    List<String> up = new ArrayList<>();
    for (Object node : get(i, "/api/nodes").getJsonArray("nodes")) {
      JsonObject description = (JsonObject) node;
      if ("up".equals(description.getString("state"))) {
        up.add(description.getString("id"));
      }
    }
    return up;
  }

  /** The cluster id of node {@code i}, as its own {@code GET /api/nodes} names it. */
  public String nodeId(int i) {
    for (Object node : get(i, "/api/nodes").getJsonArray("nodes")) {
      JsonObject description = (JsonObject) node;
      if (description.getBoolean("self", false)) {
        return description.getString("id");
      }
    }
    throw new AssertionError("node " + i + "'s /api/nodes does not list itself");
  }

  /** Kills a node as {@code kill -9} would: no shutdown hook, no goodbye to the cluster. */
  public void kill(int i) {
    ProcessHandle.of(nodes.get(i).pid()).ifPresent(ProcessHandle::destroyForcibly);
    Await.until(
        "node " + i + " is dead",
        () -> ProcessHandle.of(nodes.get(i).pid()).map(p -> !p.isAlive()).orElse(true));
  }

  /**
   * Stops every node and keeps their output in {@code target/cluster-logs/} (the working folders
   * are temporary), for a look after a failure.
   */
  @Override
  public void close() {
    nodes.forEach(ServerProcess::close);
    http.close();
    Path logs = Path.of("target", "cluster-logs");
    String run = String.valueOf(System.currentTimeMillis());
    try {
      Files.createDirectories(logs);
      for (int i = 0; i < nodes.size(); i++) {
        Files.write(logs.resolve(run + "-node-" + i + ".out"), nodes.get(i).output());
      }
    } catch (IOException | UncheckedIOException e) {
      // Only a convenience: the test's outcome does not depend on it.
    }
  }

  /**
   * The first of {@code count} consecutive ports that are all free on 127.0.0.1 now: for a
   * Hazelcast port range of one's own, which tests running beside each other must not share.
   */
  public static int freePortRun(int count) {
    for (int attempt = 0; attempt < 50; attempt++) {
      int first;
      try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        first = probe.getLocalPort();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      if (first + count < 65535 && allFree(first, count)) {
        return first;
      }
    }
    throw new AssertionError("no run of " + count + " free ports found");
  }

  private static boolean allFree(int first, int count) {
    for (int port = first; port < first + count; port++) {
      try (ServerSocket probe = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
        assertThat(probe.getLocalPort()).isEqualTo(port);
      } catch (IOException taken) {
        return false;
      }
    }
    return true;
  }
}

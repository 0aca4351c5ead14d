package io.switchboard.bench.target;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * {@code switchboard-cluster}: Switchboard's fat jar as N processes that the bench starts as one
 * Hazelcast cluster on loopback, every port a free one, all pinned to the server's cores as a
 * single server is. Node 0 takes the publishers; nodes 1 to N-1 take every other connection in
 * turn, so that each message enters the cluster on one node and reaches its subscribers on the
 * others.
 *
 * <p>Ready once every node's {@code GET /health} shows all N members and the node itself {@code
 * joined} (ready to own channels). A subscriber counts as ready once its join is confirmed, which a
 * clustered node does only when every member knows of the subscriber's node; the publishers start
 * after that, so a message lost between nodes is a loss the check reports, not a race of the
 * set-up.
 */
final class ClusterTarget implements RunningTarget {

  /** The admin API's address at the end of Switchboard's start-up line, or {@code off}. */
  static final Pattern ADMIN = Pattern.compile("admin: (?:http://[^\\s\\]]+:(\\d+)|(\\S+))\\]");

  private static final String HOST = "127.0.0.1";
  private static final Duration HTTP_TIMEOUT = Duration.ofSeconds(5);
  private static final long POLL_MILLIS = 100;

  private final List<ServerProcess> nodes;
  private final List<Integer> adminPorts;
  private final List<Integer> hazelcastPorts;
  private final HttpClient http =
      HttpClient.newBuilder()
          .connectTimeout(HTTP_TIMEOUT)
          .version(HttpClient.Version.HTTP_1_1)
          .build();

  private ClusterTarget(
      List<ServerProcess> nodes, List<Integer> adminPorts, List<Integer> hazelcastPorts) {
    this.nodes = List.copyOf(nodes);
    this.adminPorts = List.copyOf(adminPorts);
    this.hazelcastPorts = List.copyOf(hazelcastPorts);
  }

  /**
   * Starts {@link TargetSettings#clusterNodes()} nodes side by side and waits until they form one
   * cluster. On any failure every node already started is stopped.
   *
   * @throws IllegalStateException naming the node and the reason, with its log's tail
   */
  static ClusterTarget start(TargetSettings settings, Pinning pinning) {
    int count = settings.clusterNodes();
    if (count < 2) {
      throw new IllegalArgumentException("--cluster-nodes must be >= 2, was " + count);
    }
    List<Integer> hazelcastPorts = freeLoopbackPorts(count);
    String members =
        new JsonArray(hazelcastPorts.stream().map(port -> HOST + ":" + port).toList()).encode();
    List<ServerProcess> nodes = new ArrayList<>();
    try {
      for (int i = 0; i < count; i++) {
        Map<String, String> clustered =
            Map.of(
                "SWITCHBOARD_CLUSTER_ENABLED",
                "true",
                "SWITCHBOARD_CLUSTER_HOST",
                HOST,
                "SWITCHBOARD_CLUSTER_PORT",
                String.valueOf(hazelcastPorts.get(i)),
                "SWITCHBOARD_CLUSTER_MEMBERS",
                members);
        nodes.add(
            ServerProcess.spawn(
                TargetKind.SWITCHBOARD_CLUSTER,
                nodeName(i),
                Targets.switchboardLauncher(settings, pinning, clustered),
                server -> JvmHeap.usedAfterGc(server.pid()),
                settings.startupTimeout(),
                settings
                    .workDir()
                    .resolve(TargetKind.SWITCHBOARD_CLUSTER.id() + "-node-" + i + ".log")));
      }
      List<Integer> adminPorts = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        nodes.get(i).awaitListening();
        adminPorts.add(adminPort(i, nodes.get(i)));
      }
      ClusterTarget cluster = new ClusterTarget(nodes, adminPorts, hazelcastPorts);
      cluster.awaitFormed(settings.startupTimeout());
      return cluster;
    } catch (RuntimeException e) {
      stopAll(nodes);
      throw e;
    }
  }

  private static String nodeName(int i) {
    return TargetKind.SWITCHBOARD_CLUSTER.id() + " node " + i;
  }

  private static int adminPort(int i, ServerProcess node) {
    Matcher admin = node.find(ADMIN);
    if (admin == null || admin.group(1) == null) {
      throw new IllegalStateException(
          nodeName(i)
              + " gives no plain-HTTP admin API ("
              + (admin == null ? "none in its start-up line" : "admin: " + admin.group(2))
              + "); switchboard-cluster reads each node's GET /health to tell that the cluster"
              + " formed, so --server-env may not turn the admin API off or put it behind TLS");
    }
    return Integer.parseInt(admin.group(1));
  }

  /**
   * Ports that are free on loopback now, distinct, for Hazelcast: each node gets one and the member
   * list names them all, so that no other cluster on this machine is joined by mistake.
   */
  static List<Integer> freeLoopbackPorts(int count) {
    List<ServerSocket> held = new ArrayList<>();
    try {
      for (int i = 0; i < count; i++) {
        held.add(new ServerSocket(0, 1, InetAddress.getLoopbackAddress()));
      }
      return held.stream().map(ServerSocket::getLocalPort).toList();
    } catch (IOException e) {
      throw new UncheckedIOException("could not find free ports on 127.0.0.1", e);
    } finally {
      for (ServerSocket socket : held) {
        try {
          socket.close();
        } catch (IOException e) {
          // the port is read; closing it only frees it for the node
        }
      }
    }
  }

  private void awaitFormed(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    String[] views = new String[nodes.size()];
    while (true) {
      boolean formed = true;
      for (int i = 0; i < nodes.size(); i++) {
        if (!nodes.get(i).isAlive()) {
          throw new IllegalStateException(
              nodeName(i) + " exited while the cluster formed; " + nodes.get(i).logTail());
        }
        JsonObject view = clusterView(i);
        if (view == null) {
          views[i] = "no answer";
          formed = false;
          continue;
        }
        int members = view.getInteger("members", 0);
        String state = view.getString("state");
        views[i] = members + " members, " + state;
        formed &= members == nodes.size() && "joined".equals(state);
      }
      if (formed) {
        return;
      }
      if (System.nanoTime() > deadline) {
        StringBuilder seen = new StringBuilder();
        for (int i = 0; i < views.length; i++) {
          seen.append(i == 0 ? "" : "; ").append("node ").append(i).append(": ").append(views[i]);
        }
        throw new IllegalStateException(
            "the "
                + nodes.size()
                + " nodes of switchboard-cluster did not form a cluster within "
                + timeout
                + " (each must see "
                + nodes.size()
                + " members and be joined; "
                + seen
                + "); "
                + nodes.get(0).logTail());
      }
      ServerProcess.pause(POLL_MILLIS);
    }
  }

  /**
   * The {@code cluster} section of node {@code i}'s {@code /health}, or null if it did not answer.
   */
  private JsonObject clusterView(int i) {
    JsonObject health = health(i);
    if (health == null) {
      return null;
    }
    JsonObject cluster = health.getJsonObject("cluster");
    if (cluster == null) {
      throw new IllegalStateException(
          nodeName(i)
              + "'s GET /health has no cluster section, which it hides from requests without"
              + " admin.token: do not set SWITCHBOARD_ADMIN_TOKEN for switchboard-cluster");
    }
    return cluster;
  }

  /** Node {@code i}'s {@code GET /health} (200 or 503), or null when it did not answer. */
  private JsonObject health(int i) {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://" + HOST + ":" + adminPorts.get(i) + "/health"))
            .timeout(HTTP_TIMEOUT)
            .GET()
            .build();
    try {
      return new JsonObject(http.send(request, HttpResponse.BodyHandlers.ofString()).body());
    } catch (IOException | DecodeException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(
          "interrupted while asking " + nodeName(i) + " for /health", e);
    }
  }

  @Override
  public TargetKind kind() {
    return TargetKind.SWITCHBOARD_CLUSTER;
  }

  @Override
  public String host() {
    return nodes.get(0).host();
  }

  /** Node 0's port: the publishers'. */
  @Override
  public int port() {
    return nodes.get(0).port();
  }

  /** Nodes 1 to N-1: the subscribers'. */
  @Override
  public List<Integer> fleetPorts() {
    return nodes.subList(1, nodes.size()).stream().map(ServerProcess::port).toList();
  }

  @Override
  public int nodes() {
    return nodes.size();
  }

  /** Each node's {@code services.websocket.activeConnections}; -1 for a node that did not say. */
  @Override
  public List<Long> connectionsByNode() {
    List<Long> counts = new ArrayList<>();
    for (int i = 0; i < nodes.size(); i++) {
      JsonObject health = health(i);
      JsonObject websocket =
          health == null || health.getJsonObject("services") == null
              ? null
              : health.getJsonObject("services").getJsonObject("websocket");
      counts.add(websocket == null ? -1L : websocket.getLong("activeConnections", -1L));
    }
    return counts;
  }

  @Override
  public String description() {
    return nodes.size()
        + " Switchboard nodes clustered on "
        + HOST
        + " (Hazelcast ports "
        + hazelcastPorts.stream().map(String::valueOf).collect(Collectors.joining(", "))
        + "): publishers to node 0 (port "
        + port()
        + "), subscribers to nodes 1-"
        + (nodes.size() - 1)
        + " (ports "
        + fleetPorts().stream().map(String::valueOf).collect(Collectors.joining(", "))
        + "); each node: "
        + nodes.get(0).description();
  }

  /** Every node's CPU seconds, summed. */
  @Override
  public double cpuSeconds() {
    double total = 0;
    for (ServerProcess node : nodes) {
      total += node.cpuSeconds();
    }
    return total;
  }

  @Override
  public CompilerCpu compilerCpu() {
    return CompilerCpu.combine(nodes.stream().map(ServerProcess::compilerCpu).toList());
  }

  /** Every node's heap after a full collection, summed; -1 when any is unknown. */
  @Override
  public long heapAfterGc() {
    long total = 0;
    for (ServerProcess node : nodes) {
      long used = node.heapAfterGc();
      if (used < 0) {
        return -1;
      }
      total += used;
    }
    return total;
  }

  @Override
  public void restart() {
    throw new UnsupportedOperationException(
        "switchboard-cluster does not restart its nodes: reconnect measures one server");
  }

  @Override
  public void stop() {
    stopAll(nodes);
  }

  /** Asks every node to stop at once, then waits for each (SIGKILL after the grace period). */
  private static void stopAll(List<ServerProcess> nodes) {
    nodes.forEach(ServerProcess::requestStop);
    nodes.forEach(ServerProcess::stop);
  }
}

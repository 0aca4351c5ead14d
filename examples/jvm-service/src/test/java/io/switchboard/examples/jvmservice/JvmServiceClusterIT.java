package io.switchboard.examples.jvmservice;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.server.testing.Await;
import io.switchboard.server.testing.ClusterNodes;
import io.switchboard.server.testing.WsClient;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The example service beside two clustered Switchboard nodes, each node and the service in a JVM of
 * its own, all in one Hazelcast cluster on loopback ports of their own. The service is placed with
 * neither node: it owns no channel, and each channel's owner is one of the two nodes, so with a
 * WebSocket client on each node one of them is on a node that does not own the channel and gets the
 * service's broadcast only through the owner.
 */
class JvmServiceClusterIT {

  private static final String CHANNEL = "service-cluster-news";
  private static final String NAME = "clusterService";
  private static final int NODES = 2;

  /** The Hazelcast port of the run that the service takes: the one after the nodes'. */
  private static final int SERVICE_SLOT = NODES;

  @TempDir static Path dir;

  private static Vertx vertx;
  private static WebSocketClient ws;
  private static ClusterNodes cluster;
  private static ServiceProcess service;
  private final List<WsClient> clients = new ArrayList<>();

  @BeforeAll
  static void startNodesAndService() {
    vertx = Vertx.vertx();
    ws = vertx.createWebSocketClient();
    cluster =
        ClusterNodes.start(
            vertx,
            dir.resolve("nodes"),
            NODES,
            NODES + 1,
            (node, options) -> options.env("SWITCHBOARD_TELEMETRY_INTERVAL_MS", "300"));
    for (int i = 0; i < NODES; i++) {
      cluster.awaitReady(i);
    }
    service =
        ServiceProcess.start(
            dir.resolve("service"),
            "--members=127.0.0.1:" + cluster.memberPort(0),
            "--port=" + cluster.memberPort(SERVICE_SLOT),
            "--channel=" + CHANNEL,
            "--name=" + NAME);
    service.awaitLine(
        Pattern.compile("^telemetry source registered: " + NAME + "$"), Duration.ofSeconds(90));
  }

  @AfterEach
  void closeClients() {
    clients.forEach(WsClient::close);
  }

  @AfterAll
  static void stopAll() {
    if (service != null) {
      service.close();
    }
    if (cluster != null) {
      cluster.close();
    }
    if (vertx != null) {
      vertx.close().await();
    }
  }

  @Test
  void theServicesBroadcastReachesAClientOnEachNodeOnce() {
    List<WsClient> subscribers = new ArrayList<>();
    for (int i = 0; i < NODES; i++) {
      WsClient client = connect(i, "reader-" + i);
      // The service hears the connections and joins of every node.
      service.awaitLine(
          Pattern.compile("^connected: " + Pattern.quote(client.connectionId()) + " \\[user: "),
          Await.TIMEOUT);
      join(client, CHANNEL);
      service.awaitLine(
          Pattern.compile(
              "^joined: "
                  + Pattern.quote(client.connectionId())
                  + " -> "
                  + CHANNEL
                  + " \\[subscribers on its node: 1]$"),
          Await.TIMEOUT);
      subscribers.add(client);
    }

    // Each line's message is the marker proving that the one before it came once: a second copy,
    // sequenced by the channel's one owner, would arrive before it.
    for (int n = 1; n <= 3; n++) {
      String text = "line " + n + " from the service";
      service.writeLine(text);
      for (int i = 0; i < NODES; i++) {
        JsonObject message = subscribers.get(i).next("message");
        assertThat(message.getString("channel")).as("node %d's client", i).isEqualTo(CHANNEL);
        assertThat(message.getString("event")).isEqualTo("SERVICE_LINE");
        assertThat(message.getJsonObject("data"))
            .as("node %d's client's message %d", i, n)
            .isEqualTo(new JsonObject().put("text", text).put("from", NAME));
      }
      int published = n;
      Await.until(
          "the service printed " + n + " broadcasts delivered to both clients",
          () -> linesMatching("^published to " + CHANNEL + ": delivered to 2$") == published);
    }
    subscribers.forEach(WsClient::assertNothingReceived);
    assertThat(linesMatching("^publish failed")).as("failed broadcasts").isZero();
  }

  @Test
  void theServicesFiguresAppearOnTheOneNodeThatTookItsRegistration() {
    List<WsClient> watchers = new ArrayList<>();
    for (int i = 0; i < NODES; i++) {
      WsClient client = connect(i, "watcher-" + i);
      join(client, "$telemetry");
      watchers.add(client);
    }

    // Every update here comes after the registration, which the service printed before these
    // clients connected; the node that took it includes the figures unless the service is late.
    int[] withFigures = new int[NODES];
    for (int update = 0; update < 5; update++) {
      for (int i = 0; i < NODES; i++) {
        JsonObject data = watchers.get(i).next("metrics_update").getJsonObject("data");
        if (data.containsKey(NAME)) {
          withFigures[i]++;
          assertThat(data.getJsonObject(NAME).fieldNames())
              .containsExactlyInAnyOrder("linesRead", "published", "delivered", "uptimeMs");
        }
      }
    }
    assertThat(Arrays.stream(withFigures).filter(count -> count > 0).count())
        .as(
            "nodes whose updates carried the service's figures (out of 5 each: %s)",
            Arrays.toString(withFigures))
        .isEqualTo(1);
  }

  private WsClient connect(int node, String userId) {
    WsClient client =
        WsClient.connect(ws, cluster.node(node).wsPort(), "/ws?userId=" + userId, null);
    clients.add(client);
    return client;
  }

  private static void join(WsClient client, String channel) {
    JsonObject answer =
        client.request(new JsonObject().put("type", "join").put("channel", channel).put("id", "j"));
    assertThat(answer.getString("type"))
        .as("answer %s", answer)
        .isEqualTo("subscription_confirmed");
    assertThat(answer.getString("channel")).isEqualTo(channel);
  }

  private static long linesMatching(String regex) {
    Pattern pattern = Pattern.compile(regex);
    return service.output().stream().filter(line -> pattern.matcher(line).find()).count();
  }
}

package io.switchboard.server.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.server.cluster.ClusterView;
import io.switchboard.server.testing.Await;
import io.switchboard.server.testing.ClusterNodes;
import io.switchboard.server.testing.ScriptProcess;
import io.switchboard.server.testing.WsClient;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The bridge in a cluster: two clustered fat-jar nodes on loopback with the bridge on node 0 only,
 * and {@code src/test/node/bridge-client.js} (run with {@code node}, which must be on the PATH as
 * for {@link BridgeNodeIT}) on that bridge. What it broadcasts reaches a WebSocket client on node 1
 * once, whether node 0 owns the channel (and sends the message on to node 1) or node 1 does (and
 * node 0 forwards the broadcast to it); and it hears that client's lifecycle events, which node 1
 * publishes on the clustered event bus.
 */
class BridgeClusterIT {

  private static final String TOKEN = "cluster-bridge-token-0123456789";
  private static final Path SCRIPT = Path.of("src", "test", "node", "bridge-client.js");
  private static final Pattern LISTENING =
      Pattern.compile("tcp event-bus bridge listening \\[host: 127\\.0\\.0\\.1, port: (\\d+),");

  private static final int BRIDGE_NODE = 0;
  private static final int OTHER_NODE = 1;

  @TempDir static Path workDir;

  private static Vertx vertx;
  private static WebSocketClient ws;
  private static ClusterNodes cluster;
  private static int bridgePort;

  private final List<WsClient> clients = new ArrayList<>();

  /** The probe clients' connection ids: their events may still come in late. */
  private final Set<String> probes = new HashSet<>();

  private ScriptProcess script;

  @BeforeAll
  static void startCluster() {
    vertx = Vertx.vertx();
    ws = vertx.createWebSocketClient();
    cluster =
        ClusterNodes.start(
            vertx,
            workDir,
            2,
            2,
            (node, options) -> {
              if (node == BRIDGE_NODE) {
                options
                    .env("SWITCHBOARD_BRIDGE_ENABLED", "true")
                    .env("SWITCHBOARD_BRIDGE_PORT", "0")
                    .env("SWITCHBOARD_BRIDGE_TOKEN", TOKEN);
              }
            });
    cluster.awaitReady(BRIDGE_NODE);
    cluster.awaitReady(OTHER_NODE);
    bridgePort = Integer.parseInt(cluster.node(BRIDGE_NODE).awaitLine(LISTENING).group(1));
  }

  @AfterEach
  void closeClients() {
    if (script != null) {
      script.close();
    }
    clients.forEach(WsClient::close);
  }

  @AfterAll
  static void stopCluster() {
    if (cluster != null) {
      cluster.close();
    }
    if (vertx != null) {
      vertx.close().await();
    }
  }

  @ParameterizedTest(name = "the channel owned by node {0}")
  @ValueSource(ints = {BRIDGE_NODE, OTHER_NODE})
  void aBridgeClientOnOneNodeReachesAWebSocketClientOnTheOtherOnceAndHearsItsEvents(int owner) {
    assertThat(Files.isRegularFile(SCRIPT)).as("%s exists", SCRIPT.toAbsolutePath()).isTrue();
    assertThat(cluster.node(OTHER_NODE).output())
        .as("node %d's output: it runs no bridge", OTHER_NODE)
        .noneMatch(line -> line.contains("tcp event-bus bridge listening"));
    String channel = channelOwnedBy(owner);
    script =
        ScriptProcess.start(
            "Node.js 20 or later",
            "node",
            SCRIPT.toString(),
            "127.0.0.1",
            String.valueOf(bridgePort),
            channel,
            TOKEN,
            "--on-stdin");
    assertThat(new JsonObject(script.nextLine())).isEqualTo(new JsonObject().put("event", "ready"));
    awaitRegistrationsOnTheOtherNode(channel);

    WsClient client = connect("grace");
    String id = client.connectionId();
    assertThat(nextEvent()).isEqualTo(event("connected", id));
    join(client, channel);
    assertThat(nextEvent()).isEqualTo(event("joined", id));

    // Broadcast only once the join is confirmed: from then on the owner knows of node 1's
    // subscriber. Each message is the marker proving that the one before it came once: a second
    // copy, sequenced by the channel's one owner, would arrive before it.
    for (int n = 1; n <= 3; n++) {
      script.writeLine(new JsonObject().put("n", n).encode());
      assertThat(nextEvent())
          .as("the reply to broadcast %d", n)
          .isEqualTo(
              new JsonObject()
                  .put("event", "reply")
                  .put("body", new JsonObject().put("success", true).put("delivered", 1)));
      JsonObject message = client.next("message");
      assertThat(message.getString("channel")).isEqualTo(channel);
      assertThat(message.getString("event")).isEqualTo("FROM_NODE");
      assertThat(message.getJsonObject("data")).isEqualTo(new JsonObject().put("n", n));
    }
    client.assertNothingReceived();

    JsonObject left =
        client.request(
            new JsonObject().put("type", "leave").put("channel", channel).put("id", "l"));
    assertThat(left.getString("type")).as("answer to leave: %s", left).isEqualTo("left");
    assertThat(nextEvent()).isEqualTo(event("left", id));
    client.close();
    assertThat(nextEvent()).isEqualTo(event("disconnected", id));
    script.endInput();
    assertThat(script.awaitExit()).as("exit code after %s", script.seen()).isZero();
  }

  /**
   * The bridge puts a consumer on node 0's event bus for each {@code register} and answers the
   * following {@code ping} at once, but node 1 learns of those consumers through Hazelcast a moment
   * later, and an event it publishes before then reaches no one on node 0. So probe clients live
   * their whole life on node 1 (connect, join, leave, close) until the script has heard all four
   * events of one of them.
   */
  private void awaitRegistrationsOnTheOtherNode(String channel) {
    Await.until(
        "the bridge client hears every event of a probe client on node " + OTHER_NODE,
        Duration.ofSeconds(30),
        () -> {
          WsClient probe = connect("probe");
          String id = probe.connectionId();
          probes.add(id);
          join(probe, channel);
          probe.request(new JsonObject().put("type", "leave").put("channel", channel));
          probe.close();
          Set<String> heard = new HashSet<>();
          for (String line = script.pollLine(Duration.ofSeconds(2));
              line != null;
              line = script.pollLine(Duration.ofSeconds(2))) {
            JsonObject event = new JsonObject(line);
            String of = event.getString("connectionId");
            assertThat(probes).as("the probes, who alone caused %s", line).contains(of);
            if (id.equals(of)) {
              heard.add(event.getString("event"));
            }
            if (heard.size() == 4) {
              return true;
            }
          }
          return false;
        });
  }

  /** The script's next line that is not a probe's late event. */
  private JsonObject nextEvent() {
    while (true) {
      JsonObject event = new JsonObject(script.nextLine());
      if (!probes.contains(event.getString("connectionId"))) {
        return event;
      }
    }
  }

  private static JsonObject event(String event, String connectionId) {
    return new JsonObject().put("event", event).put("connectionId", connectionId);
  }

  /** A channel that node {@code owner} owns, by the rule every node applies. */
  private static String channelOwnedBy(int owner) {
    String bridgeNode = cluster.nodeId(BRIDGE_NODE);
    String otherNode = cluster.nodeId(OTHER_NODE);
    ClusterView view = new ClusterView(bridgeNode, List.of(bridgeNode, otherNode));
    view.markReady(bridgeNode);
    view.markReady(otherNode);
    String ownerId = cluster.nodeId(owner);
    for (int k = 0; ; k++) {
      String channel = "bridge-news-" + k;
      if (view.ownerOf(channel).equals(ownerId)) {
        return channel;
      }
    }
  }

  private WsClient connect(String userId) {
    WsClient client =
        WsClient.connect(ws, cluster.node(OTHER_NODE).wsPort(), "/ws?userId=" + userId, null);
    clients.add(client);
    return client;
  }

  private static void join(WsClient client, String channel) {
    JsonObject confirmed =
        client.request(new JsonObject().put("type", "join").put("channel", channel).put("id", "j"));
    assertThat(confirmed.getString("type"))
        .as("answer to join: %s", confirmed)
        .isEqualTo("subscription_confirmed");
    assertThat(confirmed.getString("channel")).isEqualTo(channel);
  }
}

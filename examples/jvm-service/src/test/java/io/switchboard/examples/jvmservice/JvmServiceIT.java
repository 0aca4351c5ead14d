package io.switchboard.examples.jvmservice;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.server.testing.Await;
import io.switchboard.server.testing.ClusterNodes;
import io.switchboard.server.testing.ServerProcess;
import io.switchboard.server.testing.WsClient;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The example service's jar and a clustered Switchboard node's fat jar, each in a JVM of its own,
 * in one Hazelcast cluster on loopback ports of their own; real WebSocket and HTTP clients on the
 * node. The node waits up to 30 s for other members' answers ({@code cluster.answerTimeoutMs}), so
 * anything that waited for the service (a Vert.x member but no Switchboard node, which answers none
 * of the nodes' requests) would take far longer than the 5 to 10 s these tests allow.
 */
class JvmServiceIT {

  private static final String CHANNEL = "service-news";
  private static final String NAME = "exampleService";

  /** How long an admin request may take: a sixth of the node's answer timeout. */
  private static final long PROMPT_MS = 5_000;

  @TempDir static Path dir;

  private static Vertx vertx;
  private static WebSocketClient ws;
  private static WebClient http;
  private static ServerProcess node;
  private static ServiceProcess service;
  private WsClient client;

  @BeforeAll
  static void startNodeAndService() throws IOException {
    vertx = Vertx.vertx();
    ws = vertx.createWebSocketClient();
    http = WebClient.create(vertx);
    int base = ClusterNodes.freePortRun(2);
    Path nodeDir = Files.createDirectories(dir.resolve("node"));
    Files.createDirectories(nodeDir.resolve("plugins"));
    node =
        ServerProcess.start(
            nodeDir,
            new ServerProcess.Options()
                .onFreeLoopbackPorts()
                .arg("--cluster")
                .jvmArg("-Xmx256m")
                .jvmArg("-XX:TieredStopAtLevel=1")
                .env("SWITCHBOARD_CLUSTER_PORT", String.valueOf(base))
                .env(
                    "SWITCHBOARD_CLUSTER_MEMBERS",
                    new JsonArray()
                        .add("127.0.0.1:" + base)
                        .add("127.0.0.1:" + (base + 1))
                        .encode())
                .env("SWITCHBOARD_CLUSTER_ANSWER_TIMEOUT_MS", "30000")
                .env("SWITCHBOARD_TELEMETRY_INTERVAL_MS", "300"));
    node.awaitStarted();
    service =
        ServiceProcess.start(
            dir.resolve("service"),
            "--members=127.0.0.1:" + base,
            "--port=" + (base + 1),
            "--channel=" + CHANNEL,
            "--name=" + NAME);
    service.awaitLine(
        Pattern.compile("^telemetry source registered: " + NAME + "$"), Duration.ofSeconds(90));
  }

  @AfterEach
  void closeClient() {
    if (client != null) {
      client.close();
    }
  }

  @AfterAll
  static void stopAll() {
    if (service != null) {
      service.close();
    }
    if (node != null) {
      node.close();
    }
    if (vertx != null) {
      vertx.close().await();
    }
  }

  @Test
  void theServiceIsAClusterMemberButNotASwitchboardNode() {
    node.awaitLine(Pattern.compile("Members \\{size:2,"));

    JsonObject nodes = get("/api/nodes");

    assertThat(nodes.getJsonArray("nodes")).hasSize(1);
    JsonObject self = nodes.getJsonArray("nodes").getJsonObject(0);
    assertThat(self.getBoolean("self")).isTrue();
    assertThat(self.getString("state")).isEqualTo("up");
    assertThat(get("/health").getJsonObject("cluster").getJsonArray("memberIds"))
        .containsExactly(self.getString("id"));
  }

  @Test
  void theServicePrintsTheConnectionAndTheJoinOfAClient() {
    client = WsClient.connect(ws, node.wsPort(), "/ws?userId=ada", null);
    String id = client.connectionId();
    service.awaitLine(
        Pattern.compile("^connected: " + Pattern.quote(id) + " \\[user: ada, "), Await.TIMEOUT);

    // A channel of its own: the join opens it, which a node confirms once every member knows.
    JsonObject confirmed = joinPromptly("lobby");

    assertThat(confirmed.getJsonObject("data").getInteger("subscribers")).isEqualTo(1);
    service.awaitLine(
        Pattern.compile(
            "^joined: " + Pattern.quote(id) + " -> lobby \\[subscribers on its node: 1]$"),
        Await.TIMEOUT);
    JsonObject channels = get("/api/channels");
    assertThat(channels.getJsonArray("unansweredNodes", new JsonArray())).isEmpty();
    assertThat(channels.encode()).contains("\"lobby\"");
  }

  @Test
  void aLineOnTheServicesStdinReachesTheChannel() {
    client = WsClient.connect(ws, node.wsPort(), "/ws?userId=grace", null);
    joinPromptly(CHANNEL);

    service.writeLine("hello from the service");

    JsonObject message = client.next("message");
    assertThat(message.getString("channel")).isEqualTo(CHANNEL);
    assertThat(message.getString("event")).isEqualTo("SERVICE_LINE");
    assertThat(message.getJsonObject("data"))
        .isEqualTo(new JsonObject().put("text", "hello from the service").put("from", NAME));
    service.awaitLine(
        Pattern.compile("^published to " + CHANNEL + ": delivered to 1$"), Await.TIMEOUT);
  }

  @Test
  void theServicesFiguresAppearInMetricsUpdate() {
    client = WsClient.connect(ws, node.wsPort(), "/ws?userId=linus", null);
    joinPromptly("$telemetry");

    // The first updates may come before the node has asked the service.
    long deadline = System.nanoTime() + Await.TIMEOUT.toNanos();
    JsonObject figures = null;
    while (figures == null) {
      assertThat(System.nanoTime()).as("the service's figures in time").isLessThan(deadline);
      figures = client.next("metrics_update").getJsonObject("data").getJsonObject(NAME);
    }

    assertThat(figures.fieldNames())
        .containsExactlyInAnyOrder("linesRead", "published", "delivered", "uptimeMs");
    assertThat(figures.getLong("uptimeMs")).isPositive();
  }

  /**
   * Joins a channel and takes its confirmation, which must come within {@link Await#TIMEOUT}: a
   * third of the node's answer timeout.
   */
  private JsonObject joinPromptly(String channel) {
    JsonObject answer =
        client.request(
            new JsonObject().put("type", "join").put("channel", channel).put("id", channel));
    assertThat(answer.getString("type"))
        .as("answer %s", answer)
        .isEqualTo("subscription_confirmed");
    assertThat(answer.getString("channel")).isEqualTo(channel);
    return answer;
  }

  private JsonObject get(String path) {
    return Await.result(http.get(node.adminPort(), "127.0.0.1", path).timeout(PROMPT_MS).send())
        .bodyAsJsonObject();
  }
}

package io.switchboard.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.sdk.ClientOptions;
import io.switchboard.sdk.SendResult;
import io.switchboard.sdk.SwitchboardClient;
import io.switchboard.server.testing.Await;
import io.switchboard.server.testing.ClusterNodes;
import io.switchboard.server.testing.WsClient;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three fat-jar processes in one cluster on loopback, 300 SDK clients spread over them, 20 channels
 * with subscribers and publishers on every node.
 */
class ClusterIT {

  private static final int NODES = 3;
  private static final int CLIENTS = 300;
  private static final int CHANNELS = 20;
  private static final int MESSAGES_PER_PUBLISHER = 30;

  @TempDir Path workDir;

  private Vertx vertx;
  private ClusterNodes cluster;
  private final List<SwitchboardClient> clients = new ArrayList<>();

  /** Every channel message each client received, in arrival order. */
  private final List<List<JsonObject>> received = new ArrayList<>();

  /** Every broadcast without a channel (users, organisations) each client received. */
  private final List<List<JsonObject>> direct = new ArrayList<>();

  @BeforeEach
  void startCluster() {
    vertx = Vertx.vertx();
    // chat: keeps history, so that a client recovers on any node what it missed; and each node
    // takes one more connection from 127.0.0.1 than its 100 SDK clients, to recover with.
    cluster =
        ClusterNodes.start(
            vertx,
            workDir,
            NODES,
            NODES,
            (node, options) ->
                options
                    .env("SWITCHBOARD_CHANNELS_NAMESPACES", "{\"chat\":{\"historySize\":100}}")
                    .env("SWITCHBOARD_LIMITS_MAX_CONNECTIONS_PER_IP", "200"));
  }

  @AfterEach
  void stopCluster() throws Exception {
    Future.join(clients.stream().map(SwitchboardClient::disconnect).toList())
        .await(20, TimeUnit.SECONDS);
    cluster.close();
    vertx.close().await(20, TimeUnit.SECONDS);
  }

  @Test
  void everySubscriberGetsEveryMessageOnceAndInTheChannelsOneOrder() {
    for (int i = 0; i < CLIENTS; i++) {
      connect(i, cluster.url(i % NODES));
    }
    awaitAll(
        "every client joined its channel",
        clients.stream()
            .map(
                client -> {
                  int i = clients.indexOf(client);
                  return client.join(channel(i), message -> received.get(i).add(message.frame()));
                })
            .toList());

    // Each channel has subscribers and a publisher on every node (clients c, c+20, c+40).
    List<Future<SendResult>> acks = new ArrayList<>();
    for (int c = 0; c < CHANNELS; c++) {
      for (int publisher : publishersOf(c)) {
        for (int n = 0; n < MESSAGES_PER_PUBLISHER; n++) {
          acks.add(
              clients
                  .get(publisher)
                  .publish(channel(publisher), new JsonObject().put("p", publisher).put("n", n)));
        }
      }
    }
    awaitAll("every publish acknowledged", acks);
    assertThat(acks.stream().map(Future::result).filter(result -> !result.success()).toList())
        .as("publishes not acknowledged")
        .isEmpty();

    int perChannel = 3 * MESSAGES_PER_PUBLISHER;
    Await.until(
        "every subscriber received " + perChannel + " messages",
        Duration.ofSeconds(60),
        () -> received.stream().allMatch(messages -> messages.size() >= perChannel));

    for (int c = 0; c < CHANNELS; c++) {
      List<List<String>> orders = new ArrayList<>();
      for (int i = c; i < CLIENTS; i += CHANNELS) {
        List<String> order = order(received.get(i));
        assertThat(order).as("client %d's messages", i).hasSize(perChannel).doesNotHaveDuplicates();
        for (int publisher : publishersOf(c)) {
          assertThat(numbersFrom(received.get(i), publisher))
              .as("client %d: publisher %d's messages, once each, in its order", i, publisher)
              .isEqualTo(range(MESSAGES_PER_PUBLISHER));
        }
        orders.add(order);
      }
      assertThat(orders)
          .as("every subscriber of %s, on every node, saw one order", channel(c))
          .allSatisfy(order -> assertThat(order).isEqualTo(orders.get(0)));
      List<Long> expected = new ArrayList<>();
      for (long offset = 1; offset <= perChannel; offset++) {
        expected.add(offset);
      }
      String epoch = received.get(c).get(0).getString("epoch");
      for (int i = c; i < CLIENTS; i += CHANNELS) {
        assertThat(received.get(i).stream().map(frame -> frame.getLong("offset")).toList())
            .as("client %d's offsets, stamped by the channel's owner", i)
            .isEqualTo(expected);
        assertThat(received.get(i))
            .allSatisfy(f -> assertThat(f.getString("epoch")).isEqualTo(epoch));
      }
    }

    // A client that missed the last 30 messages of a channel recovers them on any node: on the
    // owner, and on the others by asking it.
    String epoch = received.get(0).get(0).getString("epoch");
    WebSocketClient raw = vertx.createWebSocketClient();
    try {
      for (int node = 0; node < NODES; node++) {
        int port = Integer.parseInt(cluster.url(node).replaceAll(".*:(\\d+)/ws", "$1"));
        WsClient back = WsClient.connect(raw, port);
        try {
          JsonObject confirmed =
              back.request(
                  new JsonObject()
                      .put("type", "join")
                      .put("channel", channel(0))
                      .put(
                          "since",
                          new JsonObject().put("offset", perChannel - 30).put("epoch", epoch)));
          assertThat(confirmed.getString("type"))
              .as("answer %s", confirmed)
              .isEqualTo("subscription_confirmed");
          assertThat(confirmed.getJsonObject("data").getBoolean("recovered")).isTrue();
          assertThat(confirmed.getJsonObject("data").getLong("offset")).isEqualTo(perChannel);
          for (long offset = perChannel - 29; offset <= perChannel; offset++) {
            JsonObject replayed = back.next("message");
            assertThat(replayed.getLong("offset")).as("node %d's replay", node).isEqualTo(offset);
            assertThat(replayed.getString("epoch")).isEqualTo(epoch);
          }
          back.assertNothingReceived();
        } finally {
          back.close();
        }
      }
    } finally {
      raw.close();
    }
  }

  @Test
  void broadcastsReachEveryNodeOnceAndCountEveryNodesDeliveries() {
    for (int i = 0; i < 30; i++) {
      connect(i, cluster.url(i % NODES));
    }
    awaitAll(
        "every client joined",
        clients.stream()
            .map(
                client -> {
                  int i = clients.indexOf(client);
                  return client.join(channel(i), message -> received.get(i).add(message.frame()));
                })
            .toList());

    // Channel chat.room-1 has clients 1 and 21 (nodes 1 and 0); org-3 has clients 3, 10, 17, 24
    // on nodes 0, 1, 2, 0.
    JsonObject toChannel =
        cluster.post(
            2,
            "/v1/broadcast",
            new JsonObject().put("channel", channel(1)).put("type", "notice").put("data", 1));
    JsonObject toOrganization =
        cluster.post(
            1,
            "/v1/broadcast",
            new JsonObject().put("organizationId", "org-3").put("type", "notice").put("data", 2));

    assertThat(toChannel).isEqualTo(new JsonObject().put("success", true).put("delivered", 2));
    assertThat(toOrganization).isEqualTo(new JsonObject().put("success", true).put("delivered", 4));
    Await.until(
        "the organisation's connections got theirs",
        () -> List.of(3, 10, 17, 24).stream().allMatch(i -> direct.get(i).size() == 1));
    Await.until(
        "the channel's subscribers got theirs",
        () -> received.get(1).size() == 1 && received.get(21).size() == 1);
    for (int i = 0; i < 30; i++) {
      assertThat(received.get(i))
          .as("client %d's channel messages", i)
          .hasSize(i % 20 == 1 ? 1 : 0);
      assertThat(direct.get(i)).as("client %d's direct messages", i).hasSize(i % 7 == 3 ? 1 : 0);
    }
  }

  @Test
  void nodesHealthAndConnectionIdsDescribeTheWholeCluster() {
    for (int i = 0; i < 9; i++) {
      connect(i, cluster.url(i % NODES));
    }
    List<Future<?>> joins = new ArrayList<>();
    for (int i = 0; i < 9; i++) {
      joins.add(clients.get(i).join("chat:lobby", message -> {}));
      joins.add(clients.get(i).join(channel(i), message -> {}));
    }
    awaitAll("every client joined the lobby and its room", joins);

    JsonObject nodes = cluster.get(1, "/api/nodes");
    JsonObject health = cluster.get(2, "/health");

    assertThat(nodes.getJsonArray("nodes")).hasSize(NODES);
    Map<Integer, String> shortIdByPort = new HashMap<>();
    for (Object entry : nodes.getJsonArray("nodes")) {
      JsonObject node = (JsonObject) entry;
      assertThat(node.getString("state")).isEqualTo("up");
      assertThat(node.getInteger("connections")).isEqualTo(3);
      assertThat(node.getLong("uptimeMs")).isPositive();
      assertThat(node.getString("id")).startsWith(shortIdOf(node));
      int port = Integer.parseInt(node.getString("address").replaceAll(".*:(\\d+)/ws", "$1"));
      shortIdByPort.put(port, node.getString("shortId"));
    }
    for (int i = 0; i < 9; i++) {
      assertThat(clients.get(i).connectionId())
          .as("client %d's connection id names its node", i)
          .startsWith("ws_" + shortIdByPort.get(cluster.node(i % NODES).wsPort()) + "_");
    }
    JsonObject clusterHealth = health.getJsonObject("cluster");
    assertThat(clusterHealth.getBoolean("enabled")).isTrue();
    assertThat(clusterHealth.getString("state")).isEqualTo("joined");
    assertThat(clusterHealth.getInteger("members")).isEqualTo(NODES);
  }

  @Test
  void theAdminListingsCoverEveryNodeAndADisconnectReachesAnyNode() {
    for (int i = 0; i < 9; i++) {
      connect(i, cluster.url(i % NODES));
    }
    List<Future<?>> joins = new ArrayList<>();
    for (int i = 0; i < 9; i++) {
      joins.add(clients.get(i).join("chat:lobby", message -> {}));
      joins.add(clients.get(i).join(channel(i), message -> {}));
    }
    awaitAll("every client joined the lobby and its room", joins);
    List<String> ids = clients.stream().map(SwitchboardClient::connectionId).sorted().toList();

    JsonObject connections = cluster.get(0, "/api/connections?limit=5");
    JsonObject rest =
        cluster.get(0, "/api/connections?limit=5&cursor=" + connections.getString("next"));
    JsonObject channels = cluster.get(1, "/api/channels");
    JsonObject lobby = cluster.get(2, "/api/channels/chat:lobby");
    JsonObject wsStatus = cluster.get(2, "/ws/status");
    JsonObject websocketStatus = cluster.get(1, "/api/websocket/status");

    assertThat(connections.getInteger("total")).isEqualTo(9);
    List<String> listed = new ArrayList<>();
    connections
        .getJsonArray("connections")
        .forEach(c -> listed.add(((JsonObject) c).getString("id")));
    rest.getJsonArray("connections").forEach(c -> listed.add(((JsonObject) c).getString("id")));
    assertThat(listed).isEqualTo(ids);
    assertThat(rest.getString("next")).isNull();
    assertThat(channels.getInteger("total"))
        .as("the lobby counted once, and nine rooms")
        .isEqualTo(10);
    assertThat(channels.getJsonArray("channels").getJsonObject(0))
        .isEqualTo(new JsonObject().put("name", "chat:lobby").put("subscribers", 9));
    assertThat(lobby.getInteger("subscribers")).isEqualTo(9);
    assertThat(cluster.get(0, "/api/channels/chat:lobby").getString("owner"))
        .as("every node names the same owner, one of the members")
        .isEqualTo(lobby.getString("owner"))
        .isIn(
            cluster.get(1, "/api/nodes").getJsonArray("nodes").stream()
                .map(node -> ((JsonObject) node).getString("id"))
                .toList());
    assertThat(lobby.getJsonArray("connections").getList()).isEqualTo(ids);
    assertThat(wsStatus.getJsonObject("stats").getInteger("totalClients")).isEqualTo(9);
    assertThat(wsStatus.getJsonObject("stats").getInteger("totalChannels")).isEqualTo(10);
    assertThat(websocketStatus.getJsonObject("summary").getInteger("activeConnections"))
        .isEqualTo(9);
    assertThat(connections.containsKey("unansweredNodes")).isFalse();

    // Client 2 lives on node 2; node 0 closes it.
    String onNodeTwo = clients.get(2).connectionId();
    JsonObject found = cluster.get(1, "/api/connections/" + onNodeTwo);
    JsonObject kicked = cluster.delete(0, "/api/connections/" + onNodeTwo);

    assertThat(found.getString("id")).isEqualTo(onNodeTwo);
    assertThat(kicked)
        .isEqualTo(
            new JsonObject()
                .put("success", true)
                .put("connectionId", onNodeTwo)
                .put("closeCode", 4502));
    Await.until(
        "the kicked connection is gone from every listing",
        () -> cluster.get(1, "/api/connections").getInteger("total") == 8);
    assertThat(cluster.get(1, "/api/connections/" + onNodeTwo).getJsonObject("error"))
        .isEqualTo(
            new JsonObject()
                .put("code", "connection_not_found")
                .put("message", "connection '" + onNodeTwo + "' does not exist"));
  }

  private static String shortIdOf(JsonObject node) {
    return node.getString("shortId").substring(0, 8);
  }

  private void connect(int i, String url) {
    try {
      connectOrThrow(i, url);
    } catch (Exception e) {
      throw new AssertionError("client " + i + " did not connect to " + url + ": " + e, e);
    }
  }

  private void connectOrThrow(int i, String url) throws Exception {
    SwitchboardClient client =
        SwitchboardClient.create(
            vertx,
            new ClientOptions()
                .setUrl(url + "?userId=user-" + i + "&organizationId=org-" + (i % 7))
                .setReconnectInitialDelayMs(50)
                .setReconnectMaxDelayMs(500)
                .setHeartbeatIntervalMs(0)
                .setConnectionTimeoutMs(10_000));
    List<JsonObject> channelMessages = new CopyOnWriteArrayList<>();
    List<JsonObject> directMessages = new CopyOnWriteArrayList<>();
    client.onMessage(
        frame -> {
          if ("message".equals(frame.getString("type")) && frame.getString("channel") == null) {
            directMessages.add(frame);
          }
        });
    clients.add(client);
    received.add(channelMessages);
    direct.add(directMessages);
    client.connect().await(30, TimeUnit.SECONDS);
  }

  private static String channel(int client) {
    return "chat:room-" + (client % CHANNELS);
  }

  private static List<Integer> publishersOf(int channel) {
    return List.of(channel, channel + CHANNELS, channel + 2 * CHANNELS);
  }

  /** Each message as {@code <publisher>:<n>}, in arrival order. */
  private static List<String> order(List<JsonObject> frames) {
    return frames.stream()
        .map(frame -> frame.getJsonObject("data"))
        .map(data -> data.getInteger("p") + ":" + data.getInteger("n"))
        .toList();
  }

  private static List<Integer> numbersFrom(List<JsonObject> frames, int publisher) {
    return frames.stream()
        .map(frame -> frame.getJsonObject("data"))
        .filter(data -> data.getInteger("p") == publisher)
        .map(data -> data.getInteger("n"))
        .toList();
  }

  private static List<Integer> range(int count) {
    List<Integer> numbers = new ArrayList<>();
    for (int n = 0; n < count; n++) {
      numbers.add(n);
    }
    return numbers;
  }

  private static void awaitAll(String what, List<? extends Future<?>> futures) {
    try {
      Future.all(futures).await(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("not done: " + what + ": " + e, e);
    }
  }
}

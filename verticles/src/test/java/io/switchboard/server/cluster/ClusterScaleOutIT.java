package io.switchboard.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.sdk.ClientOptions;
import io.switchboard.sdk.SendResult;
import io.switchboard.sdk.SwitchboardClient;
import io.switchboard.server.testing.Await;
import io.switchboard.server.testing.ClusterNodes;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A third node joins two that already carry subscribers: it takes over some channels (rendezvous
 * hashing gives it about a third), and the subscribers on the first two nodes get every message it
 * sequences.
 */
class ClusterScaleOutIT {

  private static final int CHANNELS = 30;
  private static final int MESSAGES = 10;

  @TempDir Path workDir;

  private Vertx vertx;
  private ClusterNodes cluster;
  private final List<SwitchboardClient> clients = new ArrayList<>();
  private final List<List<JsonObject>> received = new ArrayList<>();

  @BeforeEach
  void startTwoOfThree() {
    vertx = Vertx.vertx();
    cluster = ClusterNodes.start(vertx, workDir, 2, 3);
  }

  @AfterEach
  void stop() throws Exception {
    Future.join(clients.stream().map(SwitchboardClient::disconnect).toList())
        .await(20, TimeUnit.SECONDS);
    cluster.close();
    vertx.close().await(20, TimeUnit.SECONDS);
  }

  @Test
  void aNodeThatJoinsLaterSequencesItsChannelsForTheSubscribersOfEveryNode() throws Exception {
    // Clients 0-29 on node 0, 30-59 on node 1: every channel has a subscriber on each.
    for (int i = 0; i < 2 * CHANNELS; i++) {
      connectAndJoin(i, i / CHANNELS);
    }

    int third = cluster.add();
    // Clients 60-89 on the new node, one per channel.
    for (int i = 2 * CHANNELS; i < 3 * CHANNELS; i++) {
      connectAndJoin(i, third);
    }
    List<Future<SendResult>> acks = new ArrayList<>();
    for (int i = 0; i < 3 * CHANNELS; i++) {
      if (i < CHANNELS || i >= 2 * CHANNELS) {
        for (int n = 0; n < MESSAGES; n++) {
          acks.add(clients.get(i).publish(channel(i), new JsonObject().put("p", i).put("n", n)));
        }
      }
    }
    Future.all(acks).await(60, TimeUnit.SECONDS);
    assertThat(acks.stream().map(Future::result).filter(result -> !result.success()).toList())
        .as("publishes not acknowledged")
        .isEmpty();

    int perChannel = 2 * MESSAGES;
    Await.until(
        "every subscriber received " + perChannel + " messages",
        Duration.ofSeconds(60),
        () -> received.stream().allMatch(messages -> messages.size() >= perChannel));
    for (int c = 0; c < CHANNELS; c++) {
      List<String> first = order(received.get(c));
      for (int i = c; i < 3 * CHANNELS; i += CHANNELS) {
        assertThat(order(received.get(i)))
            .as(
                "client %d, on node %d, saw every message of %s once, in one order",
                i, i / CHANNELS, channel(c))
            .hasSize(perChannel)
            .isEqualTo(first);
      }
    }
  }

  private void connectAndJoin(int i, int node) throws Exception {
    SwitchboardClient client =
        SwitchboardClient.create(
            vertx,
            new ClientOptions()
                .setUrl(cluster.url(node) + "?userId=user-" + i)
                .setHeartbeatIntervalMs(0)
                .setConnectionTimeoutMs(10_000));
    List<JsonObject> messages = new CopyOnWriteArrayList<>();
    clients.add(client);
    received.add(messages);
    client.connect().await(30, TimeUnit.SECONDS);
    client.join(channel(i), message -> messages.add(message.frame())).await(30, TimeUnit.SECONDS);
  }

  private static String channel(int client) {
    return "chat:room-" + (client % CHANNELS);
  }

  /** Each message as {@code <publisher>:<n>}, in arrival order. */
  private static List<String> order(List<JsonObject> frames) {
    return frames.stream()
        .map(frame -> frame.getJsonObject("data"))
        .map(data -> data.getInteger("p") + ":" + data.getInteger("n"))
        .toList();
  }
}

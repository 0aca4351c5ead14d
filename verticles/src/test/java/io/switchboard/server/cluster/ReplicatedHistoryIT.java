package io.switchboard.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.sdk.ClientOptions;
import io.switchboard.sdk.ConnectionState;
import io.switchboard.sdk.Resync;
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
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * History replicated in Hazelcast, on three fat-jar nodes: {@code kill -9} of the node that owns a
 * channel while messages flow to it. The node that takes the channel over continues its stream
 * (same epoch, next offset) from the cluster's copy, so the subscribers on the killed node, which
 * the SDK moves to another node, recover what they missed by re-joining with {@code since}, and the
 * subscribers on the other nodes go on: every subscriber holds every acknowledged message, at one
 * offset each, with no gap and no resync. The killed node's subscribers come back only after the
 * new owner has sequenced messages, which they recover from the history it took over.
 */
class ReplicatedHistoryIT {

  private static final int NODES = 3;
  private static final int VICTIM = 2;
  private static final int SUBSCRIBERS = 6;

  @TempDir Path workDir;

  private Vertx vertx;
  private ClusterNodes cluster;
  private final List<SwitchboardClient> clients = new ArrayList<>();
  private final List<List<JsonObject>> received = new ArrayList<>();
  private final List<Resync> resyncs = new CopyOnWriteArrayList<>();
  private final List<Integer> acknowledged = new CopyOnWriteArrayList<>();
  private final List<Long> timers = new ArrayList<>();
  private final List<String> refusals = new CopyOnWriteArrayList<>();

  @BeforeEach
  void startVertx() {
    vertx = Vertx.vertx();
  }

  /**
   * Three nodes whose {@code feed} namespace keeps history, with a {@code cluster.historyQuorum}.
   */
  private void startCluster(int historyQuorum) {
    cluster =
        ClusterNodes.start(
            vertx,
            workDir,
            NODES,
            NODES,
            (node, options) ->
                options
                    .env("SWITCHBOARD_CLUSTER_HISTORY_QUORUM", String.valueOf(historyQuorum))
                    .env(
                        "SWITCHBOARD_CHANNELS_NAMESPACES",
                        "{\"\":{\"join\":\"anyone\",\"publish\":\"anyone\"},"
                            + "\"feed\":{\"join\":\"anyone\",\"publish\":\"anyone\","
                            + "\"historySize\":1000,\"historyTtlMs\":600000}}"));
  }

  @AfterEach
  void stopCluster() throws Exception {
    timers.forEach(vertx::cancelTimer);
    Future.join(clients.stream().map(SwitchboardClient::disconnect).toList())
        .await(20, TimeUnit.SECONDS);
    if (cluster != null) {
      cluster.close();
    }
    vertx.close().await(20, TimeUnit.SECONDS);
  }

  @Test
  void theOwnersDeathLosesNothingAcknowledgedAndItsStreamGoesOnWhole() throws Exception {
    startCluster(0);
    List<String> nodeIds = new ArrayList<>();
    for (int n = 0; n < NODES; n++) {
      nodeIds.add(cluster.nodeId(n));
    }
    String channel = channelOwnedBy(nodeIds.get(VICTIM), nodeIds);
    for (int i = 0; i < SUBSCRIBERS; i++) {
      // The killed node's subscribers come back to another after 9 s, once the channel's new
      // owner has sequenced messages they missed.
      SwitchboardClient client = connect(i % NODES, "sub-" + i, i % NODES == VICTIM ? 9_000 : 50);
      List<JsonObject> frames = new CopyOnWriteArrayList<>();
      received.add(frames);
      client.join(channel, message -> frames.add(message.frame())).await(30, TimeUnit.SECONDS);
    }
    SwitchboardClient publisher = connect(0, "publisher", 50);
    AtomicInteger next = new AtomicInteger();
    timers.add(
        vertx.setPeriodic(
            20,
            tick -> {
              int n = next.getAndIncrement();
              publisher
                  .publish(channel, new JsonObject().put("n", n))
                  .onSuccess(
                      result -> {
                        if (result.success()) {
                          acknowledged.add(n);
                        } else {
                          refusals.add(n + ": " + result.reason());
                        }
                      });
            }));
    Await.until(
        "50 messages acknowledged",
        Duration.ofSeconds(60),
        () -> acknowledged.size() >= 50 || refusals.size() > 5);
    assertThat(refusals).as("publishes refused while the owner lived").isEmpty();

    cluster.kill(VICTIM);
    int ackedBeforeTheKill = acknowledged.size();
    Map<Integer, Integer> ackedWhenBack = new ConcurrentHashMap<>();
    for (int i = VICTIM; i < SUBSCRIBERS; i += NODES) {
      int subscriber = i;
      clients.get(i).onConnected(back -> ackedWhenBack.put(subscriber, acknowledged.size()));
    }
    Await.until(
        "50 more messages acknowledged, by the channel's new owner",
        Duration.ofSeconds(90),
        () -> acknowledged.size() >= ackedBeforeTheKill + 50);
    timers.forEach(vertx::cancelTimer);
    Await.until(
        "every client is connected to a surviving node",
        Duration.ofSeconds(60),
        () -> clients.stream().allMatch(client -> client.state() == ConnectionState.CONNECTED));
    Await.until(
        "every subscriber holds every acknowledged message",
        Duration.ofSeconds(60),
        () -> missing().isEmpty());

    assertThat(ackedWhenBack)
        .as("the killed node's subscribers came back after messages they recovered were acked")
        .hasSize(SUBSCRIBERS / NODES)
        .allSatisfy((subscriber, acked) -> assertThat(acked).isGreaterThan(ackedBeforeTheKill));
    String epoch = received.get(0).get(0).getString("epoch");
    for (int i = 0; i < SUBSCRIBERS; i++) {
      List<JsonObject> frames = received.get(i);
      List<Long> offsets = frames.stream().map(frame -> frame.getLong("offset")).toList();
      long first = offsets.get(0);
      assertThat(offsets)
          .as("subscriber %d (on node %d)'s offsets: one each, no gap", i, i % NODES)
          .isEqualTo(
              java.util.stream.LongStream.range(first, first + offsets.size()).boxed().toList());
      assertThat(frames)
          .as("subscriber %d's stream kept its epoch", i)
          .allSatisfy(frame -> assertThat(frame.getString("epoch")).isEqualTo(epoch));
    }
    assertThat(resyncs).as("resyncs reported to the application").isEmpty();
  }

  @Test
  void withFewerMembersThanTheHistoryQuorumChannelsWithHistoryTakeNoMessageAndOthersCarryOn()
      throws Exception {
    startCluster(NODES);
    List<String> nodeIds = new ArrayList<>();
    for (int n = 0; n < NODES; n++) {
      nodeIds.add(cluster.nodeId(n));
    }
    String channel = channelOwnedBy(nodeIds.get(0), nodeIds);
    SwitchboardClient subscriber = connect(1, "sub", 50);
    List<JsonObject> frames = new CopyOnWriteArrayList<>();
    subscriber.join(channel, message -> frames.add(message.frame())).await(30, TimeUnit.SECONDS);
    subscriber.join("lobby", message -> frames.add(message.frame())).await(30, TimeUnit.SECONDS);
    SwitchboardClient publisher = connect(0, "publisher", 50);
    assertThat(publisher.publish(channel, "before").await(10, TimeUnit.SECONDS).success()).isTrue();

    cluster.kill(VICTIM);
    Await.until(
        "the survivors list two nodes",
        Duration.ofSeconds(60),
        () -> cluster.nodesSeenBy(0).size() == 2 && cluster.nodesSeenBy(1).size() == 2);

    var refused = publisher.publish(channel, "without quorum").await(15, TimeUnit.SECONDS);
    assertThat(refused.success()).isFalse();
    assertThat(refused.reason()).startsWith("unavailable: ").contains("cluster.historyQuorum (3)");
    assertThat(publisher.publish("lobby", "control").await(10, TimeUnit.SECONDS))
        .as("a channel that keeps no history carries on")
        .extracting(result -> result.reason())
        .isEqualTo("Message acknowledged");
    Await.until(
        "the control message arrived",
        Duration.ofSeconds(10),
        () -> frames.stream().anyMatch(frame -> "control".equals(frame.getValue("data"))));
    assertThat(frames)
        .extracting(frame -> frame.getValue("data"))
        .containsExactly("before", "control");
  }

  /** A channel of the {@code feed} namespace that {@code owner} owns among {@code members}. */
  private static String channelOwnedBy(String owner, List<String> members) {
    for (int i = 0; ; i++) {
      String channel = "feed:takeover-" + i;
      if (ClusterView.ownerOf(channel, members).equals(owner)) {
        return channel;
      }
    }
  }

  /** The acknowledged messages some subscriber has not received, as "subscriber:n". */
  private List<String> missing() {
    List<String> missing = new ArrayList<>();
    for (int i = 0; i < SUBSCRIBERS; i++) {
      List<Integer> got =
          received.get(i).stream()
              .map(frame -> frame.getJsonObject("data").getInteger("n"))
              .toList();
      for (int n : acknowledged) {
        if (!got.contains(n)) {
          missing.add(i + ":" + n);
        }
      }
    }
    return missing;
  }

  /** An SDK client on node {@code node}, with the other nodes' URLs to move to. */
  private SwitchboardClient connect(int node, String user, long reconnectDelayMs) throws Exception {
    List<String> urls = new ArrayList<>();
    for (int k = 0; k < NODES; k++) {
      urls.add(cluster.url((node + k) % NODES) + "?userId=" + user);
    }
    SwitchboardClient client =
        SwitchboardClient.create(
            vertx,
            new ClientOptions()
                .setUrls(urls)
                .setReconnectInitialDelayMs(reconnectDelayMs)
                .setReconnectMaxDelayMs(Math.max(500, reconnectDelayMs))
                .setJitter(false)
                .setMaxReconnectAttempts(100)
                .setHeartbeatIntervalMs(0)
                .setConnectionTimeoutMs(10_000));
    client.onResync(resyncs::add);
    clients.add(client);
    client.connect().await(30, TimeUnit.SECONDS);
    return client;
  }
}

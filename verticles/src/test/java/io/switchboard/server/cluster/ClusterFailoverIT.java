package io.switchboard.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.sdk.ClientMetrics;
import io.switchboard.sdk.ClientOptions;
import io.switchboard.sdk.ConnectionState;
import io.switchboard.sdk.Subscription;
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
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kill -9} of one node of three while messages flow: its clients move to the others by
 * themselves and join their channels again there, the survivors' subscribers lose nothing that was
 * acknowledged, and {@code /api/nodes} forgets the dead node within Hazelcast's failure detection.
 * Each SDK client is given every node's URL ({@code ClientOptions.setUrls}), its own node's first,
 * as the README's clustering section tells users to do.
 */
class ClusterFailoverIT {

  private static final int NODES = 3;
  private static final int CLIENTS = 60;
  private static final int CHANNELS = 10;
  private static final int VICTIM = 2;

  /**
   * The embedded cluster.xml's 5 s without heartbeats, a heartbeat period, slack for a busy
   * machine.
   */
  private static final Duration DETECTION = Duration.ofSeconds(15);

  @TempDir Path workDir;

  private Vertx vertx;
  private ClusterNodes cluster;
  private final List<SwitchboardClient> clients = new ArrayList<>();
  private final List<List<JsonObject>> received = new ArrayList<>();

  /** For each client, the numbers of its publishes that were acknowledged. */
  private final List<List<Integer>> acknowledged = new ArrayList<>();

  private final List<Long> timers = new ArrayList<>();

  @BeforeEach
  void startCluster() {
    vertx = Vertx.vertx();
    cluster = ClusterNodes.start(vertx, workDir, NODES);
  }

  @AfterEach
  void stopCluster() throws Exception {
    timers.forEach(vertx::cancelTimer);
    Future.join(clients.stream().map(SwitchboardClient::disconnect).toList())
        .await(20, TimeUnit.SECONDS);
    cluster.close();
    vertx.close().await(20, TimeUnit.SECONDS);
  }

  @Test
  void aKilledNodesClientsMoveToTheOthersAndTheSurvivorsLoseNothingAcknowledged() throws Exception {
    for (int i = 0; i < CLIENTS; i++) {
      connect(i);
    }
    List<Future<Subscription>> joins = new ArrayList<>();
    for (int i = 0; i < CLIENTS; i++) {
      int client = i;
      joins.add(
          clients.get(i).join(channel(i), message -> received.get(client).add(message.frame())));
    }
    Future.all(joins).await(60, TimeUnit.SECONDS);
    List<String> nodeIds = new ArrayList<>();
    for (int n = 0; n < NODES; n++) {
      nodeIds.add(cluster.nodeId(n));
    }
    List<String> idsBefore = new ArrayList<>();
    for (int i = 0; i < CLIENTS; i++) {
      SwitchboardClient client = clients.get(i);
      assertThat(client.currentUrl()).as("client %d's URL", i).isEqualTo(urlsOf(i).get(0));
      assertThat(client.connectionId())
          .as("client %d's connection, on its own node first", i)
          .startsWith("ws_" + ClusterView.shortId(nodeIds.get(i % NODES)) + "_");
      idsBefore.add(client.connectionId());
    }

    // Publishers on every node: clients c, c+10 and c+20 of channel c are on three nodes.
    for (int p = 0; p < 3 * CHANNELS; p++) {
      publishEvery100Ms(p);
    }
    Await.until(
        "every publisher has 10 acknowledged messages",
        Duration.ofSeconds(60),
        () -> publishers().allMatch(p -> acknowledged.get(p).size() >= 10));

    long killedAt = System.nanoTime();
    cluster.kill(VICTIM);
    Await.until(
        "the survivors list two nodes",
        Duration.ofSeconds(60),
        () -> cluster.nodesSeenBy(0).size() == 2 && cluster.nodesSeenBy(1).size() == 2);
    Duration detected = Duration.ofNanos(System.nanoTime() - killedAt);
    assertThat(detected).as("time until /api/nodes dropped the dead node").isLessThan(DETECTION);

    List<String> survivors = cluster.nodesSeenBy(0);
    Await.until(
        "every client is connected to a surviving node",
        Duration.ofSeconds(60),
        () ->
            clients.stream()
                .allMatch(
                    client ->
                        client.state() == ConnectionState.CONNECTED
                            && survivors.stream()
                                .anyMatch(
                                    node ->
                                        client
                                            .connectionId()
                                            .startsWith("ws_" + ClusterView.shortId(node) + "_"))));
    for (int i = 0; i < CLIENTS; i++) {
      SwitchboardClient client = clients.get(i);
      ClientMetrics metrics = client.metrics();
      if (i % NODES == VICTIM) {
        assertThat(client.currentUrl())
            .as("moved client %d's URL", i)
            .isIn(urlsOf(i).subList(1, NODES));
        assertThat(metrics.failoverCount()).as("moved client %d's failovers", i).isEqualTo(1);
        assertThat(metrics.reconnectionCount()).as("moved client %d's reconnections", i).isOne();
      } else {
        assertThat(client.connectionId())
            .as("client %d on a surviving node kept its connection", i)
            .isEqualTo(idsBefore.get(i));
        assertThat(metrics.failoverCount()).as("client %d's failovers", i).isZero();
        assertThat(metrics.reconnectionCount()).as("client %d's reconnections", i).isZero();
      }
      assertThat(joins.get(i).result().isActive()).as("client %d's subscription", i).isTrue();
    }
    // The moved clients joined their channels again by themselves: each channel's subscribers, as
    // any survivor lists them, are exactly its clients' current connections.
    Map<String, List<String>> expectedSubscribers = new TreeMap<>();
    for (int i = 0; i < CLIENTS; i++) {
      expectedSubscribers
          .computeIfAbsent(channel(i), c -> new ArrayList<>())
          .add(clients.get(i).connectionId());
    }
    expectedSubscribers.forEach(
        (channel, ids) ->
            Await.until(
                "a survivor lists " + channel + "'s " + ids.size() + " current subscribers",
                Duration.ofSeconds(30),
                () -> subscribersListedByNodeZero(channel).equals(ids.stream().sorted().toList())));

    // Messages keep flowing after the move: every publisher, the moved ones too, gets 10 more
    // acknowledged, and every subscriber, the moved ones too, receives again.
    int[] before = publishers().map(p -> acknowledged.get(p).size()).toArray();
    int[] receivedBefore = received.stream().mapToInt(List::size).toArray();
    Await.until(
        "every publisher has 10 more acknowledged messages",
        Duration.ofSeconds(60),
        () -> publishers().allMatch(p -> acknowledged.get(p).size() >= before[p] + 10));
    timers.forEach(vertx::cancelTimer);
    Await.until(
        "every subscriber received something since the move",
        Duration.ofSeconds(30),
        () -> {
          for (int i = 0; i < CLIENTS; i++) {
            if (received.get(i).size() <= receivedBefore[i]) {
              return false;
            }
          }
          return true;
        });
    // Everything acknowledged reaches every subscriber that stayed on a surviving node.
    Await.until(
        "the surviving subscribers received every acknowledged message",
        Duration.ofSeconds(30),
        () -> missing().isEmpty());

    for (int i = 0; i < CLIENTS; i++) {
      for (int p : publishersOf(i % CHANNELS)) {
        assertThat(numbersFrom(received.get(i), p))
            .as("client %d: publisher %d's messages, each at most once, in its order", i, p)
            .isSorted()
            .doesNotHaveDuplicates();
      }
    }
  }

  /** The connection ids that node 0's {@code GET /api/channels/{name}} lists, sorted. */
  private List<String> subscribersListedByNodeZero(String channel) {
    JsonObject listing = cluster.get(0, "/api/channels/" + channel);
    List<String> ids = new ArrayList<>();
    listing.getJsonArray("connections").forEach(id -> ids.add((String) id));
    return ids.stream().sorted().toList();
  }

  /** The acknowledged messages that a subscriber on a surviving node has not received. */
  private List<String> missing() {
    List<String> missing = new ArrayList<>();
    for (int i = 0; i < CLIENTS; i++) {
      if (i % NODES == VICTIM) {
        continue;
      }
      for (int p : publishersOf(i % CHANNELS)) {
        List<Integer> got = numbersFrom(received.get(i), p);
        for (int n : acknowledged.get(p)) {
          if (!got.contains(n)) {
            missing.add("client " + i + " misses " + p + ":" + n);
          }
        }
      }
    }
    return missing;
  }

  private void publishEvery100Ms(int publisher) {
    AtomicInteger next = new AtomicInteger();
    timers.add(
        vertx.setPeriodic(
            100,
            tick -> {
              int n = next.getAndIncrement();
              clients
                  .get(publisher)
                  .publish(channel(publisher), new JsonObject().put("p", publisher).put("n", n))
                  .onSuccess(
                      result -> {
                        if (result.success()) {
                          acknowledged.get(publisher).add(n);
                        }
                      });
            }));
  }

  private void connect(int i) throws Exception {
    SwitchboardClient client =
        SwitchboardClient.create(
            vertx,
            new ClientOptions()
                .setUrls(urlsOf(i))
                .setReconnectInitialDelayMs(50)
                .setReconnectMaxDelayMs(500)
                .setMaxReconnectAttempts(100)
                .setHeartbeatIntervalMs(0)
                .setConnectionTimeoutMs(10_000));
    clients.add(client);
    received.add(new CopyOnWriteArrayList<>());
    acknowledged.add(new CopyOnWriteArrayList<>());
    client.connect().await(30, TimeUnit.SECONDS);
  }

  /** Every node's URL for client {@code i}: its own node's ({@code i % NODES}) first. */
  private List<String> urlsOf(int i) {
    List<String> urls = new ArrayList<>();
    for (int k = 0; k < NODES; k++) {
      urls.add(cluster.url((i + k) % NODES) + "?userId=user-" + i);
    }
    return urls;
  }

  private static java.util.stream.IntStream publishers() {
    return java.util.stream.IntStream.range(0, 3 * CHANNELS);
  }

  private static String channel(int client) {
    return "chat:room-" + (client % CHANNELS);
  }

  private static List<Integer> publishersOf(int channel) {
    return List.of(channel, channel + CHANNELS, channel + 2 * CHANNELS);
  }

  private static List<Integer> numbersFrom(List<JsonObject> frames, int publisher) {
    return frames.stream()
        .map(frame -> frame.getJsonObject("data"))
        .filter(data -> data.getInteger("p") == publisher)
        .map(data -> data.getInteger("n"))
        .toList();
  }
}

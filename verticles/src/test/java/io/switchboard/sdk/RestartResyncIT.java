package io.switchboard.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.server.testing.Await;
import io.switchboard.server.testing.TestNamespaces;
import io.switchboard.server.testing.TestServer;
import io.switchboard.server.testing.WsClient;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A server restart with history in memory, seen by 1,000 SDK clients: the restarted server's
 * streams start anew, so every client's re-join is answered {@code recovered: false} with a new
 * epoch, every client's {@code onResync} is told exactly once per channel ({@code NOT_RECOVERED},
 * from its last offset to offset 0 of the new epoch), nothing is replayed, and the new stream's
 * messages follow from offset 1. The time from the new server's start until the last client was
 * told is printed (BENCHMARKS.md quotes it).
 */
class RestartResyncIT extends SdkTestBase {

  private static final int CLIENTS = 1_000;
  private static final int CHANNELS = 10;
  private static final int BEFORE = 5;

  private static JsonObject serverConfig() {
    return TestNamespaces.config("feed", TestNamespaces.open().put("historySize", 100))
        .put("auth", new JsonObject().put("anonymous", true))
        .put("limits", new JsonObject().put("maxConnectionsPerIp", 2 * CLIENTS));
  }

  private static String channel(int c) {
    return "feed:restart-" + c;
  }

  @Test
  void everyClientIsToldToResyncOncePerChannelAndNothingIsReplayed() {
    TestServer first = TestServer.start(serverConfig());
    int port = first.wsPort();
    TestServer second = null;
    List<List<ChannelMessage>> received = new ArrayList<>();
    List<List<Resync>> resyncs = new ArrayList<>();
    AtomicInteger told = new AtomicInteger();
    try {
      List<Future<?>> joined = new ArrayList<>();
      for (int i = 0; i < CLIENTS; i++) {
        SwitchboardClient client =
            client(options("ws://127.0.0.1:" + port + "/ws").setReconnectMaxDelayMs(500));
        List<ChannelMessage> messages = new CopyOnWriteArrayList<>();
        List<Resync> mine = new CopyOnWriteArrayList<>();
        client.onResync(
            resync -> {
              mine.add(resync);
              told.incrementAndGet();
            });
        received.add(messages);
        resyncs.add(mine);
        int c = i % CHANNELS;
        joined.add(client.connect().compose(v -> client.join(channel(c), messages::add)));
      }
      Await.result(Future.all(joined).timeout(60, java.util.concurrent.TimeUnit.SECONDS));
      try (WsClient publisher = WsClient.connect(wsClient, port)) {
        publishEach(publisher, 0, BEFORE);
      }
      Await.until(
          "every client has the first messages",
          () -> received.stream().allMatch(m -> m.size() == BEFORE));

      first.close();
      long restartedAt = System.nanoTime();
      second = TestServer.start(serverConfig().put("ws", new JsonObject().put("port", port)));
      Await.until(
          "every client was told to resync", Duration.ofSeconds(60), () -> told.get() >= CLIENTS);
      long tookMs = (System.nanoTime() - restartedAt) / 1_000_000;

      for (int i = 0; i < CLIENTS; i++) {
        List<Resync> mine = resyncs.get(i);
        assertThat(mine).as("client %d's resyncs", i).hasSize(1);
        Resync resync = mine.get(0);
        String oldEpoch = received.get(i).get(BEFORE - 1).position().epoch();
        assertThat(resync.channel()).isEqualTo(channel(i % CHANNELS));
        assertThat(resync.reason()).isEqualTo(Resync.Reason.NOT_RECOVERED);
        assertThat(resync.from()).isEqualTo(new StreamPosition(BEFORE, oldEpoch));
        assertThat(resync.to().offset()).isZero();
        assertThat(resync.to().epoch()).isNotEqualTo(oldEpoch);
        assertThat(received.get(i)).as("nothing replayed to client %d", i).hasSize(BEFORE);
      }
      try (WsClient publisher = WsClient.connect(wsClient, port)) {
        publishEach(publisher, BEFORE, BEFORE + 1);
      }
      Await.until(
          "every client has the new stream's first message",
          () -> received.stream().allMatch(m -> m.size() == BEFORE + 1));
      for (int i = 0; i < CLIENTS; i++) {
        ChannelMessage next = received.get(i).get(BEFORE);
        assertThat(next.position())
            .isEqualTo(new StreamPosition(1, resyncs.get(i).get(0).to().epoch()));
      }
      assertThat(told.get()).as("no client told twice").isEqualTo(CLIENTS);
      System.out.printf(
          "restart: %d clients told to resync %d ms after the new server started%n",
          CLIENTS, tookMs);
    } finally {
      if (second != null) {
        second.close();
      }
      first.close();
    }
  }

  /** Publishes messages {@code from} to {@code to - 1} to every channel, each acknowledged. */
  private static void publishEach(WsClient publisher, int from, int to) {
    for (int n = from; n < to; n++) {
      for (int c = 0; c < CHANNELS; c++) {
        JsonObject ack =
            publisher.request(
                new JsonObject()
                    .put("type", "publish")
                    .put("channel", channel(c))
                    .put("data", n)
                    .put("id", "p"));
        assertThat(ack.getString("type")).as("answer %s", ack).isEqualTo("ack");
      }
    }
  }
}

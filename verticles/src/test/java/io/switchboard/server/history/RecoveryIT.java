package io.switchboard.server.history;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.server.testing.Await;
import io.switchboard.server.testing.ServerTestBase;
import io.switchboard.server.testing.TestNamespaces;
import io.switchboard.server.testing.TestServer;
import io.switchboard.server.testing.WsClient;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * A join with {@code since}: exactly the missed messages, in order, then the live ones, with
 * publishers running meanwhile; or, when the position cannot be recovered, nothing and {@code
 * recovered: false}.
 */
class RecoveryIT extends ServerTestBase {

  private final ExecutorService publishing = Executors.newFixedThreadPool(2);

  @Override
  protected JsonObject config() {
    return new JsonObject()
        .put(
            "channels",
            new JsonObject()
                .put(
                    "namespaces",
                    new JsonObject()
                        .put("", new JsonObject().put("publish", "anyone"))
                        .put("deep", namespace(10_000))
                        .put("short", namespace(5))
                        .put("plain", namespace(0)))
                .put("maxHistoryLimit", 1_000));
  }

  private static JsonObject namespace(int historySize) {
    return TestNamespaces.open().put("historySize", historySize);
  }

  @AfterAll
  void stopPublishing() {
    publishing.shutdownNow();
  }

  private static JsonObject publish(String channel, Object data) {
    return new JsonObject()
        .put("type", "publish")
        .put("channel", channel)
        .put("data", data)
        .put("id", "p");
  }

  private static JsonObject acked(WsClient publisher, String channel, Object data) {
    JsonObject ack = publisher.request(publish(channel, data));
    assertThat(ack.getString("type")).as("answer %s", ack).isEqualTo("ack");
    return ack;
  }

  private static JsonObject joinSince(WsClient client, String channel, long offset, String epoch) {
    JsonObject confirmed =
        client.request(
            new JsonObject()
                .put("type", "join")
                .put("channel", channel)
                .put("id", "r")
                .put("since", new JsonObject().put("offset", offset).put("epoch", epoch)));
    assertThat(confirmed.getString("type"))
        .as("answer to the join: %s", confirmed)
        .isEqualTo("subscription_confirmed");
    return confirmed.getJsonObject("data");
  }

  @Test
  void aClientThatMissedMessagesGetsExactlyThemInOrderThenTheLiveOnesWhilePublishersRun() {
    String channel = channel("deep:race");
    // A subscriber that stays: every message is delivered to the node's instances while the
    // returning client joins, so those sequenced before its join's position reach it too (held)
    // and must be dropped, not sent twice.
    WsClient watcher = connect();
    join(watcher, channel);
    WsClient first = connect();
    join(first, channel);
    WsClient before = connect();
    String epoch = null;
    for (int n = 1; n <= 10; n++) {
      epoch = acked(before, channel, "before-" + n).getString("epoch");
    }
    for (int n = 1; n <= 10; n++) {
      assertThat(first.next("message").getLong("offset")).isEqualTo(n);
    }
    first.close();
    for (int n = 11; n <= 30; n++) {
      acked(before, channel, "missed-" + n);
    }
    int perPublisher = 150;
    List<WsClient> publishers = List.of(connect(), connect());
    List<CompletableFuture<Void>> running = new ArrayList<>();
    for (WsClient publisher : publishers) {
      running.add(
          CompletableFuture.runAsync(
              () -> {
                for (int n = 0; n < perPublisher; n++) {
                  publisher.send(publish(channel, "live-" + n));
                }
              },
              publishing));
    }

    WsClient back = connect();
    JsonObject confirmed = joinSince(back, channel, 10, epoch);
    running.forEach(CompletableFuture::join);
    long last = 30 + 2L * perPublisher;
    List<Long> received = new ArrayList<>();
    while (received.isEmpty() || received.get(received.size() - 1) < last) {
      JsonObject message = back.next("message");
      assertThat(message.getString("epoch")).isEqualTo(epoch);
      received.add(message.getLong("offset"));
    }

    assertThat(confirmed.getBoolean("recovered")).isTrue();
    assertThat(confirmed.getString("epoch")).isEqualTo(epoch);
    assertThat(confirmed.getLong("offset")).isBetween(30L, last);
    List<Long> expected = new ArrayList<>();
    for (long offset = 11; offset <= last; offset++) {
      expected.add(offset);
    }
    assertThat(received).as("offsets after the confirmation").isEqualTo(expected);
    back.assertNothingReceived();
  }

  @Test
  void theReplayIsTheMissedMessagesAsTheyWereFirstDelivered() {
    String channel = channel("deep:same");
    WsClient watcher = connect();
    join(watcher, channel);
    WsClient publisher = connect();
    JsonObject ack = acked(publisher, channel, new JsonObject().put("n", 1));
    acked(publisher, channel, new JsonObject().put("n", 2));
    JsonObject live1 = watcher.next("message");
    JsonObject live2 = watcher.next("message");

    WsClient late = connect();
    JsonObject confirmed = joinSince(late, channel, 0, ack.getString("epoch"));

    assertThat(confirmed.getBoolean("recovered")).isTrue();
    assertThat(confirmed.getLong("offset")).isEqualTo(2);
    assertThat(confirmed.getInteger("subscribers")).isEqualTo(2);
    assertThat(late.next("message")).isEqualTo(live1);
    assertThat(late.next("message")).isEqualTo(live2);
    late.assertNothingReceived();
  }

  @Test
  void aPositionOfAnotherEpochRecoversNothingAndLiveMessagesFollow() {
    String channel = channel("deep:epoch");
    WsClient publisher = connect();
    JsonObject ack = acked(publisher, channel, "one");
    acked(publisher, channel, "two");

    WsClient client = connect();
    JsonObject confirmed = joinSince(client, channel, 1, "0123456789abcdef");
    acked(publisher, channel, "three");

    assertThat(confirmed.getBoolean("recovered")).isFalse();
    assertThat(confirmed.getLong("offset")).isEqualTo(2);
    assertThat(confirmed.getString("epoch")).isEqualTo(ack.getString("epoch"));
    JsonObject next = client.next("message");
    assertThat(next.getLong("offset")).isEqualTo(3);
    assertThat(next.getValue("data")).isEqualTo("three");
  }

  @Test
  void aPositionHistoryNoLongerCoversOrAheadOfTheStreamRecoversNothing() {
    String channel = channel("short:gone");
    WsClient publisher = connect();
    String epoch = null;
    for (int n = 1; n <= 8; n++) {
      epoch = acked(publisher, channel, n).getString("epoch");
    }

    WsClient tooOld = connect();
    JsonObject old = joinSince(tooOld, channel, 2, epoch);
    WsClient ahead = connect();
    JsonObject future = joinSince(ahead, channel, 9, epoch);
    WsClient covered = connect();
    JsonObject justCovered = joinSince(covered, channel, 3, epoch);

    assertThat(old.getBoolean("recovered")).isFalse();
    assertThat(old.getLong("offset")).isEqualTo(8);
    tooOld.assertNothingReceived();
    assertThat(future.getBoolean("recovered")).isFalse();
    ahead.assertNothingReceived();
    assertThat(justCovered.getBoolean("recovered")).isTrue();
    for (long offset = 4; offset <= 8; offset++) {
      assertThat(covered.next("message").getLong("offset")).isEqualTo(offset);
    }
    covered.assertNothingReceived();
  }

  @Test
  void aChannelWithoutHistoryRecoversOnlyWhenNothingWasMissed() {
    String channel = channel("plain:up-to-date");
    WsClient publisher = connect();
    JsonObject ack = acked(publisher, channel, "one");

    WsClient upToDate = connect();
    JsonObject current = joinSince(upToDate, channel, 1, ack.getString("epoch"));
    WsClient behind = connect();
    JsonObject missed = joinSince(behind, channel, 0, ack.getString("epoch"));

    assertThat(current.getBoolean("recovered")).isTrue();
    assertThat(current.getLong("offset")).isEqualTo(1);
    upToDate.assertNothingReceived();
    assertThat(missed.getBoolean("recovered")).isFalse();
    behind.assertNothingReceived();
  }

  @Test
  void aRestartedServerHasNewEpochsSoNothingIsRecovered() {
    String channel = "deep:restart";
    JsonObject ack;
    try (TestServer first = TestServer.start(config())) {
      WsClient publisher = WsClient.connect(wsClient, first.wsPort());
      try {
        acked(publisher, channel, "one");
        ack = acked(publisher, channel, "two");
      } finally {
        publisher.close();
      }
    }

    try (TestServer second = TestServer.start(config())) {
      WsClient client = WsClient.connect(wsClient, second.wsPort());
      WsClient publisher = WsClient.connect(wsClient, second.wsPort());
      try {
        JsonObject confirmed = joinSince(client, channel, 2, ack.getString("epoch"));
        JsonObject next = acked(publisher, channel, "first again");

        assertThat(confirmed.getBoolean("recovered")).isFalse();
        assertThat(confirmed.getLong("offset")).isZero();
        assertThat(confirmed.getString("epoch")).isNotEqualTo(ack.getString("epoch"));
        assertThat(next.getLong("offset")).isEqualTo(1);
        assertThat(next.getString("epoch")).isEqualTo(confirmed.getString("epoch"));
        assertThat(client.next("message").getLong("offset")).isEqualTo(1);
      } finally {
        client.close();
        publisher.close();
        Await.until(
            "the second server let go of its clients",
            () -> second.server().metrics().activeConnections() == 0);
      }
    }
  }
}

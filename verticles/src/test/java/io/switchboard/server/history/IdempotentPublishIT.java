package io.switchboard.server.history;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.server.testing.Await;
import io.switchboard.server.testing.HttpUpgrade;
import io.switchboard.server.testing.ServerTestBase;
import io.switchboard.server.testing.TestNamespaces;
import io.switchboard.server.testing.TestServer;
import io.switchboard.server.testing.WsClient;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Idempotent publish: a publish re-sent with the same {@code id} by the same client session (the
 * {@code session} query parameter, kept across reconnects) is acknowledged again with its first
 * offset and {@code "duplicate": true}, and delivered once. That it was not delivered again is
 * proven by order: the publisher's next message must be the next one every subscriber receives.
 */
class IdempotentPublishIT extends ServerTestBase {

  private static final String SESSION = "session-4f1c9a2e";

  @Override
  protected JsonObject config() {
    return namespaces(new JsonObject());
  }

  private static JsonObject namespaces(JsonObject channels) {
    return new JsonObject()
        .put(
            "channels",
            TestNamespaces.config("feed", TestNamespaces.open())
                .getJsonObject("channels")
                .mergeIn(channels));
  }

  private static JsonObject publish(String channel, String data, String id) {
    return new JsonObject()
        .put("type", "publish")
        .put("channel", channel)
        .put("data", data)
        .put("id", id);
  }

  private static JsonObject ack(WsClient publisher, String channel, String data, String id) {
    JsonObject ack = publisher.request(publish(channel, data, id));
    assertThat(ack.getString("type")).as("answer %s", ack).isEqualTo("ack");
    assertThat(ack.getString("id")).isEqualTo(id);
    return ack;
  }

  private static boolean duplicate(JsonObject ack) {
    JsonObject data = ack.getJsonObject("data");
    return data != null && data.getBoolean("duplicate", false);
  }

  /** The data of the next message the subscriber receives, which must be of this offset. */
  private static String nextMessage(WsClient subscriber, long offset) {
    JsonObject message = subscriber.next("message");
    assertThat(message.getLong("offset")).as("offset of %s", message).isEqualTo(offset);
    return message.getString("data");
  }

  @Test
  void aPublishReSentOnANewConnectionOfTheSameSessionIsAckedAgainAndDeliveredOnce() {
    String channel = channel("feed:a");
    double duplicatesBefore = server.counted("switchboard.publish.duplicates");
    WsClient subscriber = connect();
    join(subscriber, channel);
    WsClient first = connect("/ws?session=" + SESSION);
    JsonObject original = ack(first, channel, "one", "p-1");
    assertThat(duplicate(original)).isFalse();
    assertThat(nextMessage(subscriber, original.getLong("offset"))).isEqualTo("one");
    first.close();

    WsClient again = connect("/ws?session=" + SESSION);
    JsonObject resent = ack(again, channel, "one", "p-1");

    assertThat(duplicate(resent)).as("ack of the re-send %s", resent).isTrue();
    assertThat(resent.getLong("offset")).isEqualTo(original.getLong("offset"));
    assertThat(resent.getString("epoch")).isEqualTo(original.getString("epoch"));
    JsonObject next = ack(again, channel, "two", "p-2");
    assertThat(duplicate(next)).isFalse();
    assertThat(next.getLong("offset")).isEqualTo(original.getLong("offset") + 1);
    assertThat(nextMessage(subscriber, next.getLong("offset"))).isEqualTo("two");
    assertThat(server.counted("switchboard.publish.duplicates")).isEqualTo(duplicatesBefore + 1);
  }

  @Test
  void theSameIdFromAnotherSessionOrAnotherUserIsANewMessage() {
    String channel = channel("feed:b");
    WsClient subscriber = connect();
    join(subscriber, channel);
    List<WsClient> publishers =
        List.of(
            connect("/ws?session=" + SESSION),
            connect("/ws?session=another-session-77"),
            connect("/ws?userId=alice&session=" + SESSION),
            connect("/ws?userId=bob&session=" + SESSION));
    List<Long> offsets = new ArrayList<>();
    for (WsClient publisher : publishers) {
      JsonObject ack = ack(publisher, channel, "hello", "p-1");
      assertThat(duplicate(ack)).as("ack %s", ack).isFalse();
      offsets.add(ack.getLong("offset"));
    }

    for (long offset : offsets) {
      assertThat(nextMessage(subscriber, offset)).isEqualTo("hello");
    }
    assertThat(offsets).doesNotHaveDuplicates();
  }

  @Test
  void withoutASessionNothingIsTakenForAReSendSoAV1ClientMayReuseItsIds() {
    String channel = channel("feed:c");
    WsClient subscriber = connect();
    join(subscriber, channel);
    WsClient publisher = connect();
    JsonObject first = ack(publisher, channel, "x", "p");
    JsonObject second = ack(publisher, channel, "y", "p");

    assertThat(duplicate(first)).isFalse();
    assertThat(duplicate(second)).isFalse();
    assertThat(nextMessage(subscriber, first.getLong("offset"))).isEqualTo("x");
    assertThat(nextMessage(subscriber, second.getLong("offset"))).isEqualTo("y");
  }

  @Test
  void aPublishWithoutIdIsNeverTakenForAReSend() {
    String channel = channel("feed:d");
    WsClient subscriber = connect();
    join(subscriber, channel);
    WsClient publisher = connect("/ws?session=" + SESSION);
    JsonObject fireAndForget =
        new JsonObject().put("type", "publish").put("channel", channel).put("data", "same");

    publisher.send(fireAndForget).send(fireAndForget);

    assertThat(subscriber.next("message").getString("data")).isEqualTo("same");
    assertThat(subscriber.next("message").getString("data")).isEqualTo("same");
  }

  @Test
  void aSessionThatIsNotEightToSixtyFourSafeCharactersIsRefusedAtTheUpgrade() throws Exception {
    for (String session : List.of("short", "has%20space", "x".repeat(65))) {
      HttpUpgrade.Answer answer =
          HttpUpgrade.upgrade(server.wsPort(), "/ws?session=" + session, "");

      assertThat(answer.status()).as("session '%s'", session).isEqualTo(400);
      assertThat(answer.error().getString("code")).isEqualTo("bad_request");
      assertThat(answer.error().getString("message"))
          .startsWith("query parameter 'session' must be 8 to 64 characters of A-Z a-z 0-9 _ -");
    }
    HttpUpgrade.Answer twice =
        HttpUpgrade.upgrade(server.wsPort(), "/ws?session=" + SESSION + "&session=" + SESSION, "");
    assertThat(twice.status()).isEqualTo(400);
    assertThat(twice.error().getString("message"))
        .isEqualTo("query parameter 'session' must appear once, appeared 2");
    // The server carries on: a valid session still connects.
    connect("/ws?session=" + SESSION).close();
  }

  /** A server of a test's own, with other channel options than the class's, and its clients. */
  private static final class OwnServer implements AutoCloseable {
    final TestServer server;
    final Vertx vertx = Vertx.vertx();

    /**
     * @param oneShard one routing shard, so that every channel's publishes share one shard's caps
     */
    OwnServer(JsonObject channels, boolean oneShard) {
      JsonObject config = namespaces(channels);
      server =
          TestServer.start(
              oneShard ? config.put("routing", new JsonObject().put("instances", 1)) : config);
    }

    WsClient connect(String uri) {
      return WsClient.connect(vertx.createWebSocketClient(), server.wsPort(), uri, null);
    }

    /**
     * The server first: its shutdown closes every client's socket from its side, so the clients'
     * Vert.x has no close handshake left to wait for (closing it first once waited past 10 s).
     */
    @Override
    public void close() {
      server.close();
      Await.result(vertx.close());
    }
  }

  @Test
  void afterTheWindowAReSendIsDeliveredAgain() {
    try (OwnServer brief =
        new OwnServer(new JsonObject().put("publishDedupWindowMs", 300), false)) {
      String channel = channel("feed:e");
      WsClient subscriber = brief.connect("/ws");
      join(subscriber, channel);
      WsClient publisher = brief.connect("/ws?session=" + SESSION);
      long first = ack(publisher, channel, "again", "p-1").getLong("offset");
      assertThat(nextMessage(subscriber, first)).isEqualTo("again");

      // Re-sent until the window has ended: every re-send inside it is a duplicate of the first.
      JsonObject[] resent = new JsonObject[1];
      Await.until(
          "a re-send after the window is taken as new",
          () -> !duplicate(resent[0] = ack(publisher, channel, "again", "p-1")));

      assertThat(resent[0].getLong("offset")).isEqualTo(first + 1);
      assertThat(nextMessage(subscriber, first + 1)).isEqualTo("again");
      subscriber.assertNothingReceived();
    }
  }

  @Test
  void aSessionPublishingFastForgetsItsOwnOldPublishesNotAnotherSessions() {
    try (OwnServer capped =
        new OwnServer(new JsonObject().put("maxDedupEntriesPerSession", 3), true)) {
      String channel = channel("feed:g");
      WsClient control = capped.connect("/ws?session=control-session");
      WsClient attacker = capped.connect("/ws?session=attacker-session");
      long controlOffset = ack(control, channel, "mine", "c-1").getLong("offset");
      long attackerFirst = ack(attacker, channel, "a", "a-0").getLong("offset");
      for (int i = 1; i < 10; i++) {
        ack(attacker, channel, "a", "a-" + i);
      }

      JsonObject controlAgain = ack(control, channel, "mine", "c-1");
      JsonObject attackerAgain = ack(attacker, channel, "a", "a-0");

      assertThat(duplicate(controlAgain)).as("the control session's publish").isTrue();
      assertThat(controlAgain.getLong("offset")).isEqualTo(controlOffset);
      assertThat(duplicate(attackerAgain)).as("the attacker's own oldest, forgotten").isFalse();
      assertThat(attackerAgain.getLong("offset")).isGreaterThan(attackerFirst);
      assertThat(capped.server.counted("switchboard.publish.dedup.forgotten")).isEqualTo(8.0);
    }
  }

  @Test
  void beyondMaxDedupEntriesTheOldestIsForgottenAndCounted() {
    // One routing shard, one remembered publish: the second publish pushes the first out.
    try (OwnServer small = new OwnServer(new JsonObject().put("maxDedupEntries", 1), true)) {
      String channel = channel("feed:f");
      WsClient subscriber = small.connect("/ws");
      join(subscriber, channel);
      WsClient publisher = small.connect("/ws?session=" + SESSION);
      JsonObject one = ack(publisher, channel, "one", "p-1");
      JsonObject two = ack(publisher, channel, "two", "p-2");
      JsonObject twoAgain = ack(publisher, channel, "two", "p-2");
      JsonObject oneAgain = ack(publisher, channel, "one", "p-1");

      assertThat(duplicate(twoAgain)).isTrue();
      assertThat(duplicate(oneAgain)).as("the forgotten publish").isFalse();
      assertThat(oneAgain.getLong("offset")).isEqualTo(two.getLong("offset") + 1);
      assertThat(nextMessage(subscriber, one.getLong("offset"))).isEqualTo("one");
      assertThat(nextMessage(subscriber, two.getLong("offset"))).isEqualTo("two");
      assertThat(nextMessage(subscriber, oneAgain.getLong("offset"))).isEqualTo("one");
      assertThat(small.server.counted("switchboard.publish.dedup.forgotten")).isEqualTo(2.0);
    }
  }
}

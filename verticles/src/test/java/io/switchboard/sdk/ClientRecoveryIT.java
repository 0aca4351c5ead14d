package io.switchboard.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.protocol.ErrorCode;
import io.switchboard.protocol.ProtocolException;
import io.switchboard.server.testing.Await;
import io.switchboard.server.testing.TestServer;
import io.switchboard.server.testing.WsClient;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The SDK keeps a channel's stream whole across reconnects: a {@code STATEFUL} re-join asks for
 * what came after the last offset received, the server replays it, and what the server cannot
 * replay is reported to {@code onResync}, never passed over.
 */
class ClientRecoveryIT extends SdkTestBase {

  private static final AtomicInteger NAMES = new AtomicInteger();

  /** A namespace that keeps history, beside the test server's defaults. */
  @Override
  protected JsonObject config() {
    return super.config().put("channels", new JsonObject().put("namespaces", feedNamespace()));
  }

  private static JsonObject feedNamespace() {
    return new JsonObject()
        .put(
            "feed",
            new JsonObject()
                .put("join", "anyone")
                .put("publish", "anyone")
                .put("historySize", 1000)
                .put("historyTtlMs", 600_000));
  }

  private static String channel() {
    return "feed:r" + NAMES.incrementAndGet();
  }

  /** What a channel's handler received, in order. */
  private static final class Received {
    final List<ChannelMessage> messages = new CopyOnWriteArrayList<>();

    void add(ChannelMessage message) {
      messages.add(message);
    }

    List<Object> data() {
      return messages.stream().map(ChannelMessage::data).toList();
    }

    List<Long> offsets() {
      return messages.stream().map(m -> m.position().offset()).toList();
    }
  }

  @Test
  void messagesPublishedWhileTheClientWasAwayArriveOnceInOrderAfterItsReconnect() {
    String channel = channel();
    FaultProxy proxy = proxy();
    SwitchboardClient client = client(options(proxy.url()));
    List<Resync> resyncs = new CopyOnWriteArrayList<>();
    client.onResync(resyncs::add);
    Await.result(client.connect());
    Received received = new Received();
    Subscription subscription = Await.result(client.join(channel, received::add));
    WsClient publisher = connect();

    publishAll(publisher, channel, 0, 5);
    Await.until("the first five", () -> received.messages.size() == 5);
    proxy.refuse();
    proxy.cut();
    Await.until("the connection is lost", () -> client.state() == ConnectionState.RECONNECTING);
    publishAll(publisher, channel, 5, 10);
    proxy.restore();
    // More while the client comes back and its missed messages are replayed.
    publishAll(publisher, channel, 10, 15);

    Await.until("all fifteen", () -> received.messages.size() >= 15);
    publishAll(publisher, channel, 15, 16);
    Await.until("and the next live one", () -> received.messages.size() >= 16);
    assertThat(received.data()).isEqualTo(range(0, 16));
    assertThat(received.offsets()).isEqualTo(offsets(1, 16));
    assertThat(received.messages.stream().map(m -> m.position().epoch()).distinct()).hasSize(1);
    assertThat(resyncs).isEmpty();
    assertThat(client.metrics().reconnectionCount()).isEqualTo(1);
    assertThat(client.metrics().resyncCount()).isZero();
    assertThat(subscription.position())
        .isEqualTo(received.messages.get(15).position())
        .extracting(StreamPosition::offset)
        .isEqualTo(16L);
  }

  @Test
  void aRestartedServerCannotReplayAndTheApplicationIsToldToResyncInstead() {
    String channel = channel();
    JsonObject config = config();
    TestServer first = TestServer.start(config);
    int port = first.wsPort();
    SwitchboardClient client = client(options("ws://127.0.0.1:" + port + "/ws"));
    List<Resync> resyncs = new CopyOnWriteArrayList<>();
    client.onResync(resyncs::add);
    Await.result(client.connect());
    Received received = new Received();
    Subscription subscription = Await.result(client.join(channel, received::add));
    TestServer second = null;
    try (WsClient publisher = WsClient.connect(wsClient, port)) {
      publishAll(publisher, channel, 0, 3);
      Await.until("three", () -> received.messages.size() == 3);
      StreamPosition before = subscription.position();

      first.close();
      second = TestServer.start(config.copy().put("ws", new JsonObject().put("port", port)));

      Await.until("told to resync", () -> resyncs.size() == 1);
      Resync resync = resyncs.get(0);
      assertThat(resync.channel()).isEqualTo(channel);
      assertThat(resync.reason()).isEqualTo(Resync.Reason.NOT_RECOVERED);
      assertThat(resync.from()).isEqualTo(before).extracting(StreamPosition::offset).isEqualTo(3L);
      assertThat(resync.to().epoch()).as("a new stream").isNotEqualTo(before.epoch());
      assertThat(resync.to().offset()).isZero();
      assertThat(received.messages).as("nothing replayed").hasSize(3);

      try (WsClient next = WsClient.connect(wsClient, second.wsPort())) {
        publishAll(next, channel, 3, 4);
        Await.until("the new stream's first", () -> received.messages.size() == 4);
      }
      assertThat(received.messages.get(3).position())
          .isEqualTo(new StreamPosition(1, resync.to().epoch()));
      assertThat(resyncs).as("the new stream is whole").hasSize(1);
      assertThat(client.metrics().resyncCount()).isEqualTo(1);
      Await.result(client.disconnect());
    } finally {
      if (second != null) {
        second.close();
      }
      first.close();
    }
  }

  @Test
  void historyAnswersTheLastMessagesAndThoseAfterAPosition() {
    String channel = channel();
    SwitchboardClient client = connected(options());
    WsClient publisher = connect();
    publishAll(publisher, channel, 0, 5);

    History last = Await.result(client.history(channel, 3));
    StreamPosition second = last.messages().get(0).position();
    History after =
        Await.result(client.history(channel, new StreamPosition(2, second.epoch()), 10));
    Throwable elsewhere =
        failure(client.history(channel, new StreamPosition(2, "another-epoch"), 10));

    assertThat(last.channel()).isEqualTo(channel);
    assertThat(last.position()).isEqualTo(new StreamPosition(5, second.epoch()));
    assertThat(last.messages()).extracting(ChannelMessage::data).containsExactly(2, 3, 4);
    assertThat(last.messages()).extracting(m -> m.position().offset()).containsExactly(3L, 4L, 5L);
    assertThat(after.messages()).extracting(ChannelMessage::data).containsExactly(2, 3, 4);
    assertThat(elsewhere).isInstanceOf(ProtocolException.class);
    assertThat(((ProtocolException) elsewhere).error().code())
        .isEqualTo(ErrorCode.HISTORY_UNAVAILABLE);
  }

  /** Publishes {@code from} to {@code to - 1} as data, each acknowledged before the next. */
  private static void publishAll(WsClient publisher, String channel, int from, int to) {
    for (int i = from; i < to; i++) {
      JsonObject ack =
          publisher.request(
              new JsonObject()
                  .put("type", "publish")
                  .put("id", "p" + i)
                  .put("channel", channel)
                  .put("data", i));
      assertThat(ack.getString("type")).as("publish %s", i).isEqualTo("ack");
    }
  }

  private static List<Object> range(int from, int to) {
    return java.util.stream.IntStream.range(from, to).boxed().map(i -> (Object) i).toList();
  }

  private static List<Long> offsets(long first, long last) {
    return java.util.stream.LongStream.rangeClosed(first, last).boxed().toList();
  }
}

package io.switchboard.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.server.testing.Await;
import io.switchboard.server.testing.TestServer;
import io.switchboard.server.testing.Tokens;
import io.switchboard.server.testing.WsClient;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The server stops while a client keeps sending, and comes back on the same port. Every message
 * sent during the outage must arrive exactly once and in order; channels must be re-joined in
 * STATEFUL mode and not in STATELESS mode.
 *
 * <p>Observers are plain WebSocket clients: one on the old server, one joined on the new server
 * before the client is let back in (its token supplier holds the reconnect until then).
 */
class OutageIT {

  private static final JsonObject CONFIG =
      new JsonObject()
          .put("shutdown", new JsonObject().put("reconnectAfterMs", 50))
          .put("auth", Tokens.authConfig().put("anonymous", true));

  private Vertx vertx;
  private WebSocketClient webSockets;
  private WebClient http;
  private final List<TestServer> servers = new ArrayList<>();

  /** One message of the sending loop and what its send resolved to. */
  private record Sent(int seq, Future<SendResult> result) {
    String reason() {
      return Await.result(result).reason();
    }
  }

  @BeforeEach
  void createClients() {
    vertx = Vertx.vertx();
    webSockets = vertx.createWebSocketClient();
    http = WebClient.create(vertx);
  }

  @AfterEach
  void closeEverything() {
    servers.forEach(TestServer::close);
    Await.result(vertx.close());
  }

  @ParameterizedTest
  @EnumSource(
      value = ReconnectMode.class,
      names = {"STATEFUL", "STATELESS"})
  void messagesSentWhileTheServerRestartsArriveExactlyOnceAndInOrder(ReconnectMode mode) {
    TestServer first = start(CONFIG);
    int port = first.wsPort();
    String channel = "outage-" + mode.name().toLowerCase();
    WsClient oldObserver = observer(port, channel);
    TokenGate gate = new TokenGate(Tokens.forUser("sdk"), true);
    SwitchboardClient client =
        SwitchboardClient.create(
            vertx,
            new ClientOptions()
                .setUrl("ws://127.0.0.1:" + port + "/ws")
                .setReconnectMode(mode)
                .setReconnectInitialDelayMs(20)
                .setReconnectMaxDelayMs(100)
                .setHeartbeatIntervalMs(0)
                .setAuthToken(gate));
    List<Object> ownCopies = new CopyOnWriteArrayList<>();
    Await.result(client.connect());
    Await.result(client.join(channel, message -> ownCopies.add(message.data())));

    List<Sent> sent = new CopyOnWriteArrayList<>();
    SendOptions patient = new SendOptions().setTimeoutMs(10_000);
    long loop =
        vertx.setPeriodic(
            3,
            t -> {
              int seq = sent.size();
              sent.add(new Sent(seq, client.send(publishFrame(channel, seq), patient)));
            });
    Await.until("messages sent while connected", () -> sent.size() >= 20);

    gate.close();
    first.close();
    Await.until(
        "the client queues while waiting to reconnect",
        () ->
            client.state() == ConnectionState.RECONNECTING && client.metrics().queueDepth() >= 20);
    TestServer second = start(CONFIG.copy().put("ws", new JsonObject().put("port", port)));
    WsClient newObserver = observer(port, channel);
    int sentBeforeReturn = sent.size();
    gate.open();
    Await.until(
        "messages sent after the return",
        () -> client.state() == ConnectionState.CONNECTED && sent.size() >= sentBeforeReturn + 20);
    vertx.cancelTimer(loop);
    sent.forEach(s -> Await.result(s.result()));

    List<Integer> sentOk = seqs(sent, r -> r.equals(SendResult.SENT));
    List<Integer> flushed = seqs(sent, r -> r.startsWith("Flushed "));
    assertThat(sentOk.size() + flushed.size())
        .as("every send succeeded: %s", reasons(sent))
        .isEqualTo(sent.size());
    assertThat(flushed).as("messages sent during the outage").hasSizeGreaterThanOrEqualTo(20);
    assertThat(reasons(sent)).contains("Flushed " + flushed.size() + " queued message(s)");
    List<Integer> sentBefore = sentOk.stream().filter(seq -> seq < flushed.get(0)).toList();
    List<Integer> sentAfter = sentOk.stream().filter(seq -> seq > flushed.get(0)).toList();
    assertThat(flushed).as("the outage is one run of queued messages").isEqualTo(range(flushed));
    assertThat(sentAfter).allMatch(seq -> seq > flushed.get(flushed.size() - 1));

    List<Object> beforeOutage = dataUntilShutdown(oldObserver);
    List<Object> expectedAfter = new ArrayList<>(flushed);
    expectedAfter.addAll(sentAfter);
    List<Object> afterOutage = nextData(newObserver, expectedAfter.size());

    assertThat(afterOutage)
        .as("everything sent during and after the outage, exactly once, in order")
        .isEqualTo(expectedAfter);
    assertThat(beforeOutage)
        .as("before the outage: in order, at most the last messages in flight lost")
        .isEqualTo(new ArrayList<Object>(sentBefore.subList(0, beforeOutage.size())));
    int subscribers = subscribers(second.adminPort(), channel);
    if (mode == ReconnectMode.STATEFUL) {
      Await.until(
          "the client's own copies of what it sent after the outage",
          () -> ownCopies.containsAll(expectedAfter));
      assertThat(ownCopies.subList(ownCopies.size() - expectedAfter.size(), ownCopies.size()))
          .as("re-joined before the flush: the client got its own messages back, in order")
          .isEqualTo(expectedAfter);
      assertThat(subscribers).as("the client re-joined the channel").isEqualTo(2);
    } else {
      assertThat(ownCopies).as("not re-joined").doesNotContainAnyElementsOf(expectedAfter);
      assertThat(subscribers).as("only the observer is subscribed").isEqualTo(1);
    }
    Await.result(client.disconnect());
    newObserver.close();
  }

  private TestServer start(JsonObject config) {
    TestServer server = TestServer.start(config);
    servers.add(server);
    return server;
  }

  private WsClient observer(int port, String channel) {
    WsClient observer = WsClient.connect(webSockets, port);
    JsonObject confirmed =
        observer.request(new JsonObject().put("type", "join").put("channel", channel));
    assertThat(confirmed.getString("type")).isEqualTo("subscription_confirmed");
    return observer;
  }

  private int subscribers(int adminPort, String channel) {
    return Await.result(http.get(adminPort, "127.0.0.1", "/api/channels/" + channel).send())
        .bodyAsJsonObject()
        .getInteger("subscribers");
  }

  /** The data of every message an observer received before the server's shutdown notice. */
  private static List<Object> dataUntilShutdown(WsClient observer) {
    List<Object> data = new ArrayList<>();
    for (JsonObject frame = observer.next();
        !"server_shutdown".equals(frame.getString("type"));
        frame = observer.next()) {
      data.add(frame.getValue("data"));
    }
    return data;
  }

  private static List<Object> nextData(WsClient observer, int count) {
    List<Object> data = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      data.add(observer.next("message").getValue("data"));
    }
    return data;
  }

  private static List<Integer> seqs(List<Sent> sent, Predicate<String> reason) {
    return sent.stream().filter(s -> reason.test(s.reason())).map(Sent::seq).toList();
  }

  private static List<String> reasons(List<Sent> sent) {
    return sent.stream().map(Sent::reason).distinct().toList();
  }

  private static List<Integer> range(List<Integer> seqs) {
    List<Integer> range = new ArrayList<>();
    for (int seq = seqs.get(0); seq < seqs.get(0) + seqs.size(); seq++) {
      range.add(seq);
    }
    return range;
  }

  private static JsonObject publishFrame(String channel, int seq) {
    return new JsonObject().put("type", "publish").put("channel", channel).put("data", seq);
  }
}

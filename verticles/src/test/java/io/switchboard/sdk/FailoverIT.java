package io.switchboard.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.server.testing.Await;
import io.switchboard.server.testing.TestServer;
import io.switchboard.server.testing.Tokens;
import io.switchboard.server.testing.WsClient;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A client given several servers' URLs: it fails over in order when its server stops, goes silent
 * or refuses it, re-joins and flushes on whichever server it lands on, and keeps going round the
 * list with a growing backoff while they are all down. Three real servers (the base class's and two
 * more); the order of attempts is read from the proxies in front of them, which note every
 * connection they accept in one shared log.
 */
class FailoverIT extends SdkTestBase {

  private TestServer second;
  private TestServer third;
  private final List<TestServer> ownServers = new ArrayList<>();

  @BeforeAll
  void startMoreServers() {
    second = TestServer.start(config());
    third = TestServer.start(config());
  }

  @AfterAll
  void stopMoreServers() {
    second.close();
    third.close();
  }

  @AfterEach
  void stopOwnServers() {
    ownServers.forEach(TestServer::close);
    ownServers.clear();
  }

  @Test
  void whenItsServerStopsTheClientFailsOverToTheNextRejoinsThereAndFlushesWhatItQueued() {
    TestServer first =
        start(config().put("shutdown", new JsonObject().put("reconnectAfterMs", 50)));
    String firstUrl = url(first);
    String secondUrl = url(second);
    TokenGate gate = new TokenGate(Tokens.forUser("sdk"), true);
    SwitchboardClient client =
        client(
            options()
                .setUrls(List.of(firstUrl, secondUrl))
                .setJitter(false)
                .setConnectionTimeoutMs(10_000)
                .setAuthToken(gate));
    ClientEvents events = ClientEvents.of(client);
    String channel = channel("failover");
    List<Object> received = new CopyOnWriteArrayList<>();
    try {
      Await.result(client.connect());
      assertThat(client.currentUrl()).isEqualTo(firstUrl);
      Subscription subscription =
          Await.result(client.join(channel, message -> received.add(message.data())));
      assertThat(subscription.subscribers()).isEqualTo(1);

      gate.close();
      stop(first);
      // The attempt to the next server has started and waits for its token: the client queues.
      Await.until("the attempt to the second server is under way", () -> gate.calls() == 2);
      assertThat(client.state()).isEqualTo(ConnectionState.RECONNECTING);
      assertThat(client.currentUrl()).isEqualTo(secondUrl);
      List<Future<SendResult>> queued =
          List.of(
              client.send(publishFrame(channel, 1)),
              client.send(publishFrame(channel, 2)),
              client.send(publishFrame(channel, 3)));
      Future<SendResult> published = client.publish(channel, 4);
      Await.until("four messages queued", () -> client.metrics().queueDepth() == 4);
      WsClient observer = track(WsClient.connect(wsClient, second.wsPort()));
      join(observer, channel);

      gate.open();

      Await.until("connected to the second server", () -> events.connected.get() == 2);
      assertThat(queued)
          .extracting(sent -> Await.result(sent).reason())
          .containsOnly("Flushed 4 queued message(s)");
      assertThat(Await.result(published).reason()).isEqualTo(SendResult.ACKNOWLEDGED);
      assertThat(nextData(observer, 4))
          .as("queued, in order, on the second server")
          .isEqualTo(List.of(1, 2, 3, 4));
      Await.until(
          "re-joined on the second server, beside the observer",
          () -> subscription.subscribers() == 2);
      observer.send(publishFrame(channel, "published on the second server"));
      Await.until("the client's handler hears the second server", () -> received.size() == 5);
      assertThat(received)
          .as("re-joined before the flush: its own messages, then the observer's")
          .containsExactly(1, 2, 3, 4, "published on the second server");

      assertThat(events.reconnects).containsExactly(new ReconnectAttempt(1, 50, secondUrl));
      assertThat(events.errorMessages())
          .containsExactly("connection lost: the server is shutting down (reconnect after 50 ms)");
      assertThat(events.resyncs)
          .as("the second server is not in a cluster with the first: its stream is another one")
          .singleElement()
          .satisfies(
              resync -> {
                assertThat(resync.channel()).isEqualTo(channel);
                assertThat(resync.reason()).isEqualTo(Resync.Reason.NOT_RECOVERED);
                assertThat(resync.to().epoch()).isNotEqualTo(resync.from().epoch());
              });
      assertThat(client.currentUrl()).isEqualTo(secondUrl);
      assertThat(client.metrics().failoverCount()).isEqualTo(1);
      assertThat(client.metrics().reconnectionCount()).isEqualTo(1);
    } finally {
      gate.open();
    }
  }

  @Test
  void aServerThatGoesSilentIsFoundDeadByTheHeartbeatAndTheClientFailsOverToTheNext() {
    List<String> accepts = new CopyOnWriteArrayList<>();
    FaultProxy toFirst = proxy(server.wsPort(), accepts);
    FaultProxy toSecond = proxy(second.wsPort(), accepts);
    SwitchboardClient client =
        client(
            options()
                .setUrls(List.of(toFirst.url(), toSecond.url()))
                .setJitter(false)
                .setHeartbeatIntervalMs(50)
                .setPongTimeoutMs(500));
    ClientEvents events = ClientEvents.of(client);
    String channel = channel("silent");
    List<Object> received = new CopyOnWriteArrayList<>();
    Await.result(client.connect());
    Await.result(client.join(channel, message -> received.add(message.data())));
    WsClient observer = track(WsClient.connect(wsClient, second.wsPort()));
    join(observer, channel);

    toFirst.blackhole();

    Await.until("connected to the second server", () -> events.connected.get() == 2);
    assertThat(accepts).containsExactly(toFirst.url(), toSecond.url());
    assertThat(events.errorMessages())
        .containsExactly(
            "connection lost: no frame from the server within 500 ms of a heartbeat ping");
    Await.until("told to resync", () -> events.resyncs.size() == 1);
    assertThat(events.resyncs.get(0).reason())
        .as("another server's stream of the channel")
        .isEqualTo(Resync.Reason.NOT_RECOVERED);
    assertThat(events.reconnects).containsExactly(new ReconnectAttempt(1, 20, toSecond.url()));
    assertThat(client.currentUrl()).isEqualTo(toSecond.url());

    observer.send(publishFrame(channel, "from an observer"));
    Await.until("the re-joined channel delivers", () -> received.contains("from an observer"));
    assertThat(Await.result(client.publish(channel, "from the client")).reason())
        .isEqualTo(SendResult.ACKNOWLEDGED);
    assertThat(nextData(observer, 2)).containsExactly("from an observer", "from the client");
    assertThat(client.metrics().failoverCount()).isEqualTo(1);
  }

  @Test
  void aFirstUrlThatRefusesConnectionsAtStartUpLeavesTheClientOnTheSecondInEverySession()
      throws Exception {
    String refusing = closedPortUrl();
    FaultProxy proxy = proxy();
    SwitchboardClient client =
        client(options().setUrls(List.of(refusing, proxy.url())).setJitter(false));
    ClientEvents events = ClientEvents.of(client);

    Await.result(client.connect());

    assertThat(client.currentUrl()).isEqualTo(proxy.url());
    assertThat(proxy.requestHeads()).hasSize(1);
    assertThat(events.reconnects).containsExactly(new ReconnectAttempt(1, 20, proxy.url()));
    assertThat(events.errorMessages())
        .singleElement()
        .asString()
        .startsWith("connect attempt to " + refusing + " failed: ");
    assertThat(events.states())
        .containsExactly(
            ConnectionState.DISCONNECTED, ConnectionState.CONNECTING, ConnectionState.CONNECTED);
    assertThat(client.metrics().failoverCount()).isEqualTo(1);
    assertThat(client.metrics().reconnectionCount()).as("a first connection").isZero();

    Await.result(client.disconnect());
    Await.result(client.connect());

    assertThat(events.errorMessages())
        .as("a new session starts on the first URL again")
        .hasSize(2)
        .last()
        .asString()
        .startsWith("connect attempt to " + refusing + " failed: ");
    assertThat(proxy.requestHeads()).hasSize(2);
    assertThat(client.currentUrl()).isEqualTo(proxy.url());
    assertThat(client.metrics().failoverCount()).isEqualTo(2);
  }

  @Test
  void whenEveryUrlIsDownTheClientGoesRoundInOrderWithABackoffGrowingPerPassUntilOneIsBack() {
    List<String> accepts = new CopyOnWriteArrayList<>();
    FaultProxy a = proxy(server.wsPort(), accepts);
    FaultProxy b = proxy(second.wsPort(), accepts);
    FaultProxy c = proxy(third.wsPort(), accepts);
    a.refuse();
    b.refuse();
    c.refuse();
    List<String> urls = List.of(a.url(), b.url(), c.url());
    SwitchboardClient client =
        client(
            options()
                .setUrls(urls)
                .setJitter(false)
                .setReconnectInitialDelayMs(10)
                .setReconnectMaxDelayMs(80));
    ClientEvents events = ClientEvents.of(client);

    Future<Void> connected = client.connect();
    Await.until("over three passes over the list", () -> accepts.size() >= 10);
    b.restore();
    Await.result(connected);

    assertThat(client.currentUrl()).isEqualTo(b.url());
    List<String> order = List.copyOf(accepts);
    assertThat(order).last().isEqualTo(b.url());
    for (int i = 0; i < order.size(); i++) {
      assertThat(order.get(i)).as("connection %d accepted", i).isEqualTo(urls.get(i % 3));
    }
    List<ReconnectAttempt> expected = new ArrayList<>();
    for (int attempt = 1; attempt < order.size(); attempt++) {
      int pass = (attempt - 1) / 3 + 1;
      long delay = Math.min(80, 10L << (pass - 1));
      expected.add(new ReconnectAttempt(attempt, delay, urls.get(attempt % 3)));
    }
    assertThat(events.reconnects).isEqualTo(expected);
    List<String> errors = events.errorMessages();
    assertThat(errors).hasSize(order.size() - 1);
    for (int i = 0; i < errors.size(); i++) {
      assertThat(errors.get(i)).startsWith("connect attempt to " + order.get(i) + " failed: ");
    }
    assertThat(events.states())
        .containsExactly(
            ConnectionState.DISCONNECTED, ConnectionState.CONNECTING, ConnectionState.CONNECTED);
    assertThat(client.metrics().failoverCount()).isEqualTo(1);
  }

  @Test
  void aFullServerAnswersRetryAfterAndTheClientMovesOnToTheNextWithoutWaitingForIt() {
    TestServer full = start(config().put("limits", new JsonObject().put("maxConnections", 1)));
    track(WsClient.connect(wsClient, full.wsPort()));
    SwitchboardClient client =
        client(
            options()
                .setUrls(List.of(url(full), url()))
                .setJitter(false)
                .setReconnectMaxDelayMs(5_000));
    ClientEvents events = ClientEvents.of(client);

    Await.result(client.connect());

    assertThat(client.currentUrl()).isEqualTo(url());
    assertThat(events.errors).hasSize(1);
    assertThat(events.errors.get(0).getCause())
        .isInstanceOfSatisfying(
            UpgradeRefusedException.class,
            refused -> {
              assertThat(refused.status()).isEqualTo(503);
              assertThat(refused.code()).isEqualTo("unavailable");
              assertThat(refused.retryAfterMs()).hasValue(1000);
            });
    assertThat(events.reconnects).containsExactly(new ReconnectAttempt(1, 20, url()));
    assertThat(client.metrics().failoverCount()).isEqualTo(1);
  }

  @Test
  void withOneUrlTheNextAttemptWaitsForTheRetryAfterOfAFullServer() {
    TestServer full = start(config().put("limits", new JsonObject().put("maxConnections", 1)));
    WsClient occupant = WsClient.connect(wsClient, full.wsPort());
    SwitchboardClient client =
        client(options(url(full)).setJitter(false).setReconnectMaxDelayMs(5_000));
    ClientEvents events = ClientEvents.of(client);

    Future<Void> connected = client.connect();
    Await.until("the first retry is scheduled", () -> !events.reconnects.isEmpty());
    occupant.close();

    assertThat(events.reconnects.get(0))
        .as("Retry-After: 1 outweighs the 20 ms backoff")
        .isEqualTo(new ReconnectAttempt(1, 1000, url(full)));
    Await.result(connected);
    assertThat(client.metrics().failoverCount()).as("one URL never fails over").isZero();
  }

  @Test
  void aRefusalThatNoRetryCanCureEndsTheSessionWithoutTryingTheOtherUrls() {
    List<String> accepts = new CopyOnWriteArrayList<>();
    FaultProxy toFirst = proxy(server.wsPort(), accepts);
    FaultProxy toSecond = proxy(second.wsPort(), accepts);
    String wrongPath = "ws://127.0.0.1:" + toFirst.port() + "/not-the-ws-path";
    SwitchboardClient client = client(options().setUrls(List.of(wrongPath, toSecond.url())));
    ClientEvents events = ClientEvents.of(client);

    Throwable failure = failure(client.connect());

    assertThat(failure)
        .hasMessageStartingWith("the server refused the upgrade with HTTP 404: bad_request: ")
        .hasMessageEndingWith("; not reconnecting");
    assertThat(client.state()).isEqualTo(ConnectionState.FAILED);
    assertThat(accepts).containsExactly(toFirst.url());
    assertThat(events.reconnects).isEmpty();
    assertThat(client.currentUrl()).isEqualTo(wrongPath);
  }

  @Test
  void aCloseThatForbidsReconnectingEndsTheSessionWithoutTryingTheOtherUrls() {
    List<String> accepts = new CopyOnWriteArrayList<>();
    FaultProxy toFirst = proxy(server.wsPort(), accepts);
    FaultProxy toSecond = proxy(second.wsPort(), accepts);
    SwitchboardClient client = connected(options().setUrls(List.of(toFirst.url(), toSecond.url())));
    ClientEvents events = ClientEvents.of(client);

    adminDelete("/api/connections/" + client.connectionId());

    Await.until("failed", () -> client.state() == ConnectionState.FAILED);
    assertThat(events.errorMessages())
        .containsExactly(
            "the server closed the connection: closed with 4502 (disconnected by an"
                + " administrator); not reconnecting");
    assertThat(events.reconnects).isEmpty();
    assertThat(accepts).containsExactly(toFirst.url());
  }

  private TestServer start(JsonObject config) {
    TestServer started = TestServer.start(config);
    ownServers.add(started);
    return started;
  }

  /** Stops a server this test started, as an operator would. */
  private void stop(TestServer started) {
    ownServers.remove(started);
    started.close();
  }

  private static String url(TestServer server) {
    return "ws://127.0.0.1:" + server.wsPort() + "/ws";
  }

  private static String closedPortUrl() throws Exception {
    try (ServerSocket socket = new ServerSocket(0)) {
      return "ws://127.0.0.1:" + socket.getLocalPort() + "/ws";
    }
  }
}

package io.switchboard.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.sdk.impl.Backoff;
import io.switchboard.server.testing.Await;
import io.switchboard.server.testing.TestServer;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Lost connections, backoff, attempt limits, close codes and server restarts. */
class ReconnectIT extends SdkTestBase {

  @Test
  void aLostConnectionIsReconnectedAndTheAttemptCountStartsOverAfterEachSuccess() {
    FaultProxy proxy = proxy();
    SwitchboardClient client =
        client(
            options(proxy.url())
                .setJitter(false)
                .setReconnectInitialDelayMs(30)
                .setReconnectMaxDelayMs(200));
    ClientEvents events = ClientEvents.of(client);
    Await.result(client.connect());
    String first = client.connectionId();

    proxy.cut();
    Await.until("reconnected", () -> events.connected.get() == 2);
    String second = client.connectionId();
    proxy.cut();
    Await.until("reconnected again", () -> events.connected.get() == 3);

    assertThat(List.of(first, second, client.connectionId())).doesNotHaveDuplicates();
    assertThat(events.messagesOfType("welcome"))
        .as("onMessage gets each connection's welcome")
        .extracting(welcome -> welcome.getJsonObject("data").getString("connectionId"))
        .containsExactly(first, second, client.connectionId());
    assertThat(events.reconnects)
        .containsExactly(
            new ReconnectAttempt(1, 30, proxy.url()), new ReconnectAttempt(1, 30, proxy.url()));
    assertThat(events.states())
        .containsExactly(
            ConnectionState.DISCONNECTED,
            ConnectionState.CONNECTING,
            ConnectionState.CONNECTED,
            ConnectionState.RECONNECTING,
            ConnectionState.CONNECTED,
            ConnectionState.RECONNECTING,
            ConnectionState.CONNECTED);
    assertThat(client.metrics().reconnectionCount()).isEqualTo(2);
    assertThat(events.errorMessages())
        .containsExactly(
            "connection lost: closed with 1006 (abnormal closure)",
            "connection lost: closed with 1006 (abnormal closure)");
  }

  @Test
  void backoffDoublesUpToTheMaximumAndAfterTheLastAttemptTheClientIsFailed() {
    FaultProxy proxy = proxy();
    SwitchboardClient client =
        client(
            options(proxy.url())
                .setJitter(false)
                .setReconnectInitialDelayMs(10)
                .setReconnectMaxDelayMs(40)
                .setMaxReconnectAttempts(5));
    ClientEvents events = ClientEvents.of(client);
    Await.result(client.connect());

    proxy.close();

    Await.until(
        "failed, and told why",
        () -> client.state() == ConnectionState.FAILED && !events.errorMessages().isEmpty());
    assertThat(events.reconnects)
        .extracting(ReconnectAttempt::delayMs)
        .containsExactly(10L, 20L, 40L, 40L, 40L);
    assertThat(events.reconnects)
        .extracting(ReconnectAttempt::attempt)
        .containsExactly(1, 2, 3, 4, 5);
    assertThat(events.errorMessages().get(events.errors.size() - 1))
        .startsWith("gave up after 5 reconnect attempt(s); the last failure: ");
    assertThat(events.states()).endsWith(ConnectionState.RECONNECTING, ConnectionState.FAILED);
  }

  @Test
  void jitteredDelaysFollowTheInjectedRandomAndStayWithinTheirBounds() throws Exception {
    Random expected = new Random(5);
    SwitchboardClient client =
        client(
            options(closedPortUrl())
                .setReconnectInitialDelayMs(10)
                .setReconnectMaxDelayMs(70)
                .setMaxReconnectAttempts(6)
                .setRandom(new Random(5)));
    ClientEvents events = ClientEvents.of(client);

    Throwable failure = failure(client.connect());

    assertThat(failure).hasMessageStartingWith("gave up after 6 reconnect attempt(s)");
    Backoff reference = new Backoff(10, 70, true, expected);
    List<Long> delays = new ArrayList<>();
    for (int attempt = 1; attempt <= 6; attempt++) {
      long delay = reference.delayMs(attempt);
      long base = reference.baseMs(attempt);
      assertThat(delay).isGreaterThan(base * 3 / 4).isLessThanOrEqualTo(base);
      delays.add(delay);
    }
    assertThat(events.reconnects).extracting(ReconnectAttempt::delayMs).isEqualTo(delays);
    assertThat(events.states())
        .as("never connected: retries of the first connect stay CONNECTING")
        .containsExactly(
            ConnectionState.DISCONNECTED, ConnectionState.CONNECTING, ConnectionState.FAILED);
  }

  @Test
  void theFirstConnectKeepsTryingUntilTheServerStartsListening() {
    TestServer down = TestServer.start();
    int port = down.wsPort();
    down.close();
    SwitchboardClient client = client(options("ws://127.0.0.1:" + port + "/ws"));
    ClientEvents events = ClientEvents.of(client);
    Future<Void> connected = client.connect();
    Await.until("a few refused attempts", () -> events.reconnects.size() >= 2);

    TestServer up =
        TestServer.start(new JsonObject().put("ws", new JsonObject().put("port", port)));
    try {
      Await.result(connected);
      assertThat(client.state()).isEqualTo(ConnectionState.CONNECTED);
      assertThat(client.metrics().reconnectionCount()).as("a first connection").isZero();
      Await.result(client.disconnect());
    } finally {
      up.close();
    }
  }

  @Test
  void aServerShutdownIsHonouredAsTheFirstReconnectDelayAndTheClientComesBackAfterARestart() {
    JsonObject config =
        new JsonObject().put("shutdown", new JsonObject().put("reconnectAfterMs", 250));
    TestServer first = TestServer.start(config);
    int port = first.wsPort();
    SwitchboardClient client = client(options("ws://127.0.0.1:" + port + "/ws").setJitter(false));
    ClientEvents events = ClientEvents.of(client);
    Await.result(client.connect());

    first.close();
    Await.until("the first reconnect attempt is scheduled", () -> !events.reconnects.isEmpty());
    TestServer second =
        TestServer.start(config.copy().put("ws", new JsonObject().put("port", port)));
    try {
      Await.until("reconnected", () -> events.connected.get() == 2);
      assertThat(events.reconnects.get(0))
          .isEqualTo(new ReconnectAttempt(1, 250, "ws://127.0.0.1:" + port + "/ws"));
      assertThat(events.messagesOfType("server_shutdown")).hasSize(1);
      assertThat(events.errorMessages())
          .first()
          .isEqualTo("connection lost: the server is shutting down (reconnect after 250 ms)");
      Await.result(client.disconnect());
    } finally {
      second.close();
    }
  }

  @Test
  void inModeNoneAnUnexpectedCloseEndsTheSessionClosedWithoutReconnecting() {
    FaultProxy proxy = proxy();
    SwitchboardClient client = connected(options(proxy.url()).setReconnectMode(ReconnectMode.NONE));
    ClientEvents events = ClientEvents.of(client);

    proxy.cut();

    // The state changes before the error listener hears why: wait for both.
    Await.until(
        "closed, and told why",
        () -> client.state() == ConnectionState.CLOSED && !events.errorMessages().isEmpty());
    assertThat(events.reconnects).isEmpty();
    assertThat(events.errorMessages())
        .containsExactly("connection lost: closed with 1006 (abnormal closure)");
  }

  @Test
  void aKickByAnAdministratorIsFinalUntilTheApplicationConnectsAgain() {
    SwitchboardClient client = connected(options());
    ClientEvents events = ClientEvents.of(client);

    adminDelete("/api/connections/" + client.connectionId());

    Await.until(
        "failed, and told why",
        () -> client.state() == ConnectionState.FAILED && !events.errorMessages().isEmpty());
    assertThat(events.reconnects).isEmpty();
    assertThat(events.errorMessages())
        .containsExactly(
            "the server closed the connection: closed with 4502 (disconnected by an"
                + " administrator); not reconnecting");
    Await.result(client.connect());
    assertThat(client.state()).isEqualTo(ConnectionState.CONNECTED);
  }

  @Test
  void disconnectWhileReconnectingEndsTheSessionAndFailsAPendingConnect() {
    FaultProxy proxy = proxy();
    SwitchboardClient client = connected(options(proxy.url()));
    ClientEvents events = ClientEvents.of(client);
    proxy.close();
    Await.until("retrying", () -> events.reconnects.size() >= 2);
    Future<Void> reconnected = client.connect();

    Await.result(client.disconnect());

    assertThat(client.state()).isEqualTo(ConnectionState.CLOSED);
    assertThat(failure(reconnected))
        .hasMessage("disconnect() was called before the connection opened");
  }

  private static String closedPortUrl() throws Exception {
    try (ServerSocket socket = new ServerSocket(0)) {
      return "ws://127.0.0.1:" + socket.getLocalPort() + "/ws";
    }
  }
}

package io.switchboard.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.protocol.Protocol;
import io.switchboard.server.testing.Await;
import io.switchboard.server.testing.Tokens;
import io.switchboard.server.testing.WsClient;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.net.ServerSocket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The connection options against a real server. The fault proxy in front of it shows the upgrade
 * requests the client sent; the admin API shows what the server made of them.
 */
class ClientOptionsIT extends SdkTestBase {

  @Test
  void headersAreSentWithTheUpgradeRequest() {
    FaultProxy proxy = proxy();
    SwitchboardClient client =
        connected(
            options(proxy.url())
                .addHeader("User-Agent", "switchboard-test/1.0")
                .addHeader("X-Tenant", "acme"));

    JsonObject info =
        adminGet("/api/connections/" + client.connectionId())
            .bodyAsJsonObject()
            .getJsonObject("clientInfo");

    assertThat(info.getString("userAgent")).isEqualTo("switchboard-test/1.0");
    assertThat(proxy.requestHeads()).singleElement().asString().contains("X-Tenant: acme");
  }

  @Test
  void theTokenSupplierIsCalledBeforeEveryConnectAndItsTokenSentAsBearer() {
    FaultProxy proxy = proxy();
    AtomicInteger calls = new AtomicInteger();
    List<String> tokens = new CopyOnWriteArrayList<>();
    SwitchboardClient client =
        connected(
            options(proxy.url())
                .setAuthToken(
                    () -> {
                      String token = Tokens.forUser("user-" + calls.incrementAndGet());
                      tokens.add(token);
                      return Future.succeededFuture(token);
                    }));

    proxy.cut();
    Await.until(
        "reconnected",
        () -> client.state() == ConnectionState.CONNECTED && proxy.requestHeads().size() == 2);

    assertThat(proxy.requestHeads().get(0)).contains("Authorization: Bearer " + tokens.get(0));
    assertThat(proxy.requestHeads().get(1)).contains("Authorization: Bearer " + tokens.get(1));
  }

  @Test
  void aFailingTokenSupplierFailsTheAttempt() {
    SwitchboardClient client =
        client(
            options()
                .setReconnectMode(ReconnectMode.NONE)
                .setAuthToken(
                    () -> Future.failedFuture(new IllegalStateException("token service down"))));

    Throwable failure = failure(client.connect());

    assertThat(failure).hasMessage("connect failed: token service down");
    assertThat(client.state()).isEqualTo(ConnectionState.FAILED);
  }

  @Test
  void theNegotiateStepGetsTheTokenAndChoosesTheUrlAndTheTokenToConnectWith() throws Exception {
    FaultProxy proxy = proxy();
    List<String> tokensSeen = new CopyOnWriteArrayList<>();
    String appToken = Tokens.forUser("app");
    String negotiated = Tokens.forUser("negotiated");
    SwitchboardClient client =
        connected(
            options(closedPortUrl())
                .setAuthToken(() -> Future.succeededFuture(appToken))
                .setNegotiate(
                    token -> {
                      tokensSeen.add(token);
                      return Future.succeededFuture(new NegotiateResult(proxy.url(), negotiated));
                    }));

    assertThat(client.state()).isEqualTo(ConnectionState.CONNECTED);
    assertThat(tokensSeen).containsExactly(appToken);
    assertThat(proxy.requestHeads())
        .singleElement()
        .asString()
        .contains("Authorization: Bearer " + negotiated);
  }

  @Test
  void aNegotiateResultWithoutATokenKeepsTheSuppliersToken() {
    FaultProxy proxy = proxy();
    String appToken = Tokens.forUser("app");
    connected(
        options()
            .setAuthToken(() -> Future.succeededFuture(appToken))
            .setNegotiate(token -> Future.succeededFuture(new NegotiateResult(proxy.url(), null))));

    assertThat(proxy.requestHeads())
        .singleElement()
        .asString()
        .contains("Authorization: Bearer " + appToken);
  }

  @Test
  void theSwitchboardSubprotocolIsOfferedAndSelected() {
    FaultProxy proxy = proxy();
    SwitchboardClient client =
        connected(options(proxy.url()).setSubprotocols(List.of(Protocol.SUBPROTOCOL)));

    assertThat(client.state()).isEqualTo(ConnectionState.CONNECTED);
    assertThat(proxy.requestHeads())
        .singleElement()
        .asString()
        .containsIgnoringCase("Sec-WebSocket-Protocol: switchboard.v1");
  }

  @Test
  void anUnknownSubprotocolFailsTheUpgrade() {
    FaultProxy proxy = proxy();
    SwitchboardClient client =
        client(
            options(proxy.url())
                .setSubprotocols(List.of("mqtt"))
                .setReconnectMode(ReconnectMode.NONE));

    Throwable failure = failure(client.connect());

    assertThat(failure.getMessage()).containsIgnoringCase("subprotocol");
  }

  @Test
  void aConnectionThatDoesNotOpenWithinTheConnectionTimeoutFailsTheAttempt() {
    FaultProxy proxy = proxy();
    proxy.blackhole();
    SwitchboardClient client =
        client(
            options(proxy.url()).setConnectionTimeoutMs(200).setReconnectMode(ReconnectMode.NONE));
    long started = System.nanoTime();

    Throwable failure = failure(client.connect());

    assertThat(failure).hasMessage("connect failed: the connection did not open within 200 ms");
    assertThat((System.nanoTime() - started) / 1_000_000).isGreaterThanOrEqualTo(200);
  }

  @Test
  void disconnectGivesUpOnAPeerThatNeverAnswersTheCloseAfterTheCloseTimeout() {
    FaultProxy proxy = proxy();
    SwitchboardClient client = connected(options(proxy.url()).setCloseTimeoutMs(300));
    proxy.blackhole();
    long started = System.nanoTime();

    Await.result(client.disconnect());

    assertThat((System.nanoTime() - started) / 1_000_000).isGreaterThanOrEqualTo(300);
    assertThat(client.state()).isEqualTo(ConnectionState.CLOSED);
    Await.until("the connection is dropped", () -> proxy.openConnections() == 0);
  }

  @Test
  void aGracefulDisconnectClosesWith1000AndEndsEverySubscription() {
    String channel = channel("bye");
    SwitchboardClient client = connected(options());
    Subscription subscription = Await.result(client.join(channel, m -> {}));
    long normalCloses = server.server().metrics().closedTotal(1000);

    Await.result(client.disconnect());

    Await.until(
        "the server saw a normal close",
        () -> server.server().metrics().closedTotal(1000) == normalCloses + 1);
    assertThat(subscription.isActive()).isFalse();
    assertThat(client.state()).isEqualTo(ConnectionState.CLOSED);
    Await.result(client.disconnect());
    assertThat(client.state())
        .as("disconnecting again is harmless")
        .isEqualTo(ConnectionState.CLOSED);
  }

  @Test
  void withMessageBufferingDisabledNothingWaitsForTheConnection() {
    String channel = channel("unbuffered");
    WsClient observer = observer(channel);
    TokenGate gate = new TokenGate(Tokens.forUser("sdk"), false);
    SwitchboardClient client =
        client(options().setAuthToken(gate).setEnableMessageBuffering(false));
    Future<Void> connecting = client.connect();

    SendResult refused = Await.result(client.send(publishFrame(channel, "early")));
    gate.open();
    Await.result(connecting);
    Await.result(client.send(publishFrame(channel, "on time")));

    assertThat(refused)
        .isEqualTo(new SendResult(false, "WebSocket is CONNECTING and queuing is disabled"));
    assertThat(nextData(observer, 1)).containsExactly("on time");
  }

  @Test
  void aClientWithItsOwnVertxClosesItOnDisconnectAndCannotConnectAgain() {
    SwitchboardClient client = SwitchboardClient.create(options());
    Await.result(client.connect());

    Await.result(client.disconnect());

    assertThat(failure(client.connect()))
        .hasMessage(
            "this client's own Vert.x instance was closed by disconnect(); create a new client");
  }

  private static String closedPortUrl() throws Exception {
    try (ServerSocket socket = new ServerSocket(0)) {
      return "ws://127.0.0.1:" + socket.getLocalPort() + "/ws";
    }
  }
}

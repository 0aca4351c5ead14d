package io.switchboard.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.server.testing.Await;
import io.switchboard.server.testing.TestCertificates;
import io.switchboard.server.testing.WsClient;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.ClientSSLOptions;
import io.vertx.core.net.PemTrustOptions;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The SDK against a server serving {@code wss://} with a self-signed certificate. */
class TlsConnectIT extends SdkTestBase {

  private static final TestCertificates CERTS = TestCertificates.get();

  @Override
  protected JsonObject config() {
    return new JsonObject()
        .put(
            "ws",
            new JsonObject()
                .put("tlsCertFile", CERTS.certPem().toString())
                .put("tlsKeyFile", CERTS.keyPem().toString()));
  }

  @Override
  protected String url() {
    return "wss://127.0.0.1:" + server.wsPort() + "/ws";
  }

  private static ClientSSLOptions trustingTheServer() {
    return new ClientSSLOptions()
        .setTrustOptions(new PemTrustOptions().addCertPath(CERTS.certPem().toString()));
  }

  @Test
  void aClientTrustingTheCertificateConnectsOverWssAndExchangesMessages() {
    WsClient observer = observerOverTls("tls-room");
    SwitchboardClient client = connected(options().setSslOptions(trustingTheServer()));

    client.send(publishFrame("tls-room", "over tls"));

    assertThat(client.state()).isEqualTo(ConnectionState.CONNECTED);
    assertThat(nextData(observer, 1)).isEqualTo(List.of("over tls"));
  }

  @Test
  void withoutTrustingTheCertificateTheConnectionFails() {
    SwitchboardClient client = client(options().setReconnectMode(ReconnectMode.NONE));

    Throwable failure = failure(client.connect());

    assertThat(failure).hasStackTraceContaining("PKIX path building failed");
    assertThat(client.state()).isEqualTo(ConnectionState.FAILED);
  }

  @Test
  void theOptionsAreCopiedSoLaterChangesDoNotLeakIn() {
    ClientSSLOptions ssl = trustingTheServer();
    ClientOptions options = options().setSslOptions(ssl);

    ssl.setTrustAll(true);

    assertThat(options.getSslOptions().isTrustAll()).isFalse();
    assertThat(new ClientOptions(options).getSslOptions().getTrustOptions())
        .isEqualTo(trustingTheServer().getTrustOptions());
  }

  /** A raw TLS WebSocket client joined to a channel. */
  private WsClient observerOverTls(String channel) {
    WsClient observer = track(WsClient.connect(tlsWsClient, server.wsPort()));
    join(observer, channel);
    return observer;
  }

  private WebSocketClient tlsWsClient;

  @BeforeAll
  void createTlsClient() {
    tlsWsClient =
        clientVertx.createWebSocketClient(
            new WebSocketClientOptions()
                .setSsl(true)
                .setTrustOptions(new PemTrustOptions().addCertPath(CERTS.certPem().toString())));
  }

  @AfterAll
  void closeTlsClient() {
    Await.result(tlsWsClient.close());
  }
}

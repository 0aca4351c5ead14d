package io.switchboard.server.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.server.SwitchboardServer;
import io.switchboard.server.config.ConfigException;
import io.switchboard.server.config.SwitchboardConfig;
import io.switchboard.server.testing.Await;
import io.switchboard.server.testing.BridgeClient;
import io.switchboard.server.testing.TestCertificates;
import io.switchboard.server.testing.TestServer;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.List;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bridge over TLS with client certificates required (mutual TLS), with certificates generated
 * at test time: the self-signed test certificate is the server's and, through {@code
 * bridge.tlsClientCaFile}, the one authority a client's certificate must come from.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BridgeTlsIT {

  private static final TestCertificates CERTS = TestCertificates.get();

  private TestServer server;

  @BeforeAll
  void start() {
    server =
        TestServer.start(
            new JsonObject()
                .put(
                    "bridge",
                    new JsonObject()
                        .put("enabled", true)
                        .put("port", 0)
                        .put("tlsCertFile", CERTS.certPem().toString())
                        .put("tlsKeyFile", CERTS.keyPem().toString())
                        .put("tlsClientCaFile", CERTS.certPem().toString())));
  }

  @AfterAll
  void stop() {
    server.close();
  }

  @Test
  void aClientWithACertificateFromTheAuthorityIsServed() throws Exception {
    try (BridgeClient client = BridgeClient.over(tlsSocket(true))) {
      client.assertAlive();
    }
  }

  @Test
  void aClientWithoutACertificateIsNotServed() throws Exception {
    SSLSocket socket = tlsSocket(false);
    try (BridgeClient client = BridgeClient.over(socket)) {
      assertThat(answersToAPing(client)).as("frames a client without a certificate got").isEmpty();
    }
  }

  @Test
  void aPlainTcpClientIsNotServed() {
    try (BridgeClient client = BridgeClient.connect(server.bridgePort())) {
      assertThat(answersToAPing(client)).as("frames a plain TCP client got").isEmpty();
    }
  }

  @Test
  void aClientAuthorityFileThatIsNotPemStopsStartUp(@TempDir Path dir) throws Exception {
    Path notPem = Files.writeString(dir.resolve("ca.pem"), "not a certificate\n");
    SwitchboardConfig config =
        SwitchboardConfig.fromJson(
            new JsonObject()
                .put("ws", new JsonObject().put("port", 0))
                .put("admin", new JsonObject().put("enabled", false))
                .put(
                    "bridge",
                    new JsonObject()
                        .put("enabled", true)
                        .put("port", 0)
                        .put("tlsCertFile", CERTS.certPem().toString())
                        .put("tlsKeyFile", CERTS.keyPem().toString())
                        .put("tlsClientCaFile", notPem.toString())));

    Throwable failure = Await.failure(SwitchboardServer.start(config));

    assertThat(failure)
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith(
            "bridge.tlsClientCaFile must be a PEM certificate chain, was " + notPem);
  }

  /** What the server answers a ping with before it closes; the handshake may fail first. */
  private static List<JsonObject> answersToAPing(BridgeClient client) {
    try {
      client.send(new JsonObject().put("type", "ping"));
    } catch (UncheckedIOException refusedWhileWriting) {
      return List.of();
    }
    return client.framesUntilClosed();
  }

  /** A TLS socket trusting the test certificate, presenting it as the client's when asked. */
  private SSLSocket tlsSocket(boolean withCertificate) throws Exception {
    KeyStore trusted = KeyStore.getInstance("PKCS12");
    trusted.load(null, null);
    try (InputStream in = Files.newInputStream(CERTS.certPem())) {
      trusted.setCertificateEntry(
          "switchboard", CertificateFactory.getInstance("X.509").generateCertificate(in));
    }
    TrustManagerFactory trust =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trust.init(trusted);
    KeyManager[] keys = null;
    if (withCertificate) {
      KeyStore own = KeyStore.getInstance("PKCS12");
      try (InputStream in = Files.newInputStream(CERTS.pkcs12())) {
        own.load(in, CERTS.password().toCharArray());
      }
      KeyManagerFactory factory =
          KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      factory.init(own, CERTS.password().toCharArray());
      keys = factory.getKeyManagers();
    }
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(keys, trust.getTrustManagers(), null);
    SSLSocket socket =
        (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", server.bridgePort());
    socket.setSoTimeout((int) Await.TIMEOUT.toMillis());
    try {
      socket.startHandshake();
    } catch (IOException refused) {
      // Without a certificate the server may refuse during the handshake: what follows shows it.
    }
    return socket;
  }
}

package io.switchboard.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.websocketx.WebSocketHandshakeException;
import io.switchboard.server.config.ConfigException;
import io.switchboard.server.testing.Await;
import io.switchboard.server.testing.ServerProcess;
import io.switchboard.server.testing.TestCertificates;
import io.switchboard.server.testing.TestServer;
import io.switchboard.server.testing.WsClient;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * TLS on the WebSocket and admin ports, from PEM files or a keystore, with certificates generated
 * at test time; and the start-up checks that refuse TLS settings that cannot work.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TlsIT {

  private static final TestCertificates CERTS = TestCertificates.get();

  @TempDir Path workDir;
  private Vertx vertx;
  private WebSocketClient wssClient;
  private WebSocketClient plainClient;
  private WebClient https;
  private WebClient plainHttp;

  @BeforeAll
  void createClients() {
    vertx = Vertx.vertx();
    PemTrustOptions trust = new PemTrustOptions().addCertPath(CERTS.certPem().toString());
    wssClient =
        vertx.createWebSocketClient(
            new WebSocketClientOptions().setSsl(true).setTrustOptions(trust));
    plainClient = vertx.createWebSocketClient();
    https = WebClient.create(vertx, new WebClientOptions().setSsl(true).setTrustOptions(trust));
    plainHttp = WebClient.create(vertx);
  }

  @AfterAll
  void closeClients() {
    Await.result(vertx.close());
  }

  static Stream<Arguments> keyMaterial() {
    return Stream.of(
        Arguments.of("PEM files", pem()),
        Arguments.of("a PKCS12 keystore", keyStore(CERTS.pkcs12())),
        Arguments.of("a JKS keystore", keyStore(CERTS.jks())));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("keyMaterial")
  void aWssClientIsWelcomedAndTheAdminApiAnswersHttps(String name, JsonObject tls) {
    try (TestServer server = TestServer.start(both(tls))) {
      WsClient client = WsClient.connect(wssClient, server.wsPort());
      HttpResponse<Buffer> health =
          Await.result(https.get(server.adminPort(), "127.0.0.1", "/health").send());

      assertThat(client.welcome().getJsonObject("data").getString("connectionId"))
          .startsWith("ws_");
      assertThat(client.request(new JsonObject().put("type", "ping")).getString("type"))
          .isEqualTo("pong");
      assertThat(health.statusCode()).isEqualTo(200);
      assertThat(health.bodyAsJsonObject().getString("status")).isEqualTo("UP");
      client.close();
    }
  }

  @Test
  void plainWebSocketAndPlainHttpToTlsPortsFail() {
    try (TestServer server = TestServer.start(both(pem()))) {
      Throwable ws = Await.failure(plainClient.connect(server.wsPort(), "127.0.0.1", "/ws"));
      Throwable http =
          Await.failure(plainHttp.get(server.adminPort(), "127.0.0.1", "/health").send());

      // The TLS port reads the plain request as a bad handshake and closes the connection.
      assertThat(ws)
          .isInstanceOf(WebSocketHandshakeException.class)
          .hasMessageContaining("closed while handshake");
      assertThat(http).isInstanceOf(HttpClosedException.class);
      // Positive control: the same server answers a TLS client.
      WsClient.connect(wssClient, server.wsPort()).close();
    }
  }

  @Test
  void aTlsClientThatDoesNotTrustTheCertificateIsRefused() {
    WebSocketClient trustsNothing =
        vertx.createWebSocketClient(new WebSocketClientOptions().setSsl(true));
    try (TestServer server = TestServer.start(both(pem()))) {
      Throwable failure = Await.failure(trustsNothing.connect(server.wsPort(), "127.0.0.1", "/ws"));

      assertThat(failure).hasStackTraceContaining("PKIX path building failed");
    } finally {
      Await.result(trustsNothing.close());
    }
  }

  static Stream<Arguments> badSettings() {
    String cert = CERTS.certPem().toString();
    String key = CERTS.keyPem().toString();
    String p12 = CERTS.pkcs12().toString();
    String missing = CERTS.certPem().resolveSibling("missing.pem").toString();
    String folder = CERTS.certPem().getParent().toString();
    return Stream.of(
        Arguments.of(
            "a certificate without its key",
            new JsonObject().put("tlsCertFile", cert),
            "ws.tlsKeyFile must be set when ws.tlsCertFile is set, was \"\""),
        Arguments.of(
            "a key without its certificate",
            new JsonObject().put("tlsKeyFile", key),
            "ws.tlsCertFile must be set when ws.tlsKeyFile is set, was \"\""),
        Arguments.of(
            "PEM files and a keystore",
            pem().put("tlsKeyStore", p12).put("tlsKeyStorePassword", CERTS.password()),
            "ws.tlsKeyStore must be empty when ws.tlsCertFile and ws.tlsKeyFile are set (TLS"
                + " takes PEM files or a keystore, not both), was "
                + p12),
        Arguments.of(
            "a keystore without a password",
            new JsonObject().put("tlsKeyStore", p12),
            "ws.tlsKeyStorePassword must be set when ws.tlsKeyStore is set, was \"\""),
        Arguments.of(
            "a password without a keystore",
            pem().put("tlsKeyStorePassword", "secret"),
            "ws.tlsKeyStorePassword must be empty when ws.tlsKeyStore is not set, was ****"),
        Arguments.of(
            "a missing certificate file",
            new JsonObject().put("tlsCertFile", missing).put("tlsKeyFile", key),
            "ws.tlsCertFile must be a readable file, was " + missing + " (no such file)"),
        Arguments.of(
            "a folder for a keystore",
            keyStore(Path.of(folder)),
            "ws.tlsKeyStore must be a readable file, was " + folder + " (a directory)"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badSettings")
  void badTlsSettingsStopStartUpNamingTheKey(String name, JsonObject ws, String message) {
    assertThat(startFailure(new JsonObject().put("ws", ws))).isEqualTo(message);
  }

  @Test
  void aWrongKeyStorePasswordStopsStartUpWithoutShowingIt() {
    JsonObject admin = keyStore(CERTS.pkcs12()).put("tlsKeyStorePassword", "not-the-password-123");

    assertThat(startFailure(new JsonObject().put("admin", admin)))
        .isEqualTo(
            "admin.tlsKeyStorePassword must be the password of admin.tlsKeyStore "
                + CERTS.pkcs12()
                + ", was **** (keystore password was incorrect)");
  }

  @Test
  void aJksKeyStoreWithAWrongPasswordStopsStartUp() {
    JsonObject ws = keyStore(CERTS.jks()).put("tlsKeyStorePassword", "wrong-password");

    assertThat(startFailure(new JsonObject().put("ws", ws)))
        .startsWith(
            "ws.tlsKeyStorePassword must be the password of ws.tlsKeyStore "
                + CERTS.jks()
                + ", was **** (");
  }

  @Test
  void unparsableKeyMaterialStopsStartUpNamingTheFile() throws Exception {
    Path garbageKey = Files.writeString(workDir.resolve("garbage-key.pem"), "not a key\n");
    Path garbageCert = Files.writeString(workDir.resolve("garbage-cert.pem"), "not a cert\n");
    Path garbageStore = Files.writeString(workDir.resolve("garbage.p12"), "not a keystore\n");

    String key = startFailure(ws(pem().put("tlsKeyFile", garbageKey.toString())));
    String cert = startFailure(ws(pem().put("tlsCertFile", garbageCert.toString())));
    String store = startFailure(ws(keyStore(garbageStore)));

    assertThat(key)
        .isEqualTo(
            "ws.tlsKeyFile must be a PEM private key (PKCS#8, or PKCS#1 RSA / SEC1 EC), was "
                + garbageKey
                + " (Missing -----BEGIN PRIVATE KEY----- or -----BEGIN RSA PRIVATE KEY----- or"
                + " -----BEGIN EC PRIVATE KEY----- delimiter)");
    assertThat(cert)
        .isEqualTo(
            "ws.tlsCertFile must be a PEM certificate chain, was "
                + garbageCert
                + " (No certificate data found)");
    // The JDK's words for a file that is no keystore vary between versions; the rule is ours.
    assertThat(store)
        .startsWith("ws.tlsKeyStore must be a PKCS12 or JKS keystore, was " + garbageStore + " (");
  }

  @Test
  void aKeyThatIsNotTheCertificatesStopsStartUp() {
    JsonObject ws = pem().put("tlsKeyFile", CERTS.otherKeyPem().toString());

    assertThat(startFailure(new JsonObject().put("ws", ws)))
        .isEqualTo(
            "ws.tlsKeyFile must be the private key of the certificate in ws.tlsCertFile, was "
                + CERTS.otherKeyPem()
                + " (the key does not match the certificate's public key)");
  }

  @Test
  void theJarRefusesAWrongPasswordWithExitCode2AndNoStackTrace() {
    try (ServerProcess jar =
        ServerProcess.start(
            workDir,
            new ServerProcess.Options()
                .onFreeLoopbackPorts()
                .env("SWITCHBOARD_WS_TLS_KEY_STORE", CERTS.pkcs12().toString())
                .env("SWITCHBOARD_WS_TLS_KEY_STORE_PASSWORD", "wrong-password-456"))) {

      assertThat(jar.awaitExit()).isEqualTo(2);
      assertThat(jar.output())
          .contains(
              "switchboard: configuration error: ws.tlsKeyStorePassword must be the password of"
                  + " ws.tlsKeyStore "
                  + CERTS.pkcs12()
                  + ", was **** (keystore password was incorrect)")
          .noneSatisfy(line -> assertThat(line).matches("\\s+at .*"))
          .noneSatisfy(line -> assertThat(line).contains("wrong-password-456"));
    }
  }

  @Test
  void theJarServesWssAndHttpsAndLogsNoPassword() {
    try (ServerProcess jar =
        ServerProcess.start(
                workDir,
                new ServerProcess.Options()
                    .onFreeLoopbackPorts()
                    .env("SWITCHBOARD_WS_TLS_KEY_STORE", CERTS.pkcs12().toString())
                    .env("SWITCHBOARD_WS_TLS_KEY_STORE_PASSWORD", CERTS.password())
                    .env("SWITCHBOARD_ADMIN_TLS_CERT_FILE", CERTS.certPem().toString())
                    .env("SWITCHBOARD_ADMIN_TLS_KEY_FILE", CERTS.keyPem().toString()))
            .awaitStarted()) {
      WsClient client = WsClient.connect(wssClient, jar.wsPort());
      HttpResponse<Buffer> health =
          Await.result(https.get(jar.adminPort(), "127.0.0.1", "/health").send());
      client.close();

      assertThat(health.statusCode()).isEqualTo(200);
      assertThat(jar.awaitLine(Pattern.compile("switchboard started \\[ws: .*")).group())
          .contains("ws: wss://127.0.0.1:" + jar.wsPort() + "/ws")
          .contains("admin: https://127.0.0.1:" + jar.adminPort());
      assertThat(jar.output())
          .anySatisfy(line -> assertThat(line).contains("\"tlsKeyStorePassword\":\"****\""))
          .noneSatisfy(line -> assertThat(line).contains(CERTS.password()));
    }
  }

  private static JsonObject pem() {
    return new JsonObject()
        .put("tlsCertFile", CERTS.certPem().toString())
        .put("tlsKeyFile", CERTS.keyPem().toString());
  }

  private static JsonObject keyStore(Path store) {
    return new JsonObject()
        .put("tlsKeyStore", store.toString())
        .put("tlsKeyStorePassword", CERTS.password());
  }

  private static JsonObject both(JsonObject tls) {
    return new JsonObject().put("ws", tls.copy()).put("admin", tls.copy());
  }

  private static JsonObject ws(JsonObject tls) {
    return new JsonObject().put("ws", tls);
  }

  /** The message that stopped a server with these settings from starting. */
  private static String startFailure(JsonObject config) {
    Function<Throwable, ConfigException> configError =
        failure -> {
          for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof ConfigException e) {
              return e;
            }
          }
          throw new AssertionError("not a configuration error", failure);
        };
    try (TestServer server = TestServer.start(config)) {
      throw new AssertionError("the server started with " + config.encode());
    } catch (ConfigException e) {
      return e.getMessage();
    } catch (AssertionError e) {
      if (e.getMessage() != null && e.getMessage().startsWith("the server started")) {
        throw e;
      }
      return configError.apply(e).getMessage();
    }
  }
}

package io.switchboard.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.switchboard.server.testing.Await;
import io.switchboard.server.testing.TestCertificates;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.JksOptions;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.core.net.PfxOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The {@code cluster} section's event-bus TLS: its rules, the refusal of a plain event bus beyond
 * loopback, and the options it gives Vert.x.
 */
class ClusterConfigTest {

  private static final String REFUSAL =
      "cluster.tlsCertFile or cluster.tlsKeyStore must be set when cluster.host is not a loopback"
          + " address, was empty with cluster.host %s: the clustered event bus would be plain TCP,"
          + " readable and writable by anyone who reaches its port. Give every node a certificate"
          + " and the cluster's authority (cluster.tlsCertFile, cluster.tlsKeyFile and"
          + " cluster.tlsCaFile, or cluster.tlsKeyStore, cluster.tlsKeyStorePassword,"
          + " cluster.tlsTrustStore and cluster.tlsTrustStorePassword), set"
          + " cluster.allowPlaintext to true on a private network you trust, or bind cluster.host"
          + " to 127.0.0.1";

  @TempDir static Path dir;
  private static Path file;
  private static Vertx vertx;

  @BeforeAll
  static void setUp() throws Exception {
    // The rules are checked before any file is read as key material: any readable file will do.
    file = Files.writeString(dir.resolve("material.pem"), "read only at start-up");
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void closeVertx() {
    Await.result(vertx.close());
  }

  @Test
  void theDefaultIsAPlainEventBusOnLoopbackThatNeedsNothing() {
    ClusterConfig cluster = SwitchboardConfig.defaults().clustered().cluster();

    assertThat(cluster.host()).isEqualTo("127.0.0.1");
    assertThat(cluster.eventBusTls()).isFalse();
    assertThat(cluster.allowPlaintext()).isFalse();
    assertThat(cluster.plaintextBeyondLoopback()).isFalse();
    EventBusOptions options = cluster.applyTo(new EventBusOptions());
    assertThat(options.isSsl()).isFalse();
    assertThat(options.getHost()).isEqualTo("127.0.0.1");
  }

  @ParameterizedTest
  @ValueSource(strings = {"127.0.0.1", "127.0.0.2", "localhost", "::1"})
  void aLoopbackClusterStartsWithAPlainEventBus(String host) {
    ClusterConfig cluster = parse(new JsonObject().put("enabled", true).put("host", host));

    assertThat(cluster.enabled()).isTrue();
    assertThat(cluster.eventBusTls()).isFalse();
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "{\"enabled\":true,\"host\":\"10.0.0.5\"}|10.0.0.5",
        "{\"enabled\":true,\"host\":\"0.0.0.0\"}|0.0.0.0",
        "{\"enabled\":true,\"host\":\"node-1.internal\"}|node-1.internal",
      })
  void aClusterBeyondLoopbackWithAPlainEventBusIsRefused(String section, String host) {
    assertThatThrownBy(() -> parse(new JsonObject(section)))
        .isInstanceOf(ConfigException.class)
        .hasMessage(REFUSAL.formatted(host));
  }

  @Test
  void turningClusteringOnLaterIsRefusedTheSameWay() {
    SwitchboardConfig alone =
        SwitchboardConfig.fromJson(
            new JsonObject().put("cluster", new JsonObject().put("host", "10.0.0.5")));

    assertThat(alone.cluster().enabled()).isFalse();
    assertThatThrownBy(alone::clustered)
        .isInstanceOf(ConfigException.class)
        .hasMessage(REFUSAL.formatted("10.0.0.5"));
    assertThatThrownBy(() -> new ClusterConfig(true, "", "10.0.0.5", 5701, List.of(), 0, 2_000))
        .isInstanceOf(ConfigException.class)
        .hasMessage(REFUSAL.formatted("10.0.0.5"));
  }

  @Test
  void theHistoryQuorumIsNoneOrAtLeastTwoMembers() {
    assertThat(SwitchboardConfig.defaults().cluster().historyQuorum()).isZero();
    assertThat(parse(new JsonObject().put("historyQuorum", 2)).historyQuorum()).isEqualTo(2);
    assertThatThrownBy(() -> parse(new JsonObject().put("historyQuorum", 1)))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "cluster.historyQuorum must be 0 (none) or 2 to 1000: one member is always its own"
                + " majority, was 1");
    assertThatThrownBy(() -> parse(new JsonObject().put("historyQuorum", -3)))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("cluster.historyQuorum must be");
  }

  @Test
  void allowPlaintextLetsAClusterBeyondLoopbackStart() {
    ClusterConfig cluster =
        parse(
            new JsonObject()
                .put("enabled", true)
                .put("host", "10.0.0.5")
                .put("allowPlaintext", true));

    assertThat(cluster.eventBusTls()).isFalse();
    assertThat(cluster.plaintextBeyondLoopback()).isTrue();
    assertThat(cluster.applyTo(new EventBusOptions()).isSsl()).isFalse();
  }

  @Test
  void pemFilesGiveTheEventBusMutualTls() {
    ClusterConfig cluster =
        parse(
            new JsonObject()
                .put("enabled", true)
                .put("host", "10.0.0.5")
                .put("eventBusPort", 15701)
                .put("tlsCertFile", file.toString())
                .put("tlsKeyFile", file.toString())
                .put("tlsCaFile", file.toString()));

    EventBusOptions options = cluster.applyTo(new EventBusOptions());

    assertThat(cluster.eventBusTls()).isTrue();
    assertThat(cluster.plaintextBeyondLoopback()).isFalse();
    assertThat(options.getHost()).isEqualTo("10.0.0.5");
    assertThat(options.getPort()).isEqualTo(15701);
    assertThat(options.isSsl()).isTrue();
    assertThat(options.getClientAuth()).isEqualTo(ClientAuth.REQUIRED);
    assertThat(options.isTrustAll()).as("Vert.x's event bus trusts all by default").isFalse();
    assertThat(options.getKeyCertOptions())
        .isEqualTo(
            new PemKeyCertOptions().setCertPath(file.toString()).setKeyPath(file.toString()));
    assertThat(options.getTrustOptions())
        .isEqualTo(new PemTrustOptions().addCertPath(file.toString()));
  }

  /**
   * The clustered event bus builds its server's and its client's options from {@code
   * EventBusOptions.toJson()}; key material that JSON does not carry would be lost there.
   */
  @Test
  void keystoresSurviveTheCopyTheClusteredEventBusMakes() throws Exception {
    Path jks =
        Files.write(
            dir.resolve("node.jks"),
            new byte[] {(byte) 0xFE, (byte) 0xED, (byte) 0xFE, (byte) 0xED, 0});
    Path pkcs12 = Files.write(dir.resolve("trust.p12"), new byte[] {0x30, (byte) 0x82, 1, 2});
    ClusterConfig cluster =
        parse(
            new JsonObject()
                .put("tlsKeyStore", jks.toString())
                .put("tlsKeyStorePassword", "k")
                .put("tlsTrustStore", pkcs12.toString())
                .put("tlsTrustStorePassword", "t"));
    EventBusOptions options = cluster.applyTo(new EventBusOptions());

    NetServerOptions server = new NetServerOptions(options.toJson());
    NetClientOptions client = new NetClientOptions(options.toJson());

    JksOptions key = new JksOptions().setPath(jks.toString()).setPassword("k");
    PfxOptions trust = new PfxOptions().setPath(pkcs12.toString()).setPassword("t");
    assertThat(server.isSsl()).isTrue();
    assertThat(server.getClientAuth()).isEqualTo(ClientAuth.REQUIRED);
    assertThat(server.getKeyCertOptions()).isEqualTo(key);
    assertThat(server.getTrustOptions()).isEqualTo(trust);
    assertThat(client.isSsl()).isTrue();
    assertThat(client.isTrustAll()).isFalse();
    assertThat(client.getKeyCertOptions()).isEqualTo(key);
    assertThat(client.getTrustOptions()).isEqualTo(trust);
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "{\"tlsCertFile\":\"FILE\"}|cluster.tlsKeyFile must be set when cluster.tlsCertFile is"
            + " set, was \"\"",
        "{\"tlsCertFile\":\"FILE\",\"tlsKeyFile\":\"FILE\"}|cluster.tlsCaFile must be set, or"
            + " cluster.tlsTrustStore, when cluster.tlsCertFile or cluster.tlsKeyStore is set"
            + " (every node checks the other nodes' certificates against it), was \"\"",
        "{\"tlsCaFile\":\"FILE\"}|cluster.tlsCaFile must be empty while the node has no"
            + " certificate (mutual TLS needs cluster.tlsCertFile and cluster.tlsKeyFile, or"
            + " cluster.tlsKeyStore), was FILE",
        "{\"tlsTrustStore\":\"FILE\",\"tlsTrustStorePassword\":\"p\"}|cluster.tlsTrustStore must"
            + " be empty while the node has no certificate (mutual TLS needs cluster.tlsCertFile"
            + " and cluster.tlsKeyFile, or cluster.tlsKeyStore), was FILE",
        "{\"tlsCaFile\":\"FILE\",\"tlsTrustStore\":\"FILE\"}|cluster.tlsTrustStore must be empty"
            + " when cluster.tlsCaFile is set (the authorities come from a PEM file or a"
            + " truststore, not both), was FILE",
        "{\"tlsTrustStore\":\"FILE\"}|cluster.tlsTrustStorePassword must be set when"
            + " cluster.tlsTrustStore is set, was \"\"",
        "{\"tlsTrustStorePassword\":\"p\"}|cluster.tlsTrustStorePassword must be empty when"
            + " cluster.tlsTrustStore is not set, was ****",
        "{\"tlsCaFile\":\"/no/such/ca.pem\"}|cluster.tlsCaFile must be a readable file, was"
            + " /no/such/ca.pem (no such file)",
        "{\"tlsTrustStore\":\"/no/such/trust.p12\",\"tlsTrustStorePassword\":\"p\"}|"
            + "cluster.tlsTrustStore must be a readable file, was /no/such/trust.p12 (no such"
            + " file)",
        "{\"tlsCertFile\":\"FILE\",\"tlsKeyFile\":\"FILE\",\"tlsCaFile\":\"FILE\","
            + "\"allowPlaintext\":true}|cluster.allowPlaintext must be false when the event bus"
            + " speaks TLS (cluster.tlsCertFile or cluster.tlsKeyStore is set), was true",
        "{\"allowPlaintext\":\"yes\"}|cluster.allowPlaintext must be true or false, was \"yes\"",
        "{\"tlsCaFile\":7}|cluster.tlsCaFile must be a string, was 7",
        "{\"memebrs\":[]}|unknown configuration key cluster.memebrs; cluster accepts"
            + " allowPlaintext, answerTimeoutMs, configFile, enabled, eventBusPort, historyQuorum, host, members,"
            + " port, tlsCaFile, tlsCertFile, tlsKeyFile, tlsKeyStore, tlsKeyStorePassword,"
            + " tlsTrustStore, tlsTrustStorePassword",
      })
  void aBadTlsSettingNamesTheKeyTheValueAndTheRule(String section, String message) {
    String json = section.replace("FILE", file.toString());

    assertThatThrownBy(() -> parse(new JsonObject(json)))
        .isInstanceOf(ConfigException.class)
        .hasMessage(message.replace("FILE", file.toString()));
  }

  @Test
  void passwordsAreMaskedInTheLoggedConfiguration() {
    SwitchboardConfig config =
        SwitchboardConfig.fromJson(
            new JsonObject()
                .put(
                    "cluster",
                    new JsonObject()
                        .put("tlsKeyStore", file.toString())
                        .put("tlsKeyStorePassword", "key-secret-not-for-logs")
                        .put("tlsTrustStore", file.toString())
                        .put("tlsTrustStorePassword", "trust-secret-not-for-logs")));

    JsonObject logged = config.toLoggableJson().getJsonObject("cluster");

    assertThat(config.toLoggableJson().encode())
        .doesNotContain("key-secret-not-for-logs")
        .doesNotContain("trust-secret-not-for-logs");
    assertThat(logged.getString("tlsKeyStorePassword")).isEqualTo("****");
    assertThat(logged.getString("tlsTrustStorePassword")).isEqualTo("****");
    assertThat(config.toJson().getJsonObject("cluster").getString("tlsTrustStorePassword"))
        .isEqualTo("trust-secret-not-for-logs");
  }

  @Test
  void usableKeyMaterialPassesTheStartUpCheck() {
    TestCertificates certs = TestCertificates.get();
    ClusterConfig pem =
        parse(
            new JsonObject()
                .put("tlsCertFile", certs.certPem().toString())
                .put("tlsKeyFile", certs.keyPem().toString())
                .put("tlsCaFile", certs.certPem().toString()));
    ClusterConfig stores =
        parse(
            new JsonObject()
                .put("tlsKeyStore", certs.jks().toString())
                .put("tlsKeyStorePassword", certs.password())
                .put("tlsTrustStore", certs.pkcs12().toString())
                .put("tlsTrustStorePassword", certs.password()));

    TlsCheck.verifyCluster(vertx, pem.enable());
    TlsCheck.verifyCluster(vertx, stores.enable());

    assertThat(stores.trust().trustStoreType()).isEqualTo("PKCS12");
    assertThat(stores.tls().keyStoreType()).isEqualTo("JKS");
  }

  @Test
  void aWrongTrustStorePasswordStopsStartUpNamingTheKey() {
    TestCertificates certs = TestCertificates.get();
    ClusterConfig cluster =
        parse(
            new JsonObject()
                .put("tlsCertFile", certs.certPem().toString())
                .put("tlsKeyFile", certs.keyPem().toString())
                .put("tlsTrustStore", certs.pkcs12().toString())
                .put("tlsTrustStorePassword", "not-the-password"));

    assertThatThrownBy(() -> TlsCheck.verifyCluster(vertx, cluster.enable()))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith(
            "cluster.tlsTrustStorePassword must be the password of cluster.tlsTrustStore "
                + certs.pkcs12()
                + ", was ****");
  }

  @Test
  void anAuthorityFileWithoutACertificateStopsStartUpNamingTheKey() throws Exception {
    TestCertificates certs = TestCertificates.get();
    Path notPem = Files.writeString(dir.resolve("not-a-ca.pem"), "not a certificate\n");
    ClusterConfig cluster =
        parse(
            new JsonObject()
                .put("tlsCertFile", certs.certPem().toString())
                .put("tlsKeyFile", certs.keyPem().toString())
                .put("tlsCaFile", notPem.toString()));

    assertThatThrownBy(() -> TlsCheck.verifyCluster(vertx, cluster.enable()))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("cluster.tlsCaFile must be a PEM certificate chain, was " + notPem);
  }

  @Test
  void theNodesKeyIsCheckedAsTheOtherPortsKeysAre() {
    TestCertificates certs = TestCertificates.get();
    ClusterConfig cluster =
        parse(
            new JsonObject()
                .put("tlsCertFile", certs.certPem().toString())
                .put("tlsKeyFile", certs.otherKeyPem().toString())
                .put("tlsCaFile", certs.certPem().toString()));

    assertThatThrownBy(() -> TlsCheck.verifyCluster(vertx, cluster.enable()))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "cluster.tlsKeyFile must be the private key of the certificate in"
                + " cluster.tlsCertFile, was "
                + certs.otherKeyPem()
                + " (the key does not match the certificate's public key)");
  }

  private static ClusterConfig parse(JsonObject section) {
    return SwitchboardConfig.fromJson(new JsonObject().put("cluster", section)).cluster();
  }
}

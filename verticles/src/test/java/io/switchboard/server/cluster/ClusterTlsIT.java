package io.switchboard.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.switchboard.sdk.ClientOptions;
import io.switchboard.sdk.SendResult;
import io.switchboard.sdk.SwitchboardClient;
import io.switchboard.server.testing.Await;
import io.switchboard.server.testing.ClusterCertificates;
import io.switchboard.server.testing.ClusterNodes;
import io.switchboard.server.testing.ServerProcess;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two fat-jar nodes whose clustered event bus speaks mutual TLS, with certificates made at test
 * time: node 0 from PEM files and the authority's PEM certificate, node 1 from a PKCS12 keystore
 * and truststore. Then what a party without a certificate from the authority gets: a raw connection
 * to the event-bus port, and a whole node that joins Hazelcast (which has no TLS) with a
 * self-signed certificate.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterTlsIT {

  private static final ClusterCertificates CERTS = ClusterCertificates.get();

  /** The rogue node takes the third Hazelcast slot of the cluster's run. */
  private static final int ROGUE_SLOT = 2;

  private Path workDir;

  private Vertx vertx;
  private WebClient http;
  private ClusterNodes cluster;
  private int eventBusPort;
  private final List<SwitchboardClient> clients = new ArrayList<>();

  @BeforeAll
  void startCluster(@TempDir Path dir) {
    workDir = dir;
    vertx = Vertx.vertx();
    http = WebClient.create(vertx);
    eventBusPort = ClusterNodes.freePortRun(1);
    cluster =
        ClusterNodes.start(
            vertx,
            workDir,
            2,
            3,
            (node, options) -> {
              if (node == 0) {
                options
                    .env("SWITCHBOARD_CLUSTER_EVENT_BUS_PORT", String.valueOf(eventBusPort))
                    .env("SWITCHBOARD_CLUSTER_TLS_CERT_FILE", CERTS.nodeCertPem().toString())
                    .env("SWITCHBOARD_CLUSTER_TLS_KEY_FILE", CERTS.nodeKeyPem().toString())
                    .env("SWITCHBOARD_CLUSTER_TLS_CA_FILE", CERTS.caPem().toString());
              } else {
                options
                    .env("SWITCHBOARD_CLUSTER_TLS_KEY_STORE", CERTS.nodeKeyStore().toString())
                    .env("SWITCHBOARD_CLUSTER_TLS_KEY_STORE_PASSWORD", CERTS.password())
                    .env("SWITCHBOARD_CLUSTER_TLS_TRUST_STORE", CERTS.trustStore().toString())
                    .env("SWITCHBOARD_CLUSTER_TLS_TRUST_STORE_PASSWORD", CERTS.password());
              }
            });
  }

  @AfterAll
  void stopCluster() throws Exception {
    Future.join(clients.stream().map(SwitchboardClient::disconnect).toList())
        .await(20, TimeUnit.SECONDS);
    if (cluster != null) {
      cluster.close();
    }
    http.close();
    vertx.close().await(20, TimeUnit.SECONDS);
  }

  @Test
  @Order(1)
  void aMessagePublishedOnOneNodeReachesASubscriberOnTheOther() {
    assertThat(cluster.node(0).output())
        .anyMatch(line -> line.contains("cluster event bus speaks mutual TLS [host: 127.0.0.1"));
    assertThat(cluster.node(1).output())
        .anyMatch(line -> line.contains("cluster event bus speaks mutual TLS [host: 127.0.0.1"));
    List<JsonObject> onNodeZero = new CopyOnWriteArrayList<>();
    SwitchboardClient subscriber = connect(0, "alice", new CopyOnWriteArrayList<>());
    SwitchboardClient publisher = connect(1, "bob", new CopyOnWriteArrayList<>());
    Await.result(subscriber.join("chat:tls", message -> onNodeZero.add(message.frame())));
    Await.result(publisher.join("chat:tls", message -> {}));

    SendResult sent = Await.result(publisher.publish("chat:tls", new JsonObject().put("n", 1)));

    assertThat(sent.success()).isTrue();
    Await.until("the subscriber on node 0 got the message", () -> onNodeZero.size() == 1);
    assertThat(onNodeZero.get(0).getString("channel")).isEqualTo("chat:tls");
    assertThat(onNodeZero.get(0).getJsonObject("data")).isEqualTo(new JsonObject().put("n", 1));
    assertThat(cluster.nodesSeenBy(0)).hasSize(2);
    assertThat(cluster.nodesSeenBy(1)).hasSize(2);
  }

  @Test
  @Order(2)
  void theEventBusPortServesOnlyConnectionsWithACertificateFromTheAuthority() throws Exception {
    // The positive control: a node's certificate gets the event bus's answer to a ping.
    try (SSLSocket trusted = tlsSocket(CERTS.nodeKeyStore())) {
      assertThat(pingAnswer(trusted))
          .as("the answer to a ping with the node's certificate")
          .isOne();
    }

    try (SSLSocket anonymous = tlsSocket(null)) {
      assertThatThrownBy(() -> firstByteAfterHandshake(anonymous))
          .as("the TLS session of a client without a certificate")
          .isInstanceOf(SSLException.class);
    }
    try (SSLSocket rogue = tlsSocket(CERTS.rogueKeyStore())) {
      assertThatThrownBy(() -> firstByteAfterHandshake(rogue))
          .as("the TLS session of a client whose certificate the authority did not sign")
          .isInstanceOf(SSLException.class);
    }
    try (Socket plain = new Socket(InetAddress.getLoopbackAddress(), eventBusPort)) {
      plain.setSoTimeout((int) Await.TIMEOUT.toMillis());
      plain.getOutputStream().write(pingFrame());
      plain.getOutputStream().flush();
      ByteArrayOutputStream answer = new ByteArrayOutputStream();
      try {
        plain.getInputStream().transferTo(answer);
      } catch (SocketTimeoutException stillOpen) {
        throw new AssertionError("the event bus neither answered nor closed a plain TCP ping");
      } catch (IOException reset) {
        // Closed: what matters is that it ended without a pong.
      }
      byte[] got = answer.toByteArray();
      assertThat(got.length == 0 ? -1 : got[0])
          .as("the first byte a plain TCP ping got before the connection ended (1 is a pong)")
          .isNotEqualTo(1);
    }
  }

  @Test
  @Order(3)
  void aNodeWithoutACertificateFromTheAuthorityExchangesNoMessageWithTheOthers() throws Exception {
    List<JsonObject> carol = new CopyOnWriteArrayList<>();
    connect(0, "carol", carol);

    try (ServerProcess rogue = startRogue()) {
      String rogueId = selfId(rogue);
      Await.until(
          "node 0 lists the rogue member as unreachable",
          Duration.ofSeconds(30),
          () -> stateOf(cluster.get(0, "/api/nodes"), rogueId).equals("unreachable"));
      // Node 0 asked the rogue over the event bus and could not connect: the authority did not
      // sign the rogue's certificate.
      Pattern failed =
          Pattern.compile("Connecting to server " + Pattern.quote(rogueId) + " failed");
      cluster.node(0).awaitLine(failed);
      assertThat(failureLogged(cluster.node(0).output(), failed))
          .as("the failure node 0 logged with its connection to the rogue")
          .contains("SSLHandshakeException");
      JsonObject seenByRogue = adminGet(rogue, "/api/nodes");
      assertThat(stateOf(seenByRogue, cluster.nodeId(0))).isEqualTo("unreachable");
      assertThat(stateOf(seenByRogue, cluster.nodeId(1))).isEqualTo("unreachable");
      assertThat(stateOf(cluster.get(0, "/api/nodes"), cluster.nodeId(1))).isEqualTo("up");

      JsonObject fromRogue = adminBroadcast(rogue, "carol", "from the rogue");
      // The positive control, sent after the rogue's broadcast was answered: a trusted node's.
      JsonObject fromNodeOne =
          cluster.post(
              1,
              "/v1/broadcast",
              new JsonObject().put("userId", "carol").put("type", "notice").put("data", "node 1"));

      assertThat(fromRogue).isEqualTo(new JsonObject().put("success", true).put("delivered", 0));
      assertThat(fromNodeOne).isEqualTo(new JsonObject().put("success", true).put("delivered", 1));
      Await.until("carol got node 1's broadcast", () -> !carol.isEmpty());
      assertThat(carol).extracting(frame -> frame.getValue("data")).containsExactly("node 1");
    }
  }

  /** The log line matching {@code pattern} and the stack trace after it, up to the next line. */
  private static String failureLogged(List<String> output, Pattern pattern) {
    Pattern logLine = Pattern.compile("^\\d{4}-\\d{2}-\\d{2}T");
    for (int i = 0; i < output.size(); i++) {
      if (pattern.matcher(output.get(i)).find()) {
        StringBuilder failure = new StringBuilder(output.get(i));
        for (int j = i + 1; j < output.size() && !logLine.matcher(output.get(j)).find(); j++) {
          failure.append('\n').append(output.get(j));
        }
        return failure.toString();
      }
    }
    throw new AssertionError("no line matches " + pattern);
  }

  private ServerProcess startRogue() throws IOException {
    Path dir = Files.createDirectories(workDir.resolve("rogue"));
    Files.createDirectories(dir.resolve("plugins"));
    JsonArray members = new JsonArray();
    for (int slot = 0; slot <= ROGUE_SLOT; slot++) {
      members.add("127.0.0.1:" + cluster.memberPort(slot));
    }
    ServerProcess rogue =
        ServerProcess.start(
            dir,
            new ServerProcess.Options()
                .onFreeLoopbackPorts()
                .jvmArg("-Xmx256m")
                .jvmArg("-XX:TieredStopAtLevel=1")
                .arg("--cluster")
                .env("SWITCHBOARD_CLUSTER_PORT", String.valueOf(cluster.memberPort(ROGUE_SLOT)))
                .env("SWITCHBOARD_CLUSTER_MEMBERS", members.encode())
                .env("SWITCHBOARD_ROUTING_INSTANCES", "2")
                .env("SWITCHBOARD_WS_INSTANCES", "2")
                .env("SWITCHBOARD_CLUSTER_TLS_CERT_FILE", CERTS.rogueCertPem().toString())
                .env("SWITCHBOARD_CLUSTER_TLS_KEY_FILE", CERTS.rogueKeyPem().toString())
                .env("SWITCHBOARD_CLUSTER_TLS_CA_FILE", CERTS.rogueTrustPem().toString()));
    try {
      rogue.awaitStarted();
      rogue.awaitLine(Pattern.compile("switchboard joined the cluster .*members: 3\\]"));
    } catch (RuntimeException | AssertionError e) {
      rogue.close();
      throw e;
    }
    return rogue;
  }

  private SwitchboardClient connect(int node, String user, List<JsonObject> direct) {
    SwitchboardClient client =
        SwitchboardClient.create(
            vertx,
            new ClientOptions()
                .setUrl(cluster.url(node) + "?userId=" + user)
                .setHeartbeatIntervalMs(0)
                .setConnectionTimeoutMs(10_000));
    client.onMessage(
        frame -> {
          if ("message".equals(frame.getString("type")) && frame.getString("channel") == null) {
            direct.add(frame);
          }
        });
    clients.add(client);
    Await.result(client.connect());
    return client;
  }

  private JsonObject adminGet(ServerProcess node, String path) {
    return Await.result(http.get(node.adminPort(), "127.0.0.1", path).timeout(10_000).send())
        .bodyAsJsonObject();
  }

  private JsonObject adminBroadcast(ServerProcess node, String user, String data) {
    return Await.result(
            http.post(node.adminPort(), "127.0.0.1", "/v1/broadcast")
                .timeout(10_000)
                .sendJsonObject(
                    new JsonObject().put("userId", user).put("type", "notice").put("data", data)))
        .bodyAsJsonObject();
  }

  private String selfId(ServerProcess node) {
    for (Object entry : adminGet(node, "/api/nodes").getJsonArray("nodes")) {
      JsonObject description = (JsonObject) entry;
      if (description.getBoolean("self", false)) {
        return description.getString("id");
      }
    }
    throw new AssertionError("the node's /api/nodes does not list itself");
  }

  /** The state an {@code /api/nodes} answer gives a member, or "absent". */
  private static String stateOf(JsonObject nodes, String id) {
    for (Object entry : nodes.getJsonArray("nodes")) {
      JsonObject description = (JsonObject) entry;
      if (id.equals(description.getString("id"))) {
        return description.getString("state");
      }
    }
    return "absent";
  }

  /**
   * A TLS connection to node 0's event-bus port that trusts the authority and presents the key
   * entry of {@code keyStore} when asked (none when null). Not yet connected at the TLS level.
   */
  private SSLSocket tlsSocket(Path keyStore) throws Exception {
    KeyStore trusted = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(CERTS.trustStore())) {
      trusted.load(in, CERTS.password().toCharArray());
    }
    TrustManagerFactory trust =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trust.init(trusted);
    KeyManager[] keys = null;
    if (keyStore != null) {
      KeyStore own = KeyStore.getInstance("PKCS12");
      try (InputStream in = Files.newInputStream(keyStore)) {
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
        (SSLSocket)
            context.getSocketFactory().createSocket(InetAddress.getLoopbackAddress(), eventBusPort);
    socket.setSoTimeout((int) Await.TIMEOUT.toMillis());
    return socket;
  }

  /**
   * Sends the event bus's ping and reads the first byte of the answer: 1 is Vert.x's pong, -1 the
   * end of the connection.
   */
  private static int pingAnswer(SSLSocket socket) throws IOException {
    OutputStream out = socket.getOutputStream();
    out.write(pingFrame());
    out.flush();
    return socket.getInputStream().read();
  }

  /**
   * Completes the client's side of the handshake and reads, sending nothing: a server that refuses
   * the client's certificate ends the session with an alert, which the read throws as an {@link
   * SSLException} (in TLS 1.3 the client's side completes before the server has judged it).
   */
  private static int firstByteAfterHandshake(SSLSocket socket) throws IOException {
    socket.startHandshake();
    return socket.getInputStream().read();
  }

  /**
   * Vert.x 5's clustered event-bus ping as its nodes write it (ClusteredMessage's wire format):
   * length, wire version 2, system codec 1 (ping), send, address {@code __vertx_ping}, no reply
   * address, a sender, no headers, an empty body. The server answers it with the single byte 1.
   */
  private static byte[] pingFrame() {
    try {
      ByteArrayOutputStream body = new ByteArrayOutputStream();
      DataOutputStream data = new DataOutputStream(body);
      data.writeByte(2);
      data.writeByte(1);
      data.writeByte(0);
      writeString(data, "__vertx_ping");
      data.writeInt(0);
      writeString(data, "cluster-tls-it");
      data.writeInt(4);
      ByteArrayOutputStream frame = new ByteArrayOutputStream();
      DataOutputStream framed = new DataOutputStream(frame);
      framed.writeInt(body.size());
      framed.write(body.toByteArray());
      return frame.toByteArray();
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  private static void writeString(DataOutputStream out, String value) throws IOException {
    byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
    out.writeInt(bytes.length);
    out.write(bytes);
  }
}

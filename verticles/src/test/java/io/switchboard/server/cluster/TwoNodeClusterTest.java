package io.switchboard.server.cluster;

import io.switchboard.server.testing.ClusterNodes;
import io.switchboard.server.testing.WsClient;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocketClient;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two fat-jar nodes in one cluster for each test, with the channel namespaces the test class names,
 * and raw WebSocket clients of either node, closed after the test.
 */
abstract class TwoNodeClusterTest {

  @TempDir Path workDir;

  protected ClusterNodes cluster;
  private Vertx vertx;
  private WebSocketClient ws;
  private final List<WsClient> clients = new ArrayList<>();

  /** {@code channels.namespaces} of both nodes, as JSON. */
  protected abstract String namespaces();

  @BeforeEach
  void startCluster() {
    vertx = Vertx.vertx();
    ws = vertx.createWebSocketClient();
    cluster =
        ClusterNodes.start(
            vertx,
            workDir,
            2,
            2,
            (node, options) -> options.env("SWITCHBOARD_CHANNELS_NAMESPACES", namespaces()));
  }

  @AfterEach
  void stopCluster() throws Exception {
    clients.forEach(WsClient::close);
    cluster.close();
    vertx.close().await(20, TimeUnit.SECONDS);
  }

  /** A client of node {@code node}, upgrading at {@code uri} (e.g. {@code /ws?userId=bob}). */
  protected WsClient connect(int node, String uri) {
    WsClient client = WsClient.connect(ws, cluster.node(node).wsPort(), uri, null);
    clients.add(client);
    return client;
  }
}

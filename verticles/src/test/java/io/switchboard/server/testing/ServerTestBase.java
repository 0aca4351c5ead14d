package io.switchboard.server.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.protocol.Addresses;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/**
 * One real server per test class (configured by {@link #config()}), real WebSocket clients and a
 * real HTTP client for the admin API, all closed explicitly. Tests isolate themselves with {@link
 * #channel(String)} names.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class ServerTestBase {

  private static final AtomicInteger CHANNELS = new AtomicInteger();

  protected TestServer server;
  protected Vertx clientVertx;
  protected WebSocketClient wsClient;
  protected WebClient http;
  private final List<WsClient> clients = new ArrayList<>();

  /** The bearer token the admin helpers send, or null; set it with {@code admin.token}. */
  protected String adminToken;

  /** Configuration overrides for this class's server. */
  protected JsonObject config() {
    return new JsonObject();
  }

  /** Plugin instances this class's server loads. */
  protected List<io.switchboard.plugin.MessageTypePlugin> plugins() {
    return List.of();
  }

  @BeforeAll
  void startServer() {
    server = TestServer.start(config(), plugins());
    clientVertx = Vertx.vertx();
    wsClient =
        clientVertx.createWebSocketClient(
            new WebSocketClientOptions()
                .setMaxFrameSize(1024 * 1024)
                .setMaxMessageSize(1024 * 1024));
    http = WebClient.create(clientVertx, new WebClientOptions().setDefaultHost("127.0.0.1"));
  }

  /** Closes this test's clients and waits until the server has let go of them all. */
  @AfterEach
  void closeClients() {
    clients.forEach(WsClient::close);
    clients.clear();
    Await.until(
        "the server has no open connection left",
        () -> server.server().metrics().activeConnections() == 0);
  }

  @AfterAll
  void stopServer() {
    if (server != null) {
      server.close();
    }
    if (clientVertx != null) {
      Await.result(clientVertx.close());
    }
  }

  /** A channel name no other test uses. */
  protected static String channel(String base) {
    return base + "-" + CHANNELS.incrementAndGet();
  }

  protected WsClient connect() {
    return connect("/ws");
  }

  protected WsClient connect(String uri) {
    return track(WsClient.connect(wsClient, server.wsPort(), uri, null));
  }

  protected WsClient connectAs(String userId, String organizationId) {
    StringBuilder uri = new StringBuilder("/ws?");
    if (userId != null) {
      uri.append("userId=").append(userId).append('&');
    }
    if (organizationId != null) {
      uri.append("organizationId=").append(organizationId);
    }
    return connect(uri.toString());
  }

  protected WsClient track(WsClient client) {
    clients.add(client);
    return client;
  }

  /** Joins and returns the {@code subscription_confirmed} frame. */
  protected static JsonObject join(WsClient client, String channel) {
    JsonObject confirmed =
        client.request(new JsonObject().put("type", "join").put("channel", channel).put("id", "j"));
    assertThat(confirmed.getString("type"))
        .as("answer to join: %s", confirmed)
        .isEqualTo("subscription_confirmed");
    return confirmed;
  }

  /**
   * Asserts that nothing routing sent before this call reaches the client, proven by a round trip
   * through routing rather than by waiting: the client joins a channel of its own, routing
   * broadcasts a marker there, and that marker must be the next frame. Routing's output to one
   * connection instance keeps its order, so a stray delivery (or reply) already on its way would
   * arrive first. {@link WsClient#assertNothingReceived()} covers only what the server has already
   * written to the socket; this also covers what is still on the event bus.
   */
  protected void assertNothingRoutedTo(WsClient client) {
    String marker = channel("marker");
    join(client, marker);
    Await.result(
        server
            .vertx()
            .eventBus()
            .request(
                Addresses.BROADCAST,
                new JsonObject().put("channel", marker).put("type", "MARKER").put("data", marker)));
    JsonObject next = client.next();
    assertThat(next.getString("type") + " " + next.getString("event") + " " + next.getValue("data"))
        .as("the next frame after the marker's broadcast: %s", next)
        .isEqualTo("message MARKER " + marker);
  }

  protected HttpResponse<Buffer> adminGet(String path) {
    return send(http.get(server.adminPort(), "127.0.0.1", path), null);
  }

  protected HttpResponse<Buffer> adminDelete(String path) {
    return send(http.delete(server.adminPort(), "127.0.0.1", path), null);
  }

  protected HttpResponse<Buffer> adminPost(String path, String body) {
    return send(http.post(server.adminPort(), "127.0.0.1", path), body);
  }

  protected HttpResponse<Buffer> send(HttpRequest<Buffer> request, String body) {
    if (adminToken != null) {
      request.bearerTokenAuthentication(adminToken);
    }
    return Await.result(body == null ? request.send() : request.sendBuffer(Buffer.buffer(body)));
  }
}

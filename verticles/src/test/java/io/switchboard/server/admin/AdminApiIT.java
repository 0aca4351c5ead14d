package io.switchboard.server.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.server.testing.Await;
import io.switchboard.server.testing.ServerTestBase;
import io.switchboard.server.testing.WsClient;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every admin route, behind a bearer token (health routes excepted). */
class AdminApiIT extends ServerTestBase {

  private static final String TOKEN = "s3cret-admin-token";

  @Override
  protected JsonObject config() {
    adminToken = TOKEN;
    return new JsonObject().put("admin", new JsonObject().put("token", TOKEN));
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "/metrics",
        "/api/websocket/status",
        "/ws/status",
        "/api/connections",
        "/api/channels",
        "/api/connections/ws_1_1",
        "/api/channels/x",
        "/api/figures/stream",
        "/api/channels/x/tail"
      })
  void routesNeedTheBearerToken(String path) {
    HttpResponse<Buffer> none =
        Await.result(http.get(server.adminPort(), "127.0.0.1", path).send());
    HttpResponse<Buffer> wrong =
        Await.result(
            http.get(server.adminPort(), "127.0.0.1", path)
                .bearerTokenAuthentication("nope")
                .send());

    assertThat(none.statusCode()).isEqualTo(401);
    assertThat(none.getHeader("WWW-Authenticate")).startsWith("Bearer");
    assertThat(none.bodyAsJsonObject().getJsonObject("error"))
        .isEqualTo(
            new JsonObject()
                .put("code", "unauthorized")
                .put("message", "missing Authorization: Bearer <token> header"));
    assertThat(wrong.statusCode()).isEqualTo(401);
    assertThat(wrong.bodyAsJsonObject().getJsonObject("error").getString("message"))
        .isEqualTo("invalid bearer token");
  }

  @Test
  void broadcastAndDisconnectNeedTheTokenToo() {
    HttpResponse<Buffer> post =
        Await.result(
            http.post(server.adminPort(), "127.0.0.1", "/v1/broadcast")
                .sendBuffer(Buffer.buffer("{\"channel\":\"x\",\"type\":\"T\",\"data\":1}")));
    HttpResponse<Buffer> delete =
        Await.result(http.delete(server.adminPort(), "127.0.0.1", "/api/connections/x").send());

    assertThat(post.statusCode()).isEqualTo(401);
    assertThat(delete.statusCode()).isEqualTo(401);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"/health", "/health/live", "/health/ready"})
  void healthRoutesAreOpenAndUp(String path) {
    HttpResponse<Buffer> response =
        Await.result(http.get(server.adminPort(), "127.0.0.1", path).send());

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.bodyAsJsonObject().getString("status")).isEqualTo("UP");
  }

  @Test
  void healthWithoutTheTokenAnswersOnlyTheStatus() {
    connect();

    HttpResponse<Buffer> none =
        Await.result(http.get(server.adminPort(), "127.0.0.1", "/health").send());
    HttpResponse<Buffer> wrong =
        Await.result(
            http.get(server.adminPort(), "127.0.0.1", "/health")
                .bearerTokenAuthentication("nope")
                .send());

    assertThat(none.statusCode()).isEqualTo(200);
    assertThat(none.bodyAsJsonObject()).isEqualTo(new JsonObject().put("status", "UP"));
    assertThat(wrong.statusCode()).isEqualTo(200);
    assertThat(wrong.bodyAsJsonObject()).isEqualTo(new JsonObject().put("status", "UP"));
  }

  @Test
  void healthWithTheTokenHasTheWebsocketSection() {
    WsClient client = connect();

    JsonObject health = adminGet("/health").bodyAsJsonObject();

    assertThat(health.fieldNames())
        .containsExactlyInAnyOrder(
            "status", "version", "services", "cluster", "uptimeMs", "timestamp");
    assertThat(health.getString("version")).isEqualTo(System.getProperty("switchboard.version"));
    JsonObject cluster = health.getJsonObject("cluster");
    assertThat(cluster.getBoolean("enabled")).isFalse();
    assertThat(cluster.getString("state")).isEqualTo("alone");
    assertThat(cluster.getInteger("members")).isEqualTo(1);
    assertThat(client.connectionId()).startsWith("ws_" + cluster.getString("nodeId") + "_");
    JsonObject websocket = health.getJsonObject("services").getJsonObject("websocket");
    assertThat(websocket.getBoolean("healthy")).isTrue();
    assertThat(websocket.getInteger("activeConnections")).isEqualTo(1);
    assertThat(websocket.getInteger("totalConnectionsTracked")).isEqualTo(1);
    assertThat(client.isClosed()).isFalse();
  }

  @Test
  void nodesListThisNodeAloneWhenNotClustered() {
    WsClient client = connect();

    JsonObject nodes = adminGet("/api/nodes").bodyAsJsonObject();

    assertThat(nodes.getJsonArray("nodes")).hasSize(1);
    JsonObject self = nodes.getJsonArray("nodes").getJsonObject(0);
    assertThat(self.getString("state")).isEqualTo("up");
    assertThat(self.getBoolean("self")).isTrue();
    assertThat(self.getInteger("connections")).isEqualTo(1);
    assertThat(self.getString("address")).isEqualTo("ws://127.0.0.1:" + server.wsPort() + "/ws");
    assertThat(client.connectionId()).startsWith("ws_" + self.getString("id") + "_");
  }

  @Test
  void readinessListsTheChecks() {
    JsonObject ready = adminGet("/health/ready").bodyAsJsonObject();

    assertThat(ready.getJsonArray("checks"))
        .extracting(c -> ((JsonObject) c).getString("id"))
        .containsExactlyInAnyOrder("routing", "websocket");
  }

  @Test
  void metricsArePrometheusTextWithSwitchboardMeters() {
    WsClient client = connect();
    client.request(new JsonObject().put("type", "ping"));

    HttpResponse<Buffer> response = adminGet("/metrics");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.getHeader("Content-Type")).startsWith("text/plain");
    assertThat(response.bodyAsString())
        .contains("switchboard_connections_active ")
        .contains("switchboard_messages_in_total ")
        .contains("switchboard_messages_out_total ")
        .contains("switchboard_channels_active ")
        .contains("switchboard_errors_total{code=\"bad_request\"}")
        .contains("switchboard_broadcast_latency_seconds_bucket")
        .contains("jvm_memory_used_bytes")
        .contains("vertx_http_server_active_connections");
  }

  @Test
  void websocketStatusSummarisesEveryConnection() {
    String channel = channel("status");
    WsClient a = connect();
    WsClient b = track(WsClient.connect(wsClient, server.wsPort(), "/ws", "switchboard-test/1.0"));
    join(a, channel);
    join(b, channel);
    a.send(new JsonObject().put("type", "publish").put("channel", channel).put("data", 1));
    a.next("message");
    b.next("message");
    a.sendText("not json").next("error");

    JsonObject status = adminGet("/api/websocket/status").bodyAsJsonObject();

    assertThat(status.getString("status")).isEqualTo("ok");
    assertThat(status.getString("timestamp")).isNotBlank();
    JsonObject summary = status.getJsonObject("summary");
    assertThat(summary.getInteger("activeConnections")).isEqualTo(2);
    assertThat(summary.getInteger("trackedConnections")).isEqualTo(2);
    assertThat(summary.getInteger("totalBroadcasts")).isEqualTo(2);
    assertThat(summary.getInteger("totalErrors")).isEqualTo(1);
    JsonObject entryB = find(status.getJsonArray("connections"), b.connectionId());
    assertThat(entryB.getString("connectedAt")).isNotBlank();
    assertThat(entryB.getInteger("broadcastCount")).isEqualTo(1);
    assertThat(entryB.getString("lastBroadcast")).isNotBlank();
    assertThat(entryB.getInteger("errorCount")).isZero();
    assertThat(entryB.getString("lastError")).isNull();
    assertThat(entryB.getJsonObject("clientInfo"))
        .isEqualTo(
            new JsonObject().put("userAgent", "switchboard-test/1.0").put("ip", "127.0.0.1"));
    JsonObject entryA = find(status.getJsonArray("connections"), a.connectionId());
    assertThat(entryA.getString("lastError")).startsWith("bad_request: frame is not valid JSON");
  }

  @Test
  void wsStatusHasTheChannelBreakdown() {
    String channel = channel("breakdown");
    join(connect(), channel);
    join(connect(), channel);

    JsonObject stats = adminGet("/ws/status").bodyAsJsonObject().getJsonObject("stats");

    assertThat(stats.getInteger("totalClients")).isEqualTo(2);
    assertThat(stats.getInteger("totalChannels")).isEqualTo(1);
    assertThat(stats.getJsonObject("channelBreakdown")).isEqualTo(new JsonObject().put(channel, 2));
  }

  @Test
  void connectionsAreListedAndShownWithIdentityAndChannels() {
    String channel = channel("conn");
    WsClient client = connectAs("alice", "company123");
    join(client, channel);

    JsonObject list = adminGet("/api/connections").bodyAsJsonObject();
    HttpResponse<Buffer> one = adminGet("/api/connections/" + client.connectionId());

    assertThat(list.getInteger("total")).isEqualTo(1);
    assertThat(one.statusCode()).isEqualTo(200);
    JsonObject connection = one.bodyAsJsonObject();
    assertThat(connection.getString("id")).isEqualTo(client.connectionId());
    assertThat(connection.getString("userId")).isEqualTo("alice");
    assertThat(connection.getString("organizationId")).isEqualTo("company123");
    assertThat(connection.getJsonArray("channels")).isEqualTo(new JsonArray().add(channel));
    assertThat(connection.getInteger("messagesIn")).isEqualTo(1);
    assertThat(connection.getInteger("messagesOut")).isEqualTo(2);
  }

  @Test
  void unknownConnectionIs404() {
    HttpResponse<Buffer> response = adminGet("/api/connections/ws_999_1");

    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(response.bodyAsJsonObject().getJsonObject("error"))
        .isEqualTo(
            new JsonObject()
                .put("code", "connection_not_found")
                .put("message", "connection 'ws_999_1' does not exist"));
  }

  @Test
  void disconnectClosesTheClientWith4502() {
    WsClient client = connect();

    HttpResponse<Buffer> response = adminDelete("/api/connections/" + client.connectionId());

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.bodyAsJsonObject())
        .isEqualTo(
            new JsonObject()
                .put("success", true)
                .put("connectionId", client.connectionId())
                .put("closeCode", 4502));
    assertThat(client.awaitClose()).isEqualTo((short) 4502);
    assertThat(adminDelete("/api/connections/" + client.connectionId()).statusCode())
        .isEqualTo(404);
  }

  @Test
  void channelsAreListedAndShownWithTheirSubscribers() {
    String channel = channel("listed");
    WsClient a = connect();
    WsClient b = connect();
    join(a, channel);
    join(b, channel);

    JsonObject list = adminGet("/api/channels").bodyAsJsonObject();
    JsonObject one = adminGet("/api/channels/" + channel).bodyAsJsonObject();

    assertThat(list.getJsonArray("channels"))
        .contains(new JsonObject().put("name", channel).put("subscribers", 2));
    assertThat(one.getString("name")).isEqualTo(channel);
    assertThat(one.getString("owner"))
        .as("a node alone sequences every channel")
        .isEqualTo(
            adminGet("/api/nodes")
                .bodyAsJsonObject()
                .getJsonArray("nodes")
                .getJsonObject(0)
                .getString("id"));
    assertThat(one.getInteger("subscribers")).isEqualTo(2);
    assertThat(one.getJsonArray("connections"))
        .containsExactlyInAnyOrder(a.connectionId(), b.connectionId());
  }

  @Test
  void unknownChannelIs404ChannelNotFound() {
    HttpResponse<Buffer> response = adminGet("/api/channels/nowhere");

    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(response.bodyAsJsonObject().getJsonObject("error"))
        .isEqualTo(
            new JsonObject()
                .put("code", "channel_not_found")
                .put("message", "channel 'nowhere' does not exist"));
  }

  @Test
  void unknownRouteIs404AndWrongMethodIs405InTheErrorFormat() {
    HttpResponse<Buffer> missing = adminGet("/api/nothing");
    HttpResponse<Buffer> method =
        send(http.put(server.adminPort(), "127.0.0.1", "/ws/status"), "{}");

    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(missing.bodyAsJsonObject().getJsonObject("error"))
        .isEqualTo(
            new JsonObject()
                .put("code", "not_found")
                .put("message", "no such route: GET /api/nothing"));
    assertThat(method.statusCode()).isEqualTo(405);
    assertThat(method.bodyAsJsonObject().getJsonObject("error").getString("code"))
        .isEqualTo("method_not_allowed");
  }

  @Test
  void oversizeBroadcastBodyIs413() {
    String body =
        new JsonObject()
            .put("channel", "x")
            .put("type", "T")
            .put("data", "d".repeat(70_000))
            .encode();

    HttpResponse<Buffer> response = adminPost("/v1/broadcast", body);

    assertThat(response.statusCode()).isEqualTo(413);
    assertThat(response.bodyAsJsonObject().getJsonObject("error").getString("code"))
        .isEqualTo("message_too_large");
  }

  private static JsonObject find(JsonArray connections, String id) {
    return connections.stream()
        .map(JsonObject.class::cast)
        .filter(c -> id.equals(c.getString("id")))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no connection " + id + " in " + connections));
  }
}

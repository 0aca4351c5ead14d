package io.switchboard.server.connection;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.server.testing.Await;
import io.switchboard.server.testing.HttpUpgrade;
import io.switchboard.server.testing.RawWebSocket;
import io.switchboard.server.testing.ServerTestBase;
import io.switchboard.server.testing.WsClient;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ConnectionIT extends ServerTestBase {

  @Test
  void welcomeCarriesAUniqueIdTheProtocolVersionAndTheHeartbeatInterval() {
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < 10; i++) {
      Instant connecting = Instant.ofEpochMilli(System.currentTimeMillis());
      JsonObject welcome = connect().welcome();
      Instant welcomed = Instant.ofEpochMilli(System.currentTimeMillis());
      JsonObject data = welcome.getJsonObject("data");
      assertThat(data.getString("connectionId")).matches("ws_[0-9a-f]{6}_\\d+_\\d{13}");
      assertThat(data.getInteger("protocol")).isEqualTo(1);
      assertThat(data.getLong("heartbeatIntervalMs")).isEqualTo(60_000L);
      // The server and the test share one clock: the welcome was made while the test waited.
      assertThat(Instant.parse(data.getString("serverTime"))).isBetween(connecting, welcomed);
      assertThat(Instant.parse(welcome.getString("ts"))).isBetween(connecting, welcomed);
      ids.add(data.getString("connectionId"));
    }
    assertThat(ids).hasSize(10);
  }

  @Test
  void pingIsAnsweredWithPongEchoingTheId() {
    WsClient client = connect();

    JsonObject withId = client.request(new JsonObject().put("type", "ping").put("id", "p-1"));
    JsonObject withoutId = client.request(new JsonObject().put("type", "ping"));

    assertThat(withId.getString("type")).isEqualTo("pong");
    assertThat(withId.getString("id")).isEqualTo("p-1");
    assertThat(withoutId.getString("type")).isEqualTo("pong");
    assertThat(withoutId.containsKey("id")).isFalse();
  }

  @Test
  void unknownExtraFieldsAndTheTimestampAliasAreIgnored() {
    WsClient client = connect();

    JsonObject pong =
        client.request(
            new JsonObject()
                .put("type", "ping")
                .put("id", "x")
                .put("timestamp", "2024-01-15T10:30:00.000Z")
                .put("extra", new JsonObject().put("nested", true)));

    assertThat(pong.getString("type")).isEqualTo("pong");
  }

  @Test
  void identityHintsFromTheQueryAreRecorded() {
    WsClient client = connectAs("user456", "company123");

    JsonObject connection =
        adminGet("/api/connections/" + client.connectionId()).bodyAsJsonObject();

    assertThat(connection.getString("userId")).isEqualTo("user456");
    assertThat(connection.getString("organizationId")).isEqualTo("company123");
  }

  @Test
  void anOverlongIdentityHintIsRefusedBeforeTheUpgrade() throws Exception {
    HttpUpgrade.Answer answer =
        HttpUpgrade.upgrade(server.wsPort(), "/ws?userId=" + "u".repeat(201), "");

    assertThat(answer.status()).isEqualTo(400);
    assertThat(answer.error().getString("code")).isEqualTo("bad_request");
    assertThat(answer.error().getString("message"))
        .isEqualTo("query parameter 'userId' must be at most 200 characters, was 201");
    assertThat(server.server().metrics().activeConnections()).isZero();
  }

  @Test
  void otherPathsAreNotWebSocketEndpoints() {
    Throwable refused =
        Await.failure(
            wsClient.connect(
                new WebSocketConnectOptions()
                    .setHost("127.0.0.1")
                    .setPort(server.wsPort())
                    .setURI("/elsewhere")));
    HttpResponse<Buffer> plain = Await.result(http.get(server.wsPort(), "127.0.0.1", "/ws").send());

    assertThat(refused).hasMessageContaining("404");
    assertThat(plain.statusCode()).isEqualTo(426);
    assertThat(plain.bodyAsJsonObject().getJsonObject("error").getString("message"))
        .isEqualTo("this endpoint speaks WebSocket only; send an Upgrade: websocket request");
  }

  @Test
  void theSwitchboardSubprotocolIsSelectedWhenOffered() throws Exception {
    try (RawWebSocket raw =
        RawWebSocket.connect(server.wsPort(), "Sec-WebSocket-Protocol: mqtt, switchboard.v1\r\n")) {
      assertThat(raw.upgradeResponse().toLowerCase())
          .contains("sec-websocket-protocol: switchboard.v1");
      assertThat(raw.readJson().getString("type")).isEqualTo("welcome");
    }
  }

  @Test
  void aClientCloseIsCountedByCode() {
    WsClient client = connect();
    long before = server.server().metrics().closedTotal(1000);

    client.close();

    Await.until(
        "the close is counted", () -> server.server().metrics().closedTotal(1000) == before + 1);
  }
}

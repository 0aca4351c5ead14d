package io.switchboard.plugin.tck;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.server.testing.Await;
import io.switchboard.server.testing.TestServer;
import io.switchboard.server.testing.WsClient;
import io.vertx.core.Deployable;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The contract every plugin verticle's tests inherit. The verticle is deployed the way users deploy
 * it, from {@code plugins.verticles} in the configuration of a real server, and the contract checks
 * that it is deployed after the core and listed by {@code GET /api/plugins}, that it does its job
 * ({@link #verifyRunning}), and that it undeploys cleanly, leaving the core working.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
public abstract class VerticlePluginContract {

  protected TestServer server;
  protected Vertx clientVertx;
  protected WebSocketClient wsClient;

  /** The verticle under test. */
  protected abstract Class<? extends Deployable> verticleClass();

  /** The verticle's {@code config()}; empty by default. */
  protected JsonObject verticleConfig() {
    return new JsonObject();
  }

  /** Other configuration of the server it runs in (e.g. a short telemetry interval). */
  protected JsonObject serverConfig() {
    return new JsonObject();
  }

  /** Shows the verticle doing its job in the running server. */
  protected abstract void verifyRunning();

  @BeforeAll
  void startServerWithTheVerticle() {
    JsonObject config = serverConfig().copy();
    JsonObject plugins = config.getJsonObject("plugins", new JsonObject());
    plugins.put(
        "verticles",
        new JsonArray()
            .add(
                new JsonObject()
                    .put("class", verticleClass().getName())
                    .put("config", verticleConfig())));
    config.put("plugins", plugins);
    server = TestServer.start(config);
    clientVertx = Vertx.vertx();
    wsClient = clientVertx.createWebSocketClient();
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

  @Test
  @Order(1)
  void itIsDeployedAndListed() {
    JsonObject verticle = listed();

    assertThat(verticle.getString("class")).isEqualTo(verticleClass().getName());
    assertThat(verticle.getString("deploymentId")).isNotBlank();
    assertThat(server.vertx().deploymentIDs()).contains(verticle.getString("deploymentId"));
  }

  @Test
  @Order(2)
  void itDoesItsJob() {
    verifyRunning();
  }

  @Test
  @Order(3)
  void itUndeploysCleanlyAndTheCoreCarriesOn() {
    String deploymentId = listed().getString("deploymentId");

    Await.result(server.vertx().undeploy(deploymentId));

    WsClient client = WsClient.connect(wsClient, server.wsPort());
    try {
      JsonObject pong = client.request(new JsonObject().put("type", "ping"));
      assertThat(pong.getString("type")).isEqualTo("pong");
    } finally {
      client.close();
    }
  }

  private JsonObject listed() {
    WebClient http = WebClient.create(clientVertx);
    try {
      JsonArray verticles =
          Await.result(http.get(server.adminPort(), "127.0.0.1", "/api/plugins").send())
              .bodyAsJsonObject()
              .getJsonArray("verticles");
      assertThat(verticles).hasSize(1);
      return verticles.getJsonObject(0);
    } finally {
      http.close();
    }
  }
}

package io.switchboard.server.hostile;

import static io.switchboard.server.hostile.Expect.badRequest;
import static io.switchboard.server.hostile.Expect.refused;
import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.plugin.MessageTypePlugin;
import io.switchboard.plugin.PluginContext;
import io.switchboard.server.testing.Await;
import io.switchboard.server.testing.HttpUpgrade;
import io.switchboard.server.testing.TestServer;
import io.switchboard.server.testing.WsClient;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Upgrades while the server shuts down: one client holds the shutdown open with a frame a plugin
 * has not answered yet, and every row is sent meanwhile. Afterwards that client still gets its
 * answer, then {@code server_shutdown} and the close 1001.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ShuttingDownIT {

  private final Promise<Void> received = Promise.promise();
  private final Promise<Void> release = Promise.promise();
  private TestServer server;
  private Vertx clientVertx;
  private WsClient holder;
  private Future<Void> stopping;

  @BeforeAll
  void startThenStopWhileAFrameIsInFlight() {
    MessageTypePlugin held =
        new MessageTypePlugin() {
          @Override
          public String name() {
            return "held";
          }

          @Override
          public Set<String> messageTypes() {
            return Set.of("HELD");
          }

          @Override
          public Future<Void> handle(PluginContext context) {
            received.tryComplete();
            return release.future().compose(v -> context.ack());
          }
        };
    server =
        TestServer.start(
            HostileServerBase.production(
                new JsonObject()
                    // Long enough for every row: the shutdown waits for the held frame meanwhile.
                    .put("shutdown", new JsonObject().put("timeoutMs", 120_000))
                    // One instance: another, with nothing to drain, would stop listening at once
                    // and close the upgrades it is handed without an answer (see the README).
                    .put("ws", new JsonObject().put("instances", 1))),
            List.of(held));
    clientVertx = Vertx.vertx();
    WebSocketClient client = clientVertx.createWebSocketClient();
    holder = WsClient.connect(client, server.wsPort());
    holder.send(new JsonObject().put("type", "HELD").put("id", "in-flight"));
    Await.result(received.future());
    stopping = server.server().stop();
    holder.next("server_shutdown");
  }

  @AfterAll
  void releaseTheFrameAndFinishTheShutdown() {
    release.tryComplete();
    try {
      assertThat(holder.next("ack").getString("id")).isEqualTo("in-flight");
      assertThat(holder.awaitClose()).isEqualTo((short) 1001);
      Await.result(stopping);
    } finally {
      Await.result(clientVertx.close());
    }
  }

  static Stream<Arguments> duringShutdown() {
    String closing = "the server is shutting down; reconnect in a moment";
    Head valid = Head.valid();
    return Stream.of(
        Arguments.of(valid, refused(503, "unavailable", closing)),
        Arguments.of(valid.target("/ws?userId=alice"), refused(503, "unavailable", closing)),
        Arguments.of(
            valid.with("Origin", "https://evil.example.com"), refused(503, "unavailable", closing)),
        Arguments.of(
            valid.with("Sec-WebSocket-Key", "short"),
            badRequest(
                "header 'Sec-WebSocket-Key' must be 16 bytes in base64 (24 characters), was"
                    + " 'short'")),
        Arguments.of(
            valid.target("/elsewhere"),
            refused(404, "bad_request", "no such endpoint; WebSocket clients connect to /ws")));
  }

  @ParameterizedTest(name = "[{index}] {0} -> {1}")
  @MethodSource("duringShutdown")
  void anUpgradeDuringShutdownGetsItsExactAnswer(Head head, Expect expected) throws IOException {
    int port = server.wsPort();

    HttpUpgrade.Answer answer = HttpUpgrade.send(null, port, head.request(port), true);

    expected.check(answer, false);
  }
}

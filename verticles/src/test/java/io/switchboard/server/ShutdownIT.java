package io.switchboard.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.switchboard.plugin.MessageTypePlugin;
import io.switchboard.plugin.PluginContext;
import io.switchboard.server.config.ShutdownConfig;
import io.switchboard.server.testing.Await;
import io.switchboard.server.testing.RawWebSocket;
import io.switchboard.server.testing.TestServer;
import io.switchboard.server.testing.WsClient;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** Graceful shutdown, each test with a server of its own to stop. */
class ShutdownIT {

  private Vertx clientVertx;
  private WebSocketClient client;

  @BeforeEach
  void createClient() {
    clientVertx = Vertx.vertx();
    client = clientVertx.createWebSocketClient();
  }

  @AfterEach
  void closeClient() {
    Await.result(clientVertx.close());
  }

  @Test
  void everyClientGetsServerShutdownThenClose1001AndASummaryIsLogged() {
    TestServer server =
        TestServer.start(
            new JsonObject().put("shutdown", new JsonObject().put("reconnectAfterMs", 1_500)));
    List<WsClient> clients = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      WsClient c = WsClient.connect(client, server.wsPort());
      c.request(new JsonObject().put("type", "join").put("channel", "room"));
      clients.add(c);
    }
    int port = server.wsPort();
    ListAppender<ILoggingEvent> log = capture(SwitchboardServer.class);

    server.close();

    for (WsClient c : clients) {
      JsonObject notice = c.next("server_shutdown");
      assertThat(notice.getJsonObject("data"))
          .isEqualTo(
              new JsonObject()
                  .put("reason", "server shutting down")
                  .put("reconnectAfterMs", 1_500));
      assertThat(c.awaitClose()).isEqualTo((short) 1001);
    }
    assertThat(log.list)
        .extracting(ILoggingEvent::getFormattedMessage)
        .anySatisfy(
            // In: the five joins. Out: five welcomes, five confirmations, five notices.
            line ->
                assertThat(line)
                    .startsWith(
                        "switchboard stopped [connections closed: 5, messages in: 5, messages out:"
                            + " 15,"));
    Throwable refused =
        Await.failure(
            client.connect(
                new WebSocketConnectOptions()
                    .setHost("127.0.0.1")
                    .setPort(port)
                    .setURI("/ws")
                    .setAllowOriginHeader(false)));
    assertThat(refused).hasMessageContaining("Connection refused");
  }

  @Test
  void aClientThatNeverCompletesTheCloseIsCutAtTheTimeout() throws Exception {
    TestServer server =
        TestServer.start(new JsonObject().put("shutdown", new JsonObject().put("timeoutMs", 300)));
    try (RawWebSocket stubborn = RawWebSocket.connect(server.wsPort())) {
      stubborn.readJson();

      server.close();

      assertThat(stubborn.readJson().getString("type")).isEqualTo("server_shutdown");
      assertThat(stubborn.awaitClose()).isEqualTo(1001);
      // The client never answered the close frame, yet the server let go of the TCP connection.
      assertThatThrownBy(stubborn::readFrame).isInstanceOf(java.io.EOFException.class);
    }
  }

  @Test
  void whatWasAcceptedBeforeShutdownIsStillAnsweredBeforeTheClose() {
    Promise<Void> received = Promise.promise();
    Promise<Void> release = Promise.promise();
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
    TestServer server = TestServer.start(new JsonObject(), List.of(held));
    WsClient c = WsClient.connect(client, server.wsPort());
    c.send(new JsonObject().put("type", "HELD").put("id", "in-flight"));
    Await.result(received.future());

    Future<Void> stopping = server.server().stop();

    assertThat(c.next("server_shutdown").getJsonObject("data"))
        .isEqualTo(
            new JsonObject()
                .put("reason", "server shutting down")
                .put("reconnectAfterMs", ShutdownConfig.DEFAULT_RECONNECT_AFTER_MS));
    release.complete();
    assertThat(c.next("ack").getString("id")).isEqualTo("in-flight");
    assertThat(c.awaitClose()).isEqualTo((short) 1001);
    assertThat(c.unread()).as("frames after the ack").isEmpty();
    Await.result(stopping);
  }

  @Test
  void stoppingTwiceIsHarmless() {
    TestServer server = TestServer.start();
    WsClient c = WsClient.connect(client, server.wsPort());
    ListAppender<ILoggingEvent> log = capture(SwitchboardServer.class);

    server.close();
    server.close();

    assertThat(c.next("server_shutdown").getJsonObject("data").getString("reason"))
        .isEqualTo("server shutting down");
    assertThat(c.awaitClose()).isEqualTo((short) 1001);
    assertThat(c.unread()).as("frames after the one server_shutdown").isEmpty();
    assertThat(log.list)
        .extracting(ILoggingEvent::getFormattedMessage)
        .filteredOn(line -> line.startsWith("switchboard stopped"))
        .singleElement()
        // Out: the welcome and the one notice.
        .satisfies(
            line ->
                assertThat(line)
                    .startsWith(
                        "switchboard stopped [connections closed: 1, messages in: 0, messages out:"
                            + " 2,"));
    assertThat(server.server().metrics().activeConnections()).isZero();
  }

  private static ListAppender<ILoggingEvent> capture(Class<?> type) {
    Logger logger = (Logger) LoggerFactory.getLogger(type);
    ListAppender<ILoggingEvent> appender = new ListAppender<>();
    appender.start();
    logger.setLevel(Level.INFO);
    logger.addAppender(appender);
    return appender;
  }
}

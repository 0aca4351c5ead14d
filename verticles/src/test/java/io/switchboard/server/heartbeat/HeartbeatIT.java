package io.switchboard.server.heartbeat;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.switchboard.server.testing.Await;
import io.switchboard.server.testing.RawWebSocket;
import io.switchboard.server.testing.ServerTestBase;
import io.switchboard.server.testing.WsClient;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** Liveness with short intervals: pings every 100 ms, 300 ms to answer, stale after 1.5 s. */
class HeartbeatIT extends ServerTestBase {

  @Override
  protected JsonObject config() {
    return new JsonObject()
        .put(
            "heartbeat",
            new JsonObject()
                .put("intervalMs", 100)
                .put("pongTimeoutMs", 300)
                .put("staleTimeoutMs", 1_500)
                .put("statsLogIntervalMs", 100));
  }

  @Test
  void aPeerThatNeverAnswersPingsIsClosedWith4001() throws IOException {
    try (RawWebSocket silent = RawWebSocket.connect(server.wsPort())) {
      assertThat(silent.readJson().getString("type")).isEqualTo("welcome");

      int code = silent.awaitClose();

      assertThat(code).isEqualTo(4001);
    }
    Await.until("the close is counted", () -> server.server().metrics().closedTotal(4001) >= 1);
  }

  @Test
  void aClientThatAnswersPingsButSendsNothingIsClosedAsStaleWith4003() {
    WsClient idle = connect();

    short code = idle.awaitClose();

    assertThat(code).isEqualTo((short) 4003);
    assertThat(idle.closeReason()).isEqualTo("stale connection");
    assertThat(idle.pingsReceived()).as("pings answered before going stale").isGreaterThan(3);
  }

  @Test
  void aClientThatKeepsTalkingStaysConnectedPastTheStaleLimit() {
    WsClient lively = connect();
    lively.onPing(() -> lively.sendAsync(new JsonObject().put("type", "ping")));

    // 25 pings at 100 ms is about 2.5 s, well past the 1.5 s stale limit.
    Await.until("25 pings received", () -> lively.pingsReceived() >= 25 || lively.isClosed());

    assertThat(lively.isClosed()).isFalse();
  }

  @Test
  void healthStatsAreLoggedWhileClientsAreConnected() {
    Logger logger = (Logger) LoggerFactory.getLogger(HeartbeatVerticle.class);
    ListAppender<ILoggingEvent> appender = new ListAppender<>();
    appender.start();
    Level level = logger.getLevel();
    logger.setLevel(Level.INFO);
    logger.addAppender(appender);
    try {
      WsClient client = connect();
      client.onPing(() -> client.sendAsync(new JsonObject().put("type", "ping")));

      Await.until(
          "a health-stats line",
          () ->
              appender.list.stream()
                  .anyMatch(
                      e -> e.getFormattedMessage().startsWith("health stats [connections: 1,")));
    } finally {
      logger.detachAppender(appender);
      logger.setLevel(level);
    }
  }
}

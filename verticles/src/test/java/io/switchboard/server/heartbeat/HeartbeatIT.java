package io.switchboard.server.heartbeat;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.switchboard.protocol.CloseCode;
import io.switchboard.server.testing.Await;
import io.switchboard.server.testing.RawWebSocket;
import io.switchboard.server.testing.ServerTestBase;
import io.switchboard.server.testing.TestServer;
import io.switchboard.server.testing.WsClient;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Liveness with short intervals: pings every 100 ms, stale after 3 s. The pong timeout is a minute
 * here, so that a client slow to answer on a loaded machine is never closed for it, except in the
 * one test about it. Time is read from the pings themselves: each carries the server's clock at the
 * tick that sent it, and that tick checked the socket's staleness at that same time.
 */
class HeartbeatIT extends ServerTestBase {

  private static final long INTERVAL_MS = 100;
  private static final long STALE_MS = 3_000;

  @Override
  protected JsonObject config() {
    return new JsonObject()
        .put(
            "heartbeat",
            new JsonObject()
                .put("intervalMs", INTERVAL_MS)
                .put("pongTimeoutMs", 60_000)
                .put("staleTimeoutMs", STALE_MS)
                .put("statsLogIntervalMs", 100));
  }

  @Test
  void aPeerThatNeverAnswersPingsIsClosedWith4001() throws IOException {
    // A server of its own: a 300 ms pong timeout, and no stale check to race it.
    TestServer strict =
        TestServer.start(
            new JsonObject()
                .put(
                    "heartbeat",
                    new JsonObject()
                        .put("intervalMs", INTERVAL_MS)
                        .put("pongTimeoutMs", 300)
                        .put("staleTimeoutMs", 0)));
    try (RawWebSocket silent = RawWebSocket.connect(strict.wsPort())) {
      assertThat(silent.readJson().getString("type")).isEqualTo("welcome");

      List<Long> pings = new ArrayList<>();
      RawWebSocket.Frame frame = silent.readFrame();
      while (frame.opcode() == RawWebSocket.PING) {
        pings.add(ByteBuffer.wrap(frame.payload()).getLong());
        frame = silent.readFrame();
      }
      long closedBy = System.currentTimeMillis();

      assertThat(frame.opcode()).as("the frame after the pings").isEqualTo(RawWebSocket.CLOSE);
      assertThat(frame.closeCode()).isEqualTo(4001);
      assertThat(new String(frame.payload(), 2, frame.payload().length - 2, StandardCharsets.UTF_8))
          .isEqualTo(CloseCode.HEARTBEAT_TIMEOUT.reason());
      assertThat(pings).as("pings left unanswered before the close").isNotEmpty();
      assertThat(closedBy)
          .as("closed no earlier than 300 ms after the first ping")
          .isGreaterThanOrEqualTo(pings.get(0) + 300);
      Await.until("the close is counted", () -> strict.server().metrics().closedTotal(4001) == 1);
    } finally {
      strict.close();
    }
  }

  @Test
  void aClientThatAnswersPingsButSendsNothingIsClosedAsStaleWith4003() {
    long connecting = System.currentTimeMillis();
    WsClient idle = connect();
    long welcomedAt = serverTime(idle);

    short code = idle.awaitClose();
    long closedBy = System.currentTimeMillis();

    assertThat(code).isEqualTo((short) 4003);
    assertThat(idle.closeReason()).isEqualTo("stale connection");
    assertThat(idle.pingsReceived()).as("pings answered before going stale").isGreaterThan(3);
    // A tick that finds the socket stale closes it instead of pinging it: every ping it got was
    // sent within the limit, and the close came after it.
    assertThat(idle.pingPayloads())
        .as("when each ping was sent, on the server's clock")
        .allSatisfy(sentAt -> assertThat(sentAt).isLessThanOrEqualTo(welcomedAt + STALE_MS));
    assertThat(closedBy - connecting).isGreaterThanOrEqualTo(STALE_MS);
  }

  @Test
  void aClientThatKeepsTalkingStaysConnectedPastTheStaleLimit() {
    WsClient lively = connect();
    long welcomedAt = serverTime(lively);
    lively.onPing(() -> lively.sendAsync(new JsonObject().put("type", "ping")));

    // The tick that sent such a ping checked the socket at a time past the stale limit of its
    // connection: without its frames, it would have closed it instead.
    Await.until(
        "a ping sent past the stale limit",
        () ->
            lively.isClosed()
                || lively.pingPayloads().stream().anyMatch(t -> t > welcomedAt + STALE_MS));

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

  /** The server's clock when it welcomed the client, in epoch milliseconds. */
  private static long serverTime(WsClient client) {
    return Instant.parse(client.welcome().getJsonObject("data").getString("serverTime"))
        .toEpochMilli();
  }
}

package io.switchboard.server.connection;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.server.testing.Await;
import io.switchboard.server.testing.RawWebSocket;
import io.switchboard.server.testing.ServerTestBase;
import io.switchboard.server.testing.WsClient;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A client that stops reading is cut loose (4002); the others get every message. */
class SlowConsumerIT extends ServerTestBase {

  private static final int MESSAGES = 600;
  private static final String PAYLOAD = "x".repeat(32 * 1024);

  @Override
  protected JsonObject config() {
    return new JsonObject().put("ws", new JsonObject().put("maxWriteQueueBytes", 64 * 1024));
  }

  @Test
  void aClientThatStopsReadingIsClosedWith4002AndTheOthersGetEverything() throws Exception {
    String channel = channel("firehose");
    WsClient reader = connect();
    join(reader, channel);
    try (RawWebSocket stalled = RawWebSocket.connect(server.wsPort(), "", 4096)) {
      stalled.readJson(); // welcome
      stalled.sendText(new JsonObject().put("type", "join").put("channel", channel).encode());
      assertThat(stalled.readJson().getString("type")).isEqualTo("subscription_confirmed");
      long before = server.server().metrics().closedTotal(4002);
      WsClient publisher = connect();

      // From here on the stalled client reads nothing until the end.
      for (int i = 0; i < MESSAGES; i++) {
        publisher.send(
            new JsonObject()
                .put("type", "publish")
                .put("channel", channel)
                .put("data", new JsonObject().put("n", i).put("pad", PAYLOAD)));
      }

      for (int i = 0; i < MESSAGES; i++) {
        assertThat(reader.next("message").getJsonObject("data").getInteger("n")).isEqualTo(i);
      }
      Await.until(
          "the stalled client is closed as a slow consumer",
          () -> server.server().metrics().closedTotal(4002) == before + 1);
      assertThat(stalled.awaitClose()).isEqualTo(4002);
      assertThat(reader.isClosed()).isFalse();
    }
  }

  /**
   * Vert.x answers pings by itself, outside the writes the server makes: a client that floods pings
   * and reads none of the pongs is bounded by the same outbound limit (rate limiting is off here,
   * so this bound is the one that acts), and is no longer read once closed.
   */
  @Test
  void aPingFloodThatReadsNoPongIsClosedWith4002AndStopsBeingRead() throws Exception {
    String channel = channel("beside-the-flood");
    WsClient reader = connect();
    WsClient publisher = connect();
    join(reader, channel);
    long before = server.server().metrics().closedTotal(4002);
    RawWebSocket flooder = RawWebSocket.connect(server.wsPort(), "", 4096);
    byte[] payload = new byte[125];
    CompletableFuture<Long> written = new CompletableFuture<>();
    Thread flood =
        new Thread(
            () -> {
              long pings = 0;
              try {
                while (true) {
                  flooder.sendFrame(RawWebSocket.PING, true, payload);
                  pings++;
                }
              } catch (IOException e) {
                written.complete(pings);
              }
            },
            "ping-flooder");
    flood.setDaemon(true);
    flood.start();

    try {
      Await.until(
          "the ping flooder is closed as a slow consumer",
          Duration.ofSeconds(30),
          () -> server.server().metrics().closedTotal(4002) == before + 1);
      publisher.send(
          new JsonObject()
              .put("type", "publish")
              .put("channel", channel)
              .put("data", "still here"));

      assertThat(reader.next("message").getString("data")).isEqualTo("still here");
      assertThat(written.get(60, TimeUnit.SECONDS))
          .as("pings written before the server stopped reading and cut the socket")
          .isLessThan(1_000_000);
    } finally {
      flooder.close();
    }
  }
}

package io.switchboard.server.connection;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.server.testing.Await;
import io.switchboard.server.testing.RawWebSocket;
import io.switchboard.server.testing.ServerTestBase;
import io.switchboard.server.testing.WsClient;
import io.vertx.core.json.JsonObject;
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
}

package io.switchboard.server.frame;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The frames the server builds byte-wise rather than through a JSON encoder. */
class ServerFramesTest {

  @Test
  void aStampedMessageIsTheSameMessageWithItsOffsetAndEpochLast() {
    Buffer message =
        ServerFrames.message("chat:été", "NEWS", new JsonObject().put("text", "ü \"quoted\""));

    Buffer stamped = ServerFrames.stamped(message, 9_007_199_254_740_993L, "0123456789abcdef");

    JsonObject json = new JsonObject(stamped);
    assertThat(List.copyOf(json.fieldNames()))
        .containsExactly("type", "channel", "event", "data", "ts", "offset", "epoch");
    assertThat(json.getLong("offset")).isEqualTo(9_007_199_254_740_993L);
    assertThat(json.getString("epoch")).isEqualTo("0123456789abcdef");
    JsonObject original = new JsonObject(message);
    json.remove("offset");
    json.remove("epoch");
    assertThat(json).isEqualTo(original);
  }

  @Test
  void onlyAJsonObjectFrameCanBeStamped() {
    assertThatThrownBy(() -> ServerFrames.stamped(Buffer.buffer("[1]"), 1, "e"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theAckOfAPublishCarriesItsPlaceInTheStream() {
    JsonObject ack = new JsonObject(ServerFrames.ack("p1", 42, "0123456789abcdef"));

    assertThat(List.copyOf(ack.fieldNames()))
        .containsExactly("type", "id", "ts", "offset", "epoch");
    assertThat(ack.getString("type")).isEqualTo("ack");
    assertThat(ack.getLong("offset")).isEqualTo(42);
  }
}

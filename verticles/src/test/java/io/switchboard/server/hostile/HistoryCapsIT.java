package io.switchboard.server.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.server.testing.WsClient;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A client that publishes to ever new channels, or fills history with large messages, cannot make
 * the server hold unbounded channel state: beyond {@code channels.maxStreams} and {@code
 * channels.maxHistoryBytes} the streams used least recently are dropped (and start anew with a new
 * epoch), while a healthy client beside the attacker keeps publishing and receiving, its offsets
 * never skipping silently: each next message is the next offset of its epoch, or offset 1 of a new
 * epoch.
 */
class HistoryCapsIT extends HostileServerBase {

  private static final int MAX_STREAMS = 40;

  /** 256 KiB: each of the test server's 4 routing shards holds 64 KiB. */
  private static final int MAX_HISTORY_BYTES = 256 * 1024;

  @Override
  protected JsonObject overrides() {
    return new JsonObject()
        .put(
            "channels",
            new JsonObject()
                .put(
                    "namespaces",
                    new JsonObject()
                        .put(
                            "wall",
                            new JsonObject()
                                .put("join", "anyone")
                                .put("publish", "anyone")
                                .put("historySize", 10)
                                .put("historyTtlMs", 600_000)))
                .put("maxStreams", MAX_STREAMS)
                .put("maxHistoryBytes", MAX_HISTORY_BYTES));
  }

  private static JsonObject publish(String channel, Object data) {
    return new JsonObject()
        .put("type", "publish")
        .put("channel", channel)
        .put("id", "p")
        .put("data", data);
  }

  /** The next frame of this type, skipping the acks of the attacker's own earlier frames. */
  private static JsonObject nextOfType(WsClient client, String type) {
    while (true) {
      JsonObject frame = client.next();
      assertThat(frame.getString("type")).as("frame %s", frame).isNotEqualTo("error");
      if (frame.getString("type").equals(type)) {
        return frame;
      }
    }
  }

  private static JsonObject history(WsClient client, String channel) {
    JsonObject answer =
        client.request(
            new JsonObject().put("type", "history").put("channel", channel).put("id", "h"));
    assertThat(answer.getString("type")).as("answer %s", answer).isEqualTo("history");
    return answer.getJsonObject("data");
  }

  /** The control's view of its own stream: it must never skip an offset silently. */
  private static final class Stream {
    String epoch;
    long offset;
    int restarts;

    void next(JsonObject message) {
      long offset = message.getLong("offset");
      String epoch = message.getString("epoch");
      if (epoch.equals(this.epoch)) {
        assertThat(offset).as("the next offset of epoch %s", epoch).isEqualTo(this.offset + 1);
      } else {
        assertThat(offset).as("the first offset of a new epoch %s", epoch).isEqualTo(1);
        restarts++;
      }
      this.epoch = epoch;
      this.offset = offset;
    }
  }

  @Test
  void publishingToEverNewChannelsDropsTheLeastRecentStreamsAndTheControlKeepsItsOrder() {
    String control = "wall:control";
    WsClient subscriber = connect();
    WsClient controlPublisher = connect();
    join(subscriber, control);
    Stream seen = new Stream();
    List<WsClient> attackers = List.of(connect(), connect());
    List<String> acked = new ArrayList<>();
    String firstChannel = "wall:attack-first";
    JsonObject firstAck = attackers.get(0).request(publish(firstChannel, "first"));
    assertThat(firstAck.getString("type")).as("answer %s", firstAck).isEqualTo("ack");

    for (int round = 0; round < 15; round++) {
      for (int a = 0; a < attackers.size(); a++) {
        for (int i = 0; i < 10; i++) {
          String channel = "wall:attack-" + a + "-" + (round * 10 + i);
          attackers.get(a).send(publish(channel, "x".repeat(100)));
        }
      }
      JsonObject ack = controlPublisher.request(publish(control, round));
      assertThat(ack.getString("type")).as("control's answer %s", ack).isEqualTo("ack");
      JsonObject message = nextOfType(subscriber, "message");
      assertThat(message.getLong("offset")).isEqualTo(ack.getLong("offset"));
      assertThat(message.getString("epoch")).isEqualTo(ack.getString("epoch"));
      assertThat(message.getValue("data")).isEqualTo(round);
      seen.next(message);
    }
    for (WsClient attacker : attackers) {
      for (int i = 0; i < 150; i++) {
        acked.add(nextOfType(attacker, "ack").getString("epoch"));
      }
    }

    // 301 streams were started on a node that holds 40: the first attacked channel's went.
    String lastChannel = "wall:attack-1-149";
    JsonObject last = history(controlPublisher, lastChannel);
    assertThat(last.getLong("offset")).isEqualTo(1);
    assertThat(last.getJsonArray("messages")).hasSize(1);
    JsonObject first = history(controlPublisher, firstChannel);
    assertThat(first.getLong("offset")).isZero();
    assertThat(first.getString("epoch")).isNotEqualTo(firstAck.getString("epoch"));
    assertThat(first.getJsonArray("messages")).isEmpty();
    assertThat(acked).hasSize(300);
    assertControlServes();
  }

  @Test
  void largeMessagesInHistoryAreBoundedByBytesNotOnlyByCount() {
    String channel = "wall:heavy";
    WsClient attacker = connect();
    String big = "y".repeat(30_000);
    String epoch = null;
    long lastOffset = 0;
    for (int i = 0; i < 10; i++) {
      JsonObject ack = attacker.request(publish(channel, big));
      assertThat(ack.getString("type")).as("answer %s", ack).isEqualTo("ack");
      epoch = ack.getString("epoch");
      lastOffset = ack.getLong("offset");
    }

    JsonObject kept = history(attacker, channel);

    // historySize is 10, but the shard holding the channel keeps at most 64 KiB: two of them.
    assertThat(kept.getString("epoch")).isEqualTo(epoch);
    assertThat(kept.getLong("offset")).isEqualTo(lastOffset);
    List<Long> offsets = new ArrayList<>();
    kept.getJsonArray("messages").forEach(m -> offsets.add(((JsonObject) m).getLong("offset")));
    assertThat(offsets).containsExactly(lastOffset - 1, lastOffset);
    assertControlServes();
  }
}

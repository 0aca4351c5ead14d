package io.switchboard.server.routing;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.server.history.StreamPosition;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A shard's deliveries kept whole: what it passes on to this node's subscribers when a message of
 * the stream did not reach it, with the channel's owner answering what a join from the last message
 * passed on recovers.
 */
class DeliveryGapsTest {

  private final List<String> delivered = new ArrayList<>();
  private final List<StreamPosition> asked = new ArrayList<>();
  private final List<Promise<JsonObject>> answers = new ArrayList<>();
  private final DeliveryGaps gaps =
      new DeliveryGaps(
          (channel, frame, offset) ->
              delivered.add(
                  offset == 0 ? "notice" : new JsonObject(frame).getString("epoch") + ":" + offset),
          (channel, after) -> {
            asked.add(after);
            Promise<JsonObject> answer = Promise.promise();
            answers.add(answer);
            return answer.future();
          });

  private static Buffer frame(String epoch, long offset) {
    return new JsonObject()
        .put("type", "message")
        .put("channel", "c")
        .put("offset", offset)
        .put("epoch", epoch)
        .toBuffer();
  }

  private void deliver(String epoch, long offset) {
    gaps.deliver("c", frame(epoch, offset), offset);
  }

  private static JsonObject recovered(String epoch, long... offsets) {
    JsonArray replay = new JsonArray();
    for (long offset : offsets) {
      replay.add(frame(epoch, offset).toString());
    }
    return new JsonObject().put("recovered", true).put("replay", replay);
  }

  @Test
  void aMissingMessageIsFetchedAndPassedOnBeforeTheOnesAfterIt() {
    deliver("e", 1);
    deliver("e", 2);
    deliver("e", 5);
    deliver("e", 6);
    gaps.deliver("c", Buffer.buffer("{}"), 0);

    assertThat(asked).containsExactly(new StreamPosition(2, "e"));
    assertThat(delivered).as("held while the gap is filled").containsExactly("e:1", "e:2");

    answers.get(0).complete(recovered("e", 3, 4, 5, 6));

    assertThat(delivered).containsExactly("e:1", "e:2", "e:3", "e:4", "e:5", "e:6", "notice");
    deliver("e", 7);
    assertThat(delivered).endsWith("e:7");
  }

  @Test
  void aGapHistoryDoesNotCoverIsPassedOnAsItIsAndAnotherEpochIsNoGap() {
    deliver("e", 1);
    deliver("e", 4);
    answers
        .get(0)
        .complete(new JsonObject().put("recovered", false).put("replay", new JsonArray()));
    deliver("f", 1);
    deliver("g", 7);
    deliver("g", 8);

    assertThat(delivered).containsExactly("e:1", "e:4", "f:1", "g:7", "g:8");
    assertThat(asked).as("asked once: the epochs changed without a gap of their own").hasSize(1);
  }

  @Test
  void anOwnerThatDoesNotAnswerReleasesWhatWasHeld() {
    deliver("e", 1);
    deliver("e", 3);
    deliver("e", 4);
    answers.get(0).fail("no handlers");

    assertThat(delivered).containsExactly("e:1", "e:3", "e:4");
  }

  @Test
  void aFirstDeliveryOrADeliveryAfterTheChannelClosedStartsAfresh() {
    deliver("e", 5);
    gaps.closed("c");
    deliver("e", 9);

    assertThat(delivered).containsExactly("e:5", "e:9");
    assertThat(asked).isEmpty();
  }
}

package io.switchboard.sdk.impl;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.protocol.FrameCodec;
import io.switchboard.sdk.ChannelMessage;
import io.switchboard.sdk.Resync;
import io.switchboard.sdk.StreamPosition;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * How the client keeps a channel's stream whole from the frames it receives, whatever the server
 * sends: duplicates are dropped, a gap or a new epoch is reported before the message that shows it,
 * and a re-join's confirmation decides whether the stream goes on or starts again. (The server
 * never sends a gap; {@code RecoveryIT} shows the whole path against a real one.)
 */
class ChannelStreamTest {

  private final Vertx vertx = Vertx.vertx();
  private final MetricsRecorder metrics = new MetricsRecorder();
  private final Events events = new Events(vertx.getOrCreateContext(), metrics);
  private final Channels channels = new Channels(events, metrics);
  private final List<ChannelMessage> received = new ArrayList<>();
  private final List<Resync> resyncs = new ArrayList<>();
  private final List<Throwable> errors = new ArrayList<>();
  private final SubscriptionImpl room = new SubscriptionImpl("room", received::add, null);

  ChannelStreamTest() {
    events.onResync(resyncs::add);
    events.onError(errors::add);
    channels.add(room);
  }

  @AfterEach
  void close() {
    vertx.close();
  }

  @Test
  void aJoinStartsTheStreamAtItsConfirmationAndMessagesMoveItOn() {
    confirm(null, new JsonObject().put("subscribers", 2).put("offset", 7).put("epoch", "e1"));
    message(8, "e1");
    message(9, "e1");

    assertThat(room.subscribers()).isEqualTo(2);
    assertThat(room.position()).isEqualTo(new StreamPosition(9, "e1"));
    assertThat(received).extracting(ChannelMessage::data).containsExactly(8, 9);
    assertThat(resyncs).isEmpty();
  }

  @Test
  void aMessageAtOrBeforeThePositionIsADuplicateAndDropped() {
    confirm(null, new JsonObject().put("offset", 7).put("epoch", "e1"));
    message(8, "e1");
    message(8, "e1");
    message(5, "e1");
    message(9, "e1");

    assertThat(received).extracting(ChannelMessage::data).containsExactly(8, 9);
    assertThat(metrics.snapshot(0).duplicatesDropped()).isEqualTo(2);
    assertThat(resyncs).isEmpty();
  }

  @Test
  void aGapOrANewEpochIsReportedBeforeTheMessageIsPassedOn() {
    confirm(null, new JsonObject().put("offset", 7).put("epoch", "e1"));
    message(10, "e1");
    message(1, "e2");

    assertThat(resyncs)
        .containsExactly(
            new Resync(
                "room",
                new StreamPosition(7, "e1"),
                new StreamPosition(10, "e1"),
                Resync.Reason.GAP),
            new Resync(
                "room",
                new StreamPosition(10, "e1"),
                new StreamPosition(1, "e2"),
                Resync.Reason.NEW_EPOCH));
    assertThat(received).extracting(ChannelMessage::data).containsExactly(10, 1);
    assertThat(metrics.snapshot(0).resyncCount()).isEqualTo(2);
  }

  @Test
  void aRecoveredRejoinKeepsItsPositionSoThatTheReplayFollows() {
    StreamPosition since = new StreamPosition(4, "e1");
    confirm(
        since,
        new JsonObject()
            .put("subscribers", 1)
            .put("offset", 6)
            .put("epoch", "e1")
            .put("recovered", true));
    message(5, "e1");
    message(6, "e1");
    message(7, "e1");

    assertThat(received).extracting(ChannelMessage::data).containsExactly(5, 6, 7);
    assertThat(resyncs).isEmpty();
  }

  @Test
  void aRejoinThatWasNotRecoveredIsReportedAndTheStreamStartsAgainFromTheConfirmation() {
    StreamPosition since = new StreamPosition(4, "e1");
    confirm(since, new JsonObject().put("offset", 0).put("epoch", "e2").put("recovered", false));
    message(1, "e2");

    assertThat(resyncs)
        .containsExactly(
            new Resync("room", since, new StreamPosition(0, "e2"), Resync.Reason.NOT_RECOVERED));
    assertThat(received).extracting(ChannelMessage::data).containsExactly(1);
  }

  @Test
  void withoutAResyncHandlerTheBreakIsAnError() {
    events.onResync(null);
    confirm(null, new JsonObject().put("offset", 1).put("epoch", "e1"));
    message(3, "e1");

    assertThat(errors)
        .singleElement()
        .extracting(Throwable::getMessage)
        .isEqualTo(
            "channel 'room' needs a resync (GAP from StreamPosition[offset=1, epoch=e1] to"
                + " StreamPosition[offset=3, epoch=e1]) and no onResync handler is set");
  }

  @Test
  void messagesWithoutAPositionPassAndLeaveTheStreamAlone() {
    confirm(null, new JsonObject().put("offset", 1).put("epoch", "e1"));
    channels.deliver(
        FrameCodec.decode(
            new JsonObject()
                .put("type", "message")
                .put("channel", "room")
                .put("data", "to alice only")
                .encode()));
    message(2, "e1");

    assertThat(received).extracting(ChannelMessage::data).containsExactly("to alice only", 2);
    assertThat(resyncs).isEmpty();
  }

  private void confirm(StreamPosition since, JsonObject data) {
    channels.confirmed(
        room,
        FrameCodec.decode(
            new JsonObject()
                .put("type", "subscription_confirmed")
                .put("channel", "room")
                .put("data", data)
                .encode()),
        since);
  }

  private void message(long offset, String epoch) {
    channels.deliver(
        FrameCodec.decode(
            new JsonObject()
                .put("type", "message")
                .put("channel", "room")
                .put("data", (int) offset)
                .put("offset", offset)
                .put("epoch", epoch)
                .encode()));
  }
}

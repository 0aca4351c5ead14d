package io.switchboard.server.routing;

import io.switchboard.protocol.Envelope;
import io.switchboard.server.history.StreamPosition;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.function.BiFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A routing shard's deliveries of channel messages to this node's subscribers, kept whole: each
 * channel's messages are passed on in offset order, and a message missing between two of them is
 * fetched from the channel's history first. Clustered, one can go missing between nodes: the node
 * owning the channel kept it in the cluster's history and died before it reached every node; the
 * next owner continues after it, and the nodes that did not get it recover it here, so that their
 * subscribers see no gap. A gap that history no longer covers, or another epoch, is passed on as it
 * is (clients are told to resync). Used only on the shard's event loop.
 */
final class DeliveryGaps {

  private static final Logger log = LoggerFactory.getLogger(DeliveryGaps.class);

  /** At most this many deliveries of one channel wait for a gap to be filled. */
  static final int MAX_HELD = 10_000;

  /** Where a delivery goes once it is its turn. */
  @FunctionalInterface
  interface Sink {
    void deliver(String channel, Buffer frame, long offset);
  }

  private record Held(Buffer frame, long offset) {}

  /** The last message passed on of one channel, and what waits behind a gap being filled. */
  private static final class Stream {
    long offset;
    Buffer frame;
    ArrayDeque<Held> held;
    boolean closed;
  }

  private final Sink sink;
  private final BiFunction<String, StreamPosition, Future<JsonObject>> recover;
  private final Map<String, Stream> streams = new HashMap<>();

  /**
   * @param recover asks the channel's owner what a join from a position recovers: {@code
   *     {"recovered", "replay": [<frame text>...]}}
   */
  DeliveryGaps(Sink sink, BiFunction<String, StreamPosition, Future<JsonObject>> recover) {
    this.sink = sink;
    this.recover = recover;
  }

  /**
   * Passes a delivery on, or holds it until the messages before it are.
   *
   * @param offset its place in the channel's stream, 0 for a frame outside it (kept in order too)
   */
  void deliver(String channel, Buffer frame, long offset) {
    Stream stream = streams.get(channel);
    if (stream == null) {
      if (offset > 0) {
        stream = new Stream();
        stream.offset = offset;
        stream.frame = frame;
        streams.put(channel, stream);
      }
      sink.deliver(channel, frame, offset);
      return;
    }
    if (stream.held != null) {
      stream.held.addLast(new Held(frame, offset));
      if (stream.held.size() > MAX_HELD) {
        log.warn(
            "passed on {} messages of channel '{}' without the ones missing before them: too many"
                + " arrived while they were fetched",
            stream.held.size(),
            channel);
        release(channel, stream);
      }
      return;
    }
    if (offset == 0) {
      sink.deliver(channel, frame, 0);
      return;
    }
    long last = stream.offset;
    if (offset > last + 1 && sameEpoch(stream.frame, frame)) {
      fill(channel, stream, new StreamPosition(last, epochOf(frame)), frame, offset);
      return;
    }
    passOn(channel, stream, frame, offset);
  }

  /** The channel has no subscribers on this shard any more. */
  void closed(String channel) {
    Stream stream = streams.get(channel);
    if (stream == null) {
      return;
    }
    if (stream.held == null) {
      streams.remove(channel);
    } else {
      stream.closed = true;
    }
  }

  private void fill(
      String channel, Stream stream, StreamPosition after, Buffer frame, long offset) {
    stream.held = new ArrayDeque<>();
    stream.held.addLast(new Held(frame, offset));
    recover
        .apply(channel, after)
        .onComplete(
            (answer, failure) -> {
              if (stream.held == null) {
                return;
              }
              JsonArray replay =
                  failure == null && answer.getBoolean("recovered", false)
                      ? answer.getJsonArray("replay", new JsonArray())
                      : new JsonArray();
              long firstHeld = stream.held.peekFirst().offset();
              for (Object text : replay) {
                Buffer missing = Buffer.buffer((String) text);
                long missingOffset = new JsonObject(missing).getLong(Envelope.OFFSET, 0L);
                if (missingOffset > stream.offset && missingOffset < firstHeld) {
                  passOn(channel, stream, missing, missingOffset);
                }
              }
              if (stream.offset + 1 < firstHeld) {
                log.warn(
                    "could not recover messages {} to {} of channel '{}' from its history ({});"
                        + " its subscribers on this node are told of the gap by its offsets",
                    stream.offset + 1,
                    firstHeld - 1,
                    channel,
                    failure != null ? failure.getMessage() : "not covered");
              }
              release(channel, stream);
            });
  }

  /** Passes on everything held for a channel, in the order it came. */
  private void release(String channel, Stream stream) {
    ArrayDeque<Held> held = stream.held;
    stream.held = null;
    for (Held one : held) {
      if (one.offset() == 0) {
        sink.deliver(channel, one.frame(), 0);
      } else {
        passOn(channel, stream, one.frame(), one.offset());
      }
    }
    if (stream.closed) {
      streams.remove(channel);
    }
  }

  private void passOn(String channel, Stream stream, Buffer frame, long offset) {
    stream.offset = offset;
    stream.frame = frame;
    sink.deliver(channel, frame, offset);
  }

  private static boolean sameEpoch(Buffer before, Buffer now) {
    String epoch = epochOf(now);
    return epoch != null && epoch.equals(epochOf(before));
  }

  private static String epochOf(Buffer frame) {
    return new JsonObject(frame).getString(Envelope.EPOCH);
  }
}

package io.switchboard.server.routing;

import io.switchboard.protocol.Envelope;
import io.switchboard.protocol.ErrorCode;
import io.switchboard.protocol.ProtocolError;
import io.switchboard.protocol.ProtocolException;
import io.switchboard.server.config.ChannelsConfig;
import io.switchboard.server.frame.ServerFrames;
import io.switchboard.server.history.HistoryEntry;
import io.switchboard.server.history.HistoryRequest;
import io.switchboard.server.history.HistorySlice;
import io.switchboard.server.history.HistoryStore;
import io.switchboard.server.history.StoredEntry;
import io.switchboard.server.history.StreamPosition;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The streams of the channels a routing shard sequences: gives each channel message its offset and
 * epoch (stamped into the frame) and keeps it in history, decides what a join with {@code since}
 * recovers, and answers history requests. Every decision is taken on the shard's event loop at one
 * point of the channel's order, so a join's position splits the stream exactly: what is at or
 * before it is replayed (or not), what comes after reaches the new subscriber live. Used only on
 * the shard's event loop.
 */
final class ChannelStreams {

  /**
   * A message given its place in its channel's stream.
   *
   * @param frame the stamped frame to deliver, or null for a {@code duplicate}
   * @param duplicate a re-sent publish: {@code position} is where it was sequenced the first time,
   *     and it is not to be delivered again
   */
  record Sequenced(StreamPosition position, Buffer frame, boolean duplicate) {}

  private final HistoryStore store;
  private final ChannelsConfig config;
  private final PublishDedup dedup;

  /** Streams being loaded: every use of one waits on the same future, in the channel's order. */
  private final Map<String, Future<Void>> loads = new HashMap<>();

  /**
   * @param dedupCapacity how many publishes this shard remembers to answer re-sends
   * @param dedupForgotten told each time one is forgotten before its window ended
   */
  ChannelStreams(
      HistoryStore store, ChannelsConfig config, int dedupCapacity, Runnable dedupForgotten) {
    this.store = store;
    this.config = config;
    this.dedup =
        new PublishDedup(
            config.publishDedupWindowMs(),
            dedupCapacity,
            config.maxDedupEntriesPerSession(),
            dedupForgotten);
  }

  /**
   * Gives a channel message the channel's next offset, stamps it, and keeps it in history.
   *
   * @return completes once the message is in history (at once when its channel keeps none, or on a
   *     node alone): only then is it delivered and acknowledged; fails when the history refused it,
   *     and the message is then neither
   */
  Future<Sequenced> sequence(String channel, Buffer frame) {
    return sequence(channel, frame, null);
  }

  /**
   * Sequences a client publish, or recognises it as re-sent.
   *
   * @param publishKey the publisher's session and the frame's id (a publish that asked for an ack),
   *     or null
   */
  Future<Sequenced> sequence(String channel, Buffer frame, String publishKey) {
    Future<Void> loading = loaded(channel);
    return loading == null
        ? sequenceNow(channel, frame, publishKey)
        : loading.compose(ready -> sequenceNow(channel, frame, publishKey));
  }

  private Future<Sequenced> sequenceNow(String channel, Buffer frame, String publishKey) {
    long now = System.currentTimeMillis();
    PublishDedup.Key key = dedup.key(channel, publishKey);
    StreamPosition first = dedup.seen(key, now);
    if (first != null) {
      // Acknowledged again once the first is kept, if it still waits for that.
      return store.settled(channel).map(new Sequenced(first, null, true));
    }
    StreamPosition position = store.next(channel);
    Buffer stamped = ServerFrames.stamped(frame, position.offset(), position.epoch());
    Future<Void> kept =
        store.keep(
            channel,
            new HistoryEntry(position.offset(), position.epoch(), now, stamped),
            publishKey);
    dedup.remember(key, publishKey, position, now);
    if (key != null) {
      kept.onFailure(notKept -> dedup.forget(key));
    }
    return kept.map(new Sequenced(position, stamped, false));
  }

  /** Completes once every message of the channel sequenced so far is kept, or refused. */
  Future<Void> settled(String channel) {
    return store.settled(channel);
  }

  /**
   * Null when the channel's stream may be used now; else completes once it is loaded, having
   * remembered the publishes the stream's previous writer sequenced within the dedup window.
   */
  private Future<Void> loaded(String channel) {
    Future<List<StoredEntry>> loading = store.load(channel);
    if (loading == null) {
      return null;
    }
    Future<Void> pending = loads.get(channel);
    if (pending == null) {
      pending =
          loading
              .<Void>map(
                  adopted -> {
                    rememberAll(channel, adopted);
                    return null;
                  })
              .andThen(done -> loads.remove(channel));
      loads.put(channel, pending);
    }
    return pending;
  }

  private void rememberAll(String channel, List<StoredEntry> adopted) {
    long now = System.currentTimeMillis();
    for (StoredEntry stored : adopted) {
      String publishKey = stored.publishKey();
      if (publishKey != null && now - stored.entry().keptAtMs() < config.publishDedupWindowMs()) {
        HistoryEntry entry = stored.entry();
        dedup.remember(
            dedup.key(channel, publishKey),
            publishKey,
            new StreamPosition(entry.offset(), entry.epoch()),
            now);
      }
    }
  }

  /**
   * What a join answers about the stream, decided now: {@code {"offset", "epoch"}}, the position at
   * this point of the channel's order, and when the join asked to recover ({@code since}), {@code
   * "recovered"} and the frames to replay, {@code "replay": [<frame text>...]}: every message after
   * {@code since.offset} up to the position, or none when its epoch is another, it is ahead of the
   * stream, more than {@code channels.maxHistoryLimit} messages are missed, or history no longer
   * holds them all.
   */
  Future<JsonObject> join(String channel, StreamPosition since) {
    Future<Void> loading = loaded(channel);
    return loading == null
        ? joinNow(channel, since)
        : loading.compose(ready -> joinNow(channel, since));
  }

  private Future<JsonObject> joinNow(String channel, StreamPosition since) {
    return decideJoin(
        store.position(channel),
        since,
        (after, upTo) -> store.read(channel, after, upTo, config.maxHistoryLimit(), false));
  }

  /** Reads the messages of a stream's epoch after offset {@code after}, up to {@code upTo}. */
  private interface RangeReader {
    Future<HistorySlice> read(long after, long upTo);
  }

  /**
   * What a join answers when the stream stands at {@code now}: its position, and whether the
   * messages after {@code since} are recovered, read with {@code reader}.
   */
  private Future<JsonObject> decideJoin(
      StreamPosition now, StreamPosition since, RangeReader reader) {
    JsonObject answer = position(now);
    if (since == null) {
      return Future.succeededFuture(answer);
    }
    if (!recoverable(since, now) || now.offset() - since.offset() > config.maxHistoryLimit()) {
      return Future.succeededFuture(answer.put("recovered", false).put("replay", new JsonArray()));
    }
    return reader
        .read(since.offset(), now.offset())
        .map(
            slice -> {
              JsonArray replay = new JsonArray();
              if (slice.covered() || since.offset() == now.offset()) {
                slice.entries().forEach(entry -> replay.add(entry.frame().toString()));
                return answer.put("recovered", true).put("replay", replay);
              }
              return answer.put("recovered", false).put("replay", replay);
            });
  }

  /**
   * Clustered, what a join answers when the channel's owner did not (it just died, and the members
   * are changing): decided from the cluster's copy of the channel's history, whose newest entry is
   * where the stream stands (the next owner continues from there), as {@link #join} decides it;
   * null when there is no copy. An empty copy tells no position.
   */
  Future<JsonObject> joinFromCopy(String channel, StreamPosition since) {
    Future<List<HistoryEntry>> copy = store.copy(channel);
    if (copy == null) {
      return null;
    }
    return copy.compose(
        entries -> {
          if (entries.isEmpty()) {
            JsonObject unknown = new JsonObject();
            return Future.succeededFuture(
                since == null
                    ? unknown
                    : unknown.put("recovered", false).put("replay", new JsonArray()));
          }
          HistoryEntry newest = entries.get(entries.size() - 1);
          String epoch = newest.epoch();
          return decideJoin(
              new StreamPosition(newest.offset(), epoch),
              since,
              (after, upTo) -> Future.succeededFuture(range(entries, epoch, after, upTo)));
        });
  }

  /** The entries of one epoch after offset {@code after}, up to {@code upTo}, in their order. */
  private static HistorySlice range(
      List<HistoryEntry> entries, String epoch, long after, long upTo) {
    List<HistoryEntry> range = new ArrayList<>();
    for (HistoryEntry entry : entries) {
      if (entry.epoch().equals(epoch) && entry.offset() > after && entry.offset() <= upTo) {
        range.add(entry);
      }
    }
    return new HistorySlice(!range.isEmpty() && range.get(0).offset() == after + 1, range);
  }

  /**
   * A history request's answer: {@code {"channel", "offset", "epoch", "messages": [...]}}.
   *
   * @throws ProtocolException {@code history_unavailable} when {@code since} is not covered
   */
  Future<JsonObject> history(HistoryRequest request) {
    Future<Void> loading = loaded(request.channel());
    return loading == null ? historyNow(request) : loading.compose(ready -> historyNow(request));
  }

  private Future<JsonObject> historyNow(HistoryRequest request) {
    String channel = request.channel();
    StreamPosition now = store.position(channel);
    StreamPosition since = request.since();
    if (since != null && !recoverable(since, now)) {
      throw new ProtocolException(unavailable(channel, since, now));
    }
    Future<HistorySlice> read =
        since == null
            ? store.read(channel, 0, now.offset(), request.limit(), true)
            : store.read(channel, since.offset(), now.offset(), request.limit(), false);
    return read.compose(
        slice -> {
          if (since != null && !slice.covered() && since.offset() < now.offset()) {
            return Future.failedFuture(new ProtocolException(unavailable(channel, since, now)));
          }
          JsonArray messages = new JsonArray();
          slice.entries().forEach(entry -> messages.add(message(entry)));
          return Future.succeededFuture(
              new JsonObject()
                  .put("channel", channel)
                  .mergeIn(position(now))
                  .put("messages", messages));
        });
  }

  /**
   * Drops what has outlived its namespace's {@code historyTtlMs}, and forgets the publishes whose
   * dedup window has ended.
   */
  void expire() {
    long now = System.currentTimeMillis();
    store.expire(now);
    dedup.expire(now);
  }

  /** Whether a position can be recovered from: this epoch, not ahead of the stream. */
  private static boolean recoverable(StreamPosition since, StreamPosition now) {
    return since.epoch().equals(now.epoch()) && since.offset() <= now.offset();
  }

  private ProtocolError unavailable(String channel, StreamPosition since, StreamPosition now) {
    String why =
        !since.epoch().equals(now.epoch())
            ? "its epoch is not the stream's: the stream started anew"
            : since.offset() > now.offset()
                ? "it is ahead of the stream"
                : "messages after it are no longer kept ("
                    + describe(config.history(channel).size(), config.history(channel).ttlMs())
                    + ")";
    return ProtocolError.of(
        ErrorCode.HISTORY_UNAVAILABLE,
        "the history of channel '"
            + channel
            + "' does not cover offset "
            + since.offset()
            + " of epoch '"
            + since.epoch()
            + "': "
            + why
            + "; the stream is at offset "
            + now.offset()
            + " of epoch '"
            + now.epoch()
            + "'");
  }

  private static String describe(int size, long ttlMs) {
    return size == 0
        ? "the channel keeps no history"
        : "the channel keeps its last " + size + " messages for " + ttlMs + " ms";
  }

  private static JsonObject position(StreamPosition position) {
    return new JsonObject()
        .put(Envelope.OFFSET, position.offset())
        .put(Envelope.EPOCH, position.epoch());
  }

  /**
   * A kept message as a history answer lists it: {@code offset}, {@code ts}, {@code data}, and
   * {@code event} for a broadcast.
   */
  private static JsonObject message(HistoryEntry entry) {
    JsonObject frame = new JsonObject(entry.frame());
    JsonObject message =
        new JsonObject()
            .put(Envelope.OFFSET, entry.offset())
            .put(Envelope.TS, frame.getString(Envelope.TS));
    if (frame.containsKey("event")) {
      message.put("event", frame.getValue("event"));
    }
    return message.put(Envelope.DATA, frame.getValue(Envelope.DATA));
  }
}

package io.switchboard.server.history;

import io.vertx.core.Future;
import java.util.List;

/**
 * The streams of the channels one routing shard sequences: each channel's offset counter, its epoch
 * and the messages its namespace keeps. The shard that owns a channel is its one sequencing point,
 * so {@link #next} and {@link #position} are answered at once, in the channel's order; keeping and
 * reading messages return futures, so that a store shared by a cluster (a Hazelcast ringbuffer per
 * channel) can complete them once its backups hold the message.
 *
 * <p>A store is bounded: beyond its caps it drops the state of the channels used least recently,
 * whose next message then starts a new stream (a new epoch, offset 1). Used only on the shard's
 * event loop.
 */
public interface HistoryStore {

  /**
   * Where a channel's stream is now; starts a stream (a new epoch, offset 0) when the channel has
   * none, so that a client that is told this position can recover from it later.
   */
  StreamPosition position(String channel);

  /** Gives a channel's next message its place: the next offset of the stream, and its epoch. */
  StreamPosition next(String channel);

  /**
   * Keeps a sequenced message in its channel's history, if the channel's namespace keeps any.
   *
   * @param publishKey the publisher's session and the publish's id, or null
   * @return completes once the message is kept (at once when nothing is kept); until then {@link
   *     #position} stays before it, and the message is not to be delivered
   */
  Future<Void> keep(String channel, HistoryEntry entry, String publishKey);

  /**
   * Null when the channel's stream may be used now (always on a node alone); otherwise completes
   * once it may: a clustered node loads a stream it takes over from the cluster's copy first. Every
   * use of the stream waits for it; what waits on one future runs in the order it was added, so the
   * channel's order holds.
   *
   * @return completes with the entries adopted from the node that wrote the stream before (so that
   *     their publishes are remembered), empty when none were
   */
  default Future<List<StoredEntry>> load(String channel) {
    return null;
  }

  /**
   * The cluster's copy of a channel's history, oldest first, read without its owner (which may have
   * just died); null when there is none (a node alone, or a channel that keeps no history).
   */
  default Future<List<HistoryEntry>> copy(String channel) {
    return null;
  }

  /** Completes once every message of the channel sequenced so far is kept, or refused. */
  default Future<Void> settled(String channel) {
    return Future.succeededFuture();
  }

  /**
   * The messages of a channel's current epoch after offset {@code after}, up to offset {@code
   * upTo}, oldest first.
   *
   * @param limit at most this many: the oldest of the range when {@code newest} is false, the most
   *     recent when it is true
   * @return the messages of the range still kept, and whether that is all of them
   */
  Future<HistorySlice> read(String channel, long after, long upTo, int limit, boolean newest);

  /** Drops what has outlived its namespace's {@code historyTtlMs}; called now and then. */
  void expire(long nowMs);

  /** How many channels have a stream here, for tests and figures. */
  int streams();

  /** The bytes of the messages kept here. */
  long bytes();
}

package io.switchboard.server.history;

import io.vertx.core.Future;

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
   * @return completes once the message is kept (at once when nothing is kept)
   */
  Future<Void> keep(String channel, HistoryEntry entry);

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

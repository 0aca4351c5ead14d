package io.switchboard.server.history;

import io.vertx.core.Future;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * The {@link HistoryStore} of a node alone, in this JVM's memory: lost when the server stops, so a
 * restarted server's streams have new epochs.
 *
 * <p>Bounded twice: at most {@code maxStreams} channels have a stream, and the messages kept weigh
 * at most {@code maxBytes}. Beyond either, the stream used least recently (by a message, a join or
 * a read) is dropped whole, so that no channel keeps a history with a hole in it; a single stream
 * heavier than {@code maxBytes} loses its oldest messages instead.
 */
public final class InMemoryHistoryStore implements HistoryStore {

  private static final SecureRandom RANDOM = new SecureRandom();

  /** One channel's stream. */
  private static final class Stream {
    final String channel;
    final String epoch;
    final HistoryPolicy policy;
    final ArrayDeque<HistoryEntry> kept = new ArrayDeque<>();
    long offset;
    long bytes;

    Stream(String channel, String epoch, HistoryPolicy policy) {
      this.channel = channel;
      this.epoch = epoch;
      this.policy = policy;
    }
  }

  private final Function<String, HistoryPolicy> policies;
  private final int maxStreams;
  private final long maxBytes;
  private final LongSupplier clock;

  /** In access order: the first is the stream used least recently. */
  private final LinkedHashMap<String, Stream> streams = new LinkedHashMap<>(64, 0.75f, true);

  /** The streams that keep messages now, which {@link #expire} walks. */
  private final Set<Stream> keeping = new HashSet<>();

  private long bytes;

  /**
   * @param policies each channel's history options (its namespace's)
   * @param maxStreams at most this many channels have a stream, at least 1
   * @param maxBytes the messages kept weigh at most this many bytes, at least 1
   */
  public InMemoryHistoryStore(
      Function<String, HistoryPolicy> policies, int maxStreams, long maxBytes) {
    this(policies, maxStreams, maxBytes, System::currentTimeMillis);
  }

  /** As the other constructor, with the clock that ages messages (epoch milliseconds). */
  public InMemoryHistoryStore(
      Function<String, HistoryPolicy> policies, int maxStreams, long maxBytes, LongSupplier clock) {
    if (maxStreams < 1 || maxBytes < 1) {
      throw new IllegalArgumentException(
          "maxStreams and maxBytes must be at least 1, were " + maxStreams + ", " + maxBytes);
    }
    this.policies = policies;
    this.maxStreams = maxStreams;
    this.maxBytes = maxBytes;
    this.clock = clock;
  }

  @Override
  public StreamPosition position(String channel) {
    Stream stream = stream(channel);
    return new StreamPosition(stream.offset, stream.epoch);
  }

  @Override
  public StreamPosition next(String channel) {
    Stream stream = stream(channel);
    stream.offset++;
    return new StreamPosition(stream.offset, stream.epoch);
  }

  @Override
  public Future<Void> keep(String channel, HistoryEntry entry, String publishKey) {
    return keep(channel, entry);
  }

  /** Keeps a sequenced message, as {@link #keep(String, HistoryEntry, String)} does. */
  public Future<Void> keep(String channel, HistoryEntry entry) {
    Stream stream = streams.get(channel);
    if (stream == null || !stream.policy.keeps() || !stream.epoch.equals(entry.epoch())) {
      return Future.succeededFuture();
    }
    stream.kept.addLast(entry);
    weigh(stream, entry.frame().length());
    keeping.add(stream);
    while (stream.kept.size() > stream.policy.size()) {
      dropOldest(stream);
    }
    dropExpired(stream, entry.keptAtMs());
    while (bytes > maxBytes) {
      Stream eldest = streams.values().iterator().next();
      if (eldest == stream) {
        dropOldest(stream);
      } else {
        remove(eldest);
      }
    }
    return Future.succeededFuture();
  }

  @Override
  public Future<HistorySlice> read(
      String channel, long after, long upTo, int limit, boolean newest) {
    Stream stream = streams.get(channel);
    if (stream == null || upTo <= after) {
      return Future.succeededFuture(new HistorySlice(true, List.of()));
    }
    dropExpired(stream, clock.getAsLong());
    List<HistoryEntry> range = new ArrayList<>();
    for (HistoryEntry entry : stream.kept) {
      if (entry.offset() > after && entry.offset() <= upTo) {
        range.add(entry);
      }
    }
    boolean covered = !range.isEmpty() && range.get(0).offset() == after + 1;
    if (range.size() > limit) {
      range = newest ? range.subList(range.size() - limit, range.size()) : range.subList(0, limit);
    }
    return Future.succeededFuture(new HistorySlice(covered, List.copyOf(range)));
  }

  @Override
  public void expire(long nowMs) {
    for (Stream stream : new ArrayList<>(keeping)) {
      dropExpired(stream, nowMs);
    }
  }

  /** Whether the channel has a stream here. */
  public boolean has(String channel) {
    return streams.containsKey(channel);
  }

  /** How many messages the channel's stream keeps here, 0 when it has no stream. */
  public int keptCount(String channel) {
    Stream stream = streams.get(channel);
    return stream == null ? 0 : stream.kept.size();
  }

  /** The channels that have a stream here. */
  public List<String> channels() {
    return List.copyOf(streams.keySet());
  }

  /** Drops a channel's stream and what it kept; its next use starts a new one. */
  public void drop(String channel) {
    Stream stream = streams.remove(channel);
    if (stream != null) {
      forget(stream);
    }
  }

  /**
   * Takes over a stream sequenced elsewhere (by a node that owned the channel before): its epoch,
   * its last offset and the entries still kept of that epoch, oldest first, replacing any stream
   * the channel had here.
   */
  public void adopt(String channel, String epoch, long offset, List<HistoryEntry> kept) {
    drop(channel);
    Stream stream = new Stream(channel, epoch, policies.apply(channel));
    stream.offset = offset;
    streams.put(channel, stream);
    for (HistoryEntry entry : kept) {
      keep(channel, entry);
    }
    while (streams.size() > maxStreams) {
      Iterator<Map.Entry<String, Stream>> eldest = streams.entrySet().iterator();
      Stream dropped = eldest.next().getValue();
      eldest.remove();
      forget(dropped);
    }
  }

  @Override
  public int streams() {
    return streams.size();
  }

  @Override
  public long bytes() {
    return bytes;
  }

  /** A channel's stream, started when it has none; marks it as used now. */
  private Stream stream(String channel) {
    Stream stream = streams.get(channel);
    if (stream == null) {
      stream = new Stream(channel, newEpoch(), policies.apply(channel));
      streams.put(channel, stream);
      if (streams.size() > maxStreams) {
        Iterator<Map.Entry<String, Stream>> eldest = streams.entrySet().iterator();
        Stream dropped = eldest.next().getValue();
        eldest.remove();
        forget(dropped);
      }
    }
    return stream;
  }

  private void dropExpired(Stream stream, long nowMs) {
    long oldest = nowMs - stream.policy.ttlMs();
    while (!stream.kept.isEmpty() && stream.kept.peekFirst().keptAtMs() <= oldest) {
      dropOldest(stream);
    }
  }

  private void dropOldest(Stream stream) {
    HistoryEntry dropped = stream.kept.removeFirst();
    weigh(stream, -dropped.frame().length());
    if (stream.kept.isEmpty()) {
      keeping.remove(stream);
    }
  }

  private void remove(Stream stream) {
    streams.remove(stream.channel);
    forget(stream);
  }

  /** Releases what a dropped stream kept. */
  private void forget(Stream stream) {
    bytes -= stream.bytes;
    stream.bytes = 0;
    stream.kept.clear();
    keeping.remove(stream);
  }

  private void weigh(Stream stream, long delta) {
    stream.bytes += delta;
    bytes += delta;
  }

  private static String newEpoch() {
    byte[] random = new byte[8];
    RANDOM.nextBytes(random);
    return HexFormat.of().formatHex(random);
  }
}

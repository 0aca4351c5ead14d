package io.switchboard.server.history;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The in-memory streams: offsets, epochs, what history keeps, and the caps. */
class InMemoryHistoryStoreTest {

  private static final HistoryPolicy FIVE = new HistoryPolicy(5, 60_000);

  private long now = 1_000_000;

  private InMemoryHistoryStore store(int maxStreams, long maxBytes) {
    return new InMemoryHistoryStore(
        channel -> channel.startsWith("kept:") ? FIVE : HistoryPolicy.NONE,
        maxStreams,
        maxBytes,
        () -> now);
  }

  /** Sequences a message of {@code bytes} bytes and keeps it; returns its position. */
  private StreamPosition publish(InMemoryHistoryStore store, String channel, int bytes) {
    StreamPosition at = store.next(channel);
    store.keep(
        channel, new HistoryEntry(at.offset(), at.epoch(), now, Buffer.buffer(new byte[bytes])));
    return at;
  }

  private static List<Long> offsets(HistorySlice slice) {
    return slice.entries().stream().map(HistoryEntry::offset).toList();
  }

  @Test
  void aStreamStartsAtZeroAndCountsOnePerMessageInOneEpoch() {
    InMemoryHistoryStore store = store(10, 1 << 20);

    StreamPosition start = store.position("a");
    StreamPosition first = store.next("a");
    StreamPosition second = store.next("a");

    assertThat(start.offset()).isZero();
    assertThat(start.epoch()).matches("[0-9a-f]{16}");
    assertThat(first).isEqualTo(new StreamPosition(1, start.epoch()));
    assertThat(second).isEqualTo(new StreamPosition(2, start.epoch()));
    assertThat(store.next("b").offset()).isEqualTo(1);
    assertThat(store.position("b").epoch()).isNotEqualTo(start.epoch());
  }

  @Test
  void historyKeepsTheLastHistorySizeMessagesAndReadsThemByRange() {
    InMemoryHistoryStore store = store(10, 1 << 20);
    for (int i = 0; i < 8; i++) {
      publish(store, "kept:a", 10);
    }

    HistorySlice all = store.read("kept:a", 0, 8, 100, true).result();
    HistorySlice afterFive = store.read("kept:a", 5, 8, 100, false).result();
    HistorySlice newestTwo = store.read("kept:a", 0, 8, 2, true).result();
    HistorySlice oldestTwoAfterThree = store.read("kept:a", 3, 8, 2, false).result();

    assertThat(offsets(all)).containsExactly(4L, 5L, 6L, 7L, 8L);
    assertThat(all.covered()).isFalse();
    assertThat(offsets(afterFive)).containsExactly(6L, 7L, 8L);
    assertThat(afterFive.covered()).isTrue();
    assertThat(offsets(newestTwo)).containsExactly(7L, 8L);
    assertThat(offsets(oldestTwoAfterThree)).containsExactly(4L, 5L);
    assertThat(oldestTwoAfterThree.covered()).isTrue();
    assertThat(store.read("kept:a", 2, 8, 100, false).result().covered()).isFalse();
    assertThat(store.bytes()).isEqualTo(50);
  }

  @Test
  void aChannelWithoutHistoryKeepsNothingButCounts() {
    InMemoryHistoryStore store = store(10, 1 << 20);

    publish(store, "plain", 10);
    publish(store, "plain", 10);

    assertThat(store.position("plain").offset()).isEqualTo(2);
    assertThat(store.read("plain", 0, 2, 100, true).result().entries()).isEmpty();
    assertThat(store.bytes()).isZero();
  }

  @Test
  void expiredMessagesAreDropped() {
    InMemoryHistoryStore store = store(10, 1 << 20);
    publish(store, "kept:a", 10);
    now += 30_000;
    publish(store, "kept:a", 10);

    store.expire(now + 30_000);

    assertThat(offsets(store.read("kept:a", 0, 2, 100, true).result())).containsExactly(2L);
    assertThat(store.bytes()).isEqualTo(10);
  }

  @Test
  void beyondMaxStreamsTheLeastRecentlyUsedStreamStartsAnew() {
    InMemoryHistoryStore store = store(3, 1 << 20);
    StreamPosition a = publish(store, "kept:a", 10);
    publish(store, "kept:b", 10);
    publish(store, "kept:c", 10);
    publish(store, "kept:a", 10); // a is now the most recent; b the least

    publish(store, "kept:d", 10);

    assertThat(store.streams()).isEqualTo(3);
    assertThat(store.position("kept:a").epoch()).isEqualTo(a.epoch());
    assertThat(store.bytes()).isEqualTo(40);
    StreamPosition b = store.position("kept:b");
    assertThat(b.offset()).isZero();
    assertThat(store.streams()).isEqualTo(3);
  }

  @Test
  void beyondMaxBytesTheLeastRecentlyUsedStreamsGoAndALoneHeavyStreamLosesItsOldest() {
    InMemoryHistoryStore store = store(100, 100);
    StreamPosition a = publish(store, "kept:a", 40);
    publish(store, "kept:b", 40);

    publish(store, "kept:c", 40);

    assertThat(store.bytes()).isLessThanOrEqualTo(100);
    assertThat(store.position("kept:a").epoch()).isNotEqualTo(a.epoch());
    InMemoryHistoryStore lone = store(100, 100);
    for (int i = 0; i < 5; i++) {
      publish(lone, "kept:x", 30);
    }
    assertThat(offsets(lone.read("kept:x", 0, 5, 100, true).result())).containsExactly(3L, 4L, 5L);
    assertThat(lone.bytes()).isEqualTo(90);
  }

  @Test
  void aMessageOfAnEarlierEpochIsNotKept() {
    InMemoryHistoryStore store = store(1, 1 << 20);
    StreamPosition old = store.next("kept:a");
    store.next("kept:b"); // drops a's stream

    store.keep("kept:a", new HistoryEntry(old.offset(), old.epoch(), now, Buffer.buffer("x")));

    assertThat(store.bytes()).isZero();
  }
}

package io.switchboard.server.routing;

import io.switchboard.server.history.StreamPosition;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The client publishes a routing shard has sequenced recently, by channel and publish key (the
 * publisher's session and the frame's {@code id}), with the place each took in its stream: a
 * publish re-sent within {@code channels.publishDedupWindowMs} is answered with that place instead
 * of being sequenced again. At most {@code capacity} are remembered, the oldest forgotten first;
 * each is held as a 128-bit digest of its channel and key, so a remembered publish weighs the same
 * whatever the lengths of its names. Used only on the shard's event loop.
 */
final class PublishDedup {

  private record Key(long high, long low) {}

  private record Remembered(StreamPosition position, long atMs) {}

  private final long windowMs;
  private final int capacity;
  private final Runnable forgottenEarly;
  private final MessageDigest sha256;
  private final Map<Key, Remembered> recent = new LinkedHashMap<>();

  /**
   * @param forgottenEarly told each time a publish is forgotten before its window ended
   */
  PublishDedup(long windowMs, int capacity, Runnable forgottenEarly) {
    this.windowMs = windowMs;
    this.capacity = capacity;
    this.forgottenEarly = forgottenEarly;
    try {
      this.sha256 = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }

  /**
   * Where a publish re-sent within the window was sequenced the first time.
   *
   * @param publishKey the publisher's session and the frame's id, or null (never remembered)
   * @return the first place it took, or null when it is new (or remembered no longer)
   */
  StreamPosition seen(String channel, String publishKey, long nowMs) {
    if (publishKey == null || windowMs == 0) {
      return null;
    }
    Remembered remembered = recent.get(key(channel, publishKey));
    return remembered == null || nowMs - remembered.atMs >= windowMs ? null : remembered.position;
  }

  /** Remembers where a publish with a key was sequenced, forgetting the oldest beyond capacity. */
  void remember(String channel, String publishKey, StreamPosition position, long nowMs) {
    if (publishKey == null || windowMs == 0) {
      return;
    }
    Key key = key(channel, publishKey);
    // Removed first, so that insertion order stays the order of age that expire() relies on.
    recent.remove(key);
    recent.put(key, new Remembered(position, nowMs));
    if (recent.size() > capacity) {
      Iterator<Remembered> oldest = recent.values().iterator();
      oldest.next();
      oldest.remove();
      forgottenEarly.run();
    }
  }

  /** Forgets the publishes whose window has ended. */
  void expire(long nowMs) {
    Iterator<Remembered> oldestFirst = recent.values().iterator();
    while (oldestFirst.hasNext() && nowMs - oldestFirst.next().atMs >= windowMs) {
      oldestFirst.remove();
    }
  }

  /** How many publishes are remembered now. */
  int size() {
    return recent.size();
  }

  private Key key(String channel, String publishKey) {
    sha256.update(channel.getBytes(StandardCharsets.UTF_8));
    sha256.update((byte) 0);
    byte[] digest = sha256.digest(publishKey.getBytes(StandardCharsets.UTF_8));
    long high = 0;
    long low = 0;
    for (int i = 0; i < 8; i++) {
      high = high << 8 | (digest[i] & 0xff);
      low = low << 8 | (digest[i + 8] & 0xff);
    }
    return new Key(high, low);
  }
}

package io.switchboard.server.routing;

import io.switchboard.server.history.StreamPosition;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The client publishes a routing shard has sequenced recently, by channel and publish key (the
 * publisher's scope, its user and session, and the frame's {@code id}), with the place each took in
 * its stream: a publish re-sent within {@code channels.publishDedupWindowMs} is answered with that
 * place instead of being sequenced again.
 *
 * <p>Bounded twice: at most {@code capacity} publishes in all, and at most {@code perScope} of one
 * publisher's scope, the oldest forgotten first, so that one client publishing fast forgets its own
 * old publishes before anyone else's. Each is held as 128-bit digests of its channel and key and of
 * its scope, so a remembered publish weighs the same whatever the lengths of its names. Used only
 * on the shard's event loop.
 */
final class PublishDedup {

  /** A publish's digest of its channel and key, computed once per publish. */
  record Key(long high, long low) {}

  private record Remembered(StreamPosition position, long atMs, Key scope) {}

  private final long windowMs;
  private final int capacity;
  private final int perScope;
  private final Runnable forgottenEarly;
  private final MessageDigest sha256;

  /** Oldest first. */
  private final Map<Key, Remembered> recent = new LinkedHashMap<>();

  /** Each scope's remembered publishes, oldest first. */
  private final Map<Key, ArrayDeque<Key>> byScope = new HashMap<>();

  /**
   * @param capacity at most this many publishes are remembered
   * @param perScope at most this many of one publisher's scope
   * @param forgottenEarly told each time a publish is forgotten before its window ended
   */
  PublishDedup(long windowMs, int capacity, int perScope, Runnable forgottenEarly) {
    this.windowMs = windowMs;
    this.capacity = capacity;
    this.perScope = perScope;
    this.forgottenEarly = forgottenEarly;
    try {
      this.sha256 = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }

  /**
   * The digest under which a publish is remembered, for {@link #seen} and {@link #remember}.
   *
   * @param publishKey {@code <length of the scope>:<scope><id>}, or null
   * @return null when the publish is never remembered: no key, or dedup off
   */
  Key key(String channel, String publishKey) {
    return publishKey == null || windowMs == 0 ? null : digest(channel, publishKey);
  }

  /**
   * Where a publish re-sent within the window was sequenced the first time.
   *
   * @param key its {@link #key}, or null
   * @return the first place it took, or null when it is new (or remembered no longer)
   */
  StreamPosition seen(Key key, long nowMs) {
    if (key == null) {
      return null;
    }
    Remembered remembered = recent.get(key);
    return remembered == null || nowMs - remembered.atMs >= windowMs ? null : remembered.position;
  }

  /**
   * Remembers where a publish was sequenced, forgetting the oldest beyond the caps.
   *
   * @param key its {@link #key}, or null (nothing to remember)
   */
  void remember(Key key, String publishKey, StreamPosition position, long nowMs) {
    if (key == null) {
      return;
    }
    Key scope = digest("", scopeOf(publishKey));
    // Removed first, so that insertion order stays the order of age that expire() relies on.
    forget(key);
    recent.put(key, new Remembered(position, nowMs, scope));
    ArrayDeque<Key> mine = byScope.computeIfAbsent(scope, s -> new ArrayDeque<>());
    mine.addLast(key);
    if (mine.size() > perScope) {
      forget(mine.peekFirst());
      forgottenEarly.run();
    }
    if (recent.size() > capacity) {
      forget(recent.keySet().iterator().next());
      forgottenEarly.run();
    }
  }

  /** Forgets the publishes whose window has ended. */
  void expire(long nowMs) {
    Iterator<Map.Entry<Key, Remembered>> oldestFirst = recent.entrySet().iterator();
    while (oldestFirst.hasNext()) {
      Map.Entry<Key, Remembered> oldest = oldestFirst.next();
      if (nowMs - oldest.getValue().atMs < windowMs) {
        return;
      }
      oldestFirst.remove();
      leaveScope(oldest.getValue().scope, oldest.getKey());
    }
  }

  /** How many publishes are remembered now. */
  int size() {
    return recent.size();
  }

  /** Forgets a publish: one that was sequenced but not kept, so that its re-send is taken anew. */
  void forget(Key key) {
    if (key == null) {
      return;
    }
    Remembered remembered = recent.remove(key);
    if (remembered != null) {
      leaveScope(remembered.scope, key);
    }
  }

  private void leaveScope(Key scope, Key key) {
    ArrayDeque<Key> keys = byScope.get(scope);
    if (keys == null) {
      return;
    }
    // The oldest of its scope, but for a publish remembered again after its window ended.
    if (!key.equals(keys.peekFirst())) {
      keys.remove(key);
    } else {
      keys.pollFirst();
    }
    if (keys.isEmpty()) {
      byScope.remove(scope);
    }
  }

  /** The scope part of {@code <length of the scope>:<scope><id>}. */
  static String scopeOf(String publishKey) {
    int colon = publishKey.indexOf(':');
    int length = Integer.parseInt(publishKey, 0, colon, 10);
    return publishKey.substring(colon + 1, colon + 1 + length);
  }

  private Key digest(String channel, String publishKey) {
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

package io.switchboard.sdk.impl;

import io.switchboard.sdk.MessageQueue;
import io.vertx.core.Handler;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * {@link MessageQueue} on a sorted set of waiting messages (highest priority, then oldest, first)
 * and an index by id. A failed message goes back into the set under its original sequence number,
 * which puts it back in its original place.
 */
public final class MessageQueueImpl<T> implements MessageQueue<T> {

  private static final Comparator<Item<?>> ORDER =
      Comparator.<Item<?>>comparingInt(item -> item.priority)
          .reversed()
          .thenComparingLong(item -> item.sequence);

  private final int maxSize;
  private final int maxRetries;
  private final Map<String, Item<T>> items = new HashMap<>();
  private final TreeSet<Item<T>> waiting = new TreeSet<>(ORDER);
  private long nextSequence;
  private Handler<Entry<T>> failedHandler;

  private static final class Item<T> {
    final String id;
    final T data;
    final int priority;
    final long sequence;
    int failures;
    boolean inFlight;

    Item(String id, T data, int priority, long sequence) {
      this.id = id;
      this.data = data;
      this.priority = priority;
      this.sequence = sequence;
    }

    Entry<T> entry() {
      return new Entry<>(id, data, priority, failures);
    }
  }

  public MessageQueueImpl(int maxSize, int maxRetries) {
    if (maxSize < 1) {
      throw new IllegalArgumentException("maxSize must be >= 1, was " + maxSize);
    }
    if (maxRetries < 0) {
      throw new IllegalArgumentException("maxRetries must be >= 0, was " + maxRetries);
    }
    this.maxSize = maxSize;
    this.maxRetries = maxRetries;
  }

  @Override
  public String enqueue(T data, int priority) {
    if (isFull()) {
      throw new IllegalStateException(Reasons.queueFull(maxSize));
    }
    long sequence = nextSequence++;
    Item<T> item = new Item<>(Long.toString(sequence), data, priority, sequence);
    items.put(item.id, item);
    waiting.add(item);
    return item.id;
  }

  @Override
  public Entry<T> dequeue() {
    Item<T> item = waiting.pollFirst();
    if (item == null) {
      return null;
    }
    item.inFlight = true;
    return item.entry();
  }

  @Override
  public boolean remove(String id) {
    Item<T> item = items.remove(id);
    if (item == null) {
      return false;
    }
    if (!item.inFlight) {
      waiting.remove(item);
    }
    return true;
  }

  @Override
  public boolean markFailed(String id) {
    Item<T> item = items.get(id);
    if (item == null || !item.inFlight) {
      return false;
    }
    item.inFlight = false;
    item.failures++;
    if (item.failures > maxRetries) {
      items.remove(id);
      Handler<Entry<T>> handler = failedHandler;
      if (handler != null) {
        handler.handle(item.entry());
      }
      return false;
    }
    waiting.add(item);
    return true;
  }

  @Override
  public MessageQueue<T> failedHandler(Handler<Entry<T>> handler) {
    this.failedHandler = handler;
    return this;
  }

  @Override
  public List<T> clear() {
    List<Item<T>> all = new ArrayList<>(items.values());
    all.sort(ORDER);
    items.clear();
    waiting.clear();
    List<T> data = new ArrayList<>(all.size());
    all.forEach(item -> data.add(item.data));
    return Collections.unmodifiableList(data);
  }

  @Override
  public int size() {
    return items.size();
  }

  @Override
  public boolean isEmpty() {
    return items.isEmpty();
  }

  @Override
  public boolean isFull() {
    return items.size() >= maxSize;
  }

  @Override
  public int maxSize() {
    return maxSize;
  }
}

package io.switchboard.sdk;

import io.switchboard.sdk.impl.MessageQueueImpl;
import io.vertx.core.Handler;
import java.util.List;

/**
 * A bounded store-and-forward queue with priorities and per-message retries: messages wait here
 * while there is no connection, and are taken out one at a time to be sent. {@link
 * SwitchboardClient} keeps what is sent while connecting or reconnecting in one; applications that
 * forward messages themselves can use it directly:
 *
 * <pre>{@code
 * MessageQueue<JsonObject> queue = MessageQueue.create(1000, 5);
 * queue.enqueue(message, 1);
 * MessageQueue.Entry<JsonObject> next;
 * while ((next = queue.dequeue()) != null) {
 *   String id = next.id();
 *   client.send(next.data()).onSuccess(r -> {
 *     if (r.success()) queue.remove(id); else queue.markFailed(id);
 *   });
 * }
 * }</pre>
 *
 * <p>Order: the highest priority first, and among equal priorities the oldest first. {@link
 * #dequeue()} hands a message out and keeps it, in flight, until {@link #remove} (it was sent) or
 * {@link #markFailed} (it was not); in-flight messages count towards the size and are not handed
 * out again. A message that failed goes back to waiting, in its original place, until it has failed
 * {@code maxRetries + 1} times; then it is dropped and reported to the {@link #failedHandler}.
 *
 * <p>Not thread-safe: use it from one thread or Vert.x context, as the client does.
 *
 * @param <T> the type of the messages
 */
public interface MessageQueue<T> {

  /**
   * A new empty queue.
   *
   * @param maxSize how many messages it holds at most, in flight included; at least 1
   * @param maxRetries how many times a message may be handed out again after failing; 0 means a
   *     failed message is reported at once
   * @throws IllegalArgumentException when a bound is out of range
   */
  static <T> MessageQueue<T> create(int maxSize, int maxRetries) {
    return new MessageQueueImpl<>(maxSize, maxRetries);
  }

  /**
   * A message in the queue.
   *
   * @param id unique within the queue, assigned by {@link #enqueue}
   * @param data the message
   * @param priority higher goes first
   * @param failures how many times it was {@link #markFailed marked failed} so far
   */
  record Entry<T>(String id, T data, int priority, int failures) {}

  /**
   * Adds a message behind the others of the same priority.
   *
   * @return the message's id, for {@link #remove} and {@link #markFailed}
   * @throws IllegalStateException {@code Message queue full (N messages)} when {@link #isFull()}
   */
  String enqueue(T data, int priority);

  /**
   * Hands out the next waiting message and keeps it in flight.
   *
   * @return the message, or null when none is waiting
   */
  Entry<T> dequeue();

  /**
   * Forgets a message, waiting or in flight: it was delivered, or is no longer wanted.
   *
   * @return whether the queue held it
   */
  boolean remove(String id);

  /**
   * Records that sending an in-flight message failed. It waits again, ahead of younger messages of
   * its priority, unless this was its {@code maxRetries + 1}-th failure: then it is removed and
   * passed to the {@link #failedHandler}.
   *
   * @return true if it will be handed out again, false if it was dropped (or is not in flight)
   */
  boolean markFailed(String id);

  /** Sets the handler of messages dropped after their last retry (replacing any previous one). */
  MessageQueue<T> failedHandler(Handler<Entry<T>> handler);

  /** Removes every message, waiting and in flight, and answers their data in queue order. */
  List<T> clear();

  /** Messages held, waiting and in flight. */
  int size();

  /** Whether it holds no message at all. */
  boolean isEmpty();

  /** Whether {@link #enqueue} would refuse a message. */
  boolean isFull();

  /** The bound given to {@link #create}. */
  int maxSize();
}

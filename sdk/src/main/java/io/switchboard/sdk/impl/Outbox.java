package io.switchboard.sdk.impl;

import io.switchboard.sdk.MessageQueue;
import io.switchboard.sdk.SendResult;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Frames on their way to the server: written at once to an open connection, or queued in a {@link
 * MessageQueue} while there is none. Frames queued together form a <em>group</em> with exactly one
 * open listener and one timer, whatever its size: the listener flushes the whole group, in order,
 * when the next connection opens; the timer fails the whole group if that takes too long. Either
 * way the other one is removed, so nothing stays registered. A new group starts with the next frame
 * queued after a group was flushed or failed.
 *
 * <p>Used on the client's context only.
 */
final class Outbox {

  /** What a frame's sender learns once: whether it was written, and the send-result reason. */
  interface Written {
    void done(boolean written, String reason);

    /**
     * The socket refused the write: its connection is going away. A sender that can write the frame
     * again on the next connection (a publish, which the server recognises when re-sent) overrides
     * this; by default it is a failed send.
     */
    default void socketFailed(String reason) {
      done(false, reason);
    }
  }

  private record Outbound(JsonObject frame, Written callback) {}

  private final Vertx vertx;
  private final MessageQueue<Outbound> queue;
  private final List<Handler<Connection>> openListeners = new ArrayList<>();
  private final Set<Long> timers = new HashSet<>();
  private Group group;
  private volatile int depth;

  /** One group: its members' queue ids in order, its open listener and its timer. */
  private final class Group {
    final Map<String, Outbound> members = new LinkedHashMap<>();
    final long timeoutMs;
    final Handler<Connection> openListener = this::flush;
    final long timer;

    Group(long timeoutMs) {
      this.timeoutMs = timeoutMs;
      openListeners.add(openListener);
      this.timer = vertx.setTimer(timeoutMs, this::timedOut);
      timers.add(timer);
    }

    /** Detaches the group: afterwards new frames start another one. */
    void close() {
      openListeners.remove(openListener);
      if (timers.remove(timer)) {
        vertx.cancelTimer(timer);
      }
      if (group == this) {
        group = null;
      }
    }

    void timedOut(long timerId) {
      timers.remove(timerId);
      fail(Reasons.openTimeout(timeoutMs));
    }

    void fail(String reason) {
      close();
      for (Map.Entry<String, Outbound> member : members.entrySet()) {
        queue.remove(member.getKey());
      }
      updateDepth();
      members.values().forEach(outbound -> outbound.callback.done(false, reason));
    }

    void flush(Connection connection) {
      close();
      List<String> ids = new ArrayList<>();
      List<Outbound> frames = new ArrayList<>();
      List<Future<Void>> writes = new ArrayList<>();
      for (MessageQueue.Entry<Outbound> next = queue.dequeue();
          next != null;
          next = queue.dequeue()) {
        ids.add(next.id());
        frames.add(next.data());
        writes.add(encodeAndWrite(connection, next.data().frame));
      }
      Future.join(writes)
          .onComplete(
              all -> {
                int written = 0;
                for (int i = 0; i < ids.size(); i++) {
                  if (writes.get(i).succeeded()) {
                    queue.remove(ids.get(i));
                    written++;
                  } else {
                    queue.markFailed(ids.get(i));
                  }
                }
                updateDepth();
                String reason =
                    written == ids.size()
                        ? Reasons.flushed(ids.size())
                        : Reasons.partiallyFlushed(written, ids.size());
                for (int i = 0; i < ids.size(); i++) {
                  Future<Void> write = writes.get(i);
                  if (write.failed() && !(write.cause() instanceof EncodeFailure)) {
                    frames.get(i).callback.socketFailed(reason);
                  } else {
                    frames.get(i).callback.done(write.succeeded(), reason);
                  }
                }
              });
    }
  }

  /**
   * @param maxQueued how many frames may wait for a connection
   */
  Outbox(Vertx vertx, int maxQueued) {
    this.vertx = vertx;
    // No retries: a message that could not be written is reported at once; sending it again later
    // behind the application's back could deliver it twice.
    this.queue = MessageQueue.create(maxQueued, 0);
  }

  /** Writes a frame to an open connection; the callback learns the outcome. */
  void write(Connection connection, JsonObject frame, Written callback) {
    encodeAndWrite(connection, frame)
        .onComplete(
            (done, failure) -> {
              if (failure == null) {
                callback.done(true, SendResult.SENT);
              } else if (failure instanceof EncodeFailure) {
                callback.done(false, failure.getMessage());
              } else {
                callback.socketFailed(Reasons.writeFailed(failure));
              }
            });
  }

  /**
   * Queues a frame in the current group, starting a group (its listener and its timer, with this
   * frame's timeout) if there is none.
   *
   * @return the frame's queue id, for {@link #cancel}; null when the queue was full (the callback
   *     has then been told)
   */
  String enqueue(JsonObject frame, long timeoutMs, Written callback) {
    if (queue.isFull()) {
      callback.done(false, Reasons.queueFull(queue.maxSize()));
      return null;
    }
    Outbound outbound = new Outbound(frame, callback);
    String id = queue.enqueue(outbound, 0);
    if (group == null) {
      group = new Group(timeoutMs);
    }
    group.members.put(id, outbound);
    updateDepth();
    return id;
  }

  /** Drops a queued frame without telling its sender; answers whether it was still queued. */
  boolean cancel(String id) {
    if (group == null || group.members.remove(id) == null) {
      return false;
    }
    queue.remove(id);
    updateDepth();
    return true;
  }

  /** A connection opened: the waiting group, if any, is flushed to it. */
  void opened(Connection connection) {
    List<Handler<Connection>> listeners = new ArrayList<>(openListeners);
    openListeners.clear();
    listeners.forEach(listener -> listener.handle(connection));
  }

  /** Fails the waiting group with this reason (the client is closing or has failed). */
  void failAll(String reason) {
    if (group != null) {
      group.fail(reason);
    }
  }

  /** Frames queued and not yet written. */
  int depth() {
    return depth;
  }

  /** Open listeners currently registered: 1 while a group waits, else 0. */
  int openListenerCount() {
    return openListeners.size();
  }

  /** Ids of the group timers currently pending: 1 while a group waits, else none. */
  Set<Long> pendingTimers() {
    return Collections.unmodifiableSet(new HashSet<>(timers));
  }

  private void updateDepth() {
    depth = queue.size();
  }

  private static Future<Void> encodeAndWrite(Connection connection, JsonObject frame) {
    String text;
    try {
      text = frame.encode();
    } catch (RuntimeException e) {
      return Future.failedFuture(new EncodeFailure(Reasons.notEncodable(e)));
    }
    return connection.write(text);
  }

  /** A frame that could not be encoded; its message is the send-result reason. */
  private static final class EncodeFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    EncodeFailure(String message) {
      super(message, null, false, false);
    }
  }
}

package io.switchboard.sdk.impl;

import io.switchboard.protocol.Envelope;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Requests waiting for the server's answer by correlation id: publishes for their {@code ack},
 * joins for {@code subscription_confirmed}, leaves for {@code left}; an {@code error} echoing the
 * id answers any of them. A request is registered before its frame is written (so no answer can
 * beat it), and its timer starts once the frame is written.
 *
 * <p>Used on the client's context only.
 */
final class Replies {

  /** How one request ends. Exactly one of these is called, once. */
  interface Waiter {
    /** The answer: an ack, a confirmation, a {@code left}, or an {@code error}. */
    void answered(Envelope frame);

    /** No answer within the timeout after the write. */
    void timedOut();

    /**
     * The connection it was written to is gone.
     *
     * @return true to keep waiting (the request will be written again on the next connection),
     *     false when this ended it
     */
    boolean connectionLost();

    /** The session ended; {@code reason} says how. */
    void closed(String reason);
  }

  private static final class Pending {
    final Waiter waiter;
    boolean written;
    long timer = -1;

    Pending(Waiter waiter) {
      this.waiter = waiter;
    }
  }

  private final Vertx vertx;
  private final Map<String, Pending> pending = new LinkedHashMap<>();
  private long sequence;

  Replies(Vertx vertx) {
    this.vertx = vertx;
  }

  /** A fresh correlation id, e.g. {@code sb-pub-12}. */
  String newId(String kind) {
    return "sb-" + kind + "-" + (++sequence);
  }

  void register(String id, Waiter waiter) {
    pending.put(id, new Pending(waiter));
  }

  /** The request's frame was written: its answer is now due within {@code timeoutMs}. */
  void written(String id, long timeoutMs) {
    Pending request = pending.get(id);
    if (request == null) {
      return;
    }
    request.written = true;
    if (request.timer < 0) {
      request.timer =
          vertx.setTimer(
              timeoutMs,
              t -> {
                if (pending.remove(id) == request) {
                  request.waiter.timedOut();
                }
              });
    }
  }

  /**
   * The write callback of the request registered under {@code id}, for {@link Sender#submit}: once
   * its frame is written, {@code written} runs (when not null) and its answer is due within {@code
   * timeoutMs}; a frame that could not go out is forgotten and {@code refused} learns why.
   */
  Outbox.Written onWrite(String id, long timeoutMs, Runnable written, Consumer<String> refused) {
    return (ok, reason) -> {
      if (ok) {
        if (written != null) {
          written.run();
        }
        written(id, timeoutMs);
      } else {
        forget(id);
        refused.accept(reason);
      }
    };
  }

  /**
   * As {@link #onWrite}, for a request whose waiter writes it again on the next connection (a
   * publish, which the server recognises when re-sent): a socket that refused the write is going
   * away, so the request is taken for written and its connection for lost, as if the write had gone
   * out just before the loss.
   */
  Outbox.Written onWriteAgainIfLost(
      String id, long timeoutMs, Runnable written, Consumer<String> refused) {
    Outbox.Written plain = onWrite(id, timeoutMs, written, refused);
    return new Outbox.Written() {
      @Override
      public void done(boolean ok, String reason) {
        plain.done(ok, reason);
      }

      @Override
      public void socketFailed(String reason) {
        plain.done(true, reason);
        Pending request = pending.get(id);
        if (request != null) {
          request.waiter.connectionLost();
        }
      }
    };
  }

  /** Forgets a request without telling its waiter (its sender has been told otherwise). */
  void forget(String id) {
    Pending request = pending.remove(id);
    if (request != null && request.timer >= 0) {
      vertx.cancelTimer(request.timer);
    }
  }

  boolean isWaiting(String id) {
    return pending.containsKey(id);
  }

  /**
   * Hands an answer to the request it names.
   *
   * @return whether a request was waiting for it
   */
  boolean answer(Envelope frame) {
    if (frame.id() == null) {
      return false;
    }
    Pending request = pending.get(frame.id());
    if (request == null) {
      return false;
    }
    forget(frame.id());
    request.waiter.answered(frame);
    return true;
  }

  /** The connection is gone: every written request learns it; those not kept are forgotten. */
  void connectionLost() {
    for (Map.Entry<String, Pending> entry : new ArrayList<>(pending.entrySet())) {
      Pending request = entry.getValue();
      if (request.written && pending.get(entry.getKey()) == request) {
        request.written = false;
        if (!request.waiter.connectionLost()) {
          forget(entry.getKey());
        }
      }
    }
  }

  /** The session ended: every request still waiting ends with this reason. */
  void closeAll(String reason) {
    List<Pending> all = new ArrayList<>(pending.values());
    for (String id : new ArrayList<>(pending.keySet())) {
      forget(id);
    }
    all.forEach(request -> request.waiter.closed(reason));
  }

  int size() {
    return pending.size();
  }
}

package io.switchboard.server.admin;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * One open {@code text/event-stream} answer. Events are written as they come while the client
 * reads; while it does not (the response's write queue is full), they are dropped and counted, and
 * once it has caught up (the queue drained) it gets {@code event: dropped} with how many were lost,
 * so a slow reader costs the server a bounded buffer, never an unbounded one. Used only on the
 * admin verticle's event loop.
 */
final class EventStream {

  private final HttpServerResponse response;
  private final List<Runnable> closeActions = new ArrayList<>();
  private boolean closed;
  private long dropped;

  EventStream(HttpServerResponse response, Consumer<EventStream> onClose) {
    this.response = response;
    closeActions.add(() -> onClose.accept(this));
    response.closeHandler(v -> closed());
    response.exceptionHandler(failure -> closed());
  }

  /** Runs when the stream closes, whoever closed it (the client going away, or {@link #end}). */
  EventStream onClose(Runnable action) {
    if (closed) {
      action.run();
    } else {
      closeActions.add(action);
    }
    return this;
  }

  /**
   * Writes one event: {@code event: <name>} and its data, one {@code data:} line per line of it.
   *
   * @return whether it was written (false: dropped for a slow reader, or the stream is closed)
   */
  boolean send(String event, String data) {
    if (closed) {
      return false;
    }
    if (response.writeQueueFull()) {
      if (dropped++ == 0) {
        response.drainHandler(v -> reportDropped());
      }
      return false;
    }
    reportDropped();
    StringBuilder text = new StringBuilder();
    text.append("event: ").append(event).append('\n');
    for (String line : data.split("\n", -1)) {
      text.append("data: ").append(line).append('\n');
    }
    text.append('\n');
    response.write(Buffer.buffer(text.toString().getBytes(StandardCharsets.UTF_8)));
    return true;
  }

  /** Tells the client how many events it lost while it did not read, if any. */
  private void reportDropped() {
    if (closed || dropped == 0) {
      return;
    }
    response.write("event: dropped\ndata: {\"dropped\":" + dropped + "}\n\n");
    dropped = 0;
  }

  /**
   * A comment line, which clients ignore: keeps a quiet stream's connection from being taken for
   * idle by proxies, and finds a client that went away without closing.
   */
  void keepAlive() {
    if (!closed && !response.writeQueueFull()) {
      response.write(": keep-alive\n\n");
    }
  }

  boolean isOpen() {
    return !closed;
  }

  /** Ends the answer; the close actions run. */
  void end() {
    if (closed) {
      return;
    }
    response.end();
    closed();
  }

  private void closed() {
    if (closed) {
      return;
    }
    closed = true;
    closeActions.forEach(Runnable::run);
  }
}

package io.switchboard.sdk;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

/**
 * An auth-token supplier that answers only once the test {@link #open() opens} it: a client that
 * uses it stays CONNECTING (or RECONNECTING) for exactly as long as the test wants, without any
 * sleeping. It counts its calls and can be closed again.
 */
final class TokenGate implements Supplier<Future<String>> {

  private final List<Promise<String>> waiting = new CopyOnWriteArrayList<>();
  private volatile boolean open;
  private volatile int calls;
  private final String token;

  TokenGate(String token, boolean open) {
    this.token = token;
    this.open = open;
  }

  @Override
  public synchronized Future<String> get() {
    calls++;
    if (open) {
      return Future.succeededFuture(token);
    }
    Promise<String> promise = Promise.promise();
    waiting.add(promise);
    return promise.future();
  }

  /** Answers every waiting call and the next ones. */
  synchronized void open() {
    open = true;
    waiting.forEach(p -> p.tryComplete(token));
    waiting.clear();
  }

  /** Calls after this wait again until the next {@link #open()}. */
  synchronized void close() {
    open = false;
  }

  int calls() {
    return calls;
  }
}

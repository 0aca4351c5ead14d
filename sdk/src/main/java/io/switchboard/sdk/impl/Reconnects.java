package io.switchboard.sdk.impl;

import io.switchboard.sdk.ClientOptions;
import io.switchboard.sdk.ReconnectAttempt;
import io.vertx.core.Vertx;
import java.util.Random;

/**
 * The reconnect schedule of a session: counts attempts since the last connection opened, picks each
 * attempt's delay (the server's suggestion after a {@code server_shutdown}, else the backoff) and
 * holds the one timer waiting for the next attempt.
 *
 * <p>Used on the client's context only.
 */
final class Reconnects {

  private final Vertx vertx;
  private final int maxAttempts;
  private final Backoff backoff;
  private int attempt;
  private Long suggestedDelayMs;
  private long timer = -1;

  Reconnects(Vertx vertx, ClientOptions options) {
    this.vertx = vertx;
    this.maxAttempts = options.getMaxReconnectAttempts();
    Random random = options.getRandom() != null ? options.getRandom() : new Random();
    this.backoff =
        new Backoff(
            options.getReconnectInitialDelayMs(),
            options.getReconnectMaxDelayMs(),
            options.isJitter(),
            random);
  }

  /** A connection opened, or a session starts: the next attempt is the first again. */
  void reset() {
    attempt = 0;
    suggestedDelayMs = null;
  }

  /** The server asked to wait this long before coming back; it replaces the first delay. */
  void suggest(long delayMs) {
    suggestedDelayMs = delayMs;
  }

  /**
   * Counts the next attempt and picks its delay.
   *
   * @return the attempt, or null when {@code maxReconnectAttempts} are used up
   */
  ReconnectAttempt next() {
    attempt++;
    if (maxAttempts > 0 && attempt > maxAttempts) {
      return null;
    }
    long delay =
        attempt == 1 && suggestedDelayMs != null ? suggestedDelayMs : backoff.delayMs(attempt);
    suggestedDelayMs = null;
    return new ReconnectAttempt(attempt, delay);
  }

  int maxAttempts() {
    return maxAttempts;
  }

  /** Runs {@code attempt} after the attempt's delay (Vert.x timers need at least 1 ms). */
  void after(ReconnectAttempt next, Runnable attempt) {
    cancel();
    timer =
        vertx.setTimer(
            Math.max(1, next.delayMs()),
            t -> {
              timer = -1;
              attempt.run();
            });
  }

  void cancel() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
      timer = -1;
    }
  }
}

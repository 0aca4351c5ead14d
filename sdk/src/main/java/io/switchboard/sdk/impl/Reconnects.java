package io.switchboard.sdk.impl;

import io.switchboard.sdk.ClientOptions;
import io.switchboard.sdk.ReconnectAttempt;
import io.vertx.core.Vertx;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * The reconnect schedule of a session on the client's clock: which URL each attempt goes to and its
 * delay (the {@link FailoverSchedule}'s rules), and the one timer waiting for the next attempt.
 *
 * <p>Used on the client's context only.
 */
final class Reconnects {

  private final Vertx vertx;
  private final FailoverSchedule schedule;
  private long timer = -1;

  Reconnects(Vertx vertx, ClientOptions options) {
    this.vertx = vertx;
    Random random = options.getRandom() != null ? options.getRandom() : new Random();
    Backoff backoff =
        new Backoff(
            options.getReconnectInitialDelayMs(),
            options.getReconnectMaxDelayMs(),
            options.isJitter(),
            random);
    this.schedule =
        new FailoverSchedule(
            options.getUrls(),
            backoff,
            options.getMaxReconnectAttempts(),
            options.getReconnectMaxDelayMs());
  }

  /** A session starts: its first attempt goes to the first URL. */
  void startSession() {
    schedule.startSession();
  }

  /** The URL of the attempt in flight or scheduled, or of the open connection. */
  String currentUrl() {
    return schedule.current();
  }

  /**
   * A connection opened: the next attempt is the first again.
   *
   * @return whether it opened on another URL than the session's last connection (a failover)
   */
  boolean opened() {
    return schedule.opened();
  }

  /** The server asked to wait this long before coming back; it replaces the first delay. */
  void suggest(long delayMs) {
    schedule.suggest(delayMs);
  }

  /** The current URL refused with {@code Retry-After}: do not try it again before that. */
  void retryAfter(long retryAfterMs) {
    schedule.retryAfter(retryAfterMs, nowMs());
  }

  /**
   * Counts the next attempt, picks its URL and its delay.
   *
   * @return the attempt, or null when {@code maxReconnectAttempts} are used up
   */
  ReconnectAttempt next() {
    return schedule.next(nowMs());
  }

  int maxAttempts() {
    return schedule.maxAttempts();
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

  /** A monotonic clock: Retry-After windows must not move with the wall clock. */
  private static long nowMs() {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime());
  }
}

package io.switchboard.sdk.impl;

import io.switchboard.sdk.ReconnectAttempt;
import java.util.Arrays;
import java.util.List;

/**
 * Where each attempt of a session goes and how long the client waits before it; the rules are
 * documented on {@code ClientOptions} and in the README's Reconnecting section. Pure: it holds no
 * timer and reads no clock (the caller passes the time), so its tests need no network.
 *
 * <ul>
 *   <li>A session starts on the first URL. Every failed attempt or lost connection moves the next
 *       attempt to the next URL, wrapping around; an open connection stays where it is.
 *   <li>Attempt {@code n} since the last open connection waits the backoff of pass {@code ceil(n /
 *       urls)}: the first pass reaches every other URL after the initial delay, later passes wait
 *       longer, and no URL is tried more often than a single-URL client would try it. With one URL
 *       this is the plain per-attempt backoff.
 *   <li>The first attempt after a {@code server_shutdown} waits the server's suggestion instead.
 *   <li>A URL that refused with {@code Retry-After} is not tried before that has passed (at most
 *       the maximum delay from the refusal): an attempt to it waits the longer of its backoff and
 *       the rest of that time.
 * </ul>
 *
 * <p>Used on the client's context only.
 */
final class FailoverSchedule {

  private static final long NO_WINDOW = Long.MIN_VALUE;

  private final List<String> urls;
  private final Backoff backoff;
  private final int maxAttempts;
  private final long maxDelayMs;

  /** Per URL: the time before which it must not be tried (its Retry-After), or NO_WINDOW. */
  private final long[] notBeforeMs;

  private int index;
  private int attempt;
  private Long suggestedDelayMs;

  /** The URL of the session's last open connection; the first URL before there was one. */
  private int home;

  /**
   * @param urls at least one, in order
   * @param maxAttempts attempts before giving up, 0 for unlimited
   * @param maxDelayMs the bound of a {@code Retry-After} wait
   */
  FailoverSchedule(List<String> urls, Backoff backoff, int maxAttempts, long maxDelayMs) {
    if (urls.isEmpty()) {
      throw new IllegalArgumentException("a failover schedule needs at least one URL");
    }
    this.urls = List.copyOf(urls);
    this.backoff = backoff;
    this.maxAttempts = maxAttempts;
    this.maxDelayMs = maxDelayMs;
    this.notBeforeMs = new long[urls.size()];
    startSession();
  }

  /** A session starts: back to the first URL, the first attempt, no server's wishes. */
  void startSession() {
    index = 0;
    home = 0;
    attempt = 0;
    suggestedDelayMs = null;
    Arrays.fill(notBeforeMs, NO_WINDOW);
  }

  /** The URL of the attempt in flight or scheduled, or of the open connection. */
  String current() {
    return urls.get(index);
  }

  /**
   * A connection opened on {@link #current()}: the next attempt is the first again.
   *
   * @return whether this is a failover: the connection opened on another URL than the session's
   *     last open connection (than the first URL, before there was one)
   */
  boolean opened() {
    attempt = 0;
    suggestedDelayMs = null;
    notBeforeMs[index] = NO_WINDOW;
    boolean moved = index != home;
    home = index;
    return moved;
  }

  /** The server asked to wait this long before coming back; it replaces the next first delay. */
  void suggest(long delayMs) {
    suggestedDelayMs = delayMs;
  }

  /**
   * {@link #current()} refused the upgrade with {@code Retry-After}: it is not tried again before
   * {@code nowMs + min(retryAfterMs, maxDelayMs)}.
   */
  void retryAfter(long retryAfterMs, long nowMs) {
    notBeforeMs[index] = nowMs + Math.min(retryAfterMs, maxDelayMs);
  }

  /**
   * Counts the next attempt, moves it to the next URL and picks its delay.
   *
   * @param nowMs the current time on the clock {@link #retryAfter} was given
   * @return the attempt, or null when {@code maxAttempts} are used up
   */
  ReconnectAttempt next(long nowMs) {
    attempt++;
    if (maxAttempts > 0 && attempt > maxAttempts) {
      return null;
    }
    index = (index + 1) % urls.size();
    int pass = (attempt - 1) / urls.size() + 1;
    long delay =
        attempt == 1 && suggestedDelayMs != null ? suggestedDelayMs : backoff.delayMs(pass);
    suggestedDelayMs = null;
    long notBefore = notBeforeMs[index];
    if (notBefore != NO_WINDOW && notBefore - nowMs > delay) {
      delay = notBefore - nowMs;
    }
    return new ReconnectAttempt(attempt, delay, urls.get(index));
  }

  int maxAttempts() {
    return maxAttempts;
  }
}

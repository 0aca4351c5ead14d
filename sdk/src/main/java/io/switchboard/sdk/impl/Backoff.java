package io.switchboard.sdk.impl;

import java.util.Random;

/**
 * Reconnect delays: exponential from an initial delay up to a bound, optionally jittered downwards
 * so that the bound is never exceeded. The formula is documented on {@code ClientOptions}.
 */
public final class Backoff {

  /** The largest share of a delay that jitter may take off. */
  static final double JITTER_SHARE = 0.25;

  private final long initialMs;
  private final long maxMs;
  private final boolean jitter;
  private final Random random;

  public Backoff(long initialMs, long maxMs, boolean jitter, Random random) {
    if (initialMs < 1 || maxMs < initialMs) {
      throw new IllegalArgumentException(
          "backoff needs 1 <= initial <= max, was initial " + initialMs + ", max " + maxMs);
    }
    this.initialMs = initialMs;
    this.maxMs = maxMs;
    this.jitter = jitter;
    this.random = random;
  }

  /**
   * The delay before attempt {@code attempt}: {@code base - floor(base * 0.25 * r)} with jitter,
   * {@code base} without, where {@code base = min(max, initial * 2^(attempt-1))}.
   *
   * @param attempt 1 for the first attempt
   */
  public long delayMs(int attempt) {
    long base = baseMs(attempt);
    if (!jitter) {
      return base;
    }
    return base - (long) Math.floor(base * JITTER_SHARE * random.nextDouble());
  }

  /** {@code min(max, initial * 2^(attempt-1))}, without overflowing for large attempts. */
  public long baseMs(int attempt) {
    if (attempt < 1) {
      throw new IllegalArgumentException("attempt must be >= 1, was " + attempt);
    }
    long delay = initialMs;
    for (int i = 1; i < attempt && delay < maxMs; i++) {
      delay = delay > maxMs / 2 ? maxMs : delay * 2;
    }
    return Math.min(delay, maxMs);
  }
}

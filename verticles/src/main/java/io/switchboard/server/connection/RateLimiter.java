package io.switchboard.server.connection;

/**
 * One connection's token bucket: {@code rate} frames per second sustained, {@code burst} at once.
 * It also counts the frames refused in a row, so that a client that keeps sending past its limit
 * can be told apart from one that briefly overshot. Not thread-safe: one per connection, used on
 * its event loop.
 */
final class RateLimiter {

  private final double perNano;
  private final double burst;
  private double tokens;
  private long lastNanos;
  private int refusedInARow;

  /**
   * @param rate frames per second; 0 means no limit
   * @param burst the bucket's size
   */
  RateLimiter(int rate, int burst, long nowNanos) {
    this.perNano = rate / 1e9;
    this.burst = rate == 0 ? Double.POSITIVE_INFINITY : burst;
    this.tokens = this.burst;
    this.lastNanos = nowNanos;
  }

  /** Takes one token for a frame received now; false when the bucket is empty (refused). */
  boolean tryAcquire(long nowNanos) {
    if (perNano == 0) {
      return true;
    }
    tokens = Math.min(burst, tokens + (nowNanos - lastNanos) * perNano);
    lastNanos = nowNanos;
    if (tokens >= 1) {
      tokens -= 1;
      refusedInARow = 0;
      return true;
    }
    refusedInARow++;
    return false;
  }

  /** Frames refused since the last one accepted. */
  int refusedInARow() {
    return refusedInARow;
  }
}

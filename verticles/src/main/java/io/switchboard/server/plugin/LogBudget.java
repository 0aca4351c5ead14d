package io.switchboard.server.plugin;

import java.util.function.LongSupplier;

/**
 * How many lines of one kind may be logged: at most {@code lines} in each window of {@code
 * windowNanos}, a window starting with the first event after the previous one ended. Events over
 * the budget are counted, and the count is handed to the next line that is logged. So a flood of
 * one event (a plugin that times out on every frame) stays visible in the log without flooding it.
 *
 * <p>Not thread-safe: each plugin host uses its own, on its own context.
 */
final class LogBudget {

  /** What {@link #take()} answers for an event over the budget, which must not be logged. */
  static final long OVER = -1;

  private final int lines;
  private final long windowNanos;
  private final LongSupplier clock;
  private boolean started;
  private long windowStart;
  private int used;
  private long notLogged;

  /**
   * @param lines how many lines each window allows; at least 1
   * @param windowNanos the length of a window
   * @param clock the time in nanoseconds, as {@link System#nanoTime()}
   */
  LogBudget(int lines, long windowNanos, LongSupplier clock) {
    if (lines < 1 || windowNanos < 1) {
      throw new IllegalArgumentException("a log budget needs lines >= 1 and a window > 0");
    }
    this.lines = lines;
    this.windowNanos = windowNanos;
    this.clock = clock;
  }

  /**
   * Takes one line of the budget for an event.
   *
   * @return {@link #OVER} when the event must not be logged (it is counted), otherwise how many
   *     events were not logged since the last one that was
   */
  long take() {
    long now = clock.getAsLong();
    if (!started || now - windowStart >= windowNanos) {
      started = true;
      windowStart = now;
      used = 0;
    }
    if (used >= lines) {
      notLogged++;
      return OVER;
    }
    used++;
    long skipped = notLogged;
    notLogged = 0;
    return skipped;
  }

  /** Whether the current window's lines are all used: the next event would be {@link #OVER}. */
  boolean spent() {
    return started && used >= lines && clock.getAsLong() - windowStart < windowNanos;
  }

  /** The lines each window allows. */
  int lines() {
    return lines;
  }

  /** The length of a window, in nanoseconds. */
  long windowNanos() {
    return windowNanos;
  }
}

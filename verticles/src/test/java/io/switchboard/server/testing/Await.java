package io.switchboard.server.testing;

import io.vertx.core.Future;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** Waiting without sleeping: on futures with a timeout, or polling a condition to a deadline. */
public final class Await {

  public static final Duration TIMEOUT = Duration.ofSeconds(10);

  private Await() {}

  /**
   * The future's result, or an AssertionError if it fails or takes longer than {@link #TIMEOUT}.
   */
  public static <T> T result(Future<T> future) {
    try {
      return future.await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      throw new AssertionError("future did not succeed within " + TIMEOUT + ": " + e, e);
    }
  }

  /** The failure of a future that must fail. */
  public static Throwable failure(Future<?> future) {
    try {
      future.await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      return e;
    }
    throw new AssertionError("future succeeded but should have failed");
  }

  /** Polls until the condition holds, failing with {@code what} after {@link #TIMEOUT}. */
  public static void until(String what, BooleanSupplier condition) {
    until(what, TIMEOUT, condition);
  }

  public static void until(String what, Duration timeout, BooleanSupplier condition) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out after " + timeout + " waiting until " + what);
      }
      try {
        // A poll interval, not a wait for an outcome: the deadline above decides.
        TimeUnit.MILLISECONDS.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted waiting until " + what, e);
      }
    }
  }
}

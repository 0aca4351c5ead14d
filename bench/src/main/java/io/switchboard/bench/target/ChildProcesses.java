package io.switchboard.bench.target;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Every process the bench starts, so that none outlives it: stopped by {@link #stop} in the normal
 * course, and by a shutdown hook when the bench is interrupted or fails.
 */
public final class ChildProcesses {

  private static final Set<Process> RUNNING = ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(() -> RUNNING.forEach(Process::destroyForcibly), "bench-children"));
  }

  private ChildProcesses() {}

  public static Process track(Process process) {
    RUNNING.add(process);
    return process;
  }

  /** SIGTERM, then SIGKILL if it has not exited after {@code graceSeconds}. */
  public static void stop(Process process, long graceSeconds) {
    try {
      if (process.isAlive()) {
        process.destroy();
        if (!process.waitFor(graceSeconds, TimeUnit.SECONDS)) {
          process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    } finally {
      RUNNING.remove(process);
    }
  }
}

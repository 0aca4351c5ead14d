package io.switchboard.bench.target;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * CPU seconds used so far by each JIT compiler thread of a JVM, by thread id. HotSpot starts and
 * ends compiler threads as the compile queue grows and shrinks, so a total over the threads alive
 * at two moments can go down; the difference is taken thread by thread instead.
 */
public final class CompilerCpu {

  /** No reading: not a JVM, not started by the bench, or not on Linux. */
  public static final CompilerCpu UNKNOWN = new CompilerCpu(null);

  private final Map<Long, Double> secondsByThread;

  CompilerCpu(Map<Long, Double> secondsByThread) {
    this.secondsByThread = secondsByThread == null ? null : Map.copyOf(secondsByThread);
  }

  /**
   * The readings of several JVMs as one, for a target made of several processes: Linux thread ids
   * are unique across processes, so the threads stay apart. Unknown when any reading is.
   */
  static CompilerCpu combine(List<CompilerCpu> readings) {
    Map<Long, Double> all = new HashMap<>();
    for (CompilerCpu reading : readings) {
      if (reading.secondsByThread == null) {
        return UNKNOWN;
      }
      all.putAll(reading.secondsByThread);
    }
    return new CompilerCpu(all);
  }

  /**
   * Compiler CPU seconds spent between {@code earlier} and this reading, or NaN when either is
   * unknown. A thread that ended in between is not counted (its last seconds are unknowable), so
   * the figure can be low, never high and never negative.
   */
  public double secondsSince(CompilerCpu earlier) {
    if (secondsByThread == null || earlier.secondsByThread == null) {
      return Double.NaN;
    }
    double total = 0;
    for (Map.Entry<Long, Double> thread : secondsByThread.entrySet()) {
      double before = earlier.secondsByThread.getOrDefault(thread.getKey(), 0.0);
      total += Math.max(0, thread.getValue() - before);
    }
    return total;
  }
}

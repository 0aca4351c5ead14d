package io.switchboard.bench.scenario;

import java.util.ArrayList;
import java.util.List;

/**
 * How a run's connections are split between generator processes: all in this process when they fit,
 * otherwise evenly over worker processes, none of which holds more than the limit.
 *
 * @param local whether the single slice is held by this process
 * @param slices {@code [first, count]} of each process's connections
 */
public record FleetPlan(boolean local, List<int[]> slices) {

  /**
   * @param connections connections to hold
   * @param maxPerProcess sockets one process may hold
   * @param minWorkers at least this many worker processes; 0 to use workers only when needed
   */
  public static FleetPlan of(int connections, int maxPerProcess, int minWorkers) {
    if (maxPerProcess < 1) {
      throw new IllegalArgumentException("--max-sockets-per-process must be >= 1");
    }
    if (minWorkers == 0 && connections <= maxPerProcess) {
      return new FleetPlan(true, List.<int[]>of(new int[] {0, connections}));
    }
    int workers =
        Math.max(Math.max(1, minWorkers), (connections + maxPerProcess - 1) / maxPerProcess);
    workers = Math.min(workers, Math.max(1, connections));
    List<int[]> slices = new ArrayList<>();
    int first = 0;
    for (int w = 0; w < workers; w++) {
      int count = connections / workers + (w < connections % workers ? 1 : 0);
      slices.add(new int[] {first, count});
      first += count;
    }
    return new FleetPlan(false, slices);
  }

  /** Generator processes: this one plus the workers. */
  public int processes() {
    return local ? 1 : 1 + slices.size();
  }

  /** The header's description. */
  public String describe() {
    return local
        ? "1 process (this one)"
        : processes()
            + " processes (this one publishes, "
            + slices.size()
            + " workers hold the connections)";
  }
}

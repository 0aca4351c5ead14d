package io.switchboard.bench.target;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * CPU time of a process from {@code /proc/<pid>/stat}: user plus system time of all its threads.
 * Linux only; elsewhere every figure is NaN.
 */
public final class ProcStat {

  /** Clock ticks per second of {@code utime} and {@code stime}; 100 on every Linux we run on. */
  static final double TICKS_PER_SECOND = 100.0;

  private ProcStat() {}

  /** CPU seconds used so far by process {@code pid}, or NaN when unknown. */
  public static double cpuSeconds(long pid) {
    try {
      return parseCpuSeconds(Files.readString(Path.of("/proc", String.valueOf(pid), "stat")));
    } catch (IOException | RuntimeException e) {
      return Double.NaN;
    }
  }

  /**
   * CPU seconds used so far by each JIT compiler thread of JVM {@code pid} (HotSpot names them
   * {@code C1 CompilerThread<n>} and {@code C2 CompilerThread<n>}, cut to 15 characters in {@code
   * /proc}), or {@link CompilerCpu#UNKNOWN}.
   */
  public static CompilerCpu compilerCpu(long pid) {
    Path tasks = Path.of("/proc", String.valueOf(pid), "task");
    try (var threads = Files.list(tasks)) {
      Map<Long, Double> byThread = new HashMap<>();
      for (Path thread : (Iterable<Path>) threads::iterator) {
        String stat;
        try {
          stat = Files.readString(thread.resolve("stat"));
        } catch (IOException gone) {
          continue;
        }
        String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
        if (name.startsWith("C1 CompilerThre") || name.startsWith("C2 CompilerThre")) {
          byThread.put(Long.parseLong(thread.getFileName().toString()), parseCpuSeconds(stat));
        }
      }
      return new CompilerCpu(byThread);
    } catch (IOException | RuntimeException e) {
      return CompilerCpu.UNKNOWN;
    }
  }

  /** CPU seconds used so far by this process, or NaN when unknown. */
  public static double selfCpuSeconds() {
    return cpuSeconds(ProcessHandle.current().pid());
  }

  /**
   * CPU seconds in the text of a {@code stat} file: fields 14 ({@code utime}) and 15 ({@code
   * stime}), counted after the command name, which may itself hold spaces and parentheses.
   */
  static double parseCpuSeconds(String stat) {
    String afterName = stat.substring(stat.lastIndexOf(')') + 2);
    String[] fields = afterName.trim().split(" ");
    // afterName starts at field 3 (state): utime is field 14, stime field 15.
    long utime = Long.parseLong(fields[14 - 3]);
    long stime = Long.parseLong(fields[15 - 3]);
    return (utime + stime) / TICKS_PER_SECOND;
  }
}

package io.switchboard.bench.target;

import java.io.File;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Whether and where processes are pinned: the server to its cores, every generator process to the
 * others, with {@code taskset}, so that the two never compete for a core. Off when asked, when
 * {@code taskset} is missing, or on a single core.
 *
 * @param enabled whether processes are pinned
 * @param serverCpus the server's cores in {@code taskset -c} syntax, e.g. {@code 0}
 * @param generatorCpus the generator's cores, e.g. {@code 1}
 * @param why a sentence for the report header
 */
public record Pinning(boolean enabled, String serverCpus, String generatorCpus, String why) {

  /** Pinning as asked for, when this machine allows it. Null cores mean the defaults. */
  public static Pinning detect(boolean wanted, String serverCpus, String generatorCpus) {
    int cores = Runtime.getRuntime().availableProcessors();
    String server = serverCpus != null ? serverCpus : "0";
    String generator =
        generatorCpus != null ? generatorCpus : cores <= 2 ? "1" : "1-" + (cores - 1);
    if (!wanted) {
      return new Pinning(false, server, generator, "off (--no-pin)");
    }
    if (findTaskset() == null) {
      return new Pinning(false, server, generator, "off (taskset not found)");
    }
    if (cores < 2) {
      return new Pinning(false, server, generator, "off (one core)");
    }
    return new Pinning(
        true,
        server,
        generator,
        "server on cpu " + server + ", generator on cpu " + generator + " (taskset)");
  }

  /** Cores the generator may use: its pinned cores, else every core of the machine. */
  public int generatorCores() {
    return enabled ? countCpus(generatorCpus) : Runtime.getRuntime().availableProcessors();
  }

  /** How many cores a {@code taskset -c} list names: {@code 1} is 1, {@code 1-3,6} is 4. */
  static int countCpus(String list) {
    int count = 0;
    for (String part : list.split(",")) {
      String[] range = part.trim().split("-");
      count += range.length == 2 ? Integer.parseInt(range[1]) - Integer.parseInt(range[0]) + 1 : 1;
    }
    return count;
  }

  /** The same cores, not pinned, for {@code reason}. */
  public Pinning off(String reason) {
    return new Pinning(false, serverCpus, generatorCpus, "off (" + reason + ")");
  }

  /** A disabled pinning, for processes that must not be pinned. */
  public static Pinning none() {
    return new Pinning(false, "", "", "off");
  }

  /** The command prefix that runs a server process on its cores; empty when disabled. */
  public List<String> serverPrefix() {
    return enabled ? List.of("taskset", "-c", serverCpus) : List.of();
  }

  /** The command prefix that runs a generator process on its cores; empty when disabled. */
  public List<String> generatorPrefix() {
    return enabled ? List.of("taskset", "-c", generatorCpus) : List.of();
  }

  /**
   * Pins every thread of this process to the generator's cores. Threads created later inherit it.
   *
   * @throws IllegalStateException if taskset fails
   */
  public void pinThisProcess() {
    if (!enabled) {
      return;
    }
    List<String> command =
        new ArrayList<>(
            List.of(
                "taskset",
                "-a",
                "-p",
                "-c",
                generatorCpus,
                String.valueOf(ProcessHandle.current().pid())));
    try {
      Process process =
          new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(nullFile()).start();
      if (!process.waitFor(10, TimeUnit.SECONDS) || process.exitValue() != 0) {
        throw new IllegalStateException(
            "could not pin the generator: " + String.join(" ", command));
      }
    } catch (IOException e) {
      throw new IllegalStateException("could not run taskset: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while pinning the generator", e);
    }
  }

  private static File nullFile() {
    return new File("/dev/null");
  }

  private static String findTaskset() {
    String path = System.getenv("PATH");
    if (path == null) {
      return null;
    }
    for (String dir : path.split(File.pathSeparator)) {
      File candidate = new File(dir, "taskset");
      if (candidate.canExecute()) {
        return candidate.getPath();
      }
    }
    return null;
  }
}

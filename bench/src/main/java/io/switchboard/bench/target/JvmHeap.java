package io.switchboard.bench.target;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A JVM's heap after a full collection, through {@code jcmd}: {@code GC.run}, then the {@code used}
 * figures of {@code GC.heap_info} (one line for G1 and ZGC, one per generation for the serial and
 * parallel collectors), up to the Metaspace lines.
 */
final class JvmHeap {

  private static final Pattern USED = Pattern.compile("used (\\d+)([KMG])");

  private JvmHeap() {}

  static long usedAfterGc(long pid) {
    jcmd(pid, "GC.run");
    return parseHeapInfo(jcmd(pid, "GC.heap_info"));
  }

  /** Bytes in use in the output of {@code jcmd PID GC.heap_info}. */
  static long parseHeapInfo(String output) {
    long used = 0;
    boolean found = false;
    for (String line : output.split("\n")) {
      if (line.contains("Metaspace") || line.contains("class space")) {
        break;
      }
      Matcher matcher = USED.matcher(line);
      if (matcher.find()) {
        long value = Long.parseLong(matcher.group(1));
        used +=
            switch (matcher.group(2)) {
              case "K" -> value << 10;
              case "M" -> value << 20;
              default -> value << 30;
            };
        found = true;
      }
    }
    if (!found) {
      throw new IllegalStateException("no heap figure in jcmd's output: " + output);
    }
    return used;
  }

  private static String jcmd(long pid, String command) {
    Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    String executable = Files.isExecutable(jcmd) ? jcmd.toString() : "jcmd";
    try {
      Process process =
          new ProcessBuilder(List.of(executable, String.valueOf(pid), command))
              .redirectErrorStream(true)
              .start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
        throw new IllegalStateException("jcmd " + pid + " " + command + " failed: " + output);
      }
      return output;
    } catch (IOException e) {
      throw new IllegalStateException("could not run jcmd: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted running jcmd", e);
    }
  }
}

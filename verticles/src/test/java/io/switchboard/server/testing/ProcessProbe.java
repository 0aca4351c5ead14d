package io.switchboard.server.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What the JVM and the kernel say about a server process: its heap in use after a full collection
 * (the JDK's {@code jcmd}, as an operator would ask) and its open file descriptors ({@code
 * /proc/<pid>/fd}).
 */
public final class ProcessProbe {

  private static final Pattern USED = Pattern.compile("used (\\d+)K");

  private ProcessProbe() {}

  /** Heap in use right after a full collection, in bytes. */
  public static long heapUsedAfterGc(long pid) {
    jcmd(pid, "GC.run");
    Matcher used = USED.matcher(jcmd(pid, "GC.heap_info"));
    if (!used.find()) {
      throw new AssertionError("no heap figure from jcmd GC.heap_info");
    }
    return Long.parseLong(used.group(1)) * 1024;
  }

  /** The process's open file descriptors (sockets included). */
  public static long openFiles(long pid) {
    try (Stream<Path> fds = Files.list(Path.of("/proc", String.valueOf(pid), "fd"))) {
      return fds.count();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String jcmd(long pid, String command) {
    Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    try {
      Process process =
          new ProcessBuilder(jcmd.toString(), String.valueOf(pid), command)
              .redirectErrorStream(true)
              .start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
        throw new AssertionError("jcmd " + command + " failed: " + output);
      }
      return output;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}

package io.switchboard.bench.report;

import java.io.PrintStream;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The progress line, rewritten in place every second on a terminal (a new line each second
 * otherwise, so that logs stay readable).
 */
public final class Progress implements AutoCloseable {

  private final PrintStream out;
  private final boolean terminal;
  private final ScheduledExecutorService ticker;
  private final long startedNanos = System.nanoTime();
  private volatile Supplier<String> line = () -> "";
  private int lastLength;

  public Progress(PrintStream out) {
    this.out = out;
    this.terminal = System.console() != null;
    this.ticker =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread thread = new Thread(r, "bench-progress");
              thread.setDaemon(true);
              return thread;
            });
    ticker.scheduleAtFixedRate(this::print, 1, 1, TimeUnit.SECONDS);
  }

  /** What the line says from now on; the elapsed time is put in front. */
  public void show(Supplier<String> what) {
    line = what;
  }

  private synchronized void print() {
    String text;
    try {
      text =
          String.format(
              Locale.ROOT, "[%5.1fs] %s", (System.nanoTime() - startedNanos) / 1e9, line.get());
    } catch (RuntimeException e) {
      return;
    }
    if (terminal) {
      out.print("\r" + text + " ".repeat(Math.max(0, lastLength - text.length())));
      lastLength = text.length();
    } else {
      out.println(text);
    }
    out.flush();
  }

  @Override
  public synchronized void close() {
    ticker.shutdownNow();
    if (terminal && lastLength > 0) {
      out.println();
    }
  }
}

package io.switchboard.server.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A script run by an interpreter that must be on the PATH ({@code node}, {@code python3}), its
 * output read line by line as it comes, so a test can act between two lines. Standard error is
 * merged into the output, so a failure shows in the assertion message.
 */
public final class ScriptProcess implements AutoCloseable {

  /** Marks the end of the output in the queue of lines. */
  private static final String END = new String("end of output");

  private final Process process;
  private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
  private final List<String> seen = new ArrayList<>();
  private final Writer stdin;

  private ScriptProcess(Process process) {
    this.process = process;
    this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader in =
                  new BufferedReader(
                      new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                  lines.add(line);
                }
              } catch (IOException e) {
                lines.add("(output unreadable: " + e.getMessage() + ")");
              } finally {
                lines.add(END);
              }
            },
            "script-output");
    reader.setDaemon(true);
    reader.start();
  }

  /**
   * Starts {@code command}; fails with a sentence naming what to install when its first word is not
   * a program on the PATH.
   *
   * @param requirement what the command needs, e.g. "Node.js 20 or later", for that sentence
   */
  public static ScriptProcess start(String requirement, String... command) {
    try {
      return new ScriptProcess(new ProcessBuilder(command).redirectErrorStream(true).start());
    } catch (IOException e) {
      throw new AssertionError(
          "'"
              + command[0]
              + "' ("
              + requirement
              + ") must be on the PATH to run this test; it could not be started: "
              + e.getMessage(),
          e);
    }
  }

  /** The next line of output, failing if none comes within {@link Await#TIMEOUT}. */
  public String nextLine() {
    String line = pollLine(Await.TIMEOUT);
    if (line == null) {
      throw new AssertionError("no output within " + Await.TIMEOUT + " after " + seen);
    }
    return line;
  }

  /**
   * The next line of output, or null if none comes within {@code timeout}; fails if the script
   * ended.
   */
  public String pollLine(Duration timeout) {
    try {
      String line = lines.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
      if (line == null) {
        return null;
      }
      if (line == END) {
        lines.add(END);
        throw new AssertionError("the script ended after " + seen);
      }
      seen.add(line);
      return line;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** Writes one line to the script's standard input. */
  public void writeLine(String line) {
    try {
      stdin.write(line + "\n");
      stdin.flush();
    } catch (IOException e) {
      throw new UncheckedIOException("the script's input is closed, after " + seen, e);
    }
  }

  /** Closes the script's standard input: the end of its input. */
  public void endInput() {
    try {
      stdin.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The exit code, once the script has ended; fails if it runs past {@link Await#TIMEOUT}. */
  public int awaitExit() {
    try {
      if (!process.waitFor(Await.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new AssertionError("the script still runs after " + Await.TIMEOUT + ": " + seen);
      }
      return process.exitValue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** The lines read so far. */
  public List<String> seen() {
    return List.copyOf(seen);
  }

  @Override
  public void close() {
    process.destroyForcibly();
  }
}

package io.switchboard.bench.target;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Makes the Socket.IO server runnable: checks for Node and installs the locked dependencies from
 * the npm registry with {@code npm ci} when they are missing.
 */
public final class SocketIoInstall {

  private static final long INSTALL_TIMEOUT_MINUTES = 5;

  private SocketIoInstall() {}

  /** Whether {@code node} runs here. */
  public static boolean nodeAvailable(String node) {
    try {
      Process process =
          new ProcessBuilder(node, "--version")
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
      return process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /**
   * Installs the dependencies of {@code dir} unless socket.io is already there.
   *
   * @throws IllegalStateException when Node is missing or {@code npm ci} fails, with its output
   */
  public static void ensureInstalled(Path dir, String node, Path log) {
    if (!Files.isRegularFile(dir.resolve("server.js"))) {
      throw new IllegalStateException(
          "no Socket.IO server at " + dir + " (expected server.js); set --socketio-dir");
    }
    if (!nodeAvailable(node)) {
      throw new IllegalStateException(
          "the socketio target needs Node.js 18 or later; '" + node + "' does not run");
    }
    if (Files.isRegularFile(dir.resolve("node_modules/socket.io/package.json"))) {
      return;
    }
    List<String> command = List.of("npm", "ci", "--no-audit", "--no-fund", "--loglevel=error");
    System.out.println(
        "   installing the Socket.IO server's locked dependencies: npm ci in " + dir);
    try {
      Process process =
          new ProcessBuilder(command)
              .directory(dir.toFile())
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
      if (!process.waitFor(INSTALL_TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
        process.destroyForcibly();
        throw new IllegalStateException("npm ci took longer than 5 minutes in " + dir);
      }
      if (process.exitValue() != 0) {
        throw new IllegalStateException(
            "npm ci failed in " + dir + " (exit " + process.exitValue() + "): " + read(log));
      }
    } catch (IOException e) {
      throw new IllegalStateException("could not run npm ci in " + dir + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted installing the Socket.IO server", e);
    }
  }

  private static String read(Path log) {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return "(no output)";
    }
  }
}

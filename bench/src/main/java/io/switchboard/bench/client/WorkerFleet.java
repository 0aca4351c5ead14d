package io.switchboard.bench.client;

import io.switchboard.bench.target.ChildProcesses;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A fleet held by a worker process: the same jar run as {@code worker}, which opens a {@link
 * LocalFleet} and is driven over its standard input and output, one JSON object per line (see
 * {@link WorkerProtocol}). Its diagnostics go to a log file in the work directory.
 */
public final class WorkerFleet implements Fleet {

  private final FleetSpec spec;
  private final Process process;
  private final OutputStream commands;
  private final Path log;
  private volatile long delivered;
  private volatile int settled;
  private Promise<JsonObject> pending;

  private WorkerFleet(FleetSpec spec, Process process, Path log) {
    this.spec = spec;
    this.process = process;
    this.commands = process.getOutputStream();
    this.log = log;
    Thread reader = new Thread(this::readEvents, "bench-worker-" + spec.first());
    reader.setDaemon(true);
    reader.start();
  }

  /**
   * Starts a worker process.
   *
   * @param command how to run the worker: the java command with its class path and options, up to
   *     and including the word {@code worker}
   * @param workDir where its log goes
   */
  public static WorkerFleet start(FleetSpec spec, List<String> command, Path workDir) {
    Path log = workDir.resolve("worker-" + spec.first() + ".log");
    try {
      Process process =
          ChildProcesses.track(
              new ProcessBuilder(command)
                  .redirectError(log.toFile())
                  .redirectInput(ProcessBuilder.Redirect.PIPE)
                  .start());
      return new WorkerFleet(spec, process, log);
    } catch (IOException e) {
      throw new UncheckedIOException("could not start a worker: " + String.join(" ", command), e);
    }
  }

  @Override
  public Future<Void> warmUp(int connections) {
    return request(WorkerProtocol.warmUp(spec, connections), WorkerProtocol.WARMED_UP).mapEmpty();
  }

  @Override
  public Future<Opened> open() {
    return request(WorkerProtocol.open(spec), WorkerProtocol.OPENED)
        .map(event -> Opened.fromJson(event.getJsonObject("report")));
  }

  @Override
  public long delivered() {
    return delivered;
  }

  @Override
  public int settled() {
    return settled;
  }

  @Override
  public Future<Void> measureFrom(long nanos) {
    return request(
            new JsonObject().put("cmd", WorkerProtocol.MEASURE).put("from", nanos),
            WorkerProtocol.MEASURING)
        .mapEmpty();
  }

  @Override
  public Future<Finished> finish(long[] published, long drainMillis) {
    JsonArray counts = new JsonArray();
    for (long count : published) {
      counts.add(count);
    }
    return request(
            new JsonObject()
                .put("cmd", WorkerProtocol.FINISH)
                .put("published", counts)
                .put("drainMillis", drainMillis),
            WorkerProtocol.FINISHED)
        .map(event -> Finished.fromJson(event.getJsonObject("report")));
  }

  @Override
  public Future<Void> close() {
    Future<JsonObject> closed =
        process.isAlive()
            ? request(new JsonObject().put("cmd", WorkerProtocol.CLOSE), WorkerProtocol.CLOSED)
            : Future.succeededFuture();
    return closed
        .eventually(
            () -> {
              ChildProcesses.stop(process, 10);
              return Future.succeededFuture();
            })
        .mapEmpty();
  }

  private synchronized Future<JsonObject> request(JsonObject command, String expectedEvent) {
    Promise<JsonObject> promise = Promise.promise();
    pending = promise;
    try {
      commands.write((command.encode() + "\n").getBytes(StandardCharsets.UTF_8));
      commands.flush();
    } catch (IOException e) {
      promise.tryFail(failure("could not reach the worker: " + e.getMessage()));
    }
    return promise
        .future()
        .compose(
            event ->
                expectedEvent.equals(event.getString("event"))
                    ? Future.succeededFuture(event)
                    : Future.failedFuture(
                        failure("expected '" + expectedEvent + "' from the worker, got " + event)));
  }

  private void readEvents() {
    try (BufferedReader events =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = events.readLine()) != null) {
        JsonObject event;
        try {
          event = new JsonObject(line);
        } catch (RuntimeException e) {
          continue; // not a protocol line
        }
        String type = event.getString("event", "");
        if (WorkerProtocol.PROGRESS.equals(type)) {
          delivered = event.getLong("delivered", 0L);
          settled = event.getInteger("settled", 0);
        } else if (WorkerProtocol.ERROR.equals(type)) {
          settle(null, failure("the worker failed: " + event.getString("message")));
        } else {
          settle(event, null);
        }
      }
    } catch (IOException e) {
      // the process ended: settled below
    }
    settle(null, failure("the worker exited (code " + exitCode() + ")"));
  }

  private synchronized void settle(JsonObject event, Throwable failure) {
    Promise<JsonObject> promise = pending;
    if (promise == null) {
      return;
    }
    if (failure == null) {
      promise.tryComplete(event);
    } else {
      promise.tryFail(failure);
    }
  }

  private String exitCode() {
    try {
      return process.isAlive() ? "still running" : String.valueOf(process.waitFor());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "unknown";
    }
  }

  private IllegalStateException failure(String message) {
    return new IllegalStateException(message + "; its log " + log + " ends with: " + logTail());
  }

  private String logTail() {
    try {
      List<String> lines = Files.exists(log) ? Files.readAllLines(log) : List.of();
      return String.join(
          " | ", new ArrayList<>(lines.subList(Math.max(0, lines.size() - 5), lines.size())));
    } catch (IOException e) {
      return "(unreadable)";
    }
  }
}

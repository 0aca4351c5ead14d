package io.switchboard.bench;

import io.switchboard.bench.client.Finished;
import io.switchboard.bench.client.FleetSpec;
import io.switchboard.bench.client.GeneratorVertx;
import io.switchboard.bench.client.LocalFleet;
import io.switchboard.bench.client.WorkerProtocol;
import io.switchboard.bench.target.ProcStat;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;

/**
 * A generator process driven by a coordinator over {@link WorkerProtocol}; started by the bench
 * itself when a run needs more sockets than one process may hold.
 */
@Command(
    name = "worker",
    hidden = true,
    description = "A generator process driven by a coordinator on its standard input and output.")
final class WorkerCommand implements Callable<Integer> {

  private static final long WAIT_SECONDS = 600;

  private final PrintStream events = System.out;
  private Vertx vertx;
  private LocalFleet fleet;
  private volatile double cpuAtMeasure = Double.NaN;

  @Override
  public Integer call() throws Exception {
    // Only protocol lines go to standard output; anything else printed goes to the log.
    System.setOut(System.err);
    BufferedReader commands =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    try {
      String line;
      while ((line = commands.readLine()) != null) {
        if (line.isBlank()) {
          continue;
        }
        JsonObject command = new JsonObject(line);
        if (!handle(command)) {
          return 0;
        }
      }
      return 0;
    } catch (Exception e) {
      emit(WorkerProtocol.event(WorkerProtocol.ERROR).put("message", String.valueOf(e)));
      return 1;
    } finally {
      if (fleet != null) {
        fleet.close().await(30, TimeUnit.SECONDS);
      }
      if (vertx != null) {
        vertx.close().await(30, TimeUnit.SECONDS);
      }
    }
  }

  /** Carries out one command; false once the worker should exit. */
  private boolean handle(JsonObject command) throws Exception {
    String cmd = command.getString("cmd", "");
    switch (cmd) {
      case WorkerProtocol.WARM_UP -> {
        createFleet(command);
        await(fleet.warmUp(command.getInteger("connections")));
        emit(WorkerProtocol.event(WorkerProtocol.WARMED_UP));
      }
      case WorkerProtocol.OPEN -> {
        createFleet(command);
        JsonObject report = await(fleet.open()).toJson();
        emit(WorkerProtocol.event(WorkerProtocol.OPENED).put("report", report));
      }
      case WorkerProtocol.MEASURE -> {
        long from = command.getLong("from");
        // CPU counts from the end of the warm-up, as the measured deliveries do.
        vertx.setTimer(
            Math.max(1, TimeUnit.NANOSECONDS.toMillis(from - System.nanoTime())),
            t -> cpuAtMeasure = ProcStat.selfCpuSeconds());
        await(fleet.measureFrom(from));
        emit(WorkerProtocol.event(WorkerProtocol.MEASURING));
      }
      case WorkerProtocol.FINISH -> {
        JsonArray counts = command.getJsonArray("published");
        long[] published = new long[counts.size()];
        for (int i = 0; i < published.length; i++) {
          published[i] = counts.getLong(i);
        }
        Finished finished = await(fleet.finish(published, command.getLong("drainMillis")));
        Finished withCpu =
            new Finished(
                finished.expected(),
                finished.unique(),
                finished.duplicates(),
                finished.lost(),
                finished.measured(),
                finished.lastMeasuredNanos(),
                finished.latencyMicros(),
                finished.unexpectedCloses(),
                // From the end of the warm-up: the worker's own start-up is not the load.
                ProcStat.selfCpuSeconds() - cpuAtMeasure);
        emit(WorkerProtocol.event(WorkerProtocol.FINISHED).put("report", withCpu.toJson()));
      }
      case WorkerProtocol.CLOSE -> {
        if (fleet != null) {
          await(fleet.close());
          fleet = null;
        }
        emit(WorkerProtocol.event(WorkerProtocol.CLOSED));
        return false;
      }
      default -> throw new IllegalArgumentException("unknown command '" + cmd + "'");
    }
    return true;
  }

  /** The worker's Vert.x and fleet, created by its first command, and its progress reports. */
  private void createFleet(JsonObject command) {
    if (fleet != null) {
      return;
    }
    vertx = GeneratorVertx.create();
    fleet = new LocalFleet(vertx, FleetSpec.fromJson(command.getJsonObject("spec")));
    vertx.setPeriodic(
        1000,
        t ->
            emit(
                WorkerProtocol.event(WorkerProtocol.PROGRESS)
                    .put("delivered", fleet.delivered())
                    .put("settled", fleet.settled())));
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.await(WAIT_SECONDS, TimeUnit.SECONDS);
  }

  private synchronized void emit(JsonObject event) {
    events.println(event.encode());
    events.flush();
  }
}

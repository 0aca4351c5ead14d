package io.switchboard.bench.scenario;

import io.switchboard.bench.client.Fleet;
import io.switchboard.bench.client.FleetSpec;
import io.switchboard.bench.client.LocalFleet;
import io.switchboard.bench.client.WorkerFleet;
import io.switchboard.bench.report.Progress;
import io.switchboard.bench.target.RunningTarget;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What a scenario works with: the started target, the generator's Vert.x, connections held by this
 * process or by worker processes, the progress line. Scenarios run on the bench's main thread and
 * block it on futures.
 */
public final class ScenarioContext {

  /** How the generator is laid out; the same for every target of a run. */
  public record Generator(
      int maxSocketsPerProcess,
      int minWorkers,
      int sourceAddresses,
      int connectConcurrency,
      List<String> workerCommand,
      Path workDir,
      int cores) {}

  private final Vertx vertx;
  private final Vertx publishing;
  private final RunningTarget target;
  private final Generator generator;
  private final Progress progress;

  /**
   * @param vertx the generator's Vert.x, for the connections that receive
   * @param publishing a Vert.x of its own for publishers: their schedule must not wait behind event
   *     loops busy reading deliveries
   */
  public ScenarioContext(
      Vertx vertx, Vertx publishing, RunningTarget target, Generator generator, Progress progress) {
    this.vertx = vertx;
    this.publishing = publishing;
    this.target = target;
    this.generator = generator;
    this.progress = progress;
  }

  public Vertx vertx() {
    return vertx;
  }

  /** The Vert.x publishers write and keep their schedule on. */
  public Vertx publishingVertx() {
    return publishing;
  }

  public RunningTarget target() {
    return target;
  }

  public Progress progress() {
    return progress;
  }

  /** Cores the generator processes may use together. */
  public int generatorCores() {
    return generator.cores();
  }

  /**
   * Connections {@code 0..connections-1}, connection {@code g} joining channel {@code prefix + g %
   * channels} (none when {@code channels} is 0) and measuring latency when {@code g % sample == 0},
   * spread over the target's {@link RunningTarget#fleetPorts()} in turn; in this process, or in
   * worker processes when they do not fit. Not yet opened.
   *
   * @param concurrency connections in set-up at once per process; 0 for the generator's default
   */
  public Fleets fleets(int connections, int channels, String prefix, int sample, int concurrency) {
    return fleets(connections, channels, prefix, sample, concurrency, generator.minWorkers());
  }

  /**
   * Connections that only warm the server up, joined to nothing: held by this process whenever they
   * fit, whatever {@code --workers} asks, since nothing is measured on them.
   */
  public Fleets warmUpFleets(int connections, int concurrency) {
    return fleets(connections, 0, "", 1, concurrency, 0);
  }

  private Fleets fleets(
      int connections, int channels, String prefix, int sample, int concurrency, int minWorkers) {
    FleetSpec spec =
        new FleetSpec(
            target.host(),
            target.fleetPorts(),
            target.wire().name(),
            0,
            connections,
            channels,
            prefix,
            sample,
            generator.sourceAddresses(),
            concurrency > 0 ? concurrency : generator.connectConcurrency());
    FleetPlan plan = FleetPlan.of(connections, generator.maxSocketsPerProcess(), minWorkers);
    List<Fleet> fleets = new ArrayList<>();
    for (int[] slice : plan.slices()) {
      FleetSpec part = spec.slice(slice[0], slice[1]);
      fleets.add(
          plan.local()
              ? new LocalFleet(vertx, part)
              : WorkerFleet.start(part, generator.workerCommand(), generator.workDir()));
    }
    return new Fleets(fleets, connections);
  }

  /**
   * {@code count} publisher connections in this process, open and welcomed, joined to nothing, all
   * to the target's {@link RunningTarget#port()}.
   */
  public LocalFleet publishers(int count) throws Exception {
    FleetSpec spec =
        new FleetSpec(
            target.host(),
            List.of(target.port()),
            target.wire().name(),
            0,
            count,
            0,
            "",
            1,
            1,
            count);
    LocalFleet publishers = new LocalFleet(publishing, spec);
    var opened = publishers.open().await(60, TimeUnit.SECONDS);
    if (opened.failed() > 0) {
      publishers.close();
      throw new IllegalStateException("a publisher could not connect: " + opened.firstFailure());
    }
    return publishers;
  }

  /** Waits {@code duration} without holding a thread of the generator. */
  public void hold(Duration duration) throws Exception {
    if (duration.isZero()) {
      return;
    }
    Promise<Void> elapsed = Promise.promise();
    vertx.setTimer(Math.max(1, duration.toMillis()), t -> elapsed.complete());
    elapsed.future().await(duration.toMillis() + 60_000, TimeUnit.MILLISECONDS);
  }
}

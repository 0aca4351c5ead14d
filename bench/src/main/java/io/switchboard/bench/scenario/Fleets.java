package io.switchboard.bench.scenario;

import io.switchboard.bench.client.Finished;
import io.switchboard.bench.client.Fleet;
import io.switchboard.bench.client.Opened;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A scenario's connections, over one or more generator processes, driven as one: every call blocks
 * the scenario's thread until all of them have answered.
 */
public final class Fleets {

  private static final long TIMEOUT_SECONDS = 900;

  private final List<Fleet> fleets;
  private Opened opened;

  Fleets(List<Fleet> fleets) {
    this.fleets = List.copyOf(fleets);
  }

  /** Opens every connection; see {@link Fleet#open()}. */
  public Opened open() throws Exception {
    List<Future<Opened>> all = new ArrayList<>();
    fleets.forEach(fleet -> all.add(fleet.open()));
    List<Opened> parts = new ArrayList<>();
    for (Future<Opened> part : all) {
      parts.add(part.await(TIMEOUT_SECONDS, TimeUnit.SECONDS));
    }
    opened = Opened.combine(parts);
    return opened;
  }

  /** What {@link #open()} returned. */
  public Opened opened() {
    return opened;
  }

  public long delivered() {
    return fleets.stream().mapToLong(Fleet::delivered).sum();
  }

  public void measureFrom(long nanos) throws Exception {
    List<Future<Void>> all = new ArrayList<>();
    fleets.forEach(fleet -> all.add(fleet.measureFrom(nanos)));
    Future.all(all).await(TIMEOUT_SECONDS, TimeUnit.SECONDS);
  }

  /** See {@link Fleet#finish}; with no publishes, it reports the connections lost meanwhile. */
  public Finished finish(long[] published, long drainMillis) throws Exception {
    List<Future<Finished>> all = new ArrayList<>();
    fleets.forEach(fleet -> all.add(fleet.finish(published, drainMillis)));
    List<Finished> parts = new ArrayList<>();
    for (Future<Finished> part : all) {
      parts.add(part.await(TIMEOUT_SECONDS, TimeUnit.SECONDS));
    }
    return Finished.combine(parts);
  }

  /** Closes every connection and ends the workers; failures to close are not errors. */
  public void close() {
    List<Future<Void>> all = new ArrayList<>();
    fleets.forEach(fleet -> all.add(fleet.close()));
    try {
      Future.join(all).await(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      // the run is over: nothing left to measure
    }
  }
}

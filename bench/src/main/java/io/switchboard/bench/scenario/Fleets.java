package io.switchboard.bench.scenario;

import io.switchboard.bench.client.Finished;
import io.switchboard.bench.client.Fleet;
import io.switchboard.bench.client.Opened;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * A scenario's connections, over one or more generator processes, driven as one: every call blocks
 * the scenario's thread until all of them have answered.
 */
public final class Fleets {

  private static final long TIMEOUT_SECONDS = 900;

  private final List<Fleet> fleets;
  private final int size;
  private Opened opened;

  Fleets(List<Fleet> fleets, int size) {
    this.fleets = List.copyOf(fleets);
    this.size = size;
  }

  /** The progress line while connecting. */
  public String connecting(String what) {
    return String.format(Locale.ROOT, "%s: %,d/%,d set up", what, settled(), size);
  }

  /** Warms every generator process up; see {@link Fleet#warmUp}. */
  public void warmUp(int connectionsPerProcess) throws Exception {
    List<Future<Void>> all = new ArrayList<>();
    fleets.forEach(fleet -> all.add(fleet.warmUp(connectionsPerProcess)));
    Future.all(all).await(TIMEOUT_SECONDS, TimeUnit.SECONDS);
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

  /** Connections whose set-up has ended so far, of {@link #size()}. */
  public int settled() {
    return fleets.stream().mapToInt(Fleet::settled).sum();
  }

  /** Connections asked for. */
  public int size() {
    return size;
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

package io.switchboard.bench.client;

import io.switchboard.bench.report.Histograms;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Recorder;

/** The counters a fleet's connections share across event loops. */
final class FleetCounters {

  final LongAdder delivered = new LongAdder();
  final LongAdder unique = new LongAdder();
  final Recorder setupMicros = new Recorder(Histograms.SIGNIFICANT_DIGITS);
  final Recorder latencyMicros = new Recorder(Histograms.SIGNIFICANT_DIGITS);
  private final Map<Integer, Integer> unexpectedCloses = new TreeMap<>();

  /** Until told otherwise, nothing is measured. */
  volatile long measureFromNanos = Long.MAX_VALUE;

  synchronized void unexpectedClose(int code) {
    unexpectedCloses.merge(code, 1, Integer::sum);
  }

  synchronized Map<Integer, Integer> unexpectedCloses() {
    return new TreeMap<>(unexpectedCloses);
  }
}

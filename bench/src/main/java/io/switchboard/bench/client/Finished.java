package io.switchboard.bench.client;

import io.switchboard.bench.report.Histograms;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.HdrHistogram.Histogram;

/**
 * What a fleet received once the publishers stopped and the deliveries drained.
 *
 * @param expected deliveries due: for every ready subscriber, the messages published to its channel
 * @param unique deliveries of messages the subscriber had not received before, in order
 * @param duplicates deliveries of a message already received, or of one that arrived after a later
 *     one (the protocol promises per-publisher order, so both are errors)
 * @param lost deliveries due but never received
 * @param measured deliveries of messages sent after the warm-up
 * @param lastMeasuredNanos when the last of those arrived ({@link System#nanoTime()}; the clock is
 *     shared by every process on a Linux machine)
 * @param latencyMicros publish-to-delivery latency on the sampled subscribers, after the warm-up
 * @param unexpectedCloses connections the server closed, by close code
 * @param cpuSeconds CPU time used by the fleet's own process since the end of the warm-up, 0 when
 *     it is the coordinator, NaN when unknown
 */
public record Finished(
    long expected,
    long unique,
    long duplicates,
    long lost,
    long measured,
    long lastMeasuredNanos,
    Histogram latencyMicros,
    Map<Integer, Integer> unexpectedCloses,
    double cpuSeconds) {

  public int unexpectedCloseCount() {
    return unexpectedCloses.values().stream().mapToInt(Integer::intValue).sum();
  }

  public static Finished combine(List<Finished> parts) {
    Histogram latency = Histograms.create();
    Map<Integer, Integer> closes = new TreeMap<>();
    long expected = 0;
    long unique = 0;
    long duplicates = 0;
    long lost = 0;
    long measured = 0;
    long last = 0;
    double cpu = 0;
    for (Finished part : parts) {
      expected += part.expected;
      unique += part.unique;
      duplicates += part.duplicates;
      lost += part.lost;
      measured += part.measured;
      last = Math.max(last, part.lastMeasuredNanos);
      latency.add(part.latencyMicros);
      part.unexpectedCloses.forEach((code, n) -> closes.merge(code, n, Integer::sum));
      cpu += part.cpuSeconds;
    }
    return new Finished(expected, unique, duplicates, lost, measured, last, latency, closes, cpu);
  }

  public JsonObject toJson() {
    JsonObject closes = new JsonObject();
    unexpectedCloses.forEach((code, n) -> closes.put(String.valueOf(code), n));
    return new JsonObject()
        .put("expected", expected)
        .put("unique", unique)
        .put("duplicates", duplicates)
        .put("lost", lost)
        .put("measured", measured)
        .put("lastMeasuredNanos", lastMeasuredNanos)
        .put("latencyMicros", Histograms.encode(latencyMicros))
        .put("unexpectedCloses", closes)
        .put("cpuSeconds", Double.isNaN(cpuSeconds) ? null : cpuSeconds);
  }

  public static Finished fromJson(JsonObject json) {
    Map<Integer, Integer> closes = new TreeMap<>();
    json.getJsonObject("unexpectedCloses")
        .forEach(e -> closes.put(Integer.valueOf(e.getKey()), ((Number) e.getValue()).intValue()));
    return new Finished(
        json.getLong("expected"),
        json.getLong("unique"),
        json.getLong("duplicates"),
        json.getLong("lost"),
        json.getLong("measured"),
        json.getLong("lastMeasuredNanos"),
        Histograms.decode(json.getString("latencyMicros")),
        closes,
        json.getValue("cpuSeconds") instanceof Number cpu ? cpu.doubleValue() : Double.NaN);
  }
}

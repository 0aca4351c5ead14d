package io.switchboard.bench.client;

import io.switchboard.bench.report.Histograms;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.HdrHistogram.Histogram;

/**
 * How opening a fleet went: connections ready (welcomed, and joined when they had a channel), those
 * that failed, the set-up latency of each (upgrade request to welcome) and how long the whole
 * opening took.
 *
 * @param firstFailure the first failure's description, or null
 */
public record Opened(
    int ready, int failed, Histogram setupMicros, long tookNanos, String firstFailure) {

  public static Opened combine(List<Opened> parts) {
    Histogram setup = Histograms.create();
    int ready = 0;
    int failed = 0;
    long took = 0;
    String firstFailure = null;
    for (Opened part : parts) {
      ready += part.ready;
      failed += part.failed;
      setup.add(part.setupMicros);
      took = Math.max(took, part.tookNanos);
      if (firstFailure == null) {
        firstFailure = part.firstFailure;
      }
    }
    return new Opened(ready, failed, setup, took, firstFailure);
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("ready", ready)
        .put("failed", failed)
        .put("setupMicros", Histograms.encode(setupMicros))
        .put("tookNanos", tookNanos)
        .put("firstFailure", firstFailure);
  }

  public static Opened fromJson(JsonObject json) {
    return new Opened(
        json.getInteger("ready"),
        json.getInteger("failed"),
        Histograms.decode(json.getString("setupMicros")),
        json.getLong("tookNanos"),
        json.getString("firstFailure"));
  }
}

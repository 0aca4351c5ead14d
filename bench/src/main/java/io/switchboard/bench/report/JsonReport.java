package io.switchboard.bench.report;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Locale;

/**
 * The machine-readable report ({@code --json FILE}): the run's set-up, then for every target the
 * same figures as the table (numbers, null when unknown) with its problems, then every figure as a
 * ratio to {@code bare}.
 *
 * <pre>
 * {"tool":"switchboard-bench","scenario":"fanout","setup":{...},
 *  "results":[{"target":"bare","server":"...","passed":true,"problems":[],"figures":{"deliveriesPerSecond":...}}],
 *  "ratiosToBare":{"switchboard":{"deliveriesPerSecond":0.93,...}}}
 * </pre>
 */
public final class JsonReport {

  private JsonReport() {}

  public static JsonObject build(String scenario, JsonObject setup, List<TargetResult> results) {
    JsonArray runs = new JsonArray();
    TargetResult baseline = null;
    for (TargetResult result : results) {
      JsonObject run =
          new JsonObject()
              .put("target", result.target())
              .put("server", result.description())
              .put("passed", result.passed());
      if (result.figures() == null) {
        run.put("error", result.error());
      } else {
        JsonObject figures = new JsonObject();
        JsonObject units = new JsonObject();
        result
            .figures()
            .all()
            .forEach(
                f -> {
                  figures.put(f.key(), number(f.value()));
                  units.put(f.key(), f.unit().name().toLowerCase(Locale.ROOT));
                });
        run.put("problems", new JsonArray(result.figures().problems()))
            .put("notes", new JsonArray(result.figures().notes()))
            .put("figures", figures)
            .put("units", units);
        if (result.target().equals(Ratios.BASELINE)) {
          baseline = result;
        }
      }
      runs.add(run);
    }
    JsonObject report =
        new JsonObject()
            .put("tool", "switchboard-bench")
            .put("scenario", scenario)
            .put("setup", setup)
            .put("results", runs);
    if (baseline != null) {
      JsonObject ratios = new JsonObject();
      for (TargetResult result : results) {
        if (result == baseline || result.figures() == null) {
          continue;
        }
        JsonObject these = new JsonObject();
        for (Figures.Figure figure : result.figures().all()) {
          if (figure.better() != Figures.Better.NEITHER) {
            these.put(
                figure.key(),
                number(Ratios.of(figure.value(), baseline.figures().value(figure.key()))));
          }
        }
        ratios.put(result.target(), these);
      }
      report.put("ratiosToBare", ratios);
    }
    return report;
  }

  private static Object number(double value) {
    if (Double.isNaN(value) || Double.isInfinite(value)) {
      return null;
    }
    return value == Math.rint(value) && Math.abs(value) < 1e15 ? (Object) (long) value : value;
  }
}

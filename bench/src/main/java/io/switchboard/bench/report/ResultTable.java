package io.switchboard.bench.report;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The results table printed at the end of a run: one row per figure, one column per target, each
 * figure followed by its ratio to {@code bare} when bare ran too; then the correctness check.
 */
public final class ResultTable {

  private ResultTable() {}

  public static String render(List<TargetResult> results) {
    TargetResult baseline =
        results.stream()
            .filter(r -> r.target().equals(Ratios.BASELINE) && r.figures() != null)
            .findFirst()
            .orElse(null);
    boolean ratios = baseline != null && results.size() > 1;
    Map<String, String> labels = rowLabels(results);
    List<String[]> rows = new ArrayList<>();
    String[] header = new String[results.size() + 1];
    header[0] = "figure";
    for (int i = 0; i < results.size(); i++) {
      header[i + 1] = results.get(i).target();
    }
    rows.add(header);
    for (Map.Entry<String, String> row : labels.entrySet()) {
      String[] cells = new String[results.size() + 1];
      cells[0] = row.getValue();
      for (int i = 0; i < results.size(); i++) {
        cells[i + 1] = cell(results.get(i), row.getKey(), ratios ? baseline : null);
      }
      rows.add(cells);
    }
    String[] check = new String[results.size() + 1];
    check[0] = "check (no loss, no duplicates)";
    for (int i = 0; i < results.size(); i++) {
      TargetResult result = results.get(i);
      check[i + 1] = result.figures() == null ? "did not run" : result.passed() ? "pass" : "FAIL";
    }
    rows.add(check);

    StringBuilder out = new StringBuilder();
    int[] widths = widths(rows);
    for (String[] cells : rows) {
      for (int c = 0; c < cells.length; c++) {
        String cell = cells[c];
        if (c == 0) {
          out.append(cell).append(" ".repeat(widths[c] - cell.length()));
        } else {
          out.append("  ").append(" ".repeat(widths[c] - cell.length())).append(cell);
        }
      }
      out.append(System.lineSeparator());
    }
    if (ratios) {
      out.append("(x) = the figure divided by bare's figure").append(System.lineSeparator());
    }
    for (TargetResult result : results) {
      if (result.error() != null) {
        out.append(result.target())
            .append(" did not run: ")
            .append(result.error())
            .append(System.lineSeparator());
      } else {
        for (String problem : result.figures().problems()) {
          out.append(result.target()).append(": ").append(problem).append(System.lineSeparator());
        }
      }
    }
    return out.toString();
  }

  /**
   * Every target's figures, each once, in the targets' order: a figure that only a later target has
   * (a cluster's connections per node) goes right after the figure it follows in that target.
   */
  private static Map<String, String> rowLabels(List<TargetResult> results) {
    List<String> keys = new ArrayList<>();
    Map<String, String> labels = new HashMap<>();
    for (TargetResult result : results) {
      if (result.figures() == null) {
        continue;
      }
      int next = 0;
      for (Figures.Figure figure : result.figures().all()) {
        int at = keys.indexOf(figure.key());
        if (at < 0) {
          keys.add(next, figure.key());
          labels.put(figure.key(), label(figure));
          next++;
        } else {
          next = at + 1;
        }
      }
    }
    Map<String, String> ordered = new LinkedHashMap<>();
    keys.forEach(key -> ordered.put(key, labels.get(key)));
    return ordered;
  }

  private static String label(Figures.Figure figure) {
    String unit = figure.unit().suffix();
    return unit.isEmpty() || unit.equals("/s")
        ? figure.label()
        : figure.label() + " (" + unit + ")";
  }

  private static String cell(TargetResult result, String key, TargetResult baseline) {
    if (result.figures() == null) {
      return "-";
    }
    Figures.Figure figure = result.figures().get(key);
    if (figure == null) {
      return "-";
    }
    String value = format(figure.value(), figure.unit());
    if (baseline == null
        || result == baseline
        || figure.better() == Figures.Better.NEITHER
        || baseline.figures().get(key) == null) {
      return value;
    }
    double ratio = Ratios.of(figure.value(), baseline.figures().value(key));
    return Double.isNaN(ratio) ? value : value + String.format(Locale.ROOT, " (%.2fx)", ratio);
  }

  /** A value as the table shows it; NaN is {@code n/a}. */
  public static String format(double value, Figures.Unit unit) {
    if (Double.isNaN(value)) {
      return "n/a";
    }
    return switch (unit) {
      case COUNT, PER_SECOND, BYTES -> String.format(Locale.ROOT, "%,.0f", value);
      case MILLIS, MICROS -> millis(value);
      case SECONDS -> String.format(Locale.ROOT, "%.2f", value);
      case PERCENT -> String.format(Locale.ROOT, "%.1f", value);
    };
  }

  private static String millis(double value) {
    if (value >= 100) {
      return String.format(Locale.ROOT, "%.0f", value);
    }
    if (value >= 10) {
      return String.format(Locale.ROOT, "%.1f", value);
    }
    return String.format(Locale.ROOT, "%.3f", value);
  }

  private static int[] widths(List<String[]> rows) {
    int[] widths = new int[rows.get(0).length];
    for (String[] cells : rows) {
      for (int c = 0; c < cells.length; c++) {
        widths[c] = Math.max(widths[c], cells[c].length());
      }
    }
    return widths;
  }
}

package io.switchboard.bench.report;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The figures of one scenario run against one target, in display order, and the correctness
 * problems found (loss, duplicates, failed or dropped connections). A figure that could not be
 * measured is NaN and reads as {@code n/a}.
 */
public final class Figures {

  /** How a figure is shown. */
  public enum Unit {
    COUNT(""),
    PER_SECOND("/s"),
    MILLIS("ms"),
    MICROS("us"),
    SECONDS("s"),
    BYTES("B"),
    PERCENT("%");

    private final String suffix;

    Unit(String suffix) {
      this.suffix = suffix;
    }

    public String suffix() {
      return suffix;
    }
  }

  /** Which way is better, for ratios; NEITHER gets no ratio. */
  public enum Better {
    HIGHER,
    LOWER,
    NEITHER
  }

  /** One figure. {@code key} is its name in the JSON report. */
  public record Figure(String key, String label, double value, Unit unit, Better better) {}

  private final Map<String, Figure> figures = new LinkedHashMap<>();
  private final List<String> problems = new ArrayList<>();
  private final List<String> notes = new ArrayList<>();

  public Figures add(String key, String label, double value, Unit unit, Better better) {
    figures.put(key, new Figure(key, label, value, unit, better));
    return this;
  }

  /** A figure that is context, not a measure: it gets no ratio. */
  public Figures add(String key, String label, double value, Unit unit) {
    return add(key, label, value, unit, Better.NEITHER);
  }

  /** Records a correctness problem; a run with any fails its check. */
  public Figures problem(String problem) {
    problems.add(problem);
    return this;
  }

  /** Records something a reader should know to trust the figures; not a failure. */
  public Figures note(String note) {
    notes.add(note);
    return this;
  }

  public List<String> notes() {
    return List.copyOf(notes);
  }

  public Collection<Figure> all() {
    return figures.values();
  }

  public Figure get(String key) {
    return figures.get(key);
  }

  /** The value of {@code key}, NaN when absent. */
  public double value(String key) {
    Figure figure = figures.get(key);
    return figure == null ? Double.NaN : figure.value();
  }

  public List<String> problems() {
    return List.copyOf(problems);
  }

  public boolean passed() {
    return problems.isEmpty();
  }
}

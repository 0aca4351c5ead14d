package io.switchboard.bench.report;

/**
 * The outcome of one scenario against one target: its figures, or why it could not run.
 *
 * @param target the target's name
 * @param description how the target was started or reached
 * @param figures the figures, null when it failed
 * @param error why it failed, null when it ran
 */
public record TargetResult(String target, String description, Figures figures, String error) {

  public static TargetResult ran(String target, String description, Figures figures) {
    return new TargetResult(target, description, figures, null);
  }

  public static TargetResult failed(String target, String description, String error) {
    return new TargetResult(target, description, null, error);
  }

  /** Ran, and every correctness check held. */
  public boolean passed() {
    return figures != null && figures.passed();
  }
}

package io.switchboard.bench.report;

/** Figures as a ratio to the same figure of the baseline target ({@code bare}). */
public final class Ratios {

  /** The target every other is compared with. */
  public static final String BASELINE = "bare";

  private Ratios() {}

  /**
   * {@code value / baseline}, or NaN when either is unknown or the baseline is 0. The ratio is
   * plain, whichever way is better: {@code 0.5x} deliveries/s is half the rate, {@code 2.0x}
   * latency is twice the delay.
   */
  public static double of(double value, double baseline) {
    if (Double.isNaN(value) || Double.isNaN(baseline) || baseline == 0) {
      return Double.NaN;
    }
    return value / baseline;
  }
}

package io.switchboard.bench.report;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Base64;
import java.util.zip.DataFormatException;
import org.HdrHistogram.Histogram;

/**
 * Latency histograms in microseconds, and their compact form for crossing process boundaries: the
 * compressed HdrHistogram encoding in Base64.
 */
public final class Histograms {

  /** Three significant digits: 0.1% resolution at every scale. */
  public static final int SIGNIFICANT_DIGITS = 3;

  private Histograms() {}

  /** An empty, auto-resizing histogram. */
  public static Histogram create() {
    return new Histogram(SIGNIFICANT_DIGITS);
  }

  public static String encode(Histogram histogram) {
    ByteBuffer buffer = ByteBuffer.allocate(histogram.getNeededByteBufferCapacity());
    int length = histogram.encodeIntoCompressedByteBuffer(buffer);
    return Base64.getEncoder().encodeToString(Arrays.copyOf(buffer.array(), length));
  }

  public static Histogram decode(String base64) {
    try {
      return Histogram.decodeFromCompressedByteBuffer(
          ByteBuffer.wrap(Base64.getDecoder().decode(base64)), 0);
    } catch (DataFormatException e) {
      throw new IllegalArgumentException("not an encoded histogram: " + e.getMessage(), e);
    }
  }

  /** The value at {@code percentile} (0-100) in milliseconds, or NaN when empty. */
  public static double millisAt(Histogram histogram, double percentile) {
    return histogram.getTotalCount() == 0
        ? Double.NaN
        : histogram.getValueAtPercentile(percentile) / 1000.0;
  }

  /** The largest value in milliseconds, or NaN when empty. */
  public static double maxMillis(Histogram histogram) {
    return histogram.getTotalCount() == 0 ? Double.NaN : histogram.getMaxValue() / 1000.0;
  }
}

package io.switchboard.bench.scenario;

import io.switchboard.bench.DurationConverter;
import io.switchboard.bench.client.Payload;
import java.time.Duration;
import java.util.Map;
import picocli.CommandLine.Option;

/** The options of the scenarios that publish: rate, size, how long, and how to measure. */
public final class DeliveryOptions {

  @Option(
      names = {"-r", "--rate"},
      paramLabel = "MSG/S",
      description = "Messages published per second, over all channels (default: ${DEFAULT-VALUE}).")
  double rate = 1000;

  @Option(
      names = {"-s", "--size"},
      paramLabel = "BYTES",
      description =
          "Size of each message's data, at least "
              + Payload.MIN_SIZE
              + " (default: ${DEFAULT-VALUE}).")
  int size = 256;

  @Option(
      names = {"-d", "--duration"},
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      description = "How long the measured publishing lasts (default: 10s).")
  Duration duration = Duration.ofSeconds(10);

  @Option(
      names = "--warmup",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      description =
          "Publishing before the measured part; its deliveries are checked but not measured."
              + " The JIT compiles by invocation counts, so low rates need longer; the report"
              + " notes a server still compiling while measured (default: 30s).")
  Duration warmup = Duration.ofSeconds(30);

  @Option(
      names = "--drain",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      description =
          "After the last publish, deliveries still due are waited for until none has arrived"
              + " for this long; those still missing then are lost (default: 10s).")
  Duration drain = Duration.ofSeconds(10);

  @Option(
      names = "--sample",
      paramLabel = "N",
      description =
          "Measure latency on one subscriber in every N (one in each block of N connections, at a"
              + " varying offset, so that the sample spreads over the server's event loops);"
              + " every subscriber is counted"
              + " (default: ${DEFAULT-VALUE}).")
  int sample = 16;

  void validate() {
    if (rate <= 0) {
      throw new IllegalArgumentException("--rate must be > 0, was " + rate);
    }
    if (size < Payload.MIN_SIZE || size > 60_000) {
      throw new IllegalArgumentException(
          "--size must be between " + Payload.MIN_SIZE + " and 60000, was " + size);
    }
    if (sample < 1) {
      throw new IllegalArgumentException("--sample must be >= 1, was " + sample);
    }
    if (duration.isZero() || duration.isNegative()) {
      throw new IllegalArgumentException("--duration must be > 0");
    }
  }

  void describe(Map<String, Object> parameters) {
    parameters.put("rate", rate);
    parameters.put("size", size);
    parameters.put("duration", DurationConverter.format(duration));
    parameters.put("warmup", DurationConverter.format(warmup));
    parameters.put("drain", DurationConverter.format(drain));
    parameters.put("sample", sample);
  }
}

package io.switchboard.server.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.TimeUnit;

/**
 * One message-type plugin's meters, tagged {@code plugin=<name>}: frames handled, rejected (the
 * plugin refused them), failed (it threw or timed out) and the handling latency.
 */
public final class PluginMeters {

  /** Counter, tag {@code plugin}: frames the plugin handled. */
  public static final String HANDLED = "switchboard.plugin.handled";

  /** Counter, tag {@code plugin}: frames the plugin rejected with an error of its choosing. */
  public static final String REJECTED = "switchboard.plugin.rejected";

  /** Counter, tags {@code plugin} and {@code reason} ({@code error}, {@code timeout}). */
  public static final String FAILED = "switchboard.plugin.failed";

  /** Timer, tag {@code plugin}: from dispatch to the plugin's answer. */
  public static final String LATENCY = "switchboard.plugin.latency";

  private final Counter handled;
  private final Counter rejected;
  private final Counter errors;
  private final Counter timeouts;
  private final Timer latency;

  PluginMeters(MeterRegistry registry, String plugin) {
    handled = Counter.builder(HANDLED).tag("plugin", plugin).register(registry);
    rejected = Counter.builder(REJECTED).tag("plugin", plugin).register(registry);
    errors =
        Counter.builder(FAILED).tag("plugin", plugin).tag("reason", "error").register(registry);
    timeouts =
        Counter.builder(FAILED).tag("plugin", plugin).tag("reason", "timeout").register(registry);
    latency =
        Timer.builder(LATENCY)
            .tag("plugin", plugin)
            .publishPercentileHistogram()
            .register(registry);
  }

  public void handled(long nanos) {
    handled.increment();
    latency.record(nanos, TimeUnit.NANOSECONDS);
  }

  public void rejected(long nanos) {
    rejected.increment();
    latency.record(nanos, TimeUnit.NANOSECONDS);
  }

  public void failed(long nanos) {
    errors.increment();
    latency.record(nanos, TimeUnit.NANOSECONDS);
  }

  public void timedOut() {
    timeouts.increment();
  }

  public long handledTotal() {
    return (long) handled.count();
  }

  public long rejectedTotal() {
    return (long) rejected.count();
  }

  public long failedTotal() {
    return (long) (errors.count() + timeouts.count());
  }
}

package io.switchboard.server.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.TimeUnit;

/**
 * One plugin's meters, tagged {@code plugin=<name>}: frames handled, rejected (the plugin refused
 * them), joins and publishes it allowed or refused as a channel authorizer, failures (it threw or
 * timed out, handling a frame or deciding), actions it took too late (dropped) and its latency.
 */
public final class PluginMeters {

  /** Counter, tag {@code plugin}: frames the plugin handled. */
  public static final String HANDLED = "switchboard.plugin.handled";

  /** Counter, tag {@code plugin}: frames the plugin rejected with an error of its choosing. */
  public static final String REJECTED = "switchboard.plugin.rejected";

  /**
   * Counter, tags {@code plugin} and {@code decision} ({@code allowed}, {@code refused}): joins and
   * publishes the plugin decided on as a channel authorizer.
   */
  public static final String AUTHORIZATIONS = "switchboard.plugin.authorizations";

  /**
   * Counter, tags {@code plugin} and {@code reason} ({@code error}, {@code timeout}): frames and
   * authorizations the plugin failed.
   */
  public static final String FAILED = "switchboard.plugin.failed";

  /**
   * Counter, tag {@code plugin}: actions (publishes, broadcasts, replies, acks) the plugin took for
   * a frame after that frame had timed out, which were dropped.
   */
  public static final String DROPPED = "switchboard.plugin.dropped";

  /** Timer, tag {@code plugin}: from dispatch (of a frame or an authorization) to its answer. */
  public static final String LATENCY = "switchboard.plugin.latency";

  private final Counter handled;
  private final Counter rejected;
  private final Counter allowed;
  private final Counter refused;
  private final Counter errors;
  private final Counter timeouts;
  private final Counter dropped;
  private final Timer latency;

  PluginMeters(MeterRegistry registry, String plugin) {
    handled = Counter.builder(HANDLED).tag("plugin", plugin).register(registry);
    rejected = Counter.builder(REJECTED).tag("plugin", plugin).register(registry);
    allowed =
        Counter.builder(AUTHORIZATIONS)
            .tag("plugin", plugin)
            .tag("decision", "allowed")
            .register(registry);
    refused =
        Counter.builder(AUTHORIZATIONS)
            .tag("plugin", plugin)
            .tag("decision", "refused")
            .register(registry);
    errors =
        Counter.builder(FAILED).tag("plugin", plugin).tag("reason", "error").register(registry);
    timeouts =
        Counter.builder(FAILED).tag("plugin", plugin).tag("reason", "timeout").register(registry);
    dropped = Counter.builder(DROPPED).tag("plugin", plugin).register(registry);
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

  public void authorized(boolean wasAllowed, long nanos) {
    (wasAllowed ? allowed : refused).increment();
    latency.record(nanos, TimeUnit.NANOSECONDS);
  }

  public void failed(long nanos) {
    errors.increment();
    latency.record(nanos, TimeUnit.NANOSECONDS);
  }

  public void timedOut() {
    timeouts.increment();
  }

  /** An action taken for a frame that had timed out was dropped. */
  public void dropped() {
    dropped.increment();
  }

  public long droppedTotal() {
    return (long) dropped.count();
  }

  public long handledTotal() {
    return (long) handled.count();
  }

  public long rejectedTotal() {
    return (long) rejected.count();
  }

  public long allowedTotal() {
    return (long) allowed.count();
  }

  public long refusedTotal() {
    return (long) refused.count();
  }

  public long failedTotal() {
    return (long) (errors.count() + timeouts.count());
  }
}

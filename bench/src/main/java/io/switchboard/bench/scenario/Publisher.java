package io.switchboard.bench.scenario;

import io.switchboard.bench.client.LocalFleet;
import io.switchboard.bench.client.Payload;
import io.switchboard.bench.client.Wire;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

/**
 * Publishes {@code total} messages at a fixed rate from {@code start}: message {@code i} goes to
 * channel {@code i % channels} through publisher connection {@code channel % publishers} (so each
 * channel has one publisher and its order holds), with that channel's next sequence number.
 *
 * <p>Each message carries its <em>scheduled</em> send time, {@code start + i / rate}, not the time
 * it was written: if the generator falls behind, the delay counts in the latency instead of
 * vanishing (no coordinated omission). How far behind it fell is reported as the publisher lag.
 */
final class Publisher {

  /** The schedule is checked every millisecond; a tick sends every message due by then. */
  private static final long TICK_MS = 1;

  private final Vertx vertx;
  private final LocalFleet connections;
  private final Wire wire;
  private final String[] channels;
  private final Payload payload;
  private final double ratePerSecond;
  private final long total;
  private final long[] published;
  private volatile long sent;
  private volatile long maxLagNanos;

  Publisher(
      Vertx vertx,
      LocalFleet connections,
      Wire wire,
      String[] channels,
      Payload payload,
      double ratePerSecond,
      long total) {
    this.vertx = vertx;
    this.connections = connections;
    this.wire = wire;
    this.channels = channels;
    this.payload = payload;
    this.ratePerSecond = ratePerSecond;
    this.total = total;
    this.published = new long[channels.length];
  }

  /**
   * Publishes from {@code startNanos} on; completes with the number of messages published to each
   * channel once the last is written.
   */
  Future<long[]> run(long startNanos) {
    Promise<long[]> done = Promise.promise();
    if (total == 0) {
      done.complete(published.clone());
      return done.future();
    }
    vertx.setPeriodic(
        TICK_MS,
        timer -> {
          long now = System.nanoTime();
          if (now < startNanos) {
            return;
          }
          long due = Math.min(total, (long) ((now - startNanos) * ratePerSecond / 1e9) + 1);
          long i = sent;
          long lag = maxLagNanos;
          while (i < due) {
            int channel = (int) (i % channels.length);
            long scheduled = startNanos + (long) (i * 1e9 / ratePerSecond);
            String data = payload.encode(published[channel]++, scheduled);
            connections.send(channel % connections.size(), wire.publish(channels[channel], data));
            lag = Math.max(lag, now - scheduled);
            i++;
          }
          sent = i;
          maxLagNanos = lag;
          if (i >= total) {
            vertx.cancelTimer(timer);
            done.complete(published.clone());
          }
        });
    return done.future();
  }

  long sent() {
    return sent;
  }

  /** How far behind its schedule the publisher wrote, at worst. */
  long maxLagNanos() {
    return maxLagNanos;
  }
}

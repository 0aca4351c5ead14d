package io.switchboard.sdk.impl;

import io.switchboard.protocol.MessageType;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Liveness of one open connection: an application-level {@code ping} with an id of its own every
 * interval, and a check {@code pongTimeoutMs} after each ping that some frame (the pong or anything
 * else) has arrived since. A silent peer is reported once, and the heartbeat stops. The pongs that
 * answer these pings give the round-trip latency.
 *
 * <p>Used on the client's context only.
 */
final class Heartbeat {

  /** Ids of the heartbeat's pings start with this, so their pongs are told from the app's. */
  static final String ID_PREFIX = "sb-hb-";

  private final Vertx vertx;
  private final Connection connection;
  private final long intervalMs;
  private final long pongTimeoutMs;
  private final MetricsRecorder metrics;
  private final Handler<Connection> onDead;
  private final Map<String, Long> outstanding = new HashMap<>();
  private final Set<Long> checks = new HashSet<>();
  private long periodic = -1;
  private long sequence;
  private boolean stopped;

  Heartbeat(
      Vertx vertx,
      Connection connection,
      long intervalMs,
      long pongTimeoutMs,
      MetricsRecorder metrics,
      Handler<Connection> onDead) {
    this.vertx = vertx;
    this.connection = connection;
    this.intervalMs = intervalMs;
    this.pongTimeoutMs = pongTimeoutMs;
    this.metrics = metrics;
    this.onDead = onDead;
  }

  /**
   * Sends one ping at once, whatever the interval (a server closes a connection that sends nothing
   * soon after {@code welcome}; its pong is the first round-trip sample), then pings every
   * interval; no periodic pings when the interval is 0 (heartbeat disabled).
   */
  Heartbeat start() {
    write(ID_PREFIX + (++sequence), System.nanoTime());
    if (intervalMs > 0) {
      periodic = vertx.setPeriodic(intervalMs, timer -> ping());
    }
    return this;
  }

  /**
   * Takes a {@code pong}: records the round trip when it answers one of this heartbeat's pings.
   *
   * @return whether it did (such pongs are the client's business, not the application's)
   */
  boolean onPong(String id) {
    Long sentAt = id == null ? null : outstanding.remove(id);
    if (sentAt == null) {
      return id != null && id.startsWith(ID_PREFIX);
    }
    metrics.roundTrip(System.nanoTime() - sentAt);
    return true;
  }

  void stop() {
    stopped = true;
    if (periodic >= 0) {
      vertx.cancelTimer(periodic);
      periodic = -1;
    }
    checks.forEach(vertx::cancelTimer);
    checks.clear();
    outstanding.clear();
  }

  private void ping() {
    if (stopped) {
      return;
    }
    String id = ID_PREFIX + (++sequence);
    long sentAt = System.nanoTime();
    write(id, sentAt);
    checks.add(
        vertx.setTimer(
            pongTimeoutMs,
            timer -> {
              checks.remove(timer);
              check(id, sentAt);
            }));
  }

  private void write(String id, long sentAt) {
    outstanding.put(id, sentAt);
    connection.write(
        new JsonObject().put("type", MessageType.PING.wireName()).put("id", id).encode());
  }

  private void check(String id, long sentAt) {
    // A pong later than this is not worth a latency sample: forget the ping either way.
    outstanding.remove(id);
    if (stopped || connection.lastFrameAtNanos() - sentAt >= 0) {
      return;
    }
    stop();
    onDead.handle(connection);
  }
}

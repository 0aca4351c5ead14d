package io.switchboard.server.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A healthy client beside an attacker: a publisher sends a numbered message to a channel every few
 * milliseconds and a subscriber records when each arrives. {@link #stopAndCheck} proves that every
 * message sent during the attack arrived, once, in order, and without a stall.
 */
public final class ControlTraffic implements AutoCloseable {

  /**
   * A generous bound on any one delivery: no assertion of speed (the machines are shared), only
   * that the server never stalled its healthy clients, as the attacks used to make it do.
   */
  public static final long MAX_DELIVERY_MS = 3_000;

  private final Vertx vertx;
  private final WsClient publisher;
  private final WsClient subscriber;
  private final String channel;
  private final AtomicInteger sent = new AtomicInteger();
  private final List<Integer> received = new CopyOnWriteArrayList<>();
  private final List<Long> latenciesMs = new CopyOnWriteArrayList<>();
  private final long timer;

  private ControlTraffic(
      Vertx vertx, WsClient publisher, WsClient subscriber, String channel, long periodMs) {
    this.vertx = vertx;
    this.publisher = publisher;
    this.subscriber = subscriber;
    this.channel = channel;
    subscriber.onText(
        frame -> {
          if ("message".equals(frame.getString("type"))
              && channel.equals(frame.getString("channel"))) {
            JsonObject data = frame.getJsonObject("data");
            received.add(data.getInteger("seq"));
            latenciesMs.add((System.nanoTime() - data.getLong("sentAt")) / 1_000_000);
          }
        });
    this.timer =
        vertx.setPeriodic(
            periodMs,
            t ->
                publisher.sendAsync(
                    new JsonObject()
                        .put("type", "publish")
                        .put("channel", channel)
                        .put(
                            "data",
                            new JsonObject()
                                .put("seq", sent.incrementAndGet())
                                .put("sentAt", System.nanoTime()))));
  }

  /**
   * Starts the traffic: both clients (already connected) join {@code channel}, whose namespace must
   * let subscribers publish; then the publisher sends every {@code periodMs}.
   */
  public static ControlTraffic start(
      Vertx vertx, WsClient publisher, WsClient subscriber, String channel, long periodMs) {
    for (WsClient client : List.of(subscriber, publisher)) {
      JsonObject confirmed =
          client.request(new JsonObject().put("type", "join").put("channel", channel));
      assertThat(confirmed.getString("type"))
          .as("control join: %s", confirmed)
          .isEqualTo("subscription_confirmed");
    }
    return new ControlTraffic(vertx, publisher, subscriber, channel, periodMs);
  }

  /** How many control messages have arrived so far. */
  public int received() {
    return received.size();
  }

  /**
   * Stops publishing, waits for the last message, and checks that every one arrived exactly once,
   * in order, none later than {@link #MAX_DELIVERY_MS}.
   *
   * @return how many were delivered
   */
  public int stopAndCheck() {
    vertx.cancelTimer(timer);
    Await.until(
        "every control message sent on " + channel + " arrived",
        () -> received.size() >= sent.get());
    List<Integer> expected = new ArrayList<>();
    for (int i = 1; i <= sent.get(); i++) {
      expected.add(i);
    }
    assertThat(received).as("control deliveries, in order, once each").isEqualTo(expected);
    assertThat(Collections.max(latenciesMs))
        .as("the slowest control delivery, in ms (a stall, not a speed measure)")
        .isLessThan(MAX_DELIVERY_MS);
    assertThat(publisher.isClosed()).as("control publisher still open").isFalse();
    assertThat(subscriber.isClosed()).as("control subscriber still open").isFalse();
    return received.size();
  }

  @Override
  public void close() {
    vertx.cancelTimer(timer);
    publisher.close();
    subscriber.close();
  }
}

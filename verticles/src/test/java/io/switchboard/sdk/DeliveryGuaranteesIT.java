package io.switchboard.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.server.testing.Await;
import io.switchboard.server.testing.TestNamespaces;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The delivery promise under a broken network: 100 SDK subscribers on 10 channels (three channels
 * each) and 10 SDK publishers sending 10,000 messages, every client behind a fault proxy that cuts
 * its connections, or blackholes them until the heartbeat finds them dead, at random the whole
 * time. Afterwards every subscriber holds, for each of its channels, every message published there
 * exactly once, at offsets 1 to 1,000 with no gap and no duplicate, in one epoch; no resync was
 * needed (the namespace's history covers every outage); and every publish was acknowledged, those
 * lost with a connection having been written again and, when the server already had them, taken for
 * the re-sends they were.
 */
class DeliveryGuaranteesIT extends SdkTestBase {

  private static final int CHANNELS = 10;
  private static final int SUBSCRIBERS = 100;
  private static final int CHANNELS_PER_SUBSCRIBER = 3;
  private static final int MESSAGES_PER_CHANNEL = 1_000;
  private static final int PUBLISH_WINDOW = 20;
  private static final int SUBSCRIBER_PROXIES = 10;

  @Override
  protected JsonObject config() {
    JsonObject channels =
        TestNamespaces.config(
                "soak",
                TestNamespaces.open()
                    .put("historySize", 2 * MESSAGES_PER_CHANNEL)
                    .put("historyTtlMs", 600_000))
            .getJsonObject("channels")
            .put("maxHistoryLimit", 2 * MESSAGES_PER_CHANNEL);
    return super.config()
        .put("channels", channels)
        .put(
            "limits",
            new JsonObject()
                .put("maxConnectionsPerIp", 500)
                .put("messageRate", 100_000)
                .put("messageBurst", 100_000));
  }

  /** Fast reconnects, and a heartbeat that finds a blackholed connection dead within a second. */
  private ClientOptions chaosOptions(String url) {
    return options(url).setHeartbeatIntervalMs(250).setPongTimeoutMs(500);
  }

  private static String channel(int c) {
    return "soak:c" + c;
  }

  @Test
  void everySubscriberGetsEveryMessageOnceInOffsetOrderWhileConnectionsAreCutAndBlackholed() {
    List<FaultProxy> proxies = new ArrayList<>();
    for (int i = 0; i < SUBSCRIBER_PROXIES + CHANNELS; i++) {
      proxies.add(proxy());
    }
    List<SwitchboardClient> subscribers = new ArrayList<>();
    List<Resync> resyncs = new CopyOnWriteArrayList<>();
    // What each (subscriber, channel) received, in order: offset and the message's number.
    Map<String, List<long[]>> received = new ConcurrentHashMap<>();
    List<Future<?>> joins = new ArrayList<>();
    for (int s = 0; s < SUBSCRIBERS; s++) {
      SwitchboardClient subscriber =
          client(chaosOptions(proxies.get(s % SUBSCRIBER_PROXIES).url()));
      subscriber.onResync(resyncs::add);
      subscribers.add(subscriber);
      Await.result(subscriber.connect());
      for (int k = 0; k < CHANNELS_PER_SUBSCRIBER; k++) {
        int c = (s + k * 3) % CHANNELS;
        List<long[]> log = new CopyOnWriteArrayList<>();
        received.put(s + "/" + c, log);
        joins.add(
            subscriber.join(
                channel(c),
                message ->
                    log.add(
                        new long[] {
                          message.position().offset(), ((JsonObject) message.data()).getLong("n")
                        })));
      }
    }
    Await.result(Future.all(joins));
    List<SwitchboardClient> publishers = new ArrayList<>();
    for (int c = 0; c < CHANNELS; c++) {
      SwitchboardClient publisher = client(chaosOptions(proxies.get(SUBSCRIBER_PROXIES + c).url()));
      Await.result(publisher.connect());
      publishers.add(publisher);
    }

    long seed = System.nanoTime();
    Chaos chaos = new Chaos(proxies, new Random(seed));
    chaos.start();
    List<SendResult> refused = new CopyOnWriteArrayList<>();
    List<Future<Void>> publishing = new ArrayList<>();
    for (int c = 0; c < CHANNELS; c++) {
      publishing.add(publishAll(publishers.get(c), channel(c), refused));
    }
    try {
      Await.result(Future.all(publishing).timeout(120, java.util.concurrent.TimeUnit.SECONDS));
    } finally {
      chaos.stop();
    }
    // A blackholed connection would stay silent after its proxy is restored: cut them all.
    proxies.forEach(
        proxy -> {
          proxy.restore();
          proxy.cut();
        });

    assertThat(refused).as("publishes not acknowledged (seed %d)", seed).isEmpty();
    Await.until(
        "every subscriber has every message of its channels",
        Duration.ofSeconds(60),
        () -> received.values().stream().allMatch(log -> log.size() >= MESSAGES_PER_CHANNEL));
    List<Long> offsets = LongRange.of(1, MESSAGES_PER_CHANNEL);
    List<Long> numbers = LongRange.of(0, MESSAGES_PER_CHANNEL - 1);
    received.forEach(
        (who, log) -> {
          assertThat(log.stream().map(m -> m[0]).toList())
              .as("offsets subscriber/channel %s received (seed %d)", who, seed)
              .isEqualTo(offsets);
          assertThat(log.stream().map(m -> m[1]).sorted().toList())
              .as("messages subscriber/channel %s received", who)
              .isEqualTo(numbers);
        });
    assertThat(resyncs).as("resyncs (history covers every outage)").isEmpty();
    int reconnects =
        subscribers.stream().mapToInt(s -> (int) s.metrics().reconnectionCount()).sum()
            + publishers.stream().mapToInt(p -> (int) p.metrics().reconnectionCount()).sum();
    System.out.printf(
        "delivery soak (seed %d): %d faults, %d reconnects, %d re-sent publishes recognised%n",
        seed,
        chaos.faults.get(),
        reconnects,
        (long) server.counted("switchboard.publish.duplicates"));
    assertThat(chaos.faults.get()).as("faults played").isGreaterThanOrEqualTo(10);
    assertThat(reconnects).as("connections the faults broke").isGreaterThanOrEqualTo(10);
  }

  /**
   * Publishes messages {@code {"n": 0..999}} to a channel, at most {@link #PUBLISH_WINDOW} waiting
   * for their ack at a time; completes once every one was answered, noting those not acknowledged.
   */
  private static Future<Void> publishAll(
      SwitchboardClient publisher, String channel, List<SendResult> refused) {
    Promise<Void> done = Promise.promise();
    AtomicInteger next = new AtomicInteger();
    AtomicInteger answered = new AtomicInteger();
    SendOptions patient = new SendOptions().setTimeoutMs(120_000);
    Runnable[] lane = new Runnable[1];
    lane[0] =
        () -> {
          int n = next.getAndIncrement();
          if (n >= MESSAGES_PER_CHANNEL) {
            return;
          }
          publisher
              .publish(channel, new JsonObject().put("n", n), patient)
              .onComplete(
                  result -> {
                    if (!result.result().success()) {
                      refused.add(result.result());
                    }
                    if (answered.incrementAndGet() == MESSAGES_PER_CHANNEL) {
                      done.complete();
                    }
                    lane[0].run();
                  });
        };
    for (int i = 0; i < PUBLISH_WINDOW; i++) {
      lane[0].run();
    }
    return done.future();
  }

  /**
   * Every 100 ms, one proxy at random is cut (its connections closed at once) or blackholed for 1.5
   * s (bytes dropped both ways: the heartbeat finds its connections dead), then restored and cut.
   */
  private final class Chaos {
    final List<FaultProxy> proxies;
    final Random random;
    final AtomicInteger faults = new AtomicInteger();
    long timer;

    Chaos(List<FaultProxy> proxies, Random random) {
      this.proxies = proxies;
      this.random = random;
    }

    void start() {
      timer =
          clientVertx.setPeriodic(
              100,
              t -> {
                FaultProxy proxy = proxies.get(random.nextInt(proxies.size()));
                faults.incrementAndGet();
                if (random.nextBoolean()) {
                  proxy.cut();
                  return;
                }
                proxy.blackhole();
                clientVertx.setTimer(
                    1_500,
                    later -> {
                      proxy.restore();
                      proxy.cut();
                    });
              });
    }

    void stop() {
      clientVertx.cancelTimer(timer);
    }
  }

  private static final class LongRange {
    static List<Long> of(long first, long last) {
      return IntStream.rangeClosed((int) first, (int) last).mapToObj(i -> (long) i).toList();
    }
  }
}

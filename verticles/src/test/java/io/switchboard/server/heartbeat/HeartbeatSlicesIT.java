package io.switchboard.server.heartbeat;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.server.testing.Await;
import io.switchboard.server.testing.ServerTestBase;
import io.switchboard.server.testing.WsClient;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * A 2 s interval is pinged in twenty slices 100 ms apart: the sockets of one instance are dealt out
 * over the slices, so no tick pings all of them at once, and each is still pinged every interval.
 */
class HeartbeatSlicesIT extends ServerTestBase {

  /** One socket per slice. */
  private static final int SOCKETS = 20;

  @Override
  protected JsonObject config() {
    return new JsonObject()
        .put("ws", new JsonObject().put("instances", 1))
        .put(
            "heartbeat",
            new JsonObject()
                .put("intervalMs", 2_000)
                .put("pongTimeoutMs", 5_000)
                .put("staleTimeoutMs", 0));
  }

  @Test
  void socketsArePingedInSlicesSpreadOverTheInterval() {
    List<List<Long>> pingTimes = new ArrayList<>();
    List<WsClient> clients = new ArrayList<>();
    for (int i = 0; i < SOCKETS; i++) {
      List<Long> times = new CopyOnWriteArrayList<>();
      WsClient client = connect();
      client.onPing(() -> times.add(System.nanoTime()));
      pingTimes.add(times);
      clients.add(client);
    }

    Await.until(
        "two pings on every socket", () -> pingTimes.stream().allMatch(times -> times.size() >= 2));

    List<Long> firstPings = new ArrayList<>(pingTimes.stream().map(times -> times.get(0)).toList());
    long spreadMs = (Collections.max(firstPings) - Collections.min(firstPings)) / 1_000_000;
    assertThat(spreadMs)
        .as("first pings of twenty sockets dealt over twenty slices 100 ms apart")
        .isGreaterThanOrEqualTo(1_000);
    long first = Collections.min(firstPings);
    long ticksSeen = firstPings.stream().map(t -> (t - first) / 50_000_000).distinct().count();
    assertThat(ticksSeen)
        .as("first pings fall in many distinct 50 ms windows, one per tick, not in a few bursts")
        .isGreaterThanOrEqualTo(10);
    for (List<Long> times : pingTimes) {
      long gapMs = (times.get(1) - times.get(0)) / 1_000_000;
      assertThat(gapMs).as("one ping per socket per interval, not per tick").isGreaterThan(1_500);
    }
    assertThat(clients).noneMatch(WsClient::isClosed);
  }
}

package io.switchboard.server.heartbeat;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.server.testing.Await;
import io.switchboard.server.testing.ServerTestBase;
import io.switchboard.server.testing.WsClient;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * A 2 s interval is pinged in twenty slices, one per tick: the sockets of one instance are dealt
 * out over the slices in the order they connect, so no tick pings all of them at once, and each is
 * still pinged once every interval. Checked by order, not by time: each ping carries the server's
 * clock at the tick that sent it, which never decreases from one tick to the next.
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
                .put("pongTimeoutMs", 60_000)
                .put("staleTimeoutMs", 0));
  }

  @Test
  void socketsArePingedInSlicesSpreadOverTheInterval() {
    List<WsClient> clients = new ArrayList<>();
    for (int i = 0; i < SOCKETS; i++) {
      clients.add(connect());
    }
    Await.until(
        "a ping on every socket",
        () -> clients.stream().noneMatch(client -> client.pingPayloads().isEmpty()));
    // A tick sent later than every socket's first ping finds all of them dealt out.
    long from =
        clients.stream().mapToLong(client -> client.pingPayloads().get(0)).max().orElseThrow();
    Await.until(
        "three pings on every socket after that",
        () ->
            clients.stream()
                .allMatch(c -> c.pingPayloads().stream().filter(t -> t > from).count() >= 3));
    List<List<Long>> sent = clients.stream().map(WsClient::pingPayloads).toList();
    // Pings of one socket arrive in order: each has had all of its pings sent before this time.
    long to = sent.stream().mapToLong(times -> times.get(times.size() - 1)).min().orElseThrow();

    // The ticks sent between the two times are consecutive; if every tick pings the next slice's
    // socket, the k-th ping of the socket d places after the first one pinged is the (20k + d)-th.
    List<List<Long>> window = new ArrayList<>();
    for (List<Long> times : sent) {
      window.add(times.stream().filter(t -> t > from && t < to).toList());
    }
    int first = firstPinged(window);
    Map<Integer, Long> byTick = new TreeMap<>();
    for (int socket = 0; socket < SOCKETS; socket++) {
      int place = Math.floorMod(socket - first, SOCKETS);
      List<Long> times = window.get(socket);
      for (int k = 0; k < times.size(); k++) {
        byTick.put(k * SOCKETS + place, times.get(k));
      }
    }

    assertThat(byTick.keySet())
        .as("one ping per tick, each socket once in every twenty")
        .containsExactlyElementsOf(range(byTick.size()));
    assertThat(new ArrayList<>(byTick.values()))
        .as("sockets pinged in the order they connected, round after round")
        .isSorted();
    assertThat(byTick.size()).as("pings in the window").isGreaterThanOrEqualTo(2 * SOCKETS);
    List<Long> ordered = new ArrayList<>(byTick.values());
    boolean spread = false;
    for (int round = 0; (round + 1) * SOCKETS <= ordered.size(); round++) {
      Set<Long> times = new HashSet<>(ordered.subList(round * SOCKETS, (round + 1) * SOCKETS));
      spread |= times.size() > 1;
    }
    assertThat(spread).as("a round's pings sent at more than one time").isTrue();
    assertThat(clients).noneMatch(WsClient::isClosed);
  }

  /**
   * The socket pinged first in the window: the earliest time, and of sockets pinged at that same
   * time (ticks within one millisecond), the one whose predecessor in connection order was not.
   */
  private static int firstPinged(List<List<Long>> window) {
    long earliest =
        window.stream()
            .mapToLong(times -> times.isEmpty() ? Long.MAX_VALUE : times.get(0))
            .min()
            .orElseThrow();
    Set<Integer> atEarliest = new HashSet<>();
    for (int socket = 0; socket < window.size(); socket++) {
      if (!window.get(socket).isEmpty() && window.get(socket).get(0) == earliest) {
        atEarliest.add(socket);
      }
    }
    for (int socket : atEarliest) {
      if (!atEarliest.contains(Math.floorMod(socket - 1, window.size()))) {
        return socket;
      }
    }
    return Collections.min(atEarliest);
  }

  private static List<Integer> range(int size) {
    List<Integer> all = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      all.add(i);
    }
    return all;
  }
}

package io.switchboard.server.history;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.config.Config;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import io.switchboard.server.cluster.HazelcastSetup;
import io.switchboard.server.config.ClusterConfig;
import io.switchboard.server.config.SwitchboardConfig;
import io.switchboard.server.testing.Await;
import io.switchboard.server.testing.ClusterNodes;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The channels' histories in Hazelcast, on three members of one cluster on loopback: entries
 * appended through one member are read back whole and in order through another, each namespace's
 * ringbuffers are sized and aged by its options, and an appended entry survives a member killed
 * right after the append completed (its synchronous backup).
 */
class HazelcastHistoryIT {

  private static final List<HazelcastInstance> members = new ArrayList<>();
  private static Vertx vertx;
  private static Context context;

  @BeforeAll
  static void startTwoMembers() {
    SwitchboardConfig config =
        SwitchboardConfig.fromJson(
            new JsonObject()
                .put(
                    "channels",
                    new JsonObject()
                        .put(
                            "namespaces",
                            new JsonObject()
                                .put(
                                    "feed",
                                    new JsonObject()
                                        .put("join", "anyone")
                                        .put("historySize", 3)
                                        .put("historyTtlMs", 60_500)))));
    int base = ClusterNodes.freePortRun(3);
    List<String> addresses =
        List.of("127.0.0.1:" + base, "127.0.0.1:" + (base + 1), "127.0.0.1:" + (base + 2));
    for (int i = 0; i < 3; i++) {
      Config hazelcast =
          HazelcastSetup.load(
              new ClusterConfig(true, "", "127.0.0.1", base + i, addresses, 0, 2_000));
      HazelcastHistory.configure(hazelcast, config.channels());
      members.add(Hazelcast.newHazelcastInstance(hazelcast));
    }
    vertx = Vertx.vertx();
    context = vertx.getOrCreateContext();
  }

  @AfterAll
  static void stop() {
    members.forEach(HazelcastInstance::shutdown);
    members.clear();
    Await.result(vertx.close());
  }

  private static StoredEntry entry(long offset, String text) {
    return new StoredEntry(
        new HistoryEntry(
            offset, "e1", 1_000 + offset, Buffer.buffer("{\"data\":\"" + text + "\"}")),
        "node-a");
  }

  @Test
  void entriesAppendedThroughOneMemberReadBackInOrderThroughEitherAndTheNamespaceBoundsThem() {
    HazelcastHistory first = new HazelcastHistory(members.get(0));
    HazelcastHistory second = new HazelcastHistory(members.get(1));
    for (int offset = 1; offset <= 5; offset++) {
      Await.result(first.append(context, "feed:a", entry(offset, "m" + offset + " — été")));
    }

    List<StoredEntry> read = Await.result(second.readAll(context, "feed:a"));

    assertThat(read)
        .extracting(stored -> stored.entry().offset())
        .as("the last historySize (3) entries")
        .containsExactly(3L, 4L, 5L);
    assertThat(read.get(2).entry().frame().toString()).isEqualTo("{\"data\":\"m5 — été\"}");
    assertThat(read.get(2).writer()).isEqualTo("node-a");
    assertThat(read.get(2).entry().epoch()).isEqualTo("e1");
    assertThat(
            members
                .get(1)
                .getConfig()
                .findRingbufferConfig(HazelcastHistory.PREFIX + "feed:a")
                .getTimeToLiveSeconds())
        .as("historyTtlMs rounded up to whole seconds")
        .isEqualTo(61);
    assertThat(Await.result(second.readAll(context, "feed:none"))).isEmpty();
  }

  @Test
  void anAppendedEntrySurvivesTheAbruptEndOfAMember() {
    HazelcastHistory doomed = new HazelcastHistory(members.get(2));
    for (int offset = 1; offset <= 3; offset++) {
      Await.result(doomed.append(context, "feed:kept", entry(offset, "k" + offset)));
    }

    members.get(2).getLifecycleService().terminate();

    List<StoredEntry> read =
        Await.result(new HazelcastHistory(members.get(0)).readAll(context, "feed:kept"));
    assertThat(read).extracting(stored -> stored.entry().offset()).containsExactly(1L, 2L, 3L);
  }

  /** A store as a node's routing shard would have it, on a member, under a node id. */
  private static ReplicatedHistoryStore store(int member, String self, Set<String> members) {
    HistoryPolicy policy = new HistoryPolicy(3, 60_500);
    return new ReplicatedHistoryStore(
        new InMemoryHistoryStore(channel -> policy, 100, 1_000_000),
        new HazelcastHistory(HazelcastHistoryIT.members.get(member)),
        channel -> policy,
        self,
        members::contains,
        context);
  }

  private static void sequence(ReplicatedHistoryStore store, String channel, int count) {
    for (int i = 0; i < count; i++) {
      StreamPosition at = store.next(channel);
      Await.result(
          store.keep(
              channel,
              new HistoryEntry(
                  at.offset(), at.epoch(), System.currentTimeMillis(), Buffer.buffer("{}"))));
    }
  }

  @Test
  void aNodeTakingAChannelOverContinuesTheStreamOfAWriterThatIsGoneAndStartsAnewBesideALiveOne() {
    ReplicatedHistoryStore before = store(0, "node-a", Set.of("node-a"));
    Await.result(before.load("feed:moved"));
    sequence(before, "feed:moved", 4);
    StreamPosition last = before.position("feed:moved");

    ReplicatedHistoryStore afterItDied = store(1, "node-b", Set.of("node-b"));
    ReplicatedHistoryStore besideIt = store(1, "node-c", Set.of("node-a", "node-c"));
    Await.result(afterItDied.load("feed:moved"));
    Await.result(besideIt.load("feed:moved"));

    assertThat(afterItDied.position("feed:moved")).isEqualTo(last);
    assertThat(afterItDied.next("feed:moved")).isEqualTo(new StreamPosition(5, last.epoch()));
    HistorySlice kept = Await.result(afterItDied.read("feed:moved", 1, 4, 10, false));
    assertThat(kept.covered()).isTrue();
    assertThat(kept.entries()).extracting(HistoryEntry::offset).containsExactly(2L, 3L, 4L);
    assertThat(besideIt.position("feed:moved").epoch()).isNotEqualTo(last.epoch());
    assertThat(besideIt.position("feed:moved").offset()).isZero();
  }

  @Test
  void anEntryIsReadAsItWasStored() {
    StoredEntry stored = entry(42, "x");

    StoredEntry read = StoredEntry.of(stored.toBytes());

    assertThat(read.writer()).isEqualTo("node-a");
    assertThat(read.entry().offset()).isEqualTo(42);
    assertThat(read.entry().keptAtMs()).isEqualTo(1_042);
    assertThat(read.entry().frame().getBytes()).isEqualTo(stored.entry().frame().getBytes());
  }
}

package io.switchboard.server.history;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.config.Config;
import com.hazelcast.core.DistributedObject;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import io.switchboard.server.cluster.ClusterView;
import io.switchboard.server.cluster.HazelcastSetup;
import io.switchboard.server.config.ClusterConfig;
import io.switchboard.server.config.SwitchboardConfig;
import io.switchboard.server.testing.Await;
import io.switchboard.server.testing.ClusterNodes;
import io.switchboard.server.testing.TestNamespaces;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
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
    JsonObject namespaces =
        TestNamespaces.config("feed", TestNamespaces.open().put("historySize", 3))
            .getJsonObject("channels")
            .getJsonObject("namespaces");
    namespaces.getJsonObject("feed").put("historyTtlMs", 60_500);
    namespaces.put(
        "log", TestNamespaces.open().put("historySize", 1_000).put("historyTtlMs", 60_000));
    SwitchboardConfig config =
        SwitchboardConfig.fromJson(
            new JsonObject().put("channels", new JsonObject().put("namespaces", namespaces)));
    int base = ClusterNodes.freePortRun(3);
    List<String> addresses =
        List.of("127.0.0.1:" + base, "127.0.0.1:" + (base + 1), "127.0.0.1:" + (base + 2));
    for (int i = 0; i < 3; i++) {
      Config hazelcast =
          HazelcastSetup.load(
              new ClusterConfig(true, "", "127.0.0.1", base + i, addresses, 0, 2_000));
      HazelcastHistory.configure(hazelcast, config.channels(), 0);
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
        "node-a",
        offset % 2 == 0 ? "5:alicesession-" + offset : null);
  }

  @Test
  void entriesAppendedThroughOneMemberReadBackInOrderThroughEitherAndTheNamespaceBoundsThem() {
    HazelcastHistory first = new HazelcastHistory(members.get(0));
    HazelcastHistory second = new HazelcastHistory(members.get(1));
    for (int offset = 1; offset <= 5; offset++) {
      Await.result(
          first.appendAll(context, "feed:a", List.of(entry(offset, "m" + offset + " — été"))));
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
      Await.result(doomed.appendAll(context, "feed:kept", List.of(entry(offset, "k" + offset))));
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
        new ClusterView(self, List.copyOf(members)),
        context);
  }

  /** Loads a channel's stream, if the store says it must. */
  private static void load(ReplicatedHistoryStore store, String channel) {
    Future<List<StoredEntry>> loading = store.load(channel);
    if (loading != null) {
      Await.result(loading);
    }
  }

  private static void sequence(ReplicatedHistoryStore store, String channel, int count) {
    for (int i = 0; i < count; i++) {
      StreamPosition at = store.next(channel);
      Await.result(
          store.keep(
              channel,
              new HistoryEntry(
                  at.offset(), at.epoch(), System.currentTimeMillis(), Buffer.buffer("{}")),
              null));
    }
  }

  @Test
  void aNodeTakingAChannelOverContinuesTheStreamOfAWriterThatIsGoneAndStartsAnewBesideALiveOne() {
    ReplicatedHistoryStore before = store(0, "node-a", Set.of("node-a"));
    load(before, "feed:moved");
    sequence(before, "feed:moved", 4);
    StreamPosition last = before.position("feed:moved");

    ReplicatedHistoryStore afterItDied = store(1, "node-b", Set.of("node-b"));
    ReplicatedHistoryStore besideIt = store(1, "node-c", Set.of("node-a", "node-c"));
    load(afterItDied, "feed:moved");
    load(besideIt, "feed:moved");

    assertThat(afterItDied.position("feed:moved")).isEqualTo(last);
    assertThat(afterItDied.next("feed:moved")).isEqualTo(new StreamPosition(5, last.epoch()));
    HistorySlice kept = Await.result(afterItDied.read("feed:moved", 1, 4, 10, false));
    assertThat(kept.covered()).isTrue();
    assertThat(kept.entries()).extracting(HistoryEntry::offset).containsExactly(2L, 3L, 4L);
    assertThat(besideIt.position("feed:moved").epoch()).isNotEqualTo(last.epoch());
    assertThat(besideIt.position("feed:moved").offset()).isZero();
  }

  /**
   * As {@link #store(int, String, Set)}, for channels of the {@code log} namespace (1,000 kept).
   */
  private static ReplicatedHistoryStore logStore(int member, ClusterView view) {
    HistoryPolicy policy = new HistoryPolicy(1_000, 60_000);
    return new ReplicatedHistoryStore(
        new InMemoryHistoryStore(channel -> policy, 100, 10_000_000),
        new HazelcastHistory(HazelcastHistoryIT.members.get(member)),
        channel -> policy,
        view,
        context);
  }

  private static Future<Void> keepNext(ReplicatedHistoryStore store, String channel, String key) {
    StreamPosition at = store.next(channel);
    return store.keep(
        channel,
        new HistoryEntry(
            at.offset(),
            at.epoch(),
            System.currentTimeMillis(),
            Buffer.buffer("{\"n\":" + at.offset() + "}")),
        key);
  }

  @Test
  void aStreamsPositionStaysBeforeMessagesNotYetBackedUpAndTheyAreStoredInOrder() {
    ReplicatedHistoryStore store = logStore(0, new ClusterView("node-a", List.of("node-a")));
    load(store, "log:order");
    List<Future<Void>> kept = new ArrayList<>();
    List<StreamPosition> seenBefore = new ArrayList<>();
    // Sequenced on the store's context, as a routing shard does, without waiting in between.
    Await.result(
        vertx.executeBlocking(
            () -> {
              CountDownLatch sequenced = new CountDownLatch(1);
              context.runOnContext(
                  go -> {
                    for (int i = 0; i < 200; i++) {
                      kept.add(keepNext(store, "log:order", i % 3 == 0 ? "5:alice" + i : null));
                      seenBefore.add(store.position("log:order"));
                    }
                    sequenced.countDown();
                  });
              return sequenced.await(10, TimeUnit.SECONDS);
            }));

    assertThat(seenBefore.get(199).offset())
        .as("a join told this position can never be replayed a message that may be lost")
        .isLessThan(200);
    Await.result(Future.all(kept));
    assertThat(store.position("log:order").offset()).as("every append settled").isEqualTo(200);
    List<StoredEntry> stored =
        Await.result(new HazelcastHistory(members.get(1)).readAll(context, "log:order"));
    assertThat(stored)
        .extracting(entry -> entry.entry().offset())
        .containsExactlyElementsOf(LongStream.rangeClosed(1, 200).boxed().toList());
    assertThat(stored.get(3).publishKey()).isEqualTo("5:alice3");
    assertThat(stored.get(4).publishKey()).isNull();
  }

  @Test
  void afterTheOwnersChangeAStreamIsCheckedAgainstTheClustersCopyBeforeItsNextUse() {
    ClusterView seenByA = new ClusterView("node-a", List.of("node-a"));
    ReplicatedHistoryStore a = logStore(0, seenByA);
    load(a, "log:owners");
    Await.result(keepNext(a, "log:owners", null));
    Await.result(keepNext(a, "log:owners", null));
    StreamPosition first = a.position("log:owners");
    assertThat(a.load("log:owners")).as("loaded, and the owners did not change").isNull();

    seenByA.update(List.of("node-a"));
    load(a, "log:owners");
    assertThat(a.position("log:owners")).as("it wrote last: its stream stands").isEqualTo(first);

    // node-b took the channel over while node-a was unreachable, and wrote two messages.
    ReplicatedHistoryStore b = logStore(1, new ClusterView("node-b", List.of("node-b")));
    load(b, "log:owners");
    Await.result(keepNext(b, "log:owners", "5:bobby1"));
    Await.result(keepNext(b, "log:owners", null));
    assertThat(b.position("log:owners")).isEqualTo(new StreamPosition(4, first.epoch()));

    seenByA.update(List.of("node-a"));
    Future<List<StoredEntry>> reloaded = a.load("log:owners");
    assertThat(reloaded).isNotNull();
    List<StoredEntry> adopted = Await.result(reloaded);
    assertThat(a.position("log:owners"))
        .as("node-b is gone: node-a continues its stream, not its own stale copy")
        .isEqualTo(new StreamPosition(4, first.epoch()));
    assertThat(adopted).extracting(StoredEntry::publishKey).contains("5:bobby1");
    HistorySlice kept = Await.result(a.read("log:owners", 0, 4, 10, false));
    assertThat(kept.entries()).extracting(HistoryEntry::offset).containsExactly(1L, 2L, 3L, 4L);
  }

  @Test
  void theOwnerDestroysARingbufferOnceEverythingInItAgedOutAndUsesItAfreshAfter() {
    ReplicatedHistoryStore store = logStore(0, new ClusterView("node-a", List.of("node-a")));
    load(store, "log:idle");
    Await.result(keepNext(store, "log:idle", null));
    String name = HazelcastHistory.PREFIX + "log:idle";
    assertThat(members.get(1).getDistributedObjects())
        .extracting(DistributedObject::getName)
        .contains(name);

    store.expire(System.currentTimeMillis() + 120_000);

    Await.until(
        "the ringbuffer is destroyed",
        () ->
            members.get(1).getDistributedObjects().stream()
                .noneMatch(object -> object.getName().equals(name)));
    Future<List<StoredEntry>> waiting = store.load("log:idle");
    if (waiting != null) {
      Await.result(waiting);
    }
    Await.result(keepNext(store, "log:idle", null));
    assertThat(Await.result(new HazelcastHistory(members.get(1)).readAll(context, "log:idle")))
        .extracting(stored -> stored.entry().offset())
        .containsExactly(2L);
  }

  @Test
  void anEntryIsReadAsItWasStored() {
    StoredEntry stored = entry(42, "x");

    StoredEntry read = StoredEntry.of(stored.toBytes());

    assertThat(read.writer()).isEqualTo("node-a");
    assertThat(read.publishKey()).isEqualTo("5:alicesession-42");
    assertThat(StoredEntry.of(entry(43, "y").toBytes()).publishKey()).isNull();
    assertThat(read.entry().offset()).isEqualTo(42);
    assertThat(read.entry().keptAtMs()).isEqualTo(1_042);
    assertThat(read.entry().frame().getBytes()).isEqualTo(stored.entry().frame().getBytes());
  }
}

package io.switchboard.server.history;

import io.vertx.core.Context;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The {@link HistoryStore} of a clustered node: the streams this routing shard sequences, in memory
 * as on a node alone, and every kept message also appended to the cluster's copy ({@link
 * HazelcastHistory}), which completes once a second member holds it. A node that takes a channel
 * over first loads its stream from the cluster's copy ({@link #load}): it continues the epoch and
 * the offsets of the node that sequenced it before when that node is gone, and starts a new epoch
 * when it is still a member (it may still be sequencing until it sees the new owner: two writers
 * never share an epoch). Used only on the shard's event loop.
 *
 * <p>WIP (branch wip/replicated-history): not yet used by routing.
 */
public final class ReplicatedHistoryStore implements HistoryStore {

  private final InMemoryHistoryStore local;
  private final HazelcastHistory shared;
  private final Function<String, HistoryPolicy> policies;
  private final String self;
  private final Predicate<String> isMember;
  private final Context context;

  /** The channels whose stream was loaded (or found absent) since this node last changed owners. */
  private final Set<String> loaded = new HashSet<>();

  /** Loads under way, so that every request for a channel waits on the same one. */
  private final Map<String, Future<Void>> loading = new HashMap<>();

  /**
   * @param self this node's cluster id, written with every entry
   * @param isMember whether a node id is a member of the cluster now
   */
  public ReplicatedHistoryStore(
      InMemoryHistoryStore local,
      HazelcastHistory shared,
      Function<String, HistoryPolicy> policies,
      String self,
      Predicate<String> isMember,
      Context context) {
    this.local = local;
    this.shared = shared;
    this.policies = policies;
    this.self = self;
    this.isMember = isMember;
    this.context = context;
  }

  /** Whether the channel's stream may be used now, without {@link #load} first. */
  public boolean ready(String channel) {
    return loaded.contains(channel) || !policies.apply(channel).keeps();
  }

  /**
   * Loads a channel's stream from the cluster's copy before its first use on this node: completes
   * once {@link #position} and {@link #next} may be asked.
   */
  public Future<Void> load(String channel) {
    if (ready(channel)) {
      return Future.succeededFuture();
    }
    Future<Void> pending = loading.get(channel);
    if (pending != null) {
      return pending;
    }
    Future<Void> load =
        shared
            .readAll(context, channel)
            .map(
                entries -> {
                  adopt(channel, entries);
                  return (Void) null;
                })
            .andThen(done -> loading.remove(channel));
    loading.put(channel, load);
    return load;
  }

  private void adopt(String channel, List<StoredEntry> entries) {
    loaded.add(channel);
    if (entries.isEmpty()) {
      return;
    }
    StoredEntry last = entries.get(entries.size() - 1);
    if (!last.writer().equals(self) && isMember.test(last.writer())) {
      // Its writer may still be sequencing: a new epoch, never two writers in one.
      local.drop(channel);
      return;
    }
    String epoch = last.entry().epoch();
    List<HistoryEntry> kept = new ArrayList<>();
    for (StoredEntry stored : entries) {
      if (stored.entry().epoch().equals(epoch)) {
        kept.add(stored.entry());
      }
    }
    local.adopt(channel, epoch, last.entry().offset(), kept);
  }

  /**
   * The cluster's owners changed: streams of channels this node no longer owns are dropped, and
   * every stream is loaded again before its next use (another node may have sequenced it since).
   */
  public void ownersChanged(Predicate<String> ownsHere) {
    for (String channel : local.channels()) {
      if (!ownsHere.test(channel)) {
        local.drop(channel);
      }
    }
    loaded.clear();
  }

  @Override
  public StreamPosition position(String channel) {
    return local.position(channel);
  }

  @Override
  public StreamPosition next(String channel) {
    return local.next(channel);
  }

  @Override
  public Future<Void> keep(String channel, HistoryEntry entry) {
    local.keep(channel, entry);
    if (!policies.apply(channel).keeps()) {
      return Future.succeededFuture();
    }
    return shared.append(context, channel, new StoredEntry(entry, self));
  }

  @Override
  public Future<HistorySlice> read(
      String channel, long after, long upTo, int limit, boolean newest) {
    return local.read(channel, after, upTo, limit, newest);
  }

  @Override
  public void expire(long nowMs) {
    local.expire(nowMs);
  }

  @Override
  public int streams() {
    return local.streams();
  }

  @Override
  public long bytes() {
    return local.bytes();
  }
}

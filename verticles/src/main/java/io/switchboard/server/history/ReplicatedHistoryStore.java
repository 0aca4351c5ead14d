package io.switchboard.server.history;

import io.switchboard.server.cluster.ClusterView;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link HistoryStore} of a clustered node: the streams this routing shard sequences, in memory
 * as on a node alone, and every message a channel keeps also appended to the cluster's copy ({@link
 * HazelcastHistory}): {@link #keep} completes once a second member holds it, and until then the
 * stream's {@link #position} stays before it (what a join is told it may recover never includes a
 * message that could still be lost).
 *
 * <p>Before its first use on this node, and again after any change of the cluster's owners, a
 * channel's stream is loaded from the cluster's copy ({@link #load}): this node continues the epoch
 * and the offsets of the node that wrote the stream last when that node is gone (it died or left)
 * or is this one, and starts a new epoch when that node is still a member (it may be sequencing
 * until it sees the new owner: two writers never share an epoch). A channel whose copy holds
 * nothing (never written, or every message aged out) starts a new epoch too, since nothing says
 * which epoch the cluster saw last.
 *
 * <p>An append the cluster refuses fails the message and every later one of its epoch, and the
 * channel starts a new epoch: subscribers never see an offset skipped. Used only on the shard's
 * event loop.
 */
public final class ReplicatedHistoryStore implements HistoryStore {

  private static final Logger log = LoggerFactory.getLogger(ReplicatedHistoryStore.class);

  /** The appends of one channel under way: one batch at a time, in offset order. */
  private static final class Appends {
    final String epoch;
    long settled;
    boolean inFlight;
    Future<Void> newest;
    List<StoredEntry> queued = new ArrayList<>();
    List<Promise<Void>> waiting = new ArrayList<>();

    Appends(String epoch, long settled) {
      this.epoch = epoch;
      this.settled = settled;
    }
  }

  private final InMemoryHistoryStore local;
  private final HazelcastHistory shared;
  private final Function<String, HistoryPolicy> policies;
  private final ClusterView view;
  private final Context context;

  /** The channels whose stream was loaded since the owners last changed. */
  private final Set<String> loaded = new HashSet<>();

  private final Map<String, Future<List<StoredEntry>>> loading = new HashMap<>();
  private final Map<String, Appends> appends = new HashMap<>();

  /** The channels whose ringbuffer this shard used, which it destroys once it holds nothing. */
  private final Set<String> inCluster = new HashSet<>();

  private long loadedAtVersion;

  /**
   * @param view the cluster's members: which node is this one, which are members, which owns a
   *     channel, and whether that changed
   */
  public ReplicatedHistoryStore(
      InMemoryHistoryStore local,
      HazelcastHistory shared,
      Function<String, HistoryPolicy> policies,
      ClusterView view,
      Context context) {
    this.local = local;
    this.shared = shared;
    this.policies = policies;
    this.view = view;
    this.context = context;
    this.loadedAtVersion = view.version();
  }

  @Override
  public Future<List<StoredEntry>> load(String channel) {
    if (!policies.apply(channel).keeps()) {
      return null;
    }
    long version = view.version();
    if (version != loadedAtVersion) {
      // Another node may have sequenced any channel since: each is checked again before its next
      // use here.
      loaded.clear();
      loadedAtVersion = version;
    }
    if (loaded.contains(channel) && local.has(channel)) {
      return null;
    }
    Future<List<StoredEntry>> pending = loading.get(channel);
    if (pending != null) {
      return pending;
    }
    inCluster.add(channel);
    // What this node still appends belongs to the stream it checks: those first.
    Future<List<StoredEntry>> load =
        settled(channel)
            .compose(appended -> shared.newest(context, channel))
            .compose(newest -> fromNewest(channel, newest))
            .recover(
                failure -> {
                  log.warn(
                      "could not load the history of channel '{}' from the cluster, its stream"
                          + " starts a new epoch: {}",
                      channel,
                      failure.toString());
                  local.drop(channel);
                  return Future.succeededFuture(List.of());
                })
            .andThen(
                done -> {
                  loading.remove(channel);
                  loaded.add(channel);
                });
    loading.put(channel, load);
    return load;
  }

  private Future<List<StoredEntry>> fromNewest(String channel, StoredEntry newest) {
    if (newest == null) {
      local.drop(channel);
      return Future.succeededFuture(List.of());
    }
    HistoryEntry last = newest.entry();
    if (newest.writer().equals(view.self())
        && local.has(channel)
        && local.position(channel).equals(new StreamPosition(last.offset(), last.epoch()))) {
      return Future.succeededFuture(List.of());
    }
    if (!newest.writer().equals(view.self()) && view.isMember(newest.writer())) {
      local.drop(channel);
      return Future.succeededFuture(List.of());
    }
    return shared.readAll(context, channel).map(entries -> adopt(channel, newest, entries));
  }

  /** Continues the stream whose newest entry is {@code newest}; returns the entries adopted. */
  private List<StoredEntry> adopt(String channel, StoredEntry newest, List<StoredEntry> entries) {
    String epoch = newest.entry().epoch();
    List<StoredEntry> adopted = new ArrayList<>();
    List<HistoryEntry> kept = new ArrayList<>();
    for (StoredEntry stored : entries) {
      if (stored.entry().epoch().equals(epoch)
          && stored.entry().offset() <= newest.entry().offset()) {
        adopted.add(stored);
        kept.add(stored.entry());
      }
    }
    local.adopt(channel, epoch, newest.entry().offset(), kept);
    return adopted;
  }

  @Override
  public Future<List<HistoryEntry>> copy(String channel) {
    if (!policies.apply(channel).keeps()) {
      return null;
    }
    return shared
        .readAll(context, channel)
        .map(entries -> entries.stream().map(StoredEntry::entry).toList());
  }

  @Override
  public StreamPosition position(String channel) {
    Appends pending = appends.get(channel);
    return pending != null
        ? new StreamPosition(pending.settled, pending.epoch)
        : local.position(channel);
  }

  @Override
  public StreamPosition next(String channel) {
    return local.next(channel);
  }

  @Override
  public Future<Void> keep(String channel, HistoryEntry entry, String publishKey) {
    local.keep(channel, entry, publishKey);
    if (!policies.apply(channel).keeps()) {
      return Future.succeededFuture();
    }
    inCluster.add(channel);
    Appends pending =
        appends.computeIfAbsent(channel, c -> new Appends(entry.epoch(), entry.offset() - 1));
    Promise<Void> kept = Promise.promise();
    pending.queued.add(new StoredEntry(entry, view.self(), publishKey));
    pending.waiting.add(kept);
    pending.newest = kept.future();
    if (!pending.inFlight) {
      flush(channel, pending);
    }
    return kept.future();
  }

  /** Appends what is queued in one batch; the next batch follows once it is backed up. */
  private void flush(String channel, Appends pending) {
    List<StoredEntry> batch = pending.queued;
    List<Promise<Void>> waiting = pending.waiting;
    pending.queued = new ArrayList<>();
    pending.waiting = new ArrayList<>();
    pending.inFlight = true;
    shared
        .appendAll(context, channel, batch)
        .onComplete(
            (appended, failure) -> {
              pending.inFlight = false;
              if (failure != null) {
                refused(channel, pending, waiting, failure);
                return;
              }
              pending.settled = batch.get(batch.size() - 1).entry().offset();
              if (pending.queued.isEmpty()) {
                appends.remove(channel);
              } else {
                flush(channel, pending);
              }
              waiting.forEach(Promise::complete);
            });
  }

  /**
   * The cluster did not take a batch: it and everything queued after it fail, and the channel's
   * next message starts a new epoch.
   */
  private void refused(
      String channel, Appends pending, List<Promise<Void>> waiting, Throwable failure) {
    log.warn(
        "the cluster did not keep {} message(s) of channel '{}', which starts a new epoch: {}",
        waiting.size() + pending.waiting.size(),
        channel,
        failure.toString());
    appends.remove(channel);
    local.drop(channel);
    List<Promise<Void>> all = new ArrayList<>(waiting);
    all.addAll(pending.waiting);
    all.forEach(promise -> promise.fail(failure));
  }

  @Override
  public Future<Void> settled(String channel) {
    Appends pending = appends.get(channel);
    // The newest append decides: batches complete in order, and a refused one fails every later.
    return pending == null
        ? Future.succeededFuture()
        : pending.newest.transform(done -> Future.succeededFuture());
  }

  @Override
  public Future<HistorySlice> read(
      String channel, long after, long upTo, int limit, boolean newest) {
    return local.read(channel, after, upTo, limit, newest);
  }

  /**
   * Drops what has outlived its namespace's {@code historyTtlMs}, and destroys the ringbuffers of
   * the channels this node owns that hold nothing any more (every message aged out, or the stream
   * dropped to keep within {@code channels.maxStreams} or {@code channels.maxHistoryBytes}): the
   * cluster keeps no ringbuffer for a channel nobody uses. Such a channel's stream starts a new
   * epoch when it next changes owner, as one without history does.
   */
  @Override
  public void expire(long nowMs) {
    local.expire(nowMs);
    for (Iterator<String> channels = inCluster.iterator(); channels.hasNext(); ) {
      String channel = channels.next();
      if (appends.containsKey(channel) || loading.containsKey(channel)) {
        continue;
      }
      if (!view.ownsHere(channel)) {
        // Its owner looks after it now.
        channels.remove();
        continue;
      }
      if (local.keptCount(channel) > 0) {
        continue;
      }
      channels.remove();
      loaded.remove(channel);
      // Until it is gone, the channel's next use waits: nothing is appended to a ringbuffer that
      // is being destroyed.
      Future<List<StoredEntry>> destroyed =
          shared
              .destroy(context, channel)
              .<List<StoredEntry>>map(done -> List.of())
              .otherwise(
                  failure -> {
                    log.warn(
                        "could not destroy the ringbuffer of channel '{}': {}",
                        channel,
                        failure.toString());
                    return List.of();
                  })
              .andThen(
                  done -> {
                    loading.remove(channel);
                    loaded.add(channel);
                  });
      loading.put(channel, destroyed);
    }
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

package io.switchboard.server.history;

import com.hazelcast.config.Config;
import com.hazelcast.config.InMemoryFormat;
import com.hazelcast.config.RingbufferConfig;
import com.hazelcast.config.SplitBrainProtectionConfig;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.ringbuffer.OverflowPolicy;
import com.hazelcast.ringbuffer.ReadResultSet;
import com.hazelcast.ringbuffer.Ringbuffer;
import com.hazelcast.splitbrainprotection.SplitBrainProtectionException;
import io.switchboard.server.config.ChannelsConfig;
import io.switchboard.server.config.ChannelsConfig.NamespaceConfig;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;

/**
 * The channels' histories in Hazelcast, shared by the cluster: one ringbuffer per channel, named
 * {@code switchboard.history.<channel>}, sized and aged by the channel's namespace ({@code
 * historySize}, {@code historyTtlMs} rounded up to whole seconds) and with one synchronous backup,
 * so that an append completes only once a second member holds the entry too.
 */
public final class HazelcastHistory {

  /** The ringbuffers' name prefix. */
  public static final String PREFIX = "switchboard.history.";

  /**
   * The split-brain protection of the ringbuffers, when {@code cluster.historyQuorum} asks for one.
   */
  static final String QUORUM = "switchboard-history";

  /** Hazelcast reads at most this many items at once. */
  private static final int READ_BATCH = 1_000;

  private final HazelcastInstance hazelcast;

  public HazelcastHistory(HazelcastInstance hazelcast) {
    this.hazelcast = hazelcast;
  }

  /**
   * Adds a ringbuffer configuration for every namespace that keeps history: {@code
   * switchboard.history.<prefix>:*}, and {@code switchboard.history.*} for the namespace {@code ""}
   * (Hazelcast takes the most specific pattern that matches).
   *
   * @param quorum {@code cluster.historyQuorum}: with fewer members than this, the cluster neither
   *     reads nor writes histories (a split cluster's smaller side cannot continue a stream the
   *     other side continues too); 0 for no such protection
   */
  public static void configure(Config config, ChannelsConfig channels, int quorum) {
    if (quorum > 0) {
      config.addSplitBrainProtectionConfig(new SplitBrainProtectionConfig(QUORUM, true, quorum));
    }
    for (NamespaceConfig namespace : channels.namespaces().values()) {
      if (namespace.historySize() == 0) {
        continue;
      }
      String pattern =
          namespace.prefix().isEmpty() ? PREFIX + "*" : PREFIX + namespace.prefix() + ":*";
      config.addRingBufferConfig(
          new RingbufferConfig(pattern)
              .setCapacity(namespace.historySize())
              .setTimeToLiveSeconds(
                  (int) Math.min(Integer.MAX_VALUE, (namespace.historyTtlMs() + 999) / 1_000))
              .setBackupCount(1)
              .setAsyncBackupCount(0)
              .setInMemoryFormat(InMemoryFormat.BINARY)
              .setSplitBrainProtectionName(quorum > 0 ? QUORUM : null));
    }
  }

  /**
   * Appends entries to their channel's ringbuffer in one operation, in the order given; completes
   * on {@code context} once the backup holds them all.
   */
  public Future<Void> appendAll(Context context, String channel, List<StoredEntry> entries) {
    List<byte[]> items = new ArrayList<>(entries.size());
    for (StoredEntry entry : entries) {
      items.add(entry.toBytes());
    }
    return Future.fromCompletionStage(
            ringbuffer(channel).addAllAsync(items, OverflowPolicy.OVERWRITE), context)
        .transform(
            (added, failure) ->
                failure == null ? Future.succeededFuture() : Future.failedFuture(explain(failure)));
  }

  /**
   * The newest entry the channel's ringbuffer holds, or null when it holds none; completes on
   * {@code context}. Hazelcast asks for the ringbuffer's sequences only in blocking calls, so this
   * runs on a worker thread.
   */
  public Future<StoredEntry> newest(Context context, String channel) {
    return context.executeBlocking(
        () -> {
          Ringbuffer<byte[]> ringbuffer = ringbuffer(channel);
          long tail = ringbuffer.tailSequence();
          if (tail < 0 || tail < ringbuffer.headSequence()) {
            return null;
          }
          return StoredEntry.of(ringbuffer.readOne(tail));
        },
        false);
  }

  /** Destroys the channel's ringbuffer and what it holds, on every member; on a worker thread. */
  public Future<Void> destroy(Context context, String channel) {
    return context.executeBlocking(
        () -> {
          ringbuffer(channel).destroy();
          return null;
        },
        false);
  }

  /**
   * Every entry the channel's ringbuffer still holds, oldest first; completes on {@code context}.
   */
  public Future<List<StoredEntry>> readAll(Context context, String channel) {
    Promise<List<StoredEntry>> result = Promise.promise();
    // Hazelcast reads no more at once than a ringbuffer holds; its configuration is local.
    int batch =
        Math.min(
            READ_BATCH, hazelcast.getConfig().findRingbufferConfig(PREFIX + channel).getCapacity());
    readFrom(context, ringbuffer(channel), 0, batch, new ArrayList<>(), result);
    return result.future();
  }

  private void readFrom(
      Context context,
      Ringbuffer<byte[]> ringbuffer,
      long sequence,
      int batchSize,
      List<StoredEntry> read,
      Promise<List<StoredEntry>> result) {
    // A sequence older than the ringbuffer's head reads from its head.
    Future.fromCompletionStage(ringbuffer.readManyAsync(sequence, 0, batchSize, null), context)
        .onFailure(result::fail)
        .onSuccess(
            (ReadResultSet<byte[]> batch) -> {
              for (byte[] item : batch) {
                read.add(StoredEntry.of(item));
              }
              if (batch.readCount() < batchSize) {
                result.complete(read);
              } else {
                readFrom(
                    context,
                    ringbuffer,
                    batch.getNextSequenceToReadFrom(),
                    batchSize,
                    read,
                    result);
              }
            });
  }

  /** A refusal for want of members says so in the configuration's terms. */
  private Throwable explain(Throwable failure) {
    Throwable cause =
        failure instanceof CompletionException && failure.getCause() != null
            ? failure.getCause()
            : failure;
    if (!(cause instanceof SplitBrainProtectionException)) {
      return failure;
    }
    SplitBrainProtectionConfig quorum = hazelcast.getConfig().getSplitBrainProtectionConfig(QUORUM);
    return new IllegalStateException(
        "the cluster has fewer members than cluster.historyQuorum ("
            + quorum.getMinimumClusterSize()
            + "): it keeps no history until enough members are back",
        cause);
  }

  private Ringbuffer<byte[]> ringbuffer(String channel) {
    return hazelcast.getRingbuffer(PREFIX + channel);
  }
}

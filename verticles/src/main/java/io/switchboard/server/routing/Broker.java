package io.switchboard.server.routing;

import io.switchboard.server.cluster.ChannelFrame;
import io.vertx.core.Future;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import java.util.Collection;

/**
 * The one place a routing shard asks whether a channel's messages stay in this JVM or go to other
 * nodes: which node sequences a channel, where its messages go besides this node's subscribers, and
 * who must hear that this node's interest in a channel began or ended. {@link LocalBroker} for a
 * node alone, {@link ClusterLink} in a cluster. Used only on the shard's event loop.
 */
interface Broker {

  /** Whether this node sequences the channel's messages now (always, alone). */
  boolean ownsHere(String channel);

  /** Hands a client publish to the node that owns its channel; its answer, or why it failed. */
  Future<Message<JsonObject>> forward(ChannelFrame publish);

  /** Hands a service broadcast to the node that owns its channel. */
  Future<Message<Object>> forwardBroadcast(String channel, Object body);

  /**
   * Asks the node that owns a channel about its stream (a history request, or a join's position):
   * body and answer as {@code RoutingShards.HISTORY}.
   */
  Future<Message<JsonObject>> forwardHistory(String channel, JsonObject body);

  /**
   * A channel got its first local subscriber; completes once every node that may sequence its
   * messages knows, so that nothing sequenced after the answer misses the subscriber.
   */
  Future<Void> opened(String channel);

  /** A join to a channel that was already open here: completes when its opening has been told. */
  Future<Void> ready(String channel);

  /** A channel lost its last local subscriber. */
  void closed(String channel);

  /** Sends a channel message, sequenced here, once to every other node with subscribers. */
  void fanOut(ChannelFrame message);

  /** As {@link #fanOut}, summing the sockets each node wrote it to. */
  Future<Integer> fanOutCounted(ChannelFrame message);

  /** A broadcast to users or organisations, to every other node for its own connections. */
  Future<Integer> broadcastToOthers(Object body);

  /**
   * Of the channels given (this shard's) and those other nodes told this shard of, how many this
   * node owns: summed over every shard of every node, each channel counts once.
   */
  int ownedChannels(Collection<String> localChannels);
}

package io.switchboard.server.routing;

import io.switchboard.protocol.Addresses;
import io.switchboard.protocol.BusErrors;
import io.switchboard.protocol.ProtocolError;
import io.switchboard.protocol.ProtocolException;
import io.switchboard.server.bus.InternalAddresses;
import io.switchboard.server.cluster.ClusterView;
import io.switchboard.server.cluster.NodeAddresses;
import io.switchboard.server.config.ChannelsConfig;
import io.switchboard.server.frame.Incidents;
import io.switchboard.server.history.HazelcastHistory;
import io.switchboard.server.history.HistoryRequest;
import io.switchboard.server.history.InMemoryHistoryStore;
import io.switchboard.server.history.ReplicatedHistoryStore;
import io.switchboard.server.history.StreamPosition;
import io.switchboard.server.metrics.SwitchboardMetrics;
import io.switchboard.server.plugin.PluginRoute;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place that decides what a message becomes: joins and leaves, client publishes, service
 * broadcasts to channels, users and organisations. Encodes each outgoing frame once and publishes
 * it to the channel's delivery address (or sends it to the instances holding the targets). This
 * class wires a shard and decides its channels' memberships; their messages are {@link
 * ChannelMessages}'s.
 *
 * <p>One instance per shard ({@link RoutingShards}): it owns the channels that hash to it, so every
 * message of a channel passes one event loop in one order while other channels go through the
 * others. A shard counts its channels' subscribers per connection instance ({@link ChannelIndex});
 * the connection instances' hubs alone know who the subscribers are, and routing asks them to
 * deliver to users, organisations or some of a channel's subscribers ({@link HubDeliveries}).
 *
 * <p>Whether a message stays on this node is its {@link Broker}'s business. Clustered ({@link
 * ClusterLink}), every node runs the same shards, and each channel also has one owner node: a
 * publish or channel broadcast entering another node is forwarded to the shard holding the channel
 * on the owner, which writes it to its own subscribers and sends it once to every other node with
 * subscribers, where that node's shard hands it to its instances. Every message of a channel thus
 * passes one event loop of one node, in one order.
 *
 * <p>That one place gives every channel message its offset and epoch ({@link ChannelStreams}),
 * keeps it in history when the channel's namespace asks for it, and decides there, in the channel's
 * order, what a join recovers and what a history request reads. Clustered, a join or history
 * request on a node that does not own the channel asks the owner.
 */
public final class RoutingVerticle extends VerticleBase {

  private static final Logger log = LoggerFactory.getLogger(RoutingVerticle.class);

  /** How often each shard drops the history that has outlived its namespace's TTL. */
  static final long EXPIRY_INTERVAL_MS = 1_000;

  private final int shard;
  private final RoutingShards shards;
  private final SwitchboardMetrics metrics;
  private final Map<String, PluginRoute> pluginRoutes;
  private final ClusterView view;
  private final HazelcastHistory sharedHistory;
  private final long answerTimeoutMs;
  private final IntSupplier openConnections;
  private final ChannelsConfig channels;
  private final ChannelIndex index = new ChannelIndex();
  private ChannelStreams streams;
  private StreamQuestions questions;
  private long expiryTimer = -1;

  /** Where channel messages go besides this node's subscribers. */
  private Broker broker = LocalBroker.INSTANCE;

  private ChannelMessages messages;
  private PresenceNotices notices;

  private final List<MessageConsumer<?>> consumers = new ArrayList<>();
  private EventBus eventBus;

  /**
   * @param shard which of the {@code shards} this instance is
   * @param pluginRoutes for each plugin message type, the plugin that owns it
   * @param view the cluster's members when clustered, null on a node alone
   * @param sharedHistory the cluster's copy of the channels' histories, null on a node alone
   * @param answerTimeoutMs how long to wait for other nodes ({@code cluster.answerTimeoutMs})
   * @param openConnections how many WebSockets this node holds, for the stats query
   * @param channels the channel options: history per namespace, and the caps on streams and history
   *     (this shard holds its share of them)
   */
  public RoutingVerticle(
      int shard,
      RoutingShards shards,
      SwitchboardMetrics metrics,
      Map<String, PluginRoute> pluginRoutes,
      ClusterView view,
      HazelcastHistory sharedHistory,
      long answerTimeoutMs,
      IntSupplier openConnections,
      ChannelsConfig channels) {
    this.shard = shard;
    this.shards = shards;
    this.metrics = metrics;
    this.pluginRoutes = Map.copyOf(pluginRoutes);
    this.view = view;
    this.sharedHistory = sharedHistory;
    this.answerTimeoutMs = answerTimeoutMs;
    this.openConnections = openConnections;
    this.channels = channels;
  }

  @Override
  public Future<?> start() {
    eventBus = vertx.eventBus();
    InMemoryHistoryStore local =
        new InMemoryHistoryStore(
            channels::history,
            share(channels.maxStreams(), shards.count()),
            share(channels.maxHistoryBytes(), shards.count()));
    streams =
        new ChannelStreams(
            view == null || sharedHistory == null
                ? local
                : new ReplicatedHistoryStore(
                    local, sharedHistory, channels::history, view, context),
            channels,
            share(channels.maxDedupEntries(), shards.count()),
            metrics::dedupForgotten);
    messages =
        new ChannelMessages(
            eventBus,
            shard,
            shards,
            metrics,
            index,
            streams,
            new HubDeliveries(eventBus),
            () -> broker,
            view == null
                ? null
                : (channel, after) ->
                    broker.ownsHere(channel)
                        ? streams.join(channel, after)
                        : questions.askOwner(
                            channel,
                            new JsonObject()
                                .put("offset", after.offset())
                                .put("epoch", after.epoch())));
    notices = new PresenceNotices(messages::toChannelInOrder);
    questions = new StreamQuestions(eventBus, shards, streams, () -> broker, channels);
    expiryTimer = vertx.setPeriodic(EXPIRY_INTERVAL_MS, t -> streams.expire());
    consumeLocal(RoutingShards.INSTANCE, this::onInstance);
    consumeLocal(RoutingShards.JOIN, this::onJoin);
    consumeLocal(RoutingShards.LEAVE, this::onLeave);
    consumeLocal(RoutingShards.PUBLISH, messages::onPublish);
    consumeLocal(RoutingShards.BROADCAST, messages::onBroadcast);
    consumeLocal(RoutingShards.HISTORY, questions::onHistory);
    consumeLocal(RoutingShards.CUSTOM, new PluginDispatch(eventBus, pluginRoutes)::dispatch);
    RoutingQueries queries = new RoutingQueries(eventBus, index, openConnections);
    this.<JsonObject>consumeLocal(
        RoutingShards.QUERY,
        message -> {
          if ("owned".equals(message.body().getString("query"))) {
            message.reply(new JsonObject().put("owned", broker.ownedChannels(index.names())));
          } else {
            queries.answer(message);
          }
        });
    consume(Addresses.BROADCAST, messages::onServiceBroadcast);
    consume(Addresses.HISTORY, questions::onServiceHistory);
    if (shard == 0) {
      consumers.add(
          eventBus.localConsumer(
              InternalAddresses.ROUTING_QUERY,
              new RoutingGather(eventBus, shards, index::instances)::answer));
    }
    if (view != null) {
      ClusterLink cluster = new ClusterLink(vertx, view, answerTimeoutMs);
      broker = cluster;
      consumeLocal(RoutingShards.SEQUENCE, messages::onSequence);
      consumeLocal(RoutingShards.DELIVER, messages::onDeliver);
      this.<JsonObject>consumeLocal(
          RoutingShards.INTEREST,
          message -> {
            cluster.interest(message.body());
            message.reply(new JsonObject());
          });
      consume(NodeAddresses.MEMBERS_CHANGED, changed -> cluster.membersChanged(), true);
      if (shard == 0) {
        NodeIngress ingress = new NodeIngress(vertx, shards, view);
        consumers.addAll(ingress.register());
        consume(NodeAddresses.MEMBERS_CHANGED, changed -> ingress.membersChanged(), true);
        // Once the node's addresses are known to the cluster: the others can answer then.
        return Future.all(consumers.stream().map(MessageConsumer::completion).toList())
            .onSuccess(registered -> ingress.startSync());
      }
    }
    return Future.all(consumers.stream().map(MessageConsumer::completion).toList());
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(expiryTimer);
    return Future.all(consumers.stream().map(MessageConsumer::unregister).toList());
  }

  /**
   * Registers a consumer whose handler may throw {@link ProtocolException} to answer the request
   * with that error; anything else unexpected answers {@code internal} with a logged reference. A
   * message sent without a reply address (an ack-less publish) can only be logged when it fails.
   */
  private <T> void consume(String address, Consumer<Message<T>> handler) {
    consume(address, handler, false);
  }

  /** {@link #consume} of this shard's own node-local address for an operation. */
  private <T> void consumeLocal(String op, Consumer<Message<T>> handler) {
    consume(RoutingShards.address(shard, op), handler, true);
  }

  private <T> void consume(String address, Consumer<Message<T>> handler, boolean local) {
    Handler<Message<T>> guarded =
        message -> {
          try {
            handler.accept(message);
          } catch (ProtocolException e) {
            if (message.replyAddress() != null) {
              BusErrors.fail(message, e.error());
            } else {
              log.warn(
                  "dropped a message nobody waits for [address: {}]: {}", address, e.getMessage());
            }
          } catch (RuntimeException e) {
            ProtocolError error =
                Incidents.report(log, "routing failed [address: " + address + "]", e);
            if (message.replyAddress() != null) {
              BusErrors.fail(message, error);
            }
          }
        };
    consumers.add(
        local ? eventBus.localConsumer(address, guarded) : eventBus.consumer(address, guarded));
  }

  private void onInstance(Message<JsonObject> message) {
    String instance = message.body().getString("instance");
    if (message.body().getBoolean("up", false)) {
      index.instanceUp(instance);
    } else {
      // Its connections left their channels as they closed; what it still counted goes with it.
      for (String channel : index.instanceDown(instance)) {
        channelClosed(channel);
      }
    }
    message.reply(new JsonObject());
  }

  private void onJoin(Message<JsonObject> request) {
    String id = request.body().getString("connectionId");
    String channel = request.body().getString("channel");
    String instance = request.body().getString("instance");
    JsonObject since = request.body().getJsonObject("since");
    StreamPosition from = HistoryRequest.since(since, "since");
    ChannelIndex.Membership joined = index.join(channel, instance);
    if (joined.channelOpened()) {
      metrics.channelOpened();
    }
    // The stream's position is taken at the same point of the channel's order as the membership:
    // every message sequenced after it reaches the new subscriber live, every one before it is
    // the replay's. On a node that does not own the channel, the owner decides, once it knows
    // this node has subscribers (so that what it sequences after its decision comes here).
    Future<JsonObject> owned = broker.ownsHere(channel) ? streams.join(channel, from) : null;
    // Answered, and told to the channel's listeners, once every node that may sequence the channel
    // knows this one has subscribers: from then on, its messages come here, so a service that
    // broadcasts as soon as it hears of the join reaches the new subscriber.
    (joined.channelOpened() ? broker.opened(channel) : broker.ready(channel))
        .compose(announced -> owned != null ? owned : questions.askOwner(channel, since))
        .recover(
            failure -> {
              // Clustered, while the members change the owner may be gone: the join is decided
              // from the cluster's copy of the channel's history, or, without one, still happens
              // without a position to report.
              log.warn(
                  "the owner of channel '{}' did not answer a join, which is decided without it:"
                      + " {}",
                  channel,
                  failure.getMessage());
              JsonObject unknown = new JsonObject();
              if (since != null) {
                unknown.put("recovered", false).put("replay", new JsonArray());
              }
              Future<JsonObject> fromCopy = streams.joinFromCopy(channel, from);
              return fromCopy == null
                  ? Future.succeededFuture(unknown)
                  : fromCopy.otherwise(unread -> unknown);
            })
        .onSuccess(
            stream -> {
              request.reply(stream.copy().put("subscribers", joined.subscribers()));
              if (joined.channelOpened()) {
                eventBus.publish(
                    Addresses.EVENT_CHANNEL_OPENED, new JsonObject().put("channel", channel));
              }
              publishMembership(Addresses.EVENT_JOINED, id, channel, joined.subscribers());
              notices.joined(request.body());
            });
  }

  /** This shard's part of a node-wide cap, at least 1. */
  private static int share(int cap, int shards) {
    return Math.max(1, (cap + shards - 1) / shards);
  }

  /** A client's leave, or a closing connection's (which nobody waits for). */
  private void onLeave(Message<JsonObject> request) {
    String id = request.body().getString("connectionId");
    String channel = request.body().getString("channel");
    ChannelIndex.Membership left = index.leave(channel, request.body().getString("instance"));
    if (request.replyAddress() != null) {
      request.reply(new JsonObject().put("subscribers", left.subscribers()));
    }
    // After the events of a join whose announcement is still under way: listeners hear of a
    // connection's join before of its leave.
    broker
        .ready(channel)
        .onComplete(
            announced -> {
              publishMembership(Addresses.EVENT_LEFT, id, channel, left.subscribers());
              notices.left(request.body());
              if (left.channelClosed()) {
                eventBus.publish(
                    Addresses.EVENT_CHANNEL_CLOSED, new JsonObject().put("channel", channel));
              }
            });
    if (left.channelClosed()) {
      messages.closed(channel);
      metrics.channelClosed();
      broker.closed(channel);
    }
  }

  private void channelClosed(String channel) {
    messages.closed(channel);
    eventBus.publish(Addresses.EVENT_CHANNEL_CLOSED, new JsonObject().put("channel", channel));
    metrics.channelClosed();
    broker.closed(channel);
  }

  private void publishMembership(String address, String id, String channel, int subscribers) {
    eventBus.publish(
        address,
        new JsonObject()
            .put("connectionId", id)
            .put("channel", channel)
            .put("subscribers", subscribers));
  }
}

package io.switchboard.server.routing;

import io.switchboard.protocol.Addresses;
import io.switchboard.protocol.BusErrors;
import io.switchboard.protocol.ChannelNames;
import io.switchboard.protocol.ErrorCode;
import io.switchboard.protocol.ProtocolError;
import io.switchboard.protocol.ProtocolException;
import io.switchboard.server.bus.ClientPublish;
import io.switchboard.server.bus.Delivery;
import io.switchboard.server.bus.InternalAddresses;
import io.switchboard.server.cluster.ChannelFrame;
import io.switchboard.server.cluster.ClusterView;
import io.switchboard.server.cluster.NodeAddresses;
import io.switchboard.server.frame.Incidents;
import io.switchboard.server.frame.ServerFrames;
import io.switchboard.server.metrics.SwitchboardMetrics;
import io.switchboard.server.plugin.PluginRoute;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place that decides what a message becomes: joins and leaves, client publishes, service
 * broadcasts to channels, users and organisations. Encodes each outgoing frame once and publishes
 * it to the channel's delivery address (or sends it to the instances holding the targets).
 *
 * <p>One instance per shard ({@link RoutingShards}): it owns the channels that hash to it, so every
 * message of a channel passes one event loop in one order while other channels go through the
 * others. Every instance knows every connection (from the connection events), so any can answer a
 * broadcast to users or organisations. Each instance's registry is its own and needs no locks.
 *
 * <p>Clustered ({@link ClusterLink}), every node runs the same shards, and each channel also has
 * one owner node: a publish or channel broadcast entering another node is forwarded to the shard
 * holding the channel on the owner, which writes it to its own subscribers and sends it once to
 * every other node with subscribers, where that node's shard hands it to its instances. Every
 * message of a channel thus passes one event loop of one node, in one order.
 */
public final class RoutingVerticle extends VerticleBase {

  private static final Logger log = LoggerFactory.getLogger(RoutingVerticle.class);

  /** Hand-overs between the shards of this node: never across the cluster. */
  private static final DeliveryOptions LOCAL = new DeliveryOptions().setLocalOnly(true);

  private final int shard;
  private final RoutingShards shards;
  private final SwitchboardMetrics metrics;
  private final Map<String, PluginRoute> pluginRoutes;
  private final ClusterView view;
  private final long answerTimeoutMs;
  private final Registry registry = new Registry();

  /** This shard's part in the cluster; null on a node alone. */
  private ClusterLink cluster;

  private final List<MessageConsumer<?>> consumers = new ArrayList<>();
  private EventBus eventBus;

  /**
   * @param shard which of the {@code shards} this instance is
   * @param pluginRoutes for each plugin message type, the plugin that owns it
   * @param view the cluster's members when clustered, null on a node alone
   * @param answerTimeoutMs how long to wait for other nodes ({@code cluster.answerTimeoutMs})
   */
  public RoutingVerticle(
      int shard,
      RoutingShards shards,
      SwitchboardMetrics metrics,
      Map<String, PluginRoute> pluginRoutes,
      ClusterView view,
      long answerTimeoutMs) {
    this.shard = shard;
    this.shards = shards;
    this.metrics = metrics;
    this.pluginRoutes = Map.copyOf(pluginRoutes);
    this.view = view;
    this.answerTimeoutMs = answerTimeoutMs;
  }

  @Override
  public Future<?> start() {
    eventBus = vertx.eventBus();
    consumeLocal(RoutingShards.INSTANCE, this::onInstance);
    // This node's connections only, told inside the JVM: the other nodes' connections are theirs
    // to route to.
    consume(RoutingShards.CONNECTED, this::onConnected, true);
    consume(RoutingShards.DISCONNECTED, this::onDisconnected, true);
    consumeLocal(RoutingShards.JOIN, this::onJoin);
    consumeLocal(RoutingShards.LEAVE, this::onLeave);
    consumeLocal(RoutingShards.PUBLISH, this::onPublish);
    consumeLocal(RoutingShards.BROADCAST, this::onBroadcast);
    consumeLocal(
        RoutingShards.CUSTOM, new PluginDispatch(eventBus, registry, pluginRoutes)::dispatch);
    RoutingQueries queries = new RoutingQueries(registry);
    this.<JsonObject>consumeLocal(
        RoutingShards.QUERY,
        message -> {
          if ("open".equals(message.body().getString("query"))) {
            message.reply(
                new JsonObject()
                    .put(
                        "channels",
                        new io.vertx.core.json.JsonArray(
                            new ArrayList<>(registry.channels().keySet()))));
          } else if ("owned".equals(message.body().getString("query"))) {
            int owned =
                cluster == null
                    ? registry.channelCount()
                    : cluster.ownedChannels(registry.channels().keySet());
            message.reply(new JsonObject().put("owned", owned));
          } else {
            queries.answer(message);
          }
        });
    consume(Addresses.BROADCAST, this::onServiceBroadcast);
    if (shard == 0) {
      consumers.add(
          eventBus.localConsumer(
              InternalAddresses.ROUTING_QUERY, new RoutingGather(eventBus, shards)::answer));
    }
    if (view != null) {
      cluster = new ClusterLink(vertx, view, answerTimeoutMs);
      consumeLocal(RoutingShards.SEQUENCE, this::onSequence);
      consumeLocal(RoutingShards.DELIVER, this::onDeliver);
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
      registry.instanceUp(instance);
    } else {
      registry.instanceDown(instance);
    }
    message.reply(new JsonObject());
  }

  private void onConnected(Message<JsonObject> event) {
    JsonObject body = event.body();
    registry.connected(
        body.getString("connectionId"),
        body.getString("instance"),
        body.getString("userId"),
        body.getString("organizationId"));
  }

  private void onDisconnected(Message<JsonObject> event) {
    Registry.Connection gone = registry.disconnected(event.body().getString("connectionId"));
    if (gone == null) {
      return;
    }
    for (String channel : gone.channels()) {
      int subscribers = registry.subscribers(channel).size();
      publishMembership(Addresses.EVENT_LEFT, gone.id(), channel, subscribers);
      if (subscribers == 0) {
        eventBus.publish(Addresses.EVENT_CHANNEL_CLOSED, new JsonObject().put("channel", channel));
        metrics.channelClosed();
        if (cluster != null) {
          cluster.closed(channel);
        }
      }
    }
  }

  private void onJoin(Message<JsonObject> request) {
    String id = request.body().getString("connectionId");
    String channel = request.body().getString("channel");
    Registry.Membership joined = registry.join(id, channel);
    if (cluster == null) {
      request.reply(new JsonObject().put("subscribers", joined.subscribers()));
    } else {
      // Answered once every node knows this one has subscribers: from then on, whichever node
      // owns the channel sends its messages here.
      (joined.channelOpened() ? cluster.opened(channel) : cluster.ready(channel))
          .onComplete(
              announced ->
                  request.reply(new JsonObject().put("subscribers", joined.subscribers())));
    }
    if (joined.channelOpened()) {
      eventBus.publish(Addresses.EVENT_CHANNEL_OPENED, new JsonObject().put("channel", channel));
      metrics.channelOpened();
    }
    publishMembership(Addresses.EVENT_JOINED, id, channel, joined.subscribers());
  }

  private void onLeave(Message<JsonObject> request) {
    String id = request.body().getString("connectionId");
    String channel = request.body().getString("channel");
    Registry.Membership left = registry.leave(id, channel);
    request.reply(new JsonObject().put("subscribers", left.subscribers()));
    publishMembership(Addresses.EVENT_LEFT, id, channel, left.subscribers());
    if (left.channelClosed()) {
      eventBus.publish(Addresses.EVENT_CHANNEL_CLOSED, new JsonObject().put("channel", channel));
      metrics.channelClosed();
      if (cluster != null) {
        cluster.closed(channel);
      }
    }
  }

  private void publishMembership(String address, String id, String channel, int subscribers) {
    eventBus.publish(
        address,
        new JsonObject()
            .put("connectionId", id)
            .put("channel", channel)
            .put("subscribers", subscribers));
  }

  private void onPublish(Message<ClientPublish> request) {
    ClientPublish publish = request.body();
    if (ChannelNames.isServerChannel(publish.channel())) {
      throw new ProtocolException(
          ProtocolError.forbidden(
              "clients may not publish to '$' channels; '"
                  + publish.channel()
                  + "' belongs to the server"));
    }
    Buffer frame = ServerFrames.message(publish.channel(), null, publish.data());
    if (cluster != null && !cluster.ownsHere(publish.channel())) {
      forward(request, ChannelFrame.toChannel(publish.channel(), frame));
      return;
    }
    int delivered = toChannel(publish.channel(), frame);
    request.reply(new JsonObject().put("delivered", delivered));
  }

  /**
   * Clustered: hands a publish to the node owning its channel, which sequences it, and passes the
   * owner's answer on. A publish nobody waits for and that the owner did not take is logged.
   */
  private void forward(Message<ClientPublish> request, ChannelFrame publish) {
    cluster
        .forward(publish)
        .onComplete(
            (answer, failure) -> {
              if (failure == null) {
                if (request.replyAddress() != null) {
                  request.reply(answer.body());
                }
              } else if (request.replyAddress() != null) {
                BusErrors.fail(
                    request,
                    ProtocolError.of(
                        ErrorCode.UNAVAILABLE,
                        "the node owning channel '"
                            + publish.channel()
                            + "' did not take the message: "
                            + failure.getMessage()));
              } else {
                log.warn(
                    "dropped a publish the channel's owner did not take [channel: {}]: {}",
                    publish.channel(),
                    failure.getMessage());
              }
            });
  }

  /** Clustered: a publish another node forwarded to this one, the owner of its channel. */
  private void onSequence(Message<ChannelFrame> request) {
    ChannelFrame publish = request.body();
    int delivered = toChannel(publish.channel(), publish.frame());
    request.reply(new JsonObject().put("delivered", delivered));
  }

  /** Clustered: the owner's delivery of a channel message to this node's subscribers. */
  private void onDeliver(Message<ChannelFrame> message) {
    ChannelFrame delivery = message.body();
    int delivered =
        delivery.filtered()
            ? toConnections(
                delivery.channel(),
                registry.targets(delivery.channel(), delivery.userId(), delivery.organizationId()),
                delivery.frame())
            : toLocalSubscribers(delivery.channel(), delivery.frame());
    if (message.replyAddress() != null) {
      message.reply(new JsonObject().put("delivered", delivered));
    }
  }

  /**
   * A broadcast from a service or a plugin ({@code switchboard.broadcast}), which any shard may
   * receive: one to a channel goes on to the channel's owner, so that it takes its place in the
   * channel's order; one to users or organisations is answered here.
   */
  private void onServiceBroadcast(Message<Object> request) {
    BroadcastRequest broadcast = BroadcastRequest.parse(request.body());
    if (cluster != null && broadcast.channel() != null && !cluster.ownsHere(broadcast.channel())) {
      cluster
          .forwardBroadcast(broadcast.channel(), request.body())
          .onComplete((answer, failure) -> answerForwarded(request, answer, failure));
      return;
    }
    int owner = broadcast.channel() == null ? shard : shards.ofChannel(broadcast.channel());
    if (owner == shard) {
      onBroadcast(request);
      return;
    }
    eventBus
        .request(RoutingShards.address(owner, RoutingShards.BROADCAST), request.body(), LOCAL)
        .onComplete((answer, failure) -> answerForwarded(request, answer, failure));
  }

  private static void answerForwarded(
      Message<Object> request, Message<Object> answer, Throwable failure) {
    if (failure == null) {
      request.reply(answer.body());
    } else if (failure instanceof ReplyException reply && reply.failureCode() > 0) {
      BusErrors.forward(request, reply);
    } else {
      BusErrors.fail(request, Incidents.report(log, "broadcast forward failed", failure));
    }
  }

  private void onBroadcast(Message<Object> request) {
    BroadcastRequest broadcast = BroadcastRequest.parse(request.body());
    Buffer frame = ServerFrames.message(broadcast.channel(), broadcast.type(), broadcast.data());
    int delivered;
    if (broadcast.userId() == null && broadcast.organizationId() == null) {
      delivered = toLocalSubscribers(broadcast.channel(), frame);
    } else {
      delivered =
          toConnections(
              broadcast.channel(),
              registry.targets(broadcast.channel(), broadcast.userId(), broadcast.organizationId()),
              frame);
    }
    // Clustered, the other nodes count theirs: the owner of the channel sends it to each node with
    // subscribers, a users' or organisations' broadcast goes to every node, once.
    boolean thisNodeOnly =
        NodeAddresses.SCOPE_NODE.equals(request.headers().get(NodeAddresses.SCOPE_HEADER));
    Future<Integer> elsewhere =
        cluster == null || thisNodeOnly
            ? Future.succeededFuture(0)
            : broadcast.channel() != null
                ? cluster.fanOutCounted(
                    new ChannelFrame(
                        broadcast.channel(), frame, broadcast.userId(), broadcast.organizationId()))
                : cluster.broadcastToOthers(request.body());
    elsewhere.onSuccess(
        others ->
            request.reply(
                new JsonObject().put("success", true).put("delivered", delivered + others)));
  }

  /**
   * Publishes to every subscriber of a channel, on every node when clustered; returns how many
   * there are on this node.
   */
  private int toChannel(String channel, Buffer frame) {
    int subscribers = toLocalSubscribers(channel, frame);
    if (cluster != null) {
      cluster.fanOut(ChannelFrame.toChannel(channel, frame));
    }
    return subscribers;
  }

  /** Publishes to this node's subscribers of a channel; returns how many there are. */
  private int toLocalSubscribers(String channel, Buffer frame) {
    int subscribers = registry.subscribers(channel).size();
    metrics.broadcastRouted();
    if (subscribers > 0) {
      eventBus.publish(InternalAddresses.channel(channel), Delivery.toChannel(frame), LOCAL);
    }
    return subscribers;
  }

  /**
   * Delivers to a set of connections: through the channel's address when a channel narrows the
   * targets (its subscribers' instances already consume it), otherwise straight to the instances
   * holding them.
   */
  private int toConnections(String channel, Set<String> targets, Buffer frame) {
    metrics.broadcastRouted();
    if (targets.isEmpty()) {
      return 0;
    }
    if (channel != null) {
      eventBus.publish(
          InternalAddresses.channel(channel), Delivery.toConnections(frame, targets), LOCAL);
      return targets.size();
    }
    Map<String, Set<String>> byInstance = new HashMap<>();
    for (String id : targets) {
      Registry.Connection connection = registry.connection(id);
      byInstance.computeIfAbsent(connection.instance(), i -> new HashSet<>()).add(id);
    }
    byInstance.forEach(
        (instance, ids) ->
            eventBus.send(
                InternalAddresses.connectionDelivery(instance),
                Delivery.toConnections(frame, ids),
                LOCAL));
    return targets.size();
  }
}

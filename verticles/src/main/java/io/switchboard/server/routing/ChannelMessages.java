package io.switchboard.server.routing;

import io.switchboard.protocol.BusErrors;
import io.switchboard.protocol.ChannelNames;
import io.switchboard.protocol.ErrorCode;
import io.switchboard.protocol.ProtocolError;
import io.switchboard.protocol.ProtocolException;
import io.switchboard.server.bus.Audience;
import io.switchboard.server.bus.ClientPublish;
import io.switchboard.server.bus.Delivery;
import io.switchboard.server.bus.InternalAddresses;
import io.switchboard.server.cluster.ChannelFrame;
import io.switchboard.server.cluster.NodeAddresses;
import io.switchboard.server.frame.Incidents;
import io.switchboard.server.frame.ServerFrames;
import io.switchboard.server.history.StreamPosition;
import io.switchboard.server.metrics.SwitchboardMetrics;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import java.util.function.BiFunction;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The messages of the channels a routing shard owns, and the broadcasts it takes: client publishes
 * (sequenced here, or forwarded to the channel's owner node), publishes other nodes forward to this
 * one, service and plugin broadcasts to channels, users and organisations, and their delivery to
 * this node's subscribers and, through the {@link Broker}, to the other nodes'. Used only on the
 * shard's event loop.
 */
final class ChannelMessages {

  private static final Logger log = LoggerFactory.getLogger(ChannelMessages.class);

  /** Hand-overs between the shards of this node: never across the cluster. */
  private static final DeliveryOptions LOCAL = new DeliveryOptions().setLocalOnly(true);

  private final EventBus eventBus;
  private final int shard;
  private final RoutingShards shards;
  private final SwitchboardMetrics metrics;
  private final ChannelIndex index;
  private final ChannelStreams streams;
  private final HubDeliveries hubs;
  private final Supplier<Broker> broker;

  /** Clustered: keeps each channel's deliveries here whole; null on a node alone. */
  private final DeliveryGaps gaps;

  /**
   * @param index the shard's subscriber counts, which say where a channel's messages go
   * @param broker where channel messages go besides this node's subscribers (it changes once, when
   *     the node joins its cluster)
   * @param recover clustered, what a join from a position recovers, asked of the channel's owner:
   *     how this node fetches messages that did not reach it; null on a node alone, whose owner
   *     delivers every message here, in order
   */
  ChannelMessages(
      EventBus eventBus,
      int shard,
      RoutingShards shards,
      SwitchboardMetrics metrics,
      ChannelIndex index,
      ChannelStreams streams,
      HubDeliveries hubs,
      Supplier<Broker> broker,
      BiFunction<String, StreamPosition, Future<JsonObject>> recover) {
    this.eventBus = eventBus;
    this.shard = shard;
    this.shards = shards;
    this.metrics = metrics;
    this.index = index;
    this.streams = streams;
    this.hubs = hubs;
    this.broker = broker;
    this.gaps = recover == null ? null : new DeliveryGaps(this::toSubscribers, recover);
  }

  /** The channel has no subscribers on this shard any more. */
  void closed(String channel) {
    if (gaps != null) {
      gaps.closed(channel);
    }
  }

  void onPublish(Message<ClientPublish> request) {
    ClientPublish publish = request.body();
    if (ChannelNames.isServerChannel(publish.channel())) {
      throw new ProtocolException(
          ProtocolError.forbidden(
              "clients may not publish to '$' channels; '"
                  + publish.channel()
                  + "' belongs to the server"));
    }
    Buffer frame = ServerFrames.message(publish.channel(), null, publish.data());
    if (!broker.get().ownsHere(publish.channel())) {
      forward(request, ChannelFrame.publish(publish.channel(), frame, publish.publishKey()));
      return;
    }
    sequenceAndDeliver(request, publish.channel(), frame, publish.publishKey());
  }

  /**
   * Sequences a publish here, the channel's owner, and delivers it once it is in history, when the
   * channel keeps one (so that nothing a subscriber saw can be lost with this node); the answer
   * (the ack's content) follows. A re-sent publish (its key seen within the dedup window) is
   * answered with its first place, {@code "duplicate": true}, and not delivered again.
   */
  private void sequenceAndDeliver(
      Message<?> request, String channel, Buffer frame, String publishKey) {
    streams
        .sequence(channel, frame, publishKey)
        .onComplete(
            (message, failure) -> {
              if (failure != null) {
                notKept(request, channel, failure);
                return;
              }
              int delivered = 0;
              if (message.duplicate()) {
                metrics.publishDuplicate();
              } else {
                delivered = toChannel(channel, message);
              }
              if (request.replyAddress() == null) {
                return;
              }
              JsonObject answer =
                  new JsonObject()
                      .put("delivered", delivered)
                      .put("offset", message.position().offset())
                      .put("epoch", message.position().epoch());
              request.reply(message.duplicate() ? answer.put("duplicate", true) : answer);
            });
  }

  /** A channel message its history did not take: neither delivered nor acknowledged. */
  private static void notKept(Message<?> request, String channel, Throwable failure) {
    if (request.replyAddress() == null) {
      log.warn(
          "dropped a message the history of channel '{}' did not keep: {}",
          channel,
          failure.toString());
      return;
    }
    BusErrors.fail(
        request,
        ProtocolError.of(
            ErrorCode.UNAVAILABLE,
            "the history of channel '"
                + channel
                + "' did not keep the message, so it was not delivered (the channel's stream"
                + " starts a new epoch): "
                + failure.getMessage()));
  }

  /**
   * A frame of the server's own (a presence notice) to a channel's subscribers, in the channel's
   * order: sequenced here when this node owns the channel, else handed to its owner.
   */
  void toChannelInOrder(String channel, Buffer frame) {
    if (broker.get().ownsHere(channel)) {
      outsideTheStream(channel, frame);
      return;
    }
    broker
        .get()
        .forward(ChannelFrame.unsequenced(channel, frame))
        .onFailure(
            failure ->
                log.warn(
                    "dropped a presence notice the channel's owner did not take [channel: {}]: {}",
                    channel,
                    failure.getMessage()));
  }

  /**
   * Clustered: hands a publish to the node owning its channel, which sequences it, and passes the
   * owner's answer on. A publish nobody waits for and that the owner did not take is logged.
   */
  private void forward(Message<ClientPublish> request, ChannelFrame publish) {
    broker
        .get()
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
  void onSequence(Message<ChannelFrame> request) {
    ChannelFrame publish = request.body();
    if (publish.offset() == ChannelFrame.UNSEQUENCED) {
      outsideTheStream(publish.channel(), publish.frame());
      request.reply(new JsonObject());
      return;
    }
    sequenceAndDeliver(request, publish.channel(), publish.frame(), publish.publishKey());
  }

  /** Clustered: the owner's delivery of a channel message to this node's subscribers. */
  void onDeliver(Message<ChannelFrame> message) {
    ChannelFrame delivery = message.body();
    Future<Integer> delivered =
        delivery.filtered()
            ? toAudience(
                new Audience(
                    delivery.channel(), delivery.userId(), delivery.organizationId(), null),
                delivery.frame())
            : Future.succeededFuture(
                toLocalSubscribers(delivery.channel(), delivery.frame(), delivery.offset()));
    if (message.replyAddress() != null) {
      delivered.onSuccess(count -> message.reply(new JsonObject().put("delivered", count)));
    }
  }

  /**
   * A broadcast from a service or a plugin ({@code switchboard.broadcast}), which any shard may
   * receive: one to a channel goes on to the channel's owner, so that it takes its place in the
   * channel's order; one to users or organisations is answered here.
   */
  void onServiceBroadcast(Message<Object> request) {
    BroadcastRequest broadcast = BroadcastRequest.parse(request.body());
    if (broadcast.channel() != null && !broker.get().ownsHere(broadcast.channel())) {
      broker
          .get()
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

  void onBroadcast(Message<Object> request) {
    BroadcastRequest broadcast = BroadcastRequest.parse(request.body());
    Buffer frame = ServerFrames.message(broadcast.channel(), broadcast.type(), broadcast.data());
    boolean filtered = broadcast.userId() != null || broadcast.organizationId() != null;
    // A broadcast to a whole channel takes its place in the channel's stream; one narrowed to some
    // of its subscribers does not (the others would see a gap), nor one without a channel.
    boolean thisNodeOnly =
        NodeAddresses.SCOPE_NODE.equals(request.headers().get(NodeAddresses.SCOPE_HEADER));
    if (broadcast.channel() == null || filtered || thisNodeOnly) {
      deliverBroadcast(request, broadcast, frame, 0, thisNodeOnly);
      return;
    }
    streams
        .sequence(broadcast.channel(), frame)
        .onComplete(
            (message, failure) -> {
              if (failure != null) {
                notKept(request, broadcast.channel(), failure);
              } else {
                deliverBroadcast(
                    request, broadcast, message.frame(), message.position().offset(), false);
              }
            });
  }

  /**
   * Delivers a broadcast here and to the other nodes, and answers with how many sockets it reached.
   *
   * @param offset its place in the channel's stream, 0 when it has none
   */
  private void deliverBroadcast(
      Message<Object> request,
      BroadcastRequest broadcast,
      Buffer frame,
      long offset,
      boolean thisNodeOnly) {
    boolean filtered = broadcast.userId() != null || broadcast.organizationId() != null;
    Future<Integer> delivered =
        !filtered
            ? Future.succeededFuture(toLocalSubscribers(broadcast.channel(), frame, offset))
            : toAudience(
                new Audience(
                    broadcast.channel(), broadcast.userId(), broadcast.organizationId(), null),
                frame);
    // Clustered, the other nodes count theirs: the owner of the channel sends it to each node with
    // subscribers, a users' or organisations' broadcast goes to every node, once.
    Future<Integer> elsewhere =
        thisNodeOnly
            ? Future.succeededFuture(0)
            : broadcast.channel() != null
                ? broker
                    .get()
                    .fanOutCounted(
                        new ChannelFrame(
                            broadcast.channel(),
                            frame,
                            broadcast.userId(),
                            broadcast.organizationId(),
                            offset))
                : broker.get().broadcastToOthers(request.body());
    Future.all(delivered, elsewhere)
        .onSuccess(
            both ->
                request.reply(
                    new JsonObject()
                        .put("success", true)
                        .put("delivered", delivered.result() + elsewhere.result())));
  }

  /**
   * Publishes to every subscriber of a channel, on every node when clustered; returns how many
   * there are on this node.
   */
  private int toChannel(String channel, ChannelStreams.Sequenced message) {
    long offset = message.position().offset();
    int subscribers = toLocalSubscribers(channel, message.frame(), offset);
    broker.get().fanOut(ChannelFrame.sequenced(channel, message.frame(), offset));
    return subscribers;
  }

  /**
   * On the channel's owner: a server frame to every subscriber on every node, between the channel's
   * messages but without an offset of its own, and kept in no history.
   */
  private void outsideTheStream(String channel, Buffer frame) {
    // After the messages sequenced before it, which may still wait to be kept.
    streams
        .settled(channel)
        .onComplete(
            settled -> {
              toLocalSubscribers(channel, frame, 0);
              broker.get().fanOut(ChannelFrame.sequenced(channel, frame, 0));
            });
  }

  /** Publishes to this node's subscribers of a channel; returns how many there are. */
  private int toLocalSubscribers(String channel, Buffer frame, long offset) {
    int subscribers = index.subscribers(channel);
    metrics.broadcastRouted();
    if (subscribers > 0) {
      if (gaps != null) {
        gaps.deliver(channel, frame, offset);
      } else {
        toSubscribers(channel, frame, offset);
      }
    }
    return subscribers;
  }

  /** Hands a channel's frame to the connection instances holding its subscribers here. */
  private void toSubscribers(String channel, Buffer frame, long offset) {
    eventBus.publish(InternalAddresses.channel(channel), Delivery.toChannel(frame, offset), LOCAL);
  }

  /**
   * Delivers to the connections of this node an audience matches: asks the instances holding the
   * channel's subscribers, or every instance when no channel narrows it; returns how many sockets
   * it was written to.
   */
  private Future<Integer> toAudience(Audience audience, Buffer frame) {
    metrics.broadcastRouted();
    return hubs.deliver(
        audience.channel() == null ? index.instances() : index.instancesOf(audience.channel()),
        audience,
        frame);
  }
}

package io.switchboard.server.routing;

import io.switchboard.protocol.BusErrors;
import io.switchboard.server.cluster.ChannelFrame;
import io.switchboard.server.cluster.NodeAddresses;
import io.switchboard.server.frame.Incidents;
import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where this node's messages from the rest of the cluster come in ({@link NodeAddresses}): one
 * clustered consumer per operation, on the first routing shard's event loop, which hands each
 * message on, inside the JVM and in arrival order, to the shard holding its channel. Consumed in
 * one place because the other nodes cannot know how many shards this one runs.
 */
final class NodeIngress {

  private static final Logger log = LoggerFactory.getLogger(NodeIngress.class);

  private final EventBus eventBus;
  private final RoutingShards shards;
  private final String node;

  NodeIngress(EventBus eventBus, RoutingShards shards, String node) {
    this.eventBus = eventBus;
    this.shards = shards;
    this.node = node;
  }

  /** Registers the node's consumers; the caller waits for their completion and unregisters them. */
  List<MessageConsumer<?>> register() {
    List<MessageConsumer<?>> consumers = new ArrayList<>();
    consumers.add(
        eventBus.<ChannelFrame>consumer(
            NodeAddresses.of(node, NodeAddresses.PUBLISH),
            message ->
                relay(
                    message, shards.forChannel(message.body().channel(), RoutingShards.SEQUENCE))));
    consumers.add(
        eventBus.<ChannelFrame>consumer(
            NodeAddresses.of(node, NodeAddresses.DELIVER),
            message ->
                relay(
                    message, shards.forChannel(message.body().channel(), RoutingShards.DELIVER))));
    consumers.add(
        eventBus.consumer(NodeAddresses.of(node, NodeAddresses.BROADCAST), this::onBroadcast));
    consumers.add(
        eventBus.<JsonObject>consumer(
            NodeAddresses.of(node, NodeAddresses.INTEREST), this::onInterest));
    return consumers;
  }

  private void onBroadcast(Message<Object> message) {
    String channel =
        message.body() instanceof JsonObject json && json.getValue("channel") instanceof String c
            ? c
            : null;
    // A channel's broadcast goes to the shard holding it; a users' or organisations' broadcast to
    // any shard, since each knows every connection of this node.
    relay(
        message,
        channel == null
            ? RoutingShards.address(0, RoutingShards.BROADCAST)
            : shards.forChannel(channel, RoutingShards.BROADCAST));
  }

  /** Splits another node's interest by shard and answers once every shard has taken its part. */
  private void onInterest(Message<JsonObject> message) {
    JsonObject body = message.body();
    Map<Integer, JsonArray> byShard = new HashMap<>();
    for (Object channel : body.getJsonArray("channels", new JsonArray())) {
      byShard
          .computeIfAbsent(shards.ofChannel((String) channel), s -> new JsonArray())
          .add(channel);
    }
    List<Future<?>> taken = new ArrayList<>();
    byShard.forEach(
        (shard, channels) ->
            taken.add(
                eventBus.request(
                    RoutingShards.address(shard, RoutingShards.INTEREST),
                    body.copy().put("channels", channels),
                    local(message))));
    Future.all(taken)
        .onComplete(
            (done, failure) -> {
              if (failure == null) {
                message.reply(new JsonObject());
              } else {
                BusErrors.fail(
                    message, Incidents.report(log, "interest hand-over failed", failure));
              }
            });
  }

  /** Hands a message to a shard of this node, and the shard's answer back if one is awaited. */
  private <T> void relay(Message<T> message, String address) {
    if (message.replyAddress() == null) {
      eventBus.send(address, message.body(), local(message));
      return;
    }
    eventBus
        .request(address, message.body(), local(message))
        .onComplete(
            (answer, failure) -> {
              if (failure == null) {
                message.reply(answer.body());
              } else if (failure instanceof ReplyException refused) {
                message.fail(refused.failureCode(), refused.getMessage());
              } else {
                BusErrors.fail(message, Incidents.report(log, "cluster hand-over failed", failure));
              }
            });
  }

  private static DeliveryOptions local(Message<?> message) {
    return new DeliveryOptions().setLocalOnly(true).setHeaders(message.headers());
  }
}

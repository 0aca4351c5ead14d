package io.switchboard.server.routing;

import io.switchboard.protocol.BusErrors;
import io.switchboard.server.cluster.ChannelFrame;
import io.switchboard.server.cluster.ClusterView;
import io.switchboard.server.cluster.NodeAddresses;
import io.switchboard.server.frame.Incidents;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
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

  /** Between tries to reach a member whose node address the event bus does not know yet. */
  private static final long RETRY_DELAY_MS = 100;

  /** How long this node keeps trying to send a member its channels or its readiness. */
  private static final long TELL_DEADLINE_MS = 30_000;

  private final Vertx vertx;
  private final EventBus eventBus;
  private final RoutingShards shards;
  private final ClusterView view;
  private final String node;

  /** The members found at start whose channels this node has not heard yet. */
  private final Set<String> awaiting = new HashSet<>();

  private Set<String> known = Set.of();
  private boolean ready;
  private long deadline = -1;

  NodeIngress(Vertx vertx, RoutingShards shards, ClusterView view) {
    this.vertx = vertx;
    this.eventBus = vertx.eventBus();
    this.shards = shards;
    this.view = view;
    this.node = view.self();
  }

  /**
   * Starts the hand-shake that makes this node ready to own channels: it sends every other member
   * its (still empty) channels, and becomes ready once every member found now has sent its own
   * ({@link NodeAddresses#SYNC}), or after {@link NodeAddresses#SYNC_DEADLINE_MS}.
   */
  void startSync() {
    known = new HashSet<>(view.members());
    for (String member : known) {
      if (!member.equals(node)) {
        awaiting.add(member);
        sendSync(member);
      }
    }
    if (awaiting.isEmpty()) {
      becomeReady();
    } else {
      deadline =
          vertx.setTimer(
              NodeAddresses.SYNC_DEADLINE_MS,
              t -> {
                if (!ready) {
                  log.warn(
                      "some members did not send their channels in time; owning channels anyway"
                          + " [waiting for: {}]",
                      awaiting);
                  becomeReady();
                }
              });
    }
  }

  /** The member list changed: members that joined get this node's channels. */
  void membersChanged() {
    Set<String> now = new HashSet<>(view.members());
    awaiting.retainAll(now);
    for (String member : now) {
      if (!known.contains(member) && !member.equals(node)) {
        sendSync(member);
      }
    }
    known = now;
    if (!ready && awaiting.isEmpty()) {
      becomeReady();
    }
  }

  private void becomeReady() {
    ready = true;
    if (deadline >= 0) {
      vertx.cancelTimer(deadline);
    }
    view.markReady(node);
    log.info("ready to own channels [node: {}, members: {}]", node, view.members().size());
    for (String member : view.members()) {
      if (!member.equals(node)) {
        tell(member, NodeAddresses.READY, new JsonObject().put("node", node));
      }
    }
  }

  /** Sends a member every channel with subscribers here, gathered from every shard. */
  private void sendSync(String member) {
    sendSync(member, System.currentTimeMillis() + TELL_DEADLINE_MS);
  }

  private void sendSync(String member, long until) {
    List<Future<Message<JsonObject>>> parts = new ArrayList<>();
    for (int shard = 0; shard < shards.count(); shard++) {
      parts.add(
          eventBus.request(
              RoutingShards.address(shard, RoutingShards.QUERY),
              new JsonObject().put("query", "open"),
              new DeliveryOptions().setLocalOnly(true)));
    }
    Future.all(parts)
        .onSuccess(
            all -> {
              JsonArray channels = new JsonArray();
              parts.forEach(
                  part -> part.result().body().getJsonArray("channels").forEach(channels::add));
              tell(
                  member,
                  NodeAddresses.SYNC,
                  new JsonObject().put("node", node).put("ready", ready).put("channels", channels));
            })
        .onFailure(
            failure -> {
              // At start, a shard may not consume yet: ask again shortly.
              if (view.isMember(member) && System.currentTimeMillis() < until) {
                vertx.setTimer(RETRY_DELAY_MS, t -> sendSync(member, until));
              } else {
                log.warn("could not gather this node's channels", failure);
              }
            });
  }

  /** Sends to a member's node address until it answers, it leaves, or the deadline passes. */
  private void tell(String member, String op, JsonObject body) {
    tryTell(member, op, body, System.currentTimeMillis() + TELL_DEADLINE_MS);
  }

  private void tryTell(String member, String op, JsonObject body, long until) {
    eventBus
        .request(NodeAddresses.of(member, op), body)
        .onFailure(
            failure -> {
              if (view.isMember(member) && System.currentTimeMillis() < until) {
                vertx.setTimer(RETRY_DELAY_MS, t -> tryTell(member, op, body, until));
              } else if (view.isMember(member)) {
                log.warn(
                    "a member did not take [{}] [node: {}]: {}", op, member, failure.getMessage());
              }
            });
  }

  private void onSync(Message<JsonObject> message) {
    JsonObject body = message.body();
    String from = body.getString("node");
    handOverInterest(body.copy().put("open", true))
        .onComplete(
            (done, failure) -> {
              if (failure != null) {
                BusErrors.fail(message, Incidents.report(log, "sync hand-over failed", failure));
                return;
              }
              if (body.getBoolean("ready", false)) {
                view.markReady(from);
              }
              awaiting.remove(from);
              if (!ready && awaiting.isEmpty()) {
                becomeReady();
              }
              message.reply(new JsonObject());
            });
  }

  private void onReady(Message<JsonObject> message) {
    view.markReady(message.body().getString("node"));
    message.reply(new JsonObject());
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
            NodeAddresses.of(node, NodeAddresses.HISTORY),
            message ->
                relay(
                    message,
                    shards.forChannel(
                        message.body().getString("channel", ""), RoutingShards.HISTORY))));
    consumers.add(
        eventBus.<JsonObject>consumer(
            NodeAddresses.of(node, NodeAddresses.INTEREST), this::onInterest));
    consumers.add(
        eventBus.<JsonObject>consumer(NodeAddresses.of(node, NodeAddresses.SYNC), this::onSync));
    consumers.add(
        eventBus.<JsonObject>consumer(NodeAddresses.of(node, NodeAddresses.READY), this::onReady));
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
    handOverInterest(message.body())
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

  private Future<?> handOverInterest(JsonObject body) {
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
                    new DeliveryOptions().setLocalOnly(true))));
    return Future.all(taken);
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
                BusErrors.forward(message, refused);
              } else {
                BusErrors.fail(message, Incidents.report(log, "cluster hand-over failed", failure));
              }
            });
  }

  private static DeliveryOptions local(Message<?> message) {
    return new DeliveryOptions().setLocalOnly(true).setHeaders(message.headers());
  }
}

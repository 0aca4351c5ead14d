package io.switchboard.server.routing;

import io.switchboard.server.cluster.ChannelFrame;
import io.switchboard.server.cluster.ClusterView;
import io.switchboard.server.cluster.NodeAddresses;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One routing shard's part in a cluster. Every node tells every other which of its channels have
 * local subscribers (its <em>interest</em>), and each shard keeps, for the channels it holds, the
 * other nodes interested in them. The owner of a channel ({@link ClusterView#ownerOf}) sequences
 * its messages and sends each one once to every interested node; since every node knows every
 * interest, a new owner after a membership change already knows where to send.
 *
 * <p>A join that opens a channel on this node is answered only once every other member has heard of
 * the interest, so nothing the owner sequences after the answer misses the new subscriber. Used
 * only on the shard's event loop.
 */
final class ClusterLink implements Broker {

  private static final Logger log = LoggerFactory.getLogger(ClusterLink.class);

  /**
   * How long a publish or broadcast forwarded to its channel's owner may take: a routing request's
   * whole budget on the client's side is 10 s ({@code FrameHandler.ROUTING_TIMEOUT_MS}), and this
   * answer must come back before it. A burst on a busy owner can take seconds; a dead owner is
   * noticed by Hazelcast within its failure detection.
   */
  static final long FORWARD_TIMEOUT_MS = 8_000;

  /** Between tries to reach a member whose node address the event bus does not know yet. */
  private static final long RETRY_DELAY_MS = 100;

  private final Vertx vertx;
  private final EventBus eventBus;
  private final ClusterView view;
  private final long answerTimeoutMs;

  /** For each channel of this shard: the other nodes with subscribers. */
  private final Map<String, Set<String>> interest = new HashMap<>();

  /** Channels whose opening is being announced: their joins wait for it. */
  private final Map<String, Future<Void>> announcing = new HashMap<>();

  /** The members as this shard last saw them. */
  private Set<String> known;

  ClusterLink(Vertx vertx, ClusterView view, long answerTimeoutMs) {
    this.vertx = vertx;
    this.eventBus = vertx.eventBus();
    this.view = view;
    this.answerTimeoutMs = answerTimeoutMs;
    this.known = new HashSet<>(view.members());
  }

  String self() {
    return view.self();
  }

  /** Whether this node owns a channel now. */
  @Override
  public boolean ownsHere(String channel) {
    return view.ownsHere(channel);
  }

  /**
   * A channel got its first local subscriber: tells every other member. Completes once all have
   * answered, left the cluster, or {@code cluster.answerTimeoutMs} passed (then logged).
   */
  @Override
  public Future<Void> opened(String channel) {
    JsonObject body = interestBody(true, List.of(channel));
    List<Future<?>> told = new ArrayList<>();
    for (String member : view.members()) {
      if (!member.equals(self())) {
        told.add(tell(member, body, System.currentTimeMillis() + answerTimeoutMs));
      }
    }
    Future<Void> done = Future.join(told).mapEmpty();
    done = done.otherwise(failure -> null);
    announcing.put(channel, done);
    Future<Void> finished = done;
    return done.andThen(x -> announcing.remove(channel, finished));
  }

  /** A future that completes once any announcement of the channel's opening is done. */
  @Override
  public Future<Void> ready(String channel) {
    Future<Void> pending = announcing.get(channel);
    return pending == null ? Future.succeededFuture() : pending;
  }

  /** A channel lost its last local subscriber: tells every other member, without waiting. */
  @Override
  public void closed(String channel) {
    JsonObject body = interestBody(false, List.of(channel));
    for (String member : view.members()) {
      if (!member.equals(self())) {
        eventBus.send(NodeAddresses.of(member, NodeAddresses.INTEREST), body);
      }
    }
  }

  /** Another node's interest, handed over by this node's ingress. */
  void interest(JsonObject body) {
    String node = body.getString("node");
    boolean open = body.getBoolean("open", false);
    for (Object channel : body.getJsonArray("channels", new JsonArray())) {
      if (open) {
        interest.computeIfAbsent((String) channel, c -> new LinkedHashSet<>()).add(node);
      } else {
        Set<String> nodes = interest.get(channel);
        if (nodes != null && nodes.remove(node) && nodes.isEmpty()) {
          interest.remove(channel);
        }
      }
    }
  }

  /**
   * The member list changed: forgets the interest of members that left. (Members that joined learn
   * this node's channels from its ingress, {@code NodeAddresses.SYNC}.)
   */
  void membersChanged() {
    Set<String> now = new HashSet<>(view.members());
    for (String gone : known) {
      if (!now.contains(gone)) {
        interest.values().forEach(nodes -> nodes.remove(gone));
        interest.values().removeIf(Set::isEmpty);
      }
    }
    known = now;
  }

  /**
   * How many channels with subscribers anywhere in the cluster this node owns among this shard's:
   * summed over every shard of every node, each channel counts once.
   */
  @Override
  public int ownedChannels(Collection<String> localChannels) {
    Set<String> all = new HashSet<>(localChannels);
    all.addAll(interest.keySet());
    int owned = 0;
    for (String channel : all) {
      if (view.ownsHere(channel)) {
        owned++;
      }
    }
    return owned;
  }

  /** Sends a channel message once to every other interested member. */
  @Override
  public void fanOut(ChannelFrame message) {
    for (String node : interested(message.channel())) {
      eventBus.send(NodeAddresses.of(node, NodeAddresses.DELIVER), message);
    }
  }

  /**
   * Sends a channel message once to every other interested member and sums the sockets each wrote
   * it to; a member that does not answer in time counts none.
   */
  @Override
  public Future<Integer> fanOutCounted(ChannelFrame message) {
    List<Future<Integer>> counts = new ArrayList<>();
    for (String node : interested(message.channel())) {
      counts.add(count(NodeAddresses.of(node, NodeAddresses.DELIVER), message, null));
    }
    return sum(counts);
  }

  /** A users' or organisations' broadcast to every other member, for its own connections. */
  @Override
  public Future<Integer> broadcastToOthers(Object body) {
    List<Future<Integer>> counts = new ArrayList<>();
    for (String member : view.members()) {
      if (!member.equals(self())) {
        counts.add(
            count(
                NodeAddresses.of(member, NodeAddresses.BROADCAST),
                body,
                new DeliveryOptions()
                    .addHeader(NodeAddresses.SCOPE_HEADER, NodeAddresses.SCOPE_NODE)));
      }
    }
    return sum(counts);
  }

  /** A publish to the owner of its channel; the owner's answer, or why it failed. */
  @Override
  public Future<Message<JsonObject>> forward(ChannelFrame publish) {
    return eventBus.request(
        NodeAddresses.of(view.ownerOf(publish.channel()), NodeAddresses.PUBLISH),
        publish,
        new DeliveryOptions().setSendTimeout(FORWARD_TIMEOUT_MS));
  }

  /** A service broadcast to the owner of its channel. */
  @Override
  public Future<Message<Object>> forwardBroadcast(String channel, Object body) {
    return eventBus.request(
        NodeAddresses.of(view.ownerOf(channel), NodeAddresses.BROADCAST),
        body,
        new DeliveryOptions().setSendTimeout(FORWARD_TIMEOUT_MS));
  }

  /**
   * A question about a channel's stream to the owner of the channel, marked so that the owner
   * answers it itself even if it no longer owns the channel by then (no forwarding back and forth
   * while the members change).
   */
  @Override
  public Future<Message<JsonObject>> forwardHistory(String channel, JsonObject body) {
    return eventBus.request(
        NodeAddresses.of(view.ownerOf(channel), NodeAddresses.HISTORY),
        body,
        new DeliveryOptions()
            .setSendTimeout(answerTimeoutMs)
            .addHeader(NodeAddresses.SCOPE_HEADER, NodeAddresses.SCOPE_NODE));
  }

  private List<String> interested(String channel) {
    Set<String> nodes = interest.get(channel);
    if (nodes == null) {
      return List.of();
    }
    List<String> members = new ArrayList<>(nodes.size());
    for (String node : nodes) {
      if (view.isMember(node)) {
        members.add(node);
      }
    }
    return members;
  }

  private Future<Integer> count(String address, Object body, DeliveryOptions options) {
    DeliveryOptions timed = options == null ? new DeliveryOptions() : options;
    timed.setSendTimeout(answerTimeoutMs);
    return eventBus
        .<JsonObject>request(address, body, timed)
        .map(reply -> reply.body().getInteger("delivered", 0))
        .otherwise(
            failure -> {
              log.warn("a node did not count its deliveries [address: {}]: {}", address, failure);
              return 0;
            });
  }

  private static Future<Integer> sum(List<Future<Integer>> counts) {
    return Future.all(counts).map(all -> counts.stream().mapToInt(Future::result).sum());
  }

  private JsonObject interestBody(boolean open, List<String> channels) {
    return new JsonObject()
        .put("node", self())
        .put("open", open)
        .put("channels", new JsonArray(new ArrayList<>(channels)));
  }

  /**
   * Sends interest to a member until it answers: right after a member joins, this node's event bus
   * may not know its address yet ({@code NO_HANDLERS}). Gives up when the member leaves or the
   * deadline passes.
   */
  private Future<Void> tell(String member, JsonObject body, long deadline) {
    Promise<Void> told = Promise.promise();
    tryTell(member, body, deadline, told);
    return told.future();
  }

  private void tryTell(String member, JsonObject body, long deadline, Promise<Void> told) {
    eventBus
        .request(
            NodeAddresses.of(member, NodeAddresses.INTEREST),
            body,
            new DeliveryOptions().setSendTimeout(answerTimeoutMs))
        .onComplete(
            (answer, failure) -> {
              if (failure == null || !view.isMember(member)) {
                told.complete();
              } else if (System.currentTimeMillis() < deadline
                  && failure instanceof ReplyException reply
                  && reply.failureType() == ReplyFailure.NO_HANDLERS) {
                vertx.setTimer(RETRY_DELAY_MS, t -> tryTell(member, body, deadline, told));
              } else {
                log.warn(
                    "a member did not hear of this node's channels [node: {}, channels: {}]: {}",
                    member,
                    body.getJsonArray("channels"),
                    failure.getMessage());
                told.fail(failure);
              }
            });
  }
}

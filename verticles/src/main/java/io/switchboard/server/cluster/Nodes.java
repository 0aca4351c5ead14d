package io.switchboard.server.cluster;

import io.switchboard.protocol.BusErrors;
import io.switchboard.protocol.ErrorCode;
import io.switchboard.protocol.ProtocolError;
import io.switchboard.server.bus.InternalAddresses;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The nodes of the cluster as the admin API shows them ({@code GET /api/nodes}): each node
 * describes itself (its id, addresses, connections and uptime), and any node gathers every member's
 * description. On a node alone, the list is that node.
 */
public final class Nodes {

  private final Vertx vertx;
  private final ClusterView view;
  private final Supplier<JsonObject> addresses;
  private final long answerTimeoutMs;
  private final long startedAt = System.currentTimeMillis();
  private final String alone;

  /**
   * @param view the cluster's members, or null on a node alone
   * @param addresses this node's public addresses ({@code "address"}, {@code "admin"}), read once
   *     it listens
   * @param alone this node's id when it runs alone
   */
  public Nodes(
      Vertx vertx,
      ClusterView view,
      Supplier<JsonObject> addresses,
      long answerTimeoutMs,
      String alone) {
    this.vertx = vertx;
    this.view = view;
    this.addresses = addresses;
    this.answerTimeoutMs = answerTimeoutMs;
    this.alone = alone;
  }

  /** Whether this node is part of a cluster. */
  public boolean clustered() {
    return view != null;
  }

  /** This node's id: the cluster's node id, or the id its connection ids carry when alone. */
  public String selfId() {
    return view == null ? alone : view.self();
  }

  /**
   * The node that sequences a channel's messages now: its owner among the ready members, or this
   * node alone.
   */
  public String ownerOf(String channel) {
    return view == null ? alone : view.ownerOf(channel);
  }

  /** Whether this node owns channels yet: once it heard every member's (always, alone). */
  public boolean ready() {
    return view == null || view.isReady(view.self());
  }

  /** The member ids, this node's alone when not clustered. */
  public List<String> members() {
    return view == null ? List.of(alone) : view.members();
  }

  /** Answers the other nodes' questions about this one; clustered only. */
  public MessageConsumer<JsonObject> register() {
    return vertx
        .eventBus()
        .consumer(
            NodeAddresses.of(view.self(), NodeAddresses.QUERY),
            request -> {
              if ("relay".equals(request.body().getString("query"))) {
                relay(request);
              } else if ("node".equals(request.body().getString("query"))) {
                describeSelf()
                    .onComplete(
                        (description, failure) -> {
                          if (failure == null) {
                            request.reply(description);
                          } else {
                            BusErrors.fail(request, unavailable(failure));
                          }
                        });
              } else {
                BusErrors.fail(
                    request, ProtocolError.of(ErrorCode.BAD_REQUEST, "unknown node query"));
              }
            });
  }

  /**
   * Another node's question to this node's routing ({@code switchboard.routing.query}) or one of
   * its connection instances: {@code {"query": "relay", "address", "body"}}. Those consumers are
   * node-local; the answer or the failure goes back as it is (a protocol error typed, see {@link
   * BusErrors#forward}).
   */
  private void relay(Message<JsonObject> request) {
    String address = request.body().getString("address", "");
    if (!address.equals(InternalAddresses.ROUTING_QUERY)
        && !address.startsWith(InternalAddresses.CONNECTION_PREFIX)) {
      BusErrors.fail(
          request,
          ProtocolError.of(
              ErrorCode.BAD_REQUEST, "a node relays only to routing and connection instances"));
      return;
    }
    vertx
        .eventBus()
        .<JsonObject>request(
            address,
            request.body().getJsonObject("body", new JsonObject()),
            new DeliveryOptions().setLocalOnly(true).setSendTimeout(answerTimeoutMs))
        .onComplete(
            (answer, failure) -> {
              if (failure == null) {
                request.reply(answer.body());
              } else if (failure instanceof ReplyException refused && refused.failureCode() > 0) {
                BusErrors.forward(request, refused);
              } else {
                BusErrors.fail(request, unavailable(failure));
              }
            });
  }

  private static ProtocolError unavailable(Throwable failure) {
    return ProtocolError.of(ErrorCode.UNAVAILABLE, String.valueOf(failure.getMessage()));
  }

  /**
   * Asks a node's routing or connection instance (see {@link #relay}): this node's directly,
   * another's through its query address. Fails as the asked consumer failed, or after {@code
   * cluster.answerTimeoutMs}.
   */
  public Future<JsonObject> ask(String node, String address, JsonObject body) {
    if (view == null || node.equals(view.self())) {
      return vertx
          .eventBus()
          .<JsonObject>request(
              address,
              body,
              new DeliveryOptions().setLocalOnly(true).setSendTimeout(answerTimeoutMs))
          .map(Message::body);
    }
    return vertx
        .eventBus()
        .<JsonObject>request(
            NodeAddresses.of(node, NodeAddresses.QUERY),
            new JsonObject().put("query", "relay").put("address", address).put("body", body),
            new DeliveryOptions().setSendTimeout(answerTimeoutMs))
        .map(Message::body);
  }

  /**
   * Every node's answer to one question.
   *
   * @param answered the answers, by node
   * @param absent the nodes that answered 404: they do not have what was asked about
   * @param unanswered the nodes that did not answer within {@code cluster.answerTimeoutMs} (or
   *     failed otherwise)
   */
  public record Answers(
      Map<String, JsonObject> answered, List<String> absent, List<String> unanswered) {}

  /**
   * Asks every member's routing or connection instance (see {@link #ask}) at once. Fails only when
   * no node answered, not even 404, with the first node's failure.
   */
  public Future<Answers> askEvery(String address, JsonObject body) {
    Map<String, Future<JsonObject>> asked = new LinkedHashMap<>();
    for (String node : members()) {
      asked.put(node, ask(node, address, body));
    }
    return Future.join(new ArrayList<>(asked.values()))
        .transform(
            done -> {
              Map<String, JsonObject> answered = new LinkedHashMap<>();
              List<String> absent = new ArrayList<>();
              List<String> unanswered = new ArrayList<>();
              asked.forEach(
                  (node, answer) -> {
                    if (answer.succeeded()) {
                      answered.put(node, answer.result());
                    } else if (answer.cause() instanceof ReplyException refused
                        && refused.failureCode() == 404) {
                      absent.add(node);
                    } else {
                      unanswered.add(node);
                    }
                  });
              if (answered.isEmpty() && absent.isEmpty()) {
                return Future.failedFuture(asked.values().iterator().next().cause());
              }
              return Future.succeededFuture(new Answers(answered, absent, unanswered));
            });
  }

  /**
   * The member holding a connection, from the node its id names ({@code ws_<node>_...}); null when
   * no member has that short id.
   */
  public String nodeOfConnection(String connectionId) {
    String[] parts = connectionId.split("_");
    if (parts.length < 2) {
      return null;
    }
    if (view == null) {
      return parts[1].equals(alone) ? alone : null;
    }
    return view.memberByShortId(parts[1]);
  }

  /** This node: {@code {"id", "shortId", "address", "admin", "connections", "uptimeMs", ...}}. */
  public Future<JsonObject> describeSelf() {
    return vertx
        .eventBus()
        .<JsonObject>request(
            InternalAddresses.ROUTING_QUERY,
            new JsonObject().put("query", "stats"),
            new DeliveryOptions().setLocalOnly(true).setSendTimeout(answerTimeoutMs))
        .map(
            stats ->
                new JsonObject()
                    .put("id", selfId())
                    .put("shortId", view == null ? alone : ClusterView.shortId(view.self()))
                    .put("state", "up")
                    .put("ready", view == null || view.isReady(view.self()))
                    .mergeIn(addresses.get())
                    .put("connections", stats.body().getInteger("connections", 0))
                    .put("channels", stats.body().getInteger("channels", 0))
                    .put("startedAt", startedAt)
                    .put("uptimeMs", System.currentTimeMillis() - startedAt));
  }

  /**
   * Every member, in id order; a member that does not answer within {@code cluster.answerTimeoutMs}
   * is listed with {@code "state": "unreachable"} and its id alone.
   */
  public Future<JsonArray> all() {
    if (view == null) {
      return describeSelf().map(self -> new JsonArray().add(self.put("self", true)));
    }
    List<Future<JsonObject>> answers = new ArrayList<>();
    for (String member : view.members()) {
      Future<JsonObject> answer =
          member.equals(view.self())
              ? describeSelf()
              : vertx
                  .eventBus()
                  .<JsonObject>request(
                      NodeAddresses.of(member, NodeAddresses.QUERY),
                      new JsonObject().put("query", "node"),
                      new DeliveryOptions().setSendTimeout(answerTimeoutMs))
                  .map(Message::body);
      answers.add(
          answer
              .map(description -> description.put("self", member.equals(view.self())))
              .otherwise(
                  failure ->
                      new JsonObject()
                          .put("id", member)
                          .put("shortId", ClusterView.shortId(member))
                          .put("state", "unreachable")
                          .put("self", false)
                          .put("reason", failure.getMessage())));
    }
    return Future.join(answers)
        .transform(
            done -> {
              JsonArray nodes = new JsonArray();
              answers.forEach(answer -> nodes.add(answer.result()));
              return Future.succeededFuture(nodes);
            });
  }
}

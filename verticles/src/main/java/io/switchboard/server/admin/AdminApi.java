package io.switchboard.server.admin;

import io.switchboard.protocol.Addresses;
import io.switchboard.protocol.BusErrors;
import io.switchboard.protocol.ErrorCode;
import io.switchboard.protocol.FrameCodec;
import io.switchboard.protocol.ProtocolError;
import io.switchboard.protocol.ProtocolException;
import io.switchboard.server.bus.InternalAddresses;
import io.switchboard.server.bus.PageRequest;
import io.switchboard.server.cluster.Nodes;
import io.switchboard.server.cluster.Nodes.Answers;
import io.switchboard.server.frame.ServerFrames;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The admin API's data routes. Every answer is gathered over the event bus: registry figures from
 * routing, per-connection metadata from the connection instances that hold the sockets. Listings
 * come one page at a time ({@link Paging}); whoever holds the data selects the page, so a page
 * costs what its size costs, whatever the number of connections or channels.
 */
final class AdminApi {

  static final long BUS_TIMEOUT_MS = 5_000;

  private final EventBus eventBus;
  private final Nodes nodes;

  /** This node's routing and connection instances. */
  private final DeliveryOptions options =
      new DeliveryOptions().setSendTimeout(BUS_TIMEOUT_MS).setLocalOnly(true);

  /**
   * @param nodes the cluster's nodes: clustered, the listings, totals and connection actions cover
   *     every node
   */
  AdminApi(EventBus eventBus, Nodes nodes) {
    this.eventBus = eventBus;
    this.nodes = nodes;
  }

  /** Every node's answer to one question ({@link Nodes#askEvery}). */
  private Future<Answers> askAll(String address, JsonObject body) {
    return nodes.askEvery(address, body);
  }

  /** Names the nodes that did not answer, if any. */
  private static JsonObject noteUnanswered(JsonObject body, List<String> unanswered) {
    if (!unanswered.isEmpty()) {
      body.put("unansweredNodes", new JsonArray(new ArrayList<>(unanswered)));
    }
    return body;
  }

  void mount(Router router) {
    router.get("/api/websocket/status").handler(this::websocketStatus);
    router.get("/ws/status").handler(this::wsStatus);
    router.get("/api/connections").handler(this::listConnections);
    router.get("/api/connections/:id").handler(this::getConnection);
    router.delete("/api/connections/:id").handler(this::disconnect);
    router.get("/api/channels").handler(this::listChannels);
    router.get("/api/channels/:name").handler(this::getChannel);
    router.get("/api/channels/:name/history").handler(this::channelHistory);
    router.post("/v1/broadcast").handler(this::broadcast);
  }

  private void websocketStatus(RoutingContext ctx) {
    PageRequest page = Paging.CONNECTIONS.request(ctx);
    connections(page)
        .onSuccess(
            listing -> {
              JsonObject summary =
                  new JsonObject()
                      .put("activeConnections", listing.open)
                      .put("trackedConnections", listing.total)
                      .put("totalBroadcasts", listing.broadcasts)
                      .put("totalErrors", listing.errors);
              json(
                  ctx,
                  new JsonObject()
                      .put("status", "ok")
                      .put("timestamp", ServerFrames.now())
                      .put("summary", summary)
                      .put("connections", listing.page)
                      .put("next", listing.next)
                      .mergeIn(noteUnanswered(new JsonObject(), listing.unanswered)));
            })
        .onFailure(ctx::fail);
  }

  private void wsStatus(RoutingContext ctx) {
    PageRequest page = Paging.CHANNELS.request(ctx);
    Future<JsonObject> stats = clusterStats();
    Future<JsonObject> channels = channelPage(page);
    Future.all(stats, channels)
        .onSuccess(
            both -> {
              JsonObject breakdown = new JsonObject();
              JsonArray list = channels.result().getJsonArray("channels");
              list.forEach(
                  c -> {
                    JsonObject channel = (JsonObject) c;
                    breakdown.put(channel.getString("name"), channel.getInteger("subscribers"));
                  });
              json(
                  ctx,
                  new JsonObject()
                      .put(
                          "stats",
                          new JsonObject()
                              .put("totalClients", stats.result().getInteger("connections"))
                              .put("totalChannels", channels.result().getInteger("total"))
                              .put("totalSubscriptions", stats.result().getInteger("subscriptions"))
                              .put("channelBreakdown", breakdown))
                      .put("next", nextChannel(channels.result(), list))
                      .put("timestamp", ServerFrames.now())
                      .mergeIn(
                          noteUnanswered(
                              new JsonObject(),
                              stats.result().getJsonArray("unanswered").getList())));
            })
        .onFailure(ctx::fail);
  }

  private void listConnections(RoutingContext ctx) {
    PageRequest page = Paging.CONNECTIONS.request(ctx);
    connections(page)
        .onSuccess(
            listing ->
                json(
                    ctx,
                    new JsonObject()
                        .put("total", listing.total)
                        .put("connections", listing.page)
                        .put("next", listing.next)
                        .mergeIn(noteUnanswered(new JsonObject(), listing.unanswered))))
        .onFailure(ctx::fail);
  }

  private void getConnection(RoutingContext ctx) {
    connectionAction(ctx.pathParam("id"), "get").onSuccess(c -> json(ctx, c)).onFailure(ctx::fail);
  }

  private void disconnect(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    connectionAction(id, "disconnect")
        .onSuccess(
            c ->
                json(
                    ctx,
                    new JsonObject()
                        .put("success", true)
                        .put("connectionId", id)
                        .put("closeCode", 4502)))
        .onFailure(ctx::fail);
  }

  private void listChannels(RoutingContext ctx) {
    PageRequest page = Paging.CHANNELS.request(ctx);
    channelPage(page)
        .onSuccess(
            reply -> {
              JsonArray channels = reply.getJsonArray("channels");
              json(
                  ctx,
                  noteUnanswered(
                      new JsonObject()
                          .put("total", reply.getInteger("total"))
                          .put("channels", channels)
                          .put("next", nextChannel(reply, channels)),
                      reply.getJsonArray("unanswered").getList()));
            })
        .onFailure(ctx::fail);
  }

  private void getChannel(RoutingContext ctx) {
    PageRequest page = Paging.CONNECTIONS.request(ctx);
    channel(page, ctx.pathParam("name"))
        .onSuccess(
            channel -> {
              JsonArray ids = channel.getJsonArray("connections");
              boolean more = (Boolean) channel.remove("more");
              json(
                  ctx,
                  channel.put(
                      "next",
                      more ? Paging.CONNECTIONS.next(ids.getString(ids.size() - 1)) : null));
            })
        .onFailure(ctx::fail);
  }

  /**
   * A channel's history, read where the channel is sequenced: {@code
   * ?limit=&sinceOffset=&sinceEpoch=} as the {@code switchboard.history} request's {@code limit}
   * and {@code since}.
   */
  private void channelHistory(RoutingContext ctx) {
    JsonObject request = new JsonObject().put("channel", ctx.pathParam("name"));
    String limit = single(ctx, "limit");
    if (limit != null) {
      request.put("limit", wholeNumber("limit", limit, 1));
    }
    String sinceOffset = single(ctx, "sinceOffset");
    String sinceEpoch = single(ctx, "sinceEpoch");
    if ((sinceOffset == null) != (sinceEpoch == null)) {
      throw new AdminException(
          400,
          ErrorCode.BAD_REQUEST.code(),
          "query parameters 'sinceOffset' and 'sinceEpoch' go together: give both or neither");
    }
    if (sinceOffset != null) {
      request.put(
          "since",
          new JsonObject()
              .put("offset", wholeNumber("sinceOffset", sinceOffset, 0))
              .put("epoch", sinceEpoch));
    }
    eventBus
        .<JsonObject>request(Addresses.HISTORY, request, options)
        .onSuccess(reply -> json(ctx, reply.body()))
        .onFailure(ctx::fail);
  }

  /** A query parameter given at most once; null when absent. */
  private static String single(RoutingContext ctx, String name) {
    List<String> values = ctx.queryParam(name);
    if (values.size() > 1) {
      throw new AdminException(
          400,
          ErrorCode.BAD_REQUEST.code(),
          "query parameter '"
              + name
              + "' must be given once, was given "
              + values.size()
              + " times");
    }
    return values.isEmpty() ? null : values.get(0);
  }

  private static long wholeNumber(String name, String raw, long min) {
    long value;
    try {
      value = Long.parseLong(raw);
    } catch (NumberFormatException e) {
      value = min - 1;
    }
    if (value < min) {
      throw new AdminException(
          400,
          ErrorCode.BAD_REQUEST.code(),
          "query parameter '"
              + name
              + "' must be a whole number of at least "
              + min
              + ", was '"
              + raw
              + "'");
    }
    return value;
  }

  private static String nextChannel(JsonObject reply, JsonArray page) {
    return reply.getBoolean("more")
        ? Paging.CHANNELS.next(page.getJsonObject(page.size() - 1).getString("name"))
        : null;
  }

  private void broadcast(RoutingContext ctx) {
    Buffer raw = ctx.body().buffer();
    if (raw == null || raw.length() == 0) {
      throw new AdminException(
          400, ErrorCode.BAD_REQUEST.code(), "the request body is required: a JSON object");
    }
    Object body;
    try {
      body = FrameCodec.parse(raw.toString());
    } catch (ProtocolException e) {
      throw new AdminException(
          400,
          ErrorCode.BAD_REQUEST.code(),
          e.error()
              .message()
              .replace("frame is not valid JSON", "the request body is not valid JSON"));
    }
    eventBus
        .<JsonObject>request(Addresses.BROADCAST, body, options)
        .onSuccess(reply -> json(ctx, reply.body()))
        .onFailure(ctx::fail);
  }

  /**
   * Asks the routing of the node the connection id names where the connection lives, then asks that
   * instance to act on it: wherever in the cluster the connection is. Either answering 404 (with a
   * sentence, no protocol error) is 404 {@code connection_not_found}.
   */
  private Future<JsonObject> connectionAction(String id, String action) {
    String node = nodes.nodeOfConnection(id);
    if (node == null) {
      return Future.failedFuture(
          new AdminException(
              404, "connection_not_found", "connection '" + id + "' does not exist"));
    }
    return nodes
        .ask(
            node,
            InternalAddresses.ROUTING_QUERY,
            new JsonObject().put("query", "connection").put("connectionId", id))
        .compose(
            located ->
                nodes.ask(
                    node,
                    InternalAddresses.connectionInstance(located.getString("instance")),
                    new JsonObject().put("action", action).put("connectionId", id)))
        .recover(
            failure ->
                Future.failedFuture(
                    failure instanceof ReplyException refused
                            && refused.failureType() == ReplyFailure.RECIPIENT_FAILURE
                            && refused.failureCode() == 404
                            && BusErrors.protocolError(refused).isEmpty()
                        ? new AdminException(404, "connection_not_found", refused.getMessage())
                        : failure));
  }

  /**
   * Every node's figures summed: {@code connections}, {@code subscriptions} (each node's
   * connections in each of their channels), and {@code channels} counted once each (by the node
   * owning the channel), with the nodes that did not answer under {@code unanswered}.
   */
  private Future<JsonObject> clusterStats() {
    Future<Answers> stats =
        askAll(InternalAddresses.ROUTING_QUERY, new JsonObject().put("query", "stats"));
    Future<Answers> owned =
        askAll(InternalAddresses.ROUTING_QUERY, new JsonObject().put("query", "owned"));
    return Future.all(stats, owned)
        .map(
            both -> {
              Set<String> unanswered = new LinkedHashSet<>(stats.result().unanswered());
              unanswered.addAll(owned.result().unanswered());
              return new JsonObject()
                  .put("connections", sum(stats.result(), "connections"))
                  .put("subscriptions", sum(stats.result(), "subscriptions"))
                  .put("channels", sum(owned.result(), "owned"))
                  .put("unanswered", new JsonArray(new ArrayList<>(unanswered)));
            });
  }

  private static int sum(Answers answers, String field) {
    return answers.answered().values().stream().mapToInt(a -> a.getInteger(field, 0)).sum();
  }

  /**
   * One page of the channels of every node, by name: each node answers at most the page's size
   * after the cursor, and the page is the first names of those merged, each with its subscribers
   * summed over the nodes (a node whose own page stops before a name has no more names before it,
   * so every name kept has every node's count). {@code total} counts each channel once.
   */
  private Future<JsonObject> channelPage(PageRequest page) {
    Future<Answers> pages =
        askAll(
            InternalAddresses.ROUTING_QUERY,
            page.writeTo(new JsonObject().put("query", "channels")));
    return Future.all(pages, clusterStats())
        .map(
            both -> {
              Map<String, Integer> subscribers = new java.util.TreeMap<>();
              boolean more = false;
              for (JsonObject part : pages.result().answered().values()) {
                more |= part.getBoolean("more", false);
                for (Object entry : part.getJsonArray("channels", new JsonArray())) {
                  JsonObject channel = (JsonObject) entry;
                  subscribers.merge(
                      channel.getString("name"), channel.getInteger("subscribers"), Integer::sum);
                }
              }
              JsonArray list = new JsonArray();
              for (Map.Entry<String, Integer> channel : subscribers.entrySet()) {
                if (list.size() == page.limit()) {
                  more = true;
                  break;
                }
                list.add(
                    new JsonObject()
                        .put("name", channel.getKey())
                        .put("subscribers", channel.getValue()));
              }
              Set<Object> unanswered = new LinkedHashSet<>(pages.result().unanswered());
              unanswered.addAll(both.<JsonObject>resultAt(1).getJsonArray("unanswered").getList());
              return new JsonObject()
                  .put("total", both.<JsonObject>resultAt(1).getInteger("channels"))
                  .put("channels", list)
                  .put("more", more)
                  .put("unanswered", new JsonArray(new ArrayList<>(unanswered)));
            });
  }

  /**
   * A channel on every node: the node that sequences it, its subscribers summed, and one page of
   * their ids merged in id order. 404 {@code channel_not_found} when no node has it.
   */
  private Future<JsonObject> channel(PageRequest page, String name) {
    return askAll(
            InternalAddresses.ROUTING_QUERY,
            page.writeTo(new JsonObject().put("query", "channel").put("name", name)))
        .compose(
            answers -> {
              if (answers.answered().isEmpty()) {
                ProtocolError missing = ProtocolError.channelNotFound(name);
                return Future.failedFuture(
                    new AdminException(404, missing.code().code(), missing.message()));
              }
              int total = 0;
              boolean more = false;
              List<String> ids = new ArrayList<>();
              for (JsonObject part : answers.answered().values()) {
                total += part.getInteger("subscribers", 0);
                more |= part.getBoolean("more", false);
                part.getJsonArray("connections").forEach(id -> ids.add((String) id));
              }
              ids.sort(null);
              if (ids.size() > page.limit()) {
                more = true;
              }
              List<String> kept = ids.subList(0, Math.min(page.limit(), ids.size()));
              return Future.succeededFuture(
                  noteUnanswered(
                      new JsonObject()
                          .put("name", name)
                          .put("owner", nodes.ownerOf(name))
                          .put("subscribers", total)
                          .put("connections", new JsonArray(new ArrayList<>(kept)))
                          .put("more", more),
                      answers.unanswered()));
            });
  }

  /** One page of the connections of every instance, with totals over all of them. */
  private record Listing(
      JsonArray page,
      String next,
      long total,
      long open,
      long broadcasts,
      long errors,
      List<String> unanswered) {}

  /**
   * One page of connections: each instance answers at most the page's size after the cursor, in id
   * order, and the page is the first ones of those answers merged.
   */
  private Future<Listing> connections(PageRequest page) {
    return askAll(InternalAddresses.ROUTING_QUERY, new JsonObject().put("query", "instances"))
        .compose(
            instances -> {
              JsonObject request = page.writeTo(new JsonObject().put("action", "list"));
              List<Future<JsonObject>> answers = new ArrayList<>();
              instances
                  .answered()
                  .forEach(
                      (node, reply) ->
                          reply
                              .getJsonArray("instances")
                              .forEach(
                                  instance ->
                                      answers.add(
                                          nodes.ask(
                                              node,
                                              InternalAddresses.connectionInstance(
                                                  (String) instance),
                                              request))));
              return Future.all(answers).map(all -> merge(page, answers, instances.unanswered()));
            });
  }

  private static Listing merge(
      PageRequest page, List<Future<JsonObject>> answers, List<String> unanswered) {
    List<JsonObject> candidates = new ArrayList<>();
    boolean more = false;
    long total = 0;
    long open = 0;
    long broadcasts = 0;
    long errors = 0;
    for (Future<JsonObject> answer : answers) {
      JsonObject instance = answer.result();
      instance.getJsonArray("connections").forEach(c -> candidates.add((JsonObject) c));
      more |= instance.getBoolean("more");
      total += instance.getLong("total");
      open += instance.getLong("open");
      broadcasts += instance.getLong("broadcasts");
      errors += instance.getLong("errors");
    }
    candidates.sort(Comparator.comparing(c -> c.getString("id")));
    more |= candidates.size() > page.limit();
    List<JsonObject> kept = candidates.subList(0, Math.min(page.limit(), candidates.size()));
    String next = more ? Paging.CONNECTIONS.next(kept.get(kept.size() - 1).getString("id")) : null;
    return new Listing(
        new JsonArray(new ArrayList<>(kept)), next, total, open, broadcasts, errors, unanswered);
  }

  static void json(RoutingContext ctx, JsonObject body) {
    ctx.response().putHeader("Content-Type", "application/json").end(body.encode());
  }
}

package io.switchboard.server.admin;

import io.switchboard.protocol.Addresses;
import io.switchboard.protocol.ErrorCode;
import io.switchboard.protocol.FrameCodec;
import io.switchboard.protocol.ProtocolException;
import io.switchboard.server.bus.PageRequest;
import io.switchboard.server.frame.ServerFrames;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The admin API's data routes. Every answer is gathered over the event bus: registry figures from
 * routing, per-connection metadata from the connection instances that hold the sockets. Listings
 * come one page at a time ({@link Paging}); whoever holds the data selects the page, so a page
 * costs what its size costs, whatever the number of connections or channels.
 */
final class AdminApi {

  static final long BUS_TIMEOUT_MS = 5_000;

  private final EventBus eventBus;

  /** This node's routing and connection instances. */
  private final DeliveryOptions options =
      new DeliveryOptions().setSendTimeout(BUS_TIMEOUT_MS).setLocalOnly(true);

  AdminApi(EventBus eventBus) {
    this.eventBus = eventBus;
  }

  void mount(Router router) {
    router.get("/api/websocket/status").handler(this::websocketStatus);
    router.get("/ws/status").handler(this::wsStatus);
    router.get("/api/connections").handler(this::listConnections);
    router.get("/api/connections/:id").handler(this::getConnection);
    router.delete("/api/connections/:id").handler(this::disconnect);
    router.get("/api/channels").handler(this::listChannels);
    router.get("/api/channels/:name").handler(this::getChannel);
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
                      .put("next", listing.next));
            })
        .onFailure(ctx::fail);
  }

  private void wsStatus(RoutingContext ctx) {
    PageRequest page = Paging.CHANNELS.request(ctx);
    Future<JsonObject> stats = query(new JsonObject().put("query", "stats"));
    Future<JsonObject> channels = query(page.writeTo(new JsonObject().put("query", "channels")));
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
                              .put("channelBreakdown", breakdown))
                      .put("next", nextChannel(channels.result(), list))
                      .put("timestamp", ServerFrames.now()));
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
                        .put("next", listing.next)))
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
    query(page.writeTo(new JsonObject().put("query", "channels")))
        .onSuccess(
            reply -> {
              JsonArray channels = reply.getJsonArray("channels");
              json(
                  ctx,
                  new JsonObject()
                      .put("total", reply.getInteger("total"))
                      .put("channels", channels)
                      .put("next", nextChannel(reply, channels)));
            })
        .onFailure(ctx::fail);
  }

  private void getChannel(RoutingContext ctx) {
    PageRequest page = Paging.CONNECTIONS.request(ctx);
    query(page.writeTo(new JsonObject().put("query", "channel").put("name", ctx.pathParam("name"))))
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

  /** Asks routing where a connection lives, then asks that instance to act on it. */
  private Future<JsonObject> connectionAction(String id, String action) {
    return query(new JsonObject().put("query", "connection").put("connectionId", id))
        .compose(
            located ->
                eventBus
                    .<JsonObject>request(
                        Addresses.connectionInstance(located.getString("instance")),
                        new JsonObject().put("action", action).put("connectionId", id),
                        options)
                    .map(Message::body));
  }

  /** One page of the connections of every instance, with totals over all of them. */
  private record Listing(
      JsonArray page, String next, long total, long open, long broadcasts, long errors) {}

  /**
   * One page of connections: each instance answers at most the page's size after the cursor, in id
   * order, and the page is the first ones of those answers merged.
   */
  private Future<Listing> connections(PageRequest page) {
    return query(new JsonObject().put("query", "instances"))
        .compose(
            reply -> {
              JsonObject request = page.writeTo(new JsonObject().put("action", "list"));
              List<Future<JsonObject>> answers =
                  reply.getJsonArray("instances").stream()
                      .map(
                          instance ->
                              eventBus
                                  .<JsonObject>request(
                                      Addresses.connectionInstance((String) instance),
                                      request,
                                      options)
                                  .map(Message::body))
                      .toList();
              return Future.all(answers).map(all -> merge(page, answers));
            });
  }

  private static Listing merge(PageRequest page, List<Future<JsonObject>> answers) {
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
    return new Listing(new JsonArray(new ArrayList<>(kept)), next, total, open, broadcasts, errors);
  }

  private Future<JsonObject> query(JsonObject query) {
    return eventBus.<JsonObject>request(Addresses.ROUTING_QUERY, query, options).map(Message::body);
  }

  static void json(RoutingContext ctx, JsonObject body) {
    ctx.response().putHeader("Content-Type", "application/json").end(body.encode());
  }
}

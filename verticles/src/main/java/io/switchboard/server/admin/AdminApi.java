package io.switchboard.server.admin;

import io.switchboard.protocol.Addresses;
import io.switchboard.protocol.ErrorCode;
import io.switchboard.protocol.FrameCodec;
import io.switchboard.protocol.ProtocolException;
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
import java.util.List;

/**
 * The admin API's data routes. Every answer is gathered over the event bus: registry figures from
 * routing, per-connection metadata from the connection instances that hold the sockets.
 */
final class AdminApi {

  static final long BUS_TIMEOUT_MS = 5_000;

  private final EventBus eventBus;
  private final DeliveryOptions options = new DeliveryOptions().setSendTimeout(BUS_TIMEOUT_MS);

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
    allConnections()
        .onSuccess(
            connections -> {
              long active = 0;
              long broadcasts = 0;
              long errors = 0;
              for (Object c : connections) {
                JsonObject connection = (JsonObject) c;
                active += connection.getBoolean("open", true) ? 1 : 0;
                broadcasts += connection.getLong("broadcastCount", 0L);
                errors += connection.getLong("errorCount", 0L);
              }
              JsonObject summary =
                  new JsonObject()
                      .put("activeConnections", active)
                      .put("trackedConnections", connections.size())
                      .put("totalBroadcasts", broadcasts)
                      .put("totalErrors", errors);
              json(
                  ctx,
                  new JsonObject()
                      .put("status", "ok")
                      .put("timestamp", ServerFrames.now())
                      .put("summary", summary)
                      .put("connections", connections));
            })
        .onFailure(ctx::fail);
  }

  private void wsStatus(RoutingContext ctx) {
    query(new JsonObject().put("query", "stats"))
        .onSuccess(
            stats ->
                json(
                    ctx,
                    new JsonObject()
                        .put(
                            "stats",
                            new JsonObject()
                                .put("totalClients", stats.getInteger("connections"))
                                .put("totalChannels", stats.getInteger("channels"))
                                .put("channelBreakdown", stats.getJsonObject("channelBreakdown")))
                        .put("timestamp", ServerFrames.now())))
        .onFailure(ctx::fail);
  }

  private void listConnections(RoutingContext ctx) {
    allConnections()
        .onSuccess(
            connections ->
                json(
                    ctx,
                    new JsonObject()
                        .put("total", connections.size())
                        .put("connections", connections)))
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
    query(new JsonObject().put("query", "channels"))
        .onSuccess(
            reply -> {
              JsonArray channels = reply.getJsonArray("channels");
              json(ctx, new JsonObject().put("total", channels.size()).put("channels", channels));
            })
        .onFailure(ctx::fail);
  }

  private void getChannel(RoutingContext ctx) {
    query(new JsonObject().put("query", "channel").put("name", ctx.pathParam("name")))
        .onSuccess(channel -> json(ctx, channel))
        .onFailure(ctx::fail);
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

  /** The metadata of every connection, from every connection instance. */
  private Future<JsonArray> allConnections() {
    return query(new JsonObject().put("query", "instances"))
        .compose(
            reply -> {
              List<Future<JsonObject>> lists =
                  reply.getJsonArray("instances").stream()
                      .map(
                          instance ->
                              eventBus
                                  .<JsonObject>request(
                                      Addresses.connectionInstance((String) instance),
                                      new JsonObject().put("action", "list"),
                                      options)
                                  .map(Message::body))
                      .toList();
              return Future.all(lists)
                  .map(
                      all -> {
                        JsonArray merged = new JsonArray();
                        lists.forEach(f -> merged.addAll(f.result().getJsonArray("connections")));
                        return merged;
                      });
            });
  }

  private Future<JsonObject> query(JsonObject query) {
    return eventBus.<JsonObject>request(Addresses.ROUTING_QUERY, query, options).map(Message::body);
  }

  static void json(RoutingContext ctx, JsonObject body) {
    ctx.response().putHeader("Content-Type", "application/json").end(body.encode());
  }
}

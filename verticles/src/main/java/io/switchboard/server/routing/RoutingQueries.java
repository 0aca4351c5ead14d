package io.switchboard.server.routing;

import io.switchboard.protocol.BusErrors;
import io.switchboard.protocol.ErrorCode;
import io.switchboard.protocol.ProtocolError;
import io.switchboard.server.bus.InternalAddresses;
import io.switchboard.server.bus.PageRequest;
import io.switchboard.server.bus.PageRequest.Page;
import io.switchboard.server.bus.PresencePages;
import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.IntSupplier;

/**
 * One shard's answers about its channels, for the admin API, telemetry and heartbeat ({@code
 * switchboard.routing.query}, gathered by {@link RoutingGather}). A missing channel fails the
 * request with 404. Lists (channels, a channel's subscribers) are answered one page at a time
 * ({@link PageRequest}); a channel's subscribers are asked of the connection instances holding
 * them, which alone know who they are.
 */
final class RoutingQueries {

  private static final DeliveryOptions LOCAL = new DeliveryOptions().setLocalOnly(true);

  private final EventBus eventBus;
  private final ChannelIndex index;
  private final IntSupplier openConnections;

  RoutingQueries(EventBus eventBus, ChannelIndex index, IntSupplier openConnections) {
    this.eventBus = eventBus;
    this.index = index;
    this.openConnections = openConnections;
  }

  void answer(Message<JsonObject> request) {
    JsonObject body = request.body();
    String query = body.getString("query", "");
    switch (query) {
      case "stats" -> request.reply(stats());
      case "open" -> request.reply(new JsonObject().put("channels", names()));
      case "channels" -> request.reply(channels(PageRequest.from(body)));
      case "channel" -> channel(request, body.getString("name", ""));
      case "presence" -> presence(request, body.getString("name", ""));
      case "instances" ->
          request.reply(
              new JsonObject().put("instances", new JsonArray(new ArrayList<>(index.instances()))));
      default ->
          BusErrors.fail(
              request, ProtocolError.of(ErrorCode.BAD_REQUEST, "unknown query '" + query + "'"));
    }
  }

  /**
   * This shard's figures; {@code subscriptions} sums its channels' subscribers (one per connection
   * and channel it joined), a pass over the shard's channels that asks no connection instance.
   */
  private JsonObject stats() {
    int subscriptions = 0;
    for (String name : index.names()) {
      subscriptions += index.subscribers(name);
    }
    return new JsonObject()
        .put("connections", openConnections.getAsInt())
        .put("channels", index.channelCount())
        .put("subscriptions", subscriptions)
        .put("instances", index.instances().size());
  }

  private JsonArray names() {
    return new JsonArray(new ArrayList<>(index.names()));
  }

  /** One page of the channels by name, each with its subscriber count. */
  private JsonObject channels(PageRequest request) {
    Page<String> page = request.select(index.names(), name -> name);
    JsonArray list = new JsonArray();
    for (String name : page.items()) {
      list.add(new JsonObject().put("name", name).put("subscribers", index.subscribers(name)));
    }
    return new JsonObject()
        .put("total", index.channelCount())
        .put("channels", list)
        .put("more", page.more());
  }

  /**
   * A channel with one page of its subscribers' connection ids: each instance holding some answers
   * its own page, and the pages are merged into the one asked for.
   */
  private void channel(Message<JsonObject> request, String name) {
    if (!index.exists(name)) {
      BusErrors.fail(request, ProtocolError.channelNotFound(name));
      return;
    }
    PageRequest page = PageRequest.from(request.body());
    int subscribers = index.subscribers(name);
    askInstances(
        request,
        name,
        page,
        "members",
        "a connection instance did not list its subscribers",
        parts -> {
          List<String> ids = new ArrayList<>();
          boolean more = false;
          for (JsonObject part : parts) {
            more |= part.getBoolean("more", false);
            part.getJsonArray("connections", new JsonArray()).forEach(id -> ids.add((String) id));
          }
          Page<String> merged = page.select(ids, id -> id);
          return new JsonObject()
              .put("name", name)
              .put("subscribers", subscribers)
              .put("connections", new JsonArray(new ArrayList<>(merged.items())))
              .put("more", more || merged.more());
        });
  }

  /**
   * Who is in a channel on this node: each instance holding subscribers answers one page of its
   * confirmed members ({@code presence}), and the pages are merged into the one asked for, with the
   * members counted over every instance.
   */
  private void presence(Message<JsonObject> request, String name) {
    if (!index.exists(name)) {
      BusErrors.fail(request, ProtocolError.channelNotFound(name));
      return;
    }
    PageRequest page = PageRequest.from(request.body());
    askInstances(
        request,
        name,
        page,
        "presence",
        "a connection instance did not list its members",
        parts -> PresencePages.merge(name, page, parts.iterator()));
  }

  /**
   * Asks every connection instance holding subscribers of a channel for one page ({@code action})
   * and answers the request with what {@code merge} makes of their pages, or {@code internal}
   * ({@code failed}) when an instance does not answer.
   */
  private void askInstances(
      Message<JsonObject> request,
      String name,
      PageRequest page,
      String action,
      String failed,
      Function<List<JsonObject>, JsonObject> merge) {
    List<Future<JsonObject>> parts = new ArrayList<>();
    for (String instance : index.instancesOf(name)) {
      parts.add(
          eventBus
              .<JsonObject>request(
                  InternalAddresses.connectionInstance(instance),
                  page.writeTo(new JsonObject().put("action", action).put("channel", name)),
                  LOCAL)
              .map(Message::body));
    }
    Future.all(parts)
        .onComplete(
            (done, failure) -> {
              if (failure != null) {
                BusErrors.fail(request, ProtocolError.of(ErrorCode.INTERNAL, failed));
                return;
              }
              request.reply(merge.apply(parts.stream().map(Future::result).toList()));
            });
  }
}

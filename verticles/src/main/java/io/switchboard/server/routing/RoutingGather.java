package io.switchboard.server.routing;

import io.switchboard.protocol.BusErrors;
import io.switchboard.server.bus.InternalAddresses;
import io.switchboard.server.bus.PageRequest;
import io.switchboard.server.bus.PageRequest.Page;
import io.switchboard.server.frame.Incidents;
import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers {@code switchboard.routing.query} for the whole node by asking those that hold the
 * answer: a channel's owning shard for one channel ({@link RoutingQueries}); every shard for the
 * channel count and the channel listing (their pages merged into one); any shard for what every
 * shard knows (connections, instances); the connection instances for a connection, since only the
 * one holding it knows it.
 */
final class RoutingGather {

  private static final Logger log = LoggerFactory.getLogger(RoutingGather.class);
  private static final DeliveryOptions LOCAL = new DeliveryOptions().setLocalOnly(true);

  private final EventBus eventBus;
  private final RoutingShards shards;
  private final Supplier<Set<String>> instances;

  /**
   * @param instances the connection instances of this node (this shard's view, which every shard
   *     shares)
   */
  RoutingGather(EventBus eventBus, RoutingShards shards, Supplier<Set<String>> instances) {
    this.eventBus = eventBus;
    this.shards = shards;
    this.instances = instances;
  }

  void answer(Message<JsonObject> request) {
    JsonObject body = request.body();
    Future<JsonObject> answer =
        switch (body.getString("query", "")) {
          case "stats" -> all(body).map(RoutingGather::stats);
          case "channels" -> all(body).map(parts -> channels(PageRequest.from(body), parts));
          case "channel", "presence" -> ask(shards.ofChannel(body.getString("name", "")), body);
          case "connection" -> connection(body.getString("connectionId", ""));
          case "owned" ->
              all(body)
                  .map(
                      parts ->
                          new JsonObject()
                              .put(
                                  "owned",
                                  parts.stream()
                                      .mapToInt(part -> part.getInteger("owned", 0))
                                      .sum()));
          default -> ask(0, body);
        };
    answer.onComplete(
        (reply, failure) -> {
          if (failure == null) {
            request.reply(reply);
          } else if (failure instanceof ReplyException refused) {
            BusErrors.forward(request, refused);
          } else {
            BusErrors.fail(request, Incidents.report(log, "routing query failed", failure));
          }
        });
  }

  private static JsonObject stats(List<JsonObject> parts) {
    int channels = parts.stream().mapToInt(part -> part.getInteger("channels", 0)).sum();
    int subscriptions = parts.stream().mapToInt(part -> part.getInteger("subscriptions", 0)).sum();
    return parts.get(0).copy().put("channels", channels).put("subscriptions", subscriptions);
  }

  /** The shards' pages of their own channels, merged into the one page asked for. */
  private static JsonObject channels(PageRequest page, List<JsonObject> parts) {
    List<JsonObject> candidates = new ArrayList<>();
    int total = 0;
    boolean more = false;
    for (JsonObject part : parts) {
      total += part.getInteger("total", 0);
      more |= part.getBoolean("more", false);
      part.getJsonArray("channels", new JsonArray()).forEach(c -> candidates.add((JsonObject) c));
    }
    Page<JsonObject> merged = page.select(candidates, channel -> channel.getString("name"));
    return new JsonObject()
        .put("total", total)
        .put("channels", new JsonArray(new ArrayList<>(merged.items())))
        .put("more", more || merged.more());
  }

  /**
   * A connection as the instance holding it knows it: {@code {"connectionId", "instance", "userId",
   * "organizationId", "channels"}}; 404 when no instance of this node holds it.
   */
  private Future<JsonObject> connection(String id) {
    List<Future<JsonObject>> asked = new ArrayList<>();
    for (String instance : List.copyOf(instances.get())) {
      asked.add(
          eventBus
              .<JsonObject>request(
                  InternalAddresses.connectionInstance(instance),
                  new JsonObject().put("action", "get").put("connectionId", id),
                  LOCAL)
              .map(
                  reply ->
                      new JsonObject()
                          .put("connectionId", id)
                          .put("instance", instance)
                          .put("userId", reply.body().getString("userId"))
                          .put("organizationId", reply.body().getString("organizationId"))
                          .put("channels", reply.body().getJsonArray("channels"))));
    }
    return Future.any(asked)
        .map(found -> asked.stream().filter(Future::succeeded).findFirst().orElseThrow().result())
        .recover(
            none ->
                Future.failedFuture(
                    new ReplyException(
                        ReplyFailure.RECIPIENT_FAILURE,
                        404,
                        "connection '" + id + "' does not exist")));
  }

  private Future<List<JsonObject>> all(JsonObject query) {
    List<Future<JsonObject>> asked = new ArrayList<>();
    for (int shard = 0; shard < shards.count(); shard++) {
      asked.add(ask(shard, query));
    }
    return Future.all(asked).map(done -> asked.stream().map(Future::result).toList());
  }

  private Future<JsonObject> ask(int shard, JsonObject query) {
    return eventBus
        .<JsonObject>request(RoutingShards.address(shard, RoutingShards.QUERY), query, LOCAL)
        .map(Message::body);
  }
}

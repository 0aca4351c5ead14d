package io.switchboard.server.routing;

import io.switchboard.protocol.BusErrors;
import io.switchboard.server.bus.PageRequest;
import io.switchboard.server.bus.PageRequest.Page;
import io.switchboard.server.frame.Incidents;
import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers {@code switchboard.routing.query} for the whole server by asking the shards that hold the
 * answer ({@link RoutingQueries} on each): a channel's owner for one channel; every shard for the
 * channel count, the channel listing (their pages merged into one) and a connection's channels; any
 * shard for what every shard knows (connections, instances).
 */
final class RoutingGather {

  private static final Logger log = LoggerFactory.getLogger(RoutingGather.class);
  private static final DeliveryOptions LOCAL = new DeliveryOptions().setLocalOnly(true);

  private final EventBus eventBus;
  private final RoutingShards shards;

  RoutingGather(EventBus eventBus, RoutingShards shards) {
    this.eventBus = eventBus;
    this.shards = shards;
  }

  void answer(Message<JsonObject> request) {
    JsonObject body = request.body();
    Future<JsonObject> answer =
        switch (body.getString("query", "")) {
          case "stats" -> all(body).map(RoutingGather::stats);
          case "channels" -> all(body).map(parts -> channels(PageRequest.from(body), parts));
          case "channel" -> ask(shards.ofChannel(body.getString("name", "")), body);
          case "connection" -> all(body).map(RoutingGather::connection);
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
    return parts.get(0).copy().put("channels", channels);
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

  /** A connection as every shard knows it, with the channels it joined on each. */
  private static JsonObject connection(List<JsonObject> parts) {
    Set<Object> channels = new LinkedHashSet<>();
    parts.forEach(
        part -> channels.addAll(part.getJsonArray("channels", new JsonArray()).getList()));
    return parts.get(0).copy().put("channels", new JsonArray(new ArrayList<>(channels)));
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

package io.switchboard.server.routing;

import io.switchboard.protocol.BusErrors;
import io.switchboard.protocol.ErrorCode;
import io.switchboard.protocol.ProtocolError;
import io.switchboard.server.bus.PageRequest;
import io.switchboard.server.bus.PageRequest.Page;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Map;
import java.util.Set;

/**
 * Read-only answers about the registry, for the admin API, telemetry and heartbeat ({@code
 * switchboard.routing.query}). A missing channel fails the request with 404 {@code
 * channel_not_found}, a missing connection with 404 and a bare sentence. Lists (channels, a
 * channel's subscribers) are answered one page at a time ({@link PageRequest}).
 */
final class RoutingQueries {

  private final Registry registry;

  RoutingQueries(Registry registry) {
    this.registry = registry;
  }

  void answer(Message<JsonObject> request) {
    JsonObject body = request.body();
    String query = body.getString("query", "");
    switch (query) {
      case "stats" -> request.reply(stats());
      case "channels" -> request.reply(channels(PageRequest.from(body)));
      case "channel" -> channel(request, body.getString("name", ""));
      case "connection" -> connection(request, body.getString("connectionId", ""));
      case "instances" ->
          request.reply(
              new JsonObject()
                  .put("instances", new JsonArray(new ArrayList<>(registry.instances()))));
      default ->
          BusErrors.fail(
              request, ProtocolError.of(ErrorCode.BAD_REQUEST, "unknown query '" + query + "'"));
    }
  }

  private JsonObject stats() {
    return new JsonObject()
        .put("connections", registry.connectionCount())
        .put("channels", registry.channelCount())
        .put("instances", registry.instances().size());
  }

  /** One page of the channels by name, each with its subscriber count. */
  private JsonObject channels(PageRequest request) {
    Page<Map.Entry<String, Set<String>>> page =
        request.select(registry.channels().entrySet(), Map.Entry::getKey);
    JsonArray list = new JsonArray();
    for (Map.Entry<String, Set<String>> channel : page.items()) {
      list.add(
          new JsonObject()
              .put("name", channel.getKey())
              .put("subscribers", channel.getValue().size()));
    }
    return new JsonObject()
        .put("total", registry.channelCount())
        .put("channels", list)
        .put("more", page.more());
  }

  /** A channel with one page of its subscribers' connection ids. */
  private void channel(Message<JsonObject> request, String name) {
    if (!registry.channelExists(name)) {
      BusErrors.fail(request, ProtocolError.channelNotFound(name));
      return;
    }
    Set<String> subscribers = registry.subscribers(name);
    Page<String> page = PageRequest.from(request.body()).select(subscribers, id -> id);
    request.reply(
        new JsonObject()
            .put("name", name)
            .put("subscribers", subscribers.size())
            .put("connections", new JsonArray(new ArrayList<>(page.items())))
            .put("more", page.more()));
  }

  private void connection(Message<JsonObject> request, String id) {
    Registry.Connection connection = registry.connection(id);
    if (connection == null) {
      // Not a protocol error: the admin API names it connection_not_found (AdminApi).
      request.fail(404, "connection '" + id + "' does not exist");
      return;
    }
    request.reply(
        new JsonObject()
            .put("connectionId", connection.id())
            .put("instance", connection.instance())
            .put("userId", connection.userId())
            .put("organizationId", connection.organizationId())
            .put("channels", new JsonArray(new ArrayList<>(connection.channels()))));
  }
}

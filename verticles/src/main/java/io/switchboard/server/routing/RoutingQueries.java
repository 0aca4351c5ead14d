package io.switchboard.server.routing;

import io.switchboard.protocol.ProtocolError;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;

/**
 * Read-only answers about the registry, for the admin API, telemetry and heartbeat ({@code
 * switchboard.routing.query}). A missing channel or connection fails the request with 404.
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
      case "channels" -> request.reply(channels());
      case "channel" -> channel(request, body.getString("name", ""));
      case "connection" -> connection(request, body.getString("connectionId", ""));
      case "instances" ->
          request.reply(
              new JsonObject()
                  .put("instances", new JsonArray(new ArrayList<>(registry.instances()))));
      default -> request.fail(400, "bad_request: unknown query '" + query + "'");
    }
  }

  private JsonObject stats() {
    JsonObject breakdown = new JsonObject();
    registry.channels().forEach((name, subscribers) -> breakdown.put(name, subscribers.size()));
    return new JsonObject()
        .put("connections", registry.connectionCount())
        .put("channels", registry.channelCount())
        .put("instances", registry.instances().size())
        .put("channelBreakdown", breakdown);
  }

  private JsonObject channels() {
    JsonArray list = new JsonArray();
    registry
        .channels()
        .forEach(
            (name, subscribers) ->
                list.add(
                    new JsonObject().put("name", name).put("subscribers", subscribers.size())));
    return new JsonObject().put("channels", list);
  }

  private void channel(Message<JsonObject> request, String name) {
    if (!registry.channelExists(name)) {
      ProtocolError missing = ProtocolError.channelNotFound(name);
      request.fail(404, missing.code().code() + ": " + missing.message());
      return;
    }
    JsonArray ids = new JsonArray(new ArrayList<>(registry.subscribers(name)));
    request.reply(
        new JsonObject().put("name", name).put("subscribers", ids.size()).put("connections", ids));
  }

  private void connection(Message<JsonObject> request, String id) {
    Registry.Connection connection = registry.connection(id);
    if (connection == null) {
      request.fail(404, "connection_not_found: connection '" + id + "' does not exist");
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

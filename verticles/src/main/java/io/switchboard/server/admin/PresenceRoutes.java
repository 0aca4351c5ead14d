package io.switchboard.server.admin;

import io.switchboard.server.bus.PageRequest;
import io.switchboard.server.presence.ClusterPresence;
import io.vertx.core.json.JsonArray;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code GET /api/channels/{name}/presence}: one page of who is in a channel on every node ({@link
 * ClusterPresence}), paged like the connection listings ({@code limit}, {@code cursor}, {@code
 * next}); 404 {@code channel_not_found} when nobody is in it.
 */
final class PresenceRoutes {

  private final ClusterPresence presence;

  PresenceRoutes(ClusterPresence presence) {
    this.presence = presence;
  }

  void mount(Router router) {
    router.get("/api/channels/:name/presence").handler(this::presence);
  }

  private void presence(RoutingContext ctx) {
    PageRequest page = Paging.CONNECTIONS.request(ctx);
    presence
        .members(ctx.pathParam("name"), page)
        .onSuccess(
            answer -> {
              JsonArray members = answer.getJsonArray("members");
              boolean more = (Boolean) answer.remove("more");
              answer.put(
                  "next",
                  more
                      ? Paging.CONNECTIONS.next(
                          members.getJsonObject(members.size() - 1).getString("connectionId"))
                      : null);
              AdminApi.json(ctx, answer);
            })
        .onFailure(ctx::fail);
  }
}

package io.switchboard.server.connection;

import io.switchboard.server.bus.PageRequest;
import io.switchboard.server.bus.PageRequest.Page;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Collection;

/**
 * An instance's answer to the admin's {@code list} request: one page of its connections' metadata
 * in id order, and totals over all of them (which cost a pass over plain counters, no objects).
 */
final class ConnectionListing {

  private ConnectionListing() {}

  /**
   * @return {@code {"connections": [page], "more", "total", "open", "broadcasts", "errors"}}
   */
  static JsonObject page(Collection<ClientConnection> connections, PageRequest request) {
    Page<ClientConnection> page = request.select(connections, c -> c.id);
    JsonArray list = new JsonArray();
    page.items().forEach(c -> list.add(c.toJson()));
    long open = 0;
    long broadcasts = 0;
    long errors = 0;
    for (ClientConnection connection : connections) {
      open += connection.isOpen() ? 1 : 0;
      broadcasts += connection.broadcastCount;
      errors += connection.errorCount;
    }
    return new JsonObject()
        .put("connections", list)
        .put("more", page.more())
        .put("total", connections.size())
        .put("open", open)
        .put("broadcasts", broadcasts)
        .put("errors", errors);
  }
}

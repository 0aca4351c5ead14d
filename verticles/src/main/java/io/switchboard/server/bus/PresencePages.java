package io.switchboard.server.bus;

import io.switchboard.server.bus.PageRequest.Page;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Pages of a channel's presence, merged: the connection instances' pages into a node's, the nodes'
 * into the cluster's. Each part is {@code {"members": [{"connectionId", ...}], "more", "count"}},
 * one page of at most the request's {@code limit} members after its cursor, in connection-id order;
 * the first {@code limit} of their union is then the page asked for, since no part left out a
 * member that comes before its own last one.
 */
public final class PresencePages {

  private PresencePages() {}

  /**
   * @return {@code {"channel", "count", "members", "more"}}: {@code count} sums the parts' counts
   */
  public static JsonObject merge(String channel, PageRequest page, Iterator<JsonObject> parts) {
    List<JsonObject> candidates = new ArrayList<>();
    boolean more = false;
    int count = 0;
    while (parts.hasNext()) {
      JsonObject part = parts.next();
      more |= part.getBoolean("more", false);
      count += part.getInteger("count", 0);
      part.getJsonArray("members", new JsonArray()).forEach(m -> candidates.add((JsonObject) m));
    }
    Page<JsonObject> merged = page.select(candidates, member -> member.getString("connectionId"));
    return new JsonObject()
        .put("channel", channel)
        .put("count", count)
        .put("members", new JsonArray(new ArrayList<>(merged.items())))
        .put("more", more || merged.more());
  }
}

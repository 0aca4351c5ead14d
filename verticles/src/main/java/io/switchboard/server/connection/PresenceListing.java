package io.switchboard.server.connection;

import io.switchboard.server.bus.PageRequest;
import io.switchboard.server.bus.PageRequest.Page;
import io.switchboard.server.frame.ServerFrames;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * An instance's answer to routing's {@code presence} request: who of its connections is in a
 * channel. A join still waiting for its confirmation is not presence yet; its time is the moment
 * the join was confirmed.
 */
final class PresenceListing {

  private PresenceListing() {}

  /**
   * @param members the channel's local subscribers ({@link LocalChannels#members})
   * @return {@code {"members": [{"connectionId", "userId", "organizationId", "joinedAt"}], "more",
   *     "count"}}: one page in connection-id order, and how many confirmed members there are here
   */
  static JsonObject page(String channel, List<LocalChannels.Member> members, PageRequest request) {
    List<ClientConnection> confirmed = new ArrayList<>();
    for (LocalChannels.Member member : members) {
      if (member instanceof ClientConnection connection && connection.channels.contains(channel)) {
        confirmed.add(connection);
      }
    }
    Page<ClientConnection> page = request.select(confirmed, connection -> connection.id);
    JsonArray list = new JsonArray();
    for (ClientConnection connection : page.items()) {
      Long joinedAt = connection.joinedAt.get(channel);
      list.add(
          new JsonObject()
              .put("connectionId", connection.id)
              .put("userId", connection.userId())
              .put("organizationId", connection.organizationId())
              .put("joinedAt", joinedAt == null ? null : ServerFrames.timestamp(joinedAt)));
    }
    return new JsonObject()
        .put("members", list)
        .put("more", page.more())
        .put("count", confirmed.size());
  }
}

package io.switchboard.server.connection;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.switchboard.protocol.BusErrors;
import io.switchboard.protocol.CloseCode;
import io.switchboard.protocol.ErrorCode;
import io.switchboard.protocol.ProtocolError;
import io.switchboard.server.bus.Audience;
import io.switchboard.server.bus.Delivery;
import io.switchboard.server.bus.PageRequest;
import io.switchboard.server.bus.PageRequest.Page;
import io.switchboard.server.metrics.SwitchboardMetrics;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One connection instance's connections and everything the node knows about who they are and what
 * they joined: the connections by id, user and organisation, and the {@code channel -> sockets}
 * index ({@link LocalChannels}). It is the only record of channel membership on the node: routing
 * keeps counts per channel and instance, and asks the hubs (through their control address) for
 * anything about particular connections. Used only on its instance's event loop.
 */
final class Hub {

  private final Map<String, ClientConnection> connections = new HashMap<>();
  private final Map<String, Set<ClientConnection>> byUser = new HashMap<>();
  private final Map<String, Set<ClientConnection>> byOrganization = new HashMap<>();
  private final LocalChannels channels;
  private final Outbound outbound;
  private final SwitchboardMetrics metrics;

  Hub(LocalChannels channels, Outbound outbound, SwitchboardMetrics metrics) {
    this.channels = channels;
    this.outbound = outbound;
    this.metrics = metrics;
  }

  LocalChannels channels() {
    return channels;
  }

  void add(ClientConnection connection) {
    connections.put(connection.id, connection);
    index(byUser, connection.identity.userId(), connection);
    index(byOrganization, connection.identity.organizationId(), connection);
  }

  /**
   * Forgets a connection and takes it out of its channels here (a join in flight included).
   *
   * @return false when it was already forgotten
   */
  boolean remove(ClientConnection connection) {
    if (connections.remove(connection.id) == null) {
      return false;
    }
    unindex(byUser, connection.identity.userId(), connection);
    unindex(byOrganization, connection.identity.organizationId(), connection);
    for (String channel : connection.channels) {
      channels.remove(channel, connection);
    }
    if (connection.joining != null) {
      channels.remove(connection.joining, connection);
    }
    return true;
  }

  ClientConnection get(String id) {
    return connections.get(id);
  }

  Collection<ClientConnection> all() {
    return connections.values();
  }

  int size() {
    return connections.size();
  }

  /**
   * Writes a targeted delivery to the connections of this instance its audience matches.
   *
   * @return how many were written to
   */
  int deliver(Delivery delivery) {
    Audience audience = delivery.audience();
    if (audience.channel() != null) {
      return channels.deliver(audience.channel(), delivery);
    }
    Collection<ClientConnection> candidates;
    if (audience.connectionIds() != null) {
      candidates = new ArrayList<>();
      for (String id : audience.connectionIds()) {
        ClientConnection connection = connections.get(id);
        if (connection != null) {
          candidates.add(connection);
        }
      }
    } else if (audience.userId() != null) {
      candidates = byUser.getOrDefault(audience.userId(), Set.of());
    } else {
      candidates = byOrganization.getOrDefault(audience.organizationId(), Set.of());
    }
    long now = System.currentTimeMillis();
    ByteBuf frame = WireFrames.text(ByteBufAllocator.DEFAULT, delivery.frame());
    int written = 0;
    try {
      for (ClientConnection connection : candidates) {
        if (audience.matches(connection.id, connection.userId(), connection.organizationId())
            && connection.deliver(delivery.frame(), frame, null, 0, now)) {
          written++;
        }
      }
    } finally {
      frame.release();
    }
    metrics.messagesOut(written);
    outbound.delivered();
    metrics.broadcastLatency(System.nanoTime() - delivery.routedAtNanos());
    return written;
  }

  /**
   * Questions and actions from routing and the admin API, on the instance's control address: {@code
   * list} (one page, see {@link ConnectionListing}), {@code get}, {@code disconnect}, {@code
   * members} (one page of a channel's subscribers here: {@code {"channel", "after"?, "limit"?}} ->
   * {@code {"connections": [ids], "more"}}).
   */
  void onControl(Message<JsonObject> request) {
    JsonObject body = request.body();
    String action = body.getString("action", "");
    switch (action) {
      case "list" ->
          request.reply(ConnectionListing.page(connections.values(), PageRequest.from(body)));
      case "members" -> {
        Page<LocalChannels.Member> page =
            PageRequest.from(body)
                .select(channels.members(body.getString("channel", "")), LocalChannels.Member::id);
        List<String> ids = new ArrayList<>();
        page.items().forEach(member -> ids.add(member.id()));
        request.reply(
            new JsonObject().put("connections", new JsonArray(ids)).put("more", page.more()));
      }
      case "get", "disconnect" -> {
        String id = body.getString("connectionId");
        ClientConnection connection = connections.get(id);
        if (connection == null) {
          // Not a protocol error: the admin API names it connection_not_found (AdminApi).
          request.fail(404, "connection '" + id + "' is no longer open");
          return;
        }
        if (action.equals("disconnect")) {
          connection.close(CloseCode.KICKED);
        }
        request.reply(connection.toJson());
      }
      default ->
          BusErrors.fail(
              request, ProtocolError.of(ErrorCode.BAD_REQUEST, "unknown action '" + action + "'"));
    }
  }

  private static void index(
      Map<String, Set<ClientConnection>> index, String key, ClientConnection connection) {
    if (key != null) {
      index.computeIfAbsent(key, k -> new LinkedHashSet<>()).add(connection);
    }
  }

  private static void unindex(
      Map<String, Set<ClientConnection>> index, String key, ClientConnection connection) {
    if (key != null) {
      Set<ClientConnection> members = index.get(key);
      if (members != null && members.remove(connection) && members.isEmpty()) {
        index.remove(key);
      }
    }
  }
}

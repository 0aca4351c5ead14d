package io.switchboard.server.routing;

import io.switchboard.protocol.ErrorCode;
import io.switchboard.protocol.ProtocolError;
import io.switchboard.protocol.ProtocolException;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * Routing's view of the whole server: every connection (where it lives, who it is, what it has
 * joined), every channel's subscribers, and indexes by user and organisation. Channels exist from
 * their first join to their last leave. Used only on the routing verticle's event loop.
 */
final class Registry {

  /** One connection as routing knows it. */
  record Connection(
      String id, String instance, String userId, String organizationId, Set<String> channels) {}

  /** The outcome of a join or leave. */
  record Membership(int subscribers, boolean channelOpened, boolean channelClosed) {}

  private final Map<String, Connection> connections = new HashMap<>();
  private final Map<String, Set<String>> channels = new LinkedHashMap<>();
  private final Map<String, Set<String>> byUser = new HashMap<>();
  private final Map<String, Set<String>> byOrganization = new HashMap<>();
  private final Set<String> instances = new LinkedHashSet<>();

  void instanceUp(String instance) {
    instances.add(instance);
  }

  void instanceDown(String instance) {
    instances.remove(instance);
  }

  Set<String> instances() {
    return instances;
  }

  void connected(String id, String instance, String userId, String organizationId) {
    connections.put(
        id, new Connection(id, instance, userId, organizationId, new LinkedHashSet<>()));
    index(byUser, userId, id);
    index(byOrganization, organizationId, id);
  }

  /**
   * Forgets a connection and removes it from its channels.
   *
   * @return the connection as it was (its channels included), or null if unknown
   */
  Connection disconnected(String id) {
    Connection connection = connections.remove(id);
    if (connection == null) {
      return null;
    }
    unindex(byUser, connection.userId(), id);
    unindex(byOrganization, connection.organizationId(), id);
    for (String channel : connection.channels()) {
      Set<String> subscribers = channels.get(channel);
      if (subscribers != null) {
        subscribers.remove(id);
        if (subscribers.isEmpty()) {
          channels.remove(channel);
        }
      }
    }
    return connection;
  }

  Membership join(String id, String channel) {
    Connection connection = require(id);
    if (!connection.channels().add(channel)) {
      throw new ProtocolException(ProtocolError.alreadySubscribed(channel));
    }
    Set<String> subscribers = channels.get(channel);
    boolean opened = subscribers == null;
    if (opened) {
      subscribers = new LinkedHashSet<>();
      channels.put(channel, subscribers);
    }
    subscribers.add(id);
    return new Membership(subscribers.size(), opened, false);
  }

  Membership leave(String id, String channel) {
    Connection connection = require(id);
    if (!connection.channels().remove(channel)) {
      throw new ProtocolException(ProtocolError.notSubscribed(channel));
    }
    Set<String> subscribers = channels.get(channel);
    subscribers.remove(id);
    boolean closed = subscribers.isEmpty();
    if (closed) {
      channels.remove(channel);
    }
    return new Membership(subscribers.size(), false, closed);
  }

  /** Whether a channel has at least one subscriber, i.e. exists. */
  boolean channelExists(String channel) {
    return channels.containsKey(channel);
  }

  /** The subscribers of a channel; empty when it does not exist. */
  Set<String> subscribers(String channel) {
    return channels.getOrDefault(channel, Set.of());
  }

  Map<String, Set<String>> channels() {
    return channels;
  }

  Connection connection(String id) {
    return connections.get(id);
  }

  Collection<Connection> connections() {
    return connections.values();
  }

  int connectionCount() {
    return connections.size();
  }

  int channelCount() {
    return channels.size();
  }

  /**
   * The connections a filtered broadcast reaches: those matching every target given (subscribed to
   * the channel, of the user, of the organisation).
   */
  Set<String> targets(String channel, String userId, String organizationId) {
    Set<String> result = null;
    if (channel != null) {
      result = new HashSet<>(subscribers(channel));
    }
    if (userId != null) {
      result = intersect(result, byUser.getOrDefault(userId, Set.of()));
    }
    if (organizationId != null) {
      result = intersect(result, byOrganization.getOrDefault(organizationId, Set.of()));
    }
    return result == null ? Set.of() : result;
  }

  private Connection require(String id) {
    Connection connection = connections.get(id);
    if (connection == null) {
      throw new ProtocolException(
          ProtocolError.of(ErrorCode.INTERNAL, "connection " + id + " is not registered"));
    }
    return connection;
  }

  private static Set<String> intersect(Set<String> current, Set<String> other) {
    if (current == null) {
      return new HashSet<>(other);
    }
    current.retainAll(other);
    return current;
  }

  private static void index(Map<String, Set<String>> index, String key, String id) {
    if (key != null) {
      index.computeIfAbsent(key, k -> new LinkedHashSet<>()).add(id);
    }
  }

  private static void unindex(Map<String, Set<String>> index, String key, String id) {
    if (key != null) {
      Set<String> ids = index.get(key);
      if (ids != null && ids.remove(id) && ids.isEmpty()) {
        index.remove(key);
      }
    }
  }
}

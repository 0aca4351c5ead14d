package io.switchboard.server.connection;

import io.switchboard.protocol.Addresses;
import io.switchboard.server.bus.Delivery;
import io.switchboard.server.metrics.SwitchboardMetrics;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageConsumer;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * One ConnectionVerticle instance's index {@code channel -> local sockets}. The instance consumes a
 * channel's delivery address while it has at least one local subscriber, so the event bus itself
 * fans a message out to every instance (and, clustered, every node) that needs it; each instance
 * then writes the one pre-encoded buffer to each of its sockets.
 */
final class LocalChannels {

  private static final class LocalChannel {
    final Set<ClientConnection> members = new LinkedHashSet<>();
    MessageConsumer<Delivery> consumer;
  }

  private final Map<String, LocalChannel> byName = new HashMap<>();
  private final EventBus eventBus;
  private final SwitchboardMetrics metrics;

  LocalChannels(EventBus eventBus, SwitchboardMetrics metrics) {
    this.eventBus = eventBus;
    this.metrics = metrics;
  }

  /** Adds a socket to a channel, consuming the channel's address if it is the first one here. */
  void add(String channel, ClientConnection connection) {
    LocalChannel local = byName.get(channel);
    if (local == null) {
      LocalChannel created = new LocalChannel();
      created.consumer =
          eventBus.consumer(
              Addresses.channel(channel), message -> deliver(channel, created, message.body()));
      byName.put(channel, created);
      local = created;
    }
    local.members.add(connection);
  }

  /** Removes a socket from a channel, releasing the channel's address if it was the last here. */
  void remove(String channel, ClientConnection connection) {
    LocalChannel local = byName.get(channel);
    if (local != null && local.members.remove(connection) && local.members.isEmpty()) {
      byName.remove(channel);
      local.consumer.unregister();
    }
  }

  /** How many channels have local subscribers. */
  int size() {
    return byName.size();
  }

  /** Releases every channel address, when the instance stops. */
  void clear() {
    for (LocalChannel local : byName.values()) {
      local.consumer.unregister();
    }
    byName.clear();
  }

  private void deliver(String channel, LocalChannel local, Delivery delivery) {
    Set<String> only = delivery.only();
    for (ClientConnection connection : local.members) {
      if (only == null || only.contains(connection.id)) {
        connection.deliver(delivery.frame(), channel);
      }
    }
    metrics.broadcastLatency(System.nanoTime() - delivery.routedAtNanos());
  }
}

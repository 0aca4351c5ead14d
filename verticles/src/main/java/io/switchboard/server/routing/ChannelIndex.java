package io.switchboard.server.routing;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * A routing shard's channels, as their owner needs them: how many subscribers each has on this
 * node, and on which connection instances. Who the subscribers are is the connection instances'
 * business ({@code Hub}); routing asks them when it needs particular connections. A channel exists
 * from its first join to its last leave. Used only on the shard's event loop.
 */
final class ChannelIndex {

  /** The outcome of a join or leave. */
  record Membership(int subscribers, boolean channelOpened, boolean channelClosed) {}

  /** One channel: its subscribers on this node, counted per connection instance. */
  private static final class Channel {
    int subscribers;
    final Map<String, Integer> byInstance = new HashMap<>(4);
  }

  private final Map<String, Channel> channels = new LinkedHashMap<>();
  private final Set<String> instances = new LinkedHashSet<>();

  void instanceUp(String instance) {
    instances.add(instance);
  }

  /**
   * Forgets a connection instance that stopped, with the subscribers it still counted in.
   *
   * @return the channels that closed with it
   */
  Set<String> instanceDown(String instance) {
    instances.remove(instance);
    Set<String> closed = new LinkedHashSet<>();
    channels
        .entrySet()
        .removeIf(
            entry -> {
              Integer count = entry.getValue().byInstance.remove(instance);
              if (count != null) {
                entry.getValue().subscribers -= count;
              }
              boolean empty = entry.getValue().subscribers == 0;
              if (empty) {
                closed.add(entry.getKey());
              }
              return empty;
            });
    return closed;
  }

  /** The connection instances of this node, in the order they started. */
  Set<String> instances() {
    return instances;
  }

  /** Counts in one subscriber of {@code channel} on {@code instance}. */
  Membership join(String channel, String instance) {
    Channel state = channels.get(channel);
    boolean opened = state == null;
    if (opened) {
      state = new Channel();
      channels.put(channel, state);
    }
    state.subscribers++;
    state.byInstance.merge(instance, 1, Integer::sum);
    return new Membership(state.subscribers, opened, false);
  }

  /**
   * Counts out one subscriber of {@code channel} on {@code instance}; nothing changes when that
   * instance counted none (a repeated leave).
   */
  Membership leave(String channel, String instance) {
    Channel state = channels.get(channel);
    if (state == null) {
      return new Membership(0, false, false);
    }
    Integer here = state.byInstance.get(instance);
    if (here == null) {
      return new Membership(state.subscribers, false, false);
    }
    if (here == 1) {
      state.byInstance.remove(instance);
    } else {
      state.byInstance.put(instance, here - 1);
    }
    state.subscribers--;
    boolean closed = state.subscribers == 0;
    if (closed) {
      channels.remove(channel);
    }
    return new Membership(state.subscribers, false, closed);
  }

  /** Whether a channel has at least one subscriber on this node. */
  boolean exists(String channel) {
    return channels.containsKey(channel);
  }

  /** How many subscribers a channel has on this node; 0 when it does not exist. */
  int subscribers(String channel) {
    Channel state = channels.get(channel);
    return state == null ? 0 : state.subscribers;
  }

  /** The connection instances holding subscribers of a channel. */
  Set<String> instancesOf(String channel) {
    Channel state = channels.get(channel);
    return state == null ? Set.of() : state.byInstance.keySet();
  }

  /** The channel names, in the order they opened. */
  Set<String> names() {
    return channels.keySet();
  }

  int channelCount() {
    return channels.size();
  }
}

package io.switchboard.server.connection;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.switchboard.server.bus.Audience;
import io.switchboard.server.bus.Delivery;
import io.switchboard.server.bus.InternalAddresses;
import io.switchboard.server.metrics.SwitchboardMetrics;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageConsumer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * One ConnectionVerticle instance's index {@code channel -> local sockets}. The instance consumes a
 * channel's delivery address (node-local) while it has at least one local subscriber, so the event
 * bus itself fans a message out to every instance of the node that needs it; each instance then
 * writes the one pre-encoded buffer to each of its sockets. Between nodes, routing carries each
 * message once per node (see {@code RoutingVerticle}).
 */
final class LocalChannels {

  /** What a channel's delivery needs of a socket: {@link ClientConnection} in the server. */
  interface Member {

    /** The connection id, which a targeted delivery ({@link Delivery#audience()}) may name. */
    String id();

    /** The user it authenticated as, or null; a targeted delivery may be for one user. */
    default String userId() {
      return null;
    }

    /** Its organisation, or null; a targeted delivery may be for one organisation. */
    default String organizationId() {
      return null;
    }

    /**
     * Writes a duplicate of {@code frame}, the message framed once for every member.
     *
     * @param offset the message's offset in the channel's stream, 0 when it has none
     * @return whether it was written (or held to be written), which the meters count
     */
    boolean deliver(Buffer json, ByteBuf frame, String channel, long offset, long now);
  }

  /**
   * A channel's local subscribers in an array list, which a delivery walks without the entry
   * objects a linked set would add per socket; an identity index makes removal O(1) (the last
   * member takes the removed one's place, since delivery order among sockets does not matter).
   */
  private static final class LocalChannel {
    final List<Member> members = new ArrayList<>();
    final Map<Member, Integer> positions = new IdentityHashMap<>();
    MessageConsumer<Delivery> consumer;

    void add(Member member) {
      if (positions.putIfAbsent(member, members.size()) == null) {
        members.add(member);
      }
    }

    boolean remove(Member member) {
      Integer position = positions.remove(member);
      if (position == null) {
        return false;
      }
      Member last = members.remove(members.size() - 1);
      if (last != member) {
        members.set(position, last);
        positions.put(last, position);
      }
      return true;
    }
  }

  private final Map<String, LocalChannel> byName = new HashMap<>();
  private final EventBus eventBus;
  private final Outbound outbound;
  private final SwitchboardMetrics metrics;

  LocalChannels(EventBus eventBus, Outbound outbound, SwitchboardMetrics metrics) {
    this.eventBus = eventBus;
    this.outbound = outbound;
    this.metrics = metrics;
  }

  /** Adds a socket to a channel, consuming the channel's address if it is the first one here. */
  void add(String channel, Member member) {
    LocalChannel local = byName.get(channel);
    if (local == null) {
      LocalChannel created = new LocalChannel();
      created.consumer =
          eventBus.localConsumer(
              InternalAddresses.channel(channel),
              message -> deliver(channel, created, message.body()));
      byName.put(channel, created);
      local = created;
    }
    local.add(member);
  }

  /** Removes a socket from a channel, releasing the channel's address if it was the last here. */
  void remove(String channel, Member member) {
    LocalChannel local = byName.get(channel);
    if (local != null && local.remove(member) && local.members.isEmpty()) {
      byName.remove(channel);
      local.consumer.unregister();
    }
  }

  /**
   * Writes a targeted delivery to the local subscribers of a channel that its audience matches.
   *
   * @return how many were written to
   */
  int deliver(String channel, Delivery delivery) {
    LocalChannel local = byName.get(channel);
    return local == null ? 0 : deliver(channel, local, delivery);
  }

  /** The local subscribers of a channel; empty when it has none here. */
  List<Member> members(String channel) {
    LocalChannel local = byName.get(channel);
    return local == null ? List.of() : local.members;
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

  /**
   * Frames the message once, then writes that one frame to every local subscriber (that the
   * delivery's audience matches, if it has one); returns how many were written to.
   */
  private int deliver(String channel, LocalChannel local, Delivery delivery) {
    return write(local.members, delivery, channel, metrics, outbound);
  }

  /**
   * Frames a delivery once and writes that one frame to each of {@code targets} its audience
   * matches (all of them without an audience), then counts the writes and lets the flush policy
   * run: the one write loop of a connection instance.
   *
   * @param channel the channel the frame belongs to, or null for one to users or organisations
   * @return how many were written to
   */
  static int write(
      Collection<? extends Member> targets,
      Delivery delivery,
      String channel,
      SwitchboardMetrics metrics,
      Outbound outbound) {
    Audience audience = delivery.audience();
    long now = System.currentTimeMillis();
    Buffer json = delivery.frame();
    ByteBuf frame = WireFrames.text(ByteBufAllocator.DEFAULT, json);
    int written = 0;
    try {
      for (Member member : targets) {
        if ((audience == null
                || audience.matches(member.id(), member.userId(), member.organizationId()))
            && member.deliver(json, frame, channel, delivery.offset(), now)) {
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
}

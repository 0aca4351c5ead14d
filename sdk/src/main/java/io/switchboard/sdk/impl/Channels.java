package io.switchboard.sdk.impl;

import io.switchboard.protocol.Envelope;
import io.switchboard.protocol.MessageType;
import io.switchboard.sdk.ChannelMessage;
import io.switchboard.sdk.Resync;
import io.switchboard.sdk.StreamPosition;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The channels this client has joined, in join order, and the delivery of their messages. Used on
 * the client's context only.
 */
final class Channels {

  private final Map<String, SubscriptionImpl> subscriptions = new LinkedHashMap<>();
  private final Events events;
  private final MetricsRecorder metrics;

  Channels(Events events, MetricsRecorder metrics) {
    this.events = events;
    this.metrics = metrics;
  }

  SubscriptionImpl get(String channel) {
    return subscriptions.get(channel);
  }

  void add(SubscriptionImpl subscription) {
    subscriptions.put(subscription.channel, subscription);
  }

  /** Ends a subscription and forgets it (if it is still the one held for its channel). */
  void remove(SubscriptionImpl subscription, Throwable cause) {
    subscriptions.remove(subscription.channel, subscription);
    subscription.end(cause);
  }

  List<SubscriptionImpl> all() {
    return new ArrayList<>(subscriptions.values());
  }

  /**
   * Hands a {@code message} frame to its channel's handler, keeping the channel's stream whole: a
   * message whose offset is not beyond the last one received is a duplicate and dropped; one beyond
   * the next offset, or from another epoch, is reported to the resync handler first.
   */
  void deliver(Envelope frame) {
    SubscriptionImpl subscription = frame.channel() == null ? null : get(frame.channel());
    if (subscription == null || !subscription.isActive()) {
      return;
    }
    JsonObject json = frame.json();
    StreamPosition at = StreamPosition.of(json);
    if (at != null) {
      StreamPosition last = subscription.position();
      if (last != null && last.epoch().equals(at.epoch())) {
        if (at.offset() <= last.offset()) {
          metrics.duplicate();
          return;
        }
        if (at.offset() > last.offset() + 1) {
          events.resync(new Resync(frame.channel(), last, at, Resync.Reason.GAP));
        }
      } else if (last != null) {
        events.resync(new Resync(frame.channel(), last, at, Resync.Reason.NEW_EPOCH));
      }
      subscription.position(at);
    }
    Object event = json.getValue("event");
    events.emit(
        subscription.handler,
        new ChannelMessage(
            frame.channel(), frame.data(), event instanceof String s ? s : null, frame.ts(), json));
  }

  /**
   * A join's confirmation: the channel's subscriber count, and where its stream stands. After a
   * re-join {@code since} a position, a recovered stream stays at that position (the missed
   * messages follow the confirmation); one that was not recovered is reported to the resync handler
   * and starts again from the confirmation's position.
   *
   * @param since the position the join asked to recover from, or null
   */
  void confirmed(SubscriptionImpl subscription, Envelope frame, StreamPosition since) {
    JsonObject data = frame.data() instanceof JsonObject object ? object : null;
    StreamPosition at = StreamPosition.of(data);
    boolean recovered = data != null && Boolean.TRUE.equals(data.getValue("recovered"));
    if (since == null) {
      subscription.position(at);
    } else if (!recovered) {
      subscription.position(at);
      events.resync(new Resync(subscription.channel, since, at, Resync.Reason.NOT_RECOVERED));
    }
    subscription.confirmed(
        data != null && data.getValue("subscribers") instanceof Number count
            ? count.intValue()
            : 0);
  }

  /**
   * The join frame of a channel, with its correlation id and, to recover what came after it, the
   * last position received.
   */
  static JsonObject joinFrame(String id, String channel, StreamPosition since) {
    JsonObject frame =
        new JsonObject()
            .put(Envelope.TYPE, MessageType.JOIN.wireName())
            .put(Envelope.ID, id)
            .put(Envelope.CHANNEL, channel);
    if (since != null) {
      frame.put(Envelope.SINCE, since.toJson());
    }
    return frame;
  }

  /** Ends every subscription whose join was confirmed (a lost connection in STATELESS mode). */
  void endConfirmed(Throwable cause) {
    for (SubscriptionImpl subscription : all()) {
      if (subscription.isConfirmed()) {
        remove(subscription, cause);
      }
    }
  }

  /** Ends every subscription (the session is over). */
  void endAll(Throwable cause) {
    all().forEach(subscription -> remove(subscription, cause));
  }
}

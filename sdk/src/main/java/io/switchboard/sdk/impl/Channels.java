package io.switchboard.sdk.impl;

import io.switchboard.protocol.Envelope;
import io.switchboard.protocol.MessageType;
import io.switchboard.sdk.ChannelMessage;
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

  Channels(Events events) {
    this.events = events;
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

  /** Hands a {@code message} frame to its channel's handler. */
  void deliver(Envelope frame) {
    SubscriptionImpl subscription = frame.channel() == null ? null : get(frame.channel());
    if (subscription == null || !subscription.isActive()) {
      return;
    }
    JsonObject json = frame.json();
    Object event = json.getValue("event");
    events.emit(
        subscription.handler,
        new ChannelMessage(
            frame.channel(), frame.data(), event instanceof String s ? s : null, frame.ts(), json));
  }

  /** The join frame of a channel, with its correlation id. */
  static JsonObject joinFrame(String id, String channel) {
    return new JsonObject()
        .put(Envelope.TYPE, MessageType.JOIN.wireName())
        .put(Envelope.ID, id)
        .put(Envelope.CHANNEL, channel);
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

package io.switchboard.sdk.impl;

import io.switchboard.protocol.Envelope;
import io.switchboard.protocol.MessageType;
import io.switchboard.protocol.ProtocolException;
import io.switchboard.sdk.SendOptions;
import io.vertx.core.json.JsonObject;

/**
 * STATEFUL mode's first step on a new connection: join again every channel the client had joined,
 * with the same handlers, before anything queued is flushed. Joins that were written and not yet
 * confirmed when the connection was lost are written again under their own id, so the application's
 * future completes with the new confirmation. Joins still queued are left to the flush.
 *
 * <p>Used on the client's context only.
 */
final class Rejoin {

  private final Replies replies;
  private final Channels channels;
  private final Events events;

  Rejoin(Replies replies, Channels channels, Events events) {
    this.replies = replies;
    this.channels = channels;
    this.events = events;
  }

  void rejoinAll(Connection connection) {
    for (SubscriptionImpl subscription : channels.all()) {
      if (subscription.queuedId != null) {
        continue;
      }
      String id = subscription.joinId;
      if (id == null || !replies.isWaiting(id)) {
        id = replies.newId("rejoin");
        replies.register(id, new Waiter(subscription));
      }
      write(connection, id, subscription.channel);
    }
  }

  private void write(Connection connection, String id, String channel) {
    connection
        .write(Channels.joinFrame(id, channel).encode())
        .onComplete(
            (done, failure) -> {
              // A failed write means the connection is already dying; its loss is handled there.
              if (failure == null) {
                replies.written(id, SendOptions.DEFAULT_TIMEOUT_MS);
              }
            });
  }

  /** Waits for the re-join of a channel whose first join was confirmed earlier. */
  private final class Waiter implements Replies.Waiter {
    private final SubscriptionImpl subscription;

    Waiter(SubscriptionImpl subscription) {
      this.subscription = subscription;
    }

    @Override
    public void answered(Envelope frame) {
      if (frame.builtInType().orElse(null) == MessageType.ERROR && frame.error() != null) {
        ProtocolException refused = new ProtocolException(frame.error());
        channels.remove(subscription, refused);
        events.error(
            new IllegalStateException(
                "re-joining channel '"
                    + subscription.channel
                    + "' after a reconnect was refused: "
                    + Reasons.rejected(frame.error()),
                refused));
      } else {
        subscription.confirmed(subscribers(frame));
      }
    }

    @Override
    public void timedOut() {
      events.error(
          new IllegalStateException(
              "re-joining channel '"
                  + subscription.channel
                  + "' after a reconnect was not confirmed within "
                  + SendOptions.DEFAULT_TIMEOUT_MS
                  + " ms"));
    }

    @Override
    public boolean connectionLost() {
      return false; // the subscription stays; the next connection re-joins it again
    }

    @Override
    public void closed(String reason) {}
  }

  /** {@code data.subscribers} of a confirmation, or 0 when absent. */
  static int subscribers(Envelope frame) {
    return frame.data() instanceof JsonObject data
            && data.getValue("subscribers") instanceof Number count
        ? count.intValue()
        : 0;
  }
}

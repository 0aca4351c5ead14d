package io.switchboard.sdk.impl;

import io.switchboard.protocol.Envelope;
import io.switchboard.protocol.MessageType;
import io.switchboard.protocol.ProtocolException;
import io.switchboard.sdk.SendOptions;
import io.switchboard.sdk.StreamPosition;

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
      StreamPosition since = null;
      if (id == null || !replies.isWaiting(id)) {
        // Confirmed before: recover from the last position received, when the server gave one.
        since = subscription.position();
        id = replies.newId("rejoin");
        replies.register(id, new Waiter(subscription, since));
      }
      write(connection, id, subscription.channel, since);
    }
  }

  private void write(Connection connection, String id, String channel, StreamPosition since) {
    connection
        .write(Channels.joinFrame(id, channel, since).encode())
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
    private final StreamPosition since;

    Waiter(SubscriptionImpl subscription, StreamPosition since) {
      this.subscription = subscription;
      this.since = since;
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
        channels.confirmed(subscription, frame, since);
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
}

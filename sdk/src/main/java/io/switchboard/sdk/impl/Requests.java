package io.switchboard.sdk.impl;

import io.switchboard.protocol.ChannelNames;
import io.switchboard.protocol.Envelope;
import io.switchboard.protocol.MessageType;
import io.switchboard.protocol.ProtocolError;
import io.switchboard.protocol.ProtocolException;
import io.switchboard.sdk.ChannelMessage;
import io.switchboard.sdk.ClientOptions;
import io.switchboard.sdk.ConnectionState;
import io.switchboard.sdk.ReconnectMode;
import io.switchboard.sdk.SendOptions;
import io.switchboard.sdk.SendResult;
import io.switchboard.sdk.Subscription;
import io.switchboard.sdk.SwitchboardClient;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;

/**
 * The requests that wait for the server's answer: publishes for their {@code ack}, joins for {@code
 * subscription_confirmed}, leaves for {@code left}. Each is registered in {@link Replies} before
 * its frame goes to the {@link Sender}, so no answer can arrive unexpected, and each ends exactly
 * once: answered, refused, timed out, or cut off by a lost connection or the end of the session.
 *
 * <p>Used on the client's context only.
 */
final class Requests {

  private static final SendOptions DEFAULTS = new SendOptions();

  /** How many publishes the application has made: each one's place in their order. */
  private long published;

  private final SwitchboardClient client;
  private final Session session;
  private final Sender sender;
  private final Outbox outbox;
  private final Replies replies;
  private final Resends resends;
  private final Channels channels;
  private final ClientOptions options;

  Requests(
      SwitchboardClient client,
      Session session,
      Sender sender,
      Outbox outbox,
      Replies replies,
      Resends resends,
      Channels channels,
      ClientOptions options) {
    this.client = client;
    this.session = session;
    this.sender = sender;
    this.outbox = outbox;
    this.replies = replies;
    this.resends = resends;
    this.channels = channels;
    this.options = options;
  }

  /** Publishes and waits for the ack; see {@link SwitchboardClient#publish}. */
  Future<SendResult> publish(String channel, Object data, SendOptions sendOptions) {
    return new Publish(channel, data, sendOptions).start();
  }

  // ---- publishes ------------------------------------------------------------------------------

  /** One publish: its frame, and its wait for the write and then for the {@code ack}. */
  private final class Publish implements Replies.Waiter {
    private final String channel;
    private final Object data;
    private final SendOptions sendOptions;
    private final Promise<SendResult> result = Promise.promise();
    private final long order = ++published;
    private String id;
    private String frame;

    Publish(String channel, Object data, SendOptions sendOptions) {
      this.channel = channel;
      this.data = data;
      this.sendOptions = sendOptions;
    }

    Future<SendResult> start() {
      if (session.state() == ConnectionState.DISCONNECTED) {
        return done(false, SendResult.NOT_INITIALIZED);
      }
      try {
        ChannelNames.validate(Envelope.CHANNEL, channel);
      } catch (ProtocolException e) {
        return done(false, Reasons.rejected(e.error()));
      }
      id = replies.newId("pub");
      JsonObject json =
          new JsonObject()
              .put(Envelope.TYPE, MessageType.PUBLISH.wireName())
              .put(Envelope.ID, id)
              .put(Envelope.CHANNEL, channel)
              .put(Envelope.DATA, data);
      replies.register(id, this);
      sender.submit(
          json,
          sendOptions,
          replies.onWriteAgainIfLost(
              id,
              sendOptions.getTimeoutMs(),
              // Kept as written, to write it again as it was should the connection be lost.
              () -> frame = json.encode(),
              reason -> done(false, reason)));
      return result.future();
    }

    @Override
    public void answered(Envelope frame) {
      if (frame.builtInType().orElse(null) == MessageType.ERROR && frame.error() != null) {
        done(false, Reasons.rejected(frame.error()));
      } else {
        done(true, SendResult.ACKNOWLEDGED);
      }
    }

    @Override
    public void timedOut() {
      done(false, Reasons.ackTimeout(sendOptions.getTimeoutMs()));
    }

    /**
     * Its connection was lost after the write, or the dying socket refused the write: written
     * again, with its id, on the session's next connection, where the server recognises it if it
     * sequenced it already (a session that ends first reports it lost). Its timeout still counts
     * from the first write.
     */
    @Override
    public boolean connectionLost() {
      resends.add(order, id, frame, sendOptions.getTimeoutMs());
      return true;
    }

    @Override
    public void closed(String reason) {
      done(false, SendResult.CONNECTION_LOST);
    }

    private Future<SendResult> done(boolean success, String reason) {
      result.tryComplete(new SendResult(success, reason));
      return result.future();
    }
  }

  // ---- channels -------------------------------------------------------------------------------

  /** Joins a channel; see {@link io.switchboard.sdk.SwitchboardClient#join}. */
  Future<Subscription> join(String channel, Handler<ChannelMessage> handler) {
    try {
      ChannelNames.validate(Envelope.CHANNEL, channel);
    } catch (ProtocolException e) {
      return Future.failedFuture(e);
    }
    if (channels.get(channel) != null) {
      return Future.failedFuture(new ProtocolException(ProtocolError.alreadySubscribed(channel)));
    }
    String refused = sender.refusal(DEFAULTS);
    if (refused != null) {
      return Future.failedFuture(new IllegalStateException(refused));
    }
    SubscriptionImpl subscription = new SubscriptionImpl(channel, handler, client);
    channels.add(subscription);
    String id = replies.newId("join");
    subscription.joinId = id;
    replies.register(id, new Join(subscription));
    subscription.queuedId =
        sender.submit(
            Channels.joinFrame(id, channel, null),
            DEFAULTS,
            replies.onWrite(
                id,
                DEFAULTS.getTimeoutMs(),
                () -> subscription.queuedId = null,
                reason -> {
                  subscription.queuedId = null;
                  channels.remove(subscription, new IllegalStateException(reason));
                }));
    return subscription.joined.future();
  }

  /** Waits for the confirmation of an application's join. */
  private final class Join implements Replies.Waiter {
    private final SubscriptionImpl subscription;

    Join(SubscriptionImpl subscription) {
      this.subscription = subscription;
    }

    @Override
    public void answered(Envelope frame) {
      if (frame.builtInType().orElse(null) == MessageType.ERROR && frame.error() != null) {
        channels.remove(subscription, new ProtocolException(frame.error()));
      } else {
        channels.confirmed(subscription, frame, null);
      }
    }

    @Override
    public void timedOut() {
      channels.remove(
          subscription,
          new IllegalStateException(
              "Timeout waiting for the server to confirm the join of '"
                  + subscription.channel
                  + "' ("
                  + DEFAULTS.getTimeoutMs()
                  + "ms)"));
    }

    @Override
    public boolean connectionLost() {
      if (options.getReconnectMode() == ReconnectMode.STATEFUL) {
        return true; // written again, under this id, when the next connection opens
      }
      subscription.joinId = null;
      channels.remove(
          subscription, new IllegalStateException("Connection lost before the join was confirmed"));
      return false;
    }

    @Override
    public void closed(String reason) {
      channels.remove(subscription, new IllegalStateException(reason));
    }
  }

  /** Leaves a channel; see {@link io.switchboard.sdk.SwitchboardClient#leave}. */
  Future<Void> leave(String channel) {
    SubscriptionImpl subscription = channel == null ? null : channels.get(channel);
    if (subscription == null) {
      return Future.failedFuture(new ProtocolException(ProtocolError.notSubscribed(channel)));
    }
    IllegalStateException left =
        new IllegalStateException("the channel was left before the server confirmed the join");
    if (subscription.queuedId != null) {
      // The join never went out: nothing to undo on the server.
      outbox.cancel(subscription.queuedId);
      replies.forget(subscription.joinId);
      channels.remove(subscription, left);
      return Future.succeededFuture();
    }
    channels.remove(subscription, left);
    if (session.state() != ConnectionState.CONNECTED) {
      // No connection holds the channel, and the next one will not join it.
      if (subscription.joinId != null) {
        replies.forget(subscription.joinId);
      }
      return Future.succeededFuture();
    }
    Promise<Void> result = Promise.promise();
    String id = replies.newId("leave");
    replies.register(id, new Leave(subscription.channel, result));
    JsonObject frame =
        new JsonObject()
            .put(Envelope.TYPE, MessageType.LEAVE.wireName())
            .put(Envelope.ID, id)
            .put(Envelope.CHANNEL, channel);
    sender.submit(
        frame,
        DEFAULTS,
        replies.onWrite(
            id,
            DEFAULTS.getTimeoutMs(),
            null,
            reason -> result.tryFail(new IllegalStateException(reason))));
    return result.future();
  }

  /** Waits for the server's {@code left}. */
  private record Leave(String channel, Promise<Void> result) implements Replies.Waiter {
    @Override
    public void answered(Envelope frame) {
      if (frame.builtInType().orElse(null) == MessageType.ERROR && frame.error() != null) {
        result.tryFail(new ProtocolException(frame.error()));
      } else {
        result.tryComplete();
      }
    }

    @Override
    public void timedOut() {
      result.tryFail(
          new IllegalStateException(
              "Timeout waiting for the server to confirm leaving '"
                  + channel
                  + "' ("
                  + DEFAULTS.getTimeoutMs()
                  + "ms)"));
    }

    @Override
    public boolean connectionLost() {
      result.tryComplete(); // the next connection does not join the channel
      return false;
    }

    @Override
    public void closed(String reason) {
      result.tryComplete();
    }
  }
}

package io.switchboard.sdk.impl;

import io.switchboard.protocol.ChannelNames;
import io.switchboard.protocol.Envelope;
import io.switchboard.protocol.MessageType;
import io.switchboard.protocol.ProtocolError;
import io.switchboard.protocol.ProtocolException;
import io.switchboard.sdk.ChannelMessage;
import io.switchboard.sdk.ClientOptions;
import io.switchboard.sdk.ConnectionState;
import io.switchboard.sdk.History;
import io.switchboard.sdk.Presence;
import io.switchboard.sdk.ReconnectMode;
import io.switchboard.sdk.SendOptions;
import io.switchboard.sdk.SendResult;
import io.switchboard.sdk.StreamPosition;
import io.switchboard.sdk.Subscription;
import io.switchboard.sdk.SwitchboardClient;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

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
          (written, reason) -> {
            if (written) {
              // Kept as written, to write it again as it was should the connection be lost.
              frame = json.encode();
              replies.written(id, sendOptions.getTimeoutMs());
            } else {
              replies.forget(id);
              done(false, reason);
            }
          });
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
     * Only called when the session reconnects: written again, with its id, on the next connection,
     * where the server recognises it if it sequenced it already. Its timeout still counts from the
     * first write.
     */
    @Override
    public boolean connectionLost() {
      resends.add(id, frame, sendOptions.getTimeoutMs());
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
            (written, reason) -> {
              subscription.queuedId = null;
              if (written) {
                replies.written(id, DEFAULTS.getTimeoutMs());
              } else {
                replies.forget(id);
                channels.remove(subscription, new IllegalStateException(reason));
              }
            });
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

  // ---- history and presence -------------------------------------------------------------------

  /** Asks for a channel's kept messages; see {@link SwitchboardClient#history}. */
  Future<History> history(String channel, StreamPosition since, int limit) {
    if (limit < 1) {
      return Future.failedFuture(
          new IllegalArgumentException("limit must be at least 1, was " + limit));
    }
    JsonObject data = new JsonObject().put("limit", limit);
    if (since != null) {
      data.put("since", since.toJson());
    }
    Promise<History> result = Promise.promise();
    return ask(MessageType.HISTORY, channel, data, new HistoryWaiter(channel, result), result);
  }

  /** Asks who is in a joined channel; see {@link SwitchboardClient#presence}. */
  Future<Presence> presence(String channel) {
    Promise<Presence> result = Promise.promise();
    return ask(MessageType.PRESENCE, channel, null, new PresenceWaiter(channel, result), result);
  }

  /**
   * A question about a channel that the server answers with a frame of the same type: written now
   * if connected (not queued: an answer about the past is of no use later), answered to {@code
   * waiter}.
   */
  private <T> Future<T> ask(
      MessageType type, String channel, JsonObject data, Replies.Waiter waiter, Promise<T> result) {
    try {
      ChannelNames.validate(Envelope.CHANNEL, channel);
    } catch (ProtocolException e) {
      return Future.failedFuture(e);
    }
    if (session.state() != ConnectionState.CONNECTED) {
      return Future.failedFuture(
          new IllegalStateException(
              type.wireName() + " needs a connection; the client is " + session.state()));
    }
    String id = replies.newId(type.wireName());
    replies.register(id, waiter);
    JsonObject frame =
        new JsonObject()
            .put(Envelope.TYPE, type.wireName())
            .put(Envelope.ID, id)
            .put(Envelope.CHANNEL, channel);
    if (data != null) {
      frame.put(Envelope.DATA, data);
    }
    sender.submit(
        frame,
        DEFAULTS,
        (written, reason) -> {
          if (written) {
            replies.written(id, DEFAULTS.getTimeoutMs());
          } else {
            replies.forget(id);
            result.tryFail(new IllegalStateException(reason));
          }
        });
    return result.future();
  }

  /** What a question's waiter does besides reading its answer: the same for each. */
  private abstract static class Question<T> implements Replies.Waiter {
    final String channel;
    final Promise<T> result;

    Question(String channel, Promise<T> result) {
      this.channel = channel;
      this.result = result;
    }

    abstract T read(JsonObject data);

    @Override
    public void answered(Envelope frame) {
      if (frame.builtInType().orElse(null) == MessageType.ERROR && frame.error() != null) {
        result.tryFail(new ProtocolException(frame.error()));
      } else {
        result.tryComplete(read(frame.data() instanceof JsonObject data ? data : new JsonObject()));
      }
    }

    @Override
    public void timedOut() {
      result.tryFail(
          new IllegalStateException(
              "Timeout waiting for the server's answer about '"
                  + channel
                  + "' ("
                  + DEFAULTS.getTimeoutMs()
                  + "ms)"));
    }

    @Override
    public boolean connectionLost() {
      result.tryFail(
          new IllegalStateException(
              "Connection lost before the server answered about '" + channel + "'"));
      return false;
    }

    @Override
    public void closed(String reason) {
      result.tryFail(new IllegalStateException(reason));
    }
  }

  /** Waits for the server's {@code presence}. */
  private static final class PresenceWaiter extends Question<Presence> {
    PresenceWaiter(String channel, Promise<Presence> result) {
      super(channel, result);
    }

    @Override
    Presence read(JsonObject data) {
      List<Presence.Member> members = new ArrayList<>();
      for (Object item : data.getJsonArray("members", new JsonArray())) {
        if (item instanceof JsonObject member) {
          members.add(
              new Presence.Member(
                  member.getString("connectionId"),
                  member.getString("userId"),
                  member.getString("organizationId"),
                  member.getString("joinedAt")));
        }
      }
      return new Presence(
          channel,
          data.getInteger("count", members.size()),
          members,
          data.getBoolean("more", false),
          data.getBoolean("partial", false));
    }
  }

  /** Waits for the server's {@code history}. */
  private static final class HistoryWaiter extends Question<History> {
    HistoryWaiter(String channel, Promise<History> result) {
      super(channel, result);
    }

    @Override
    History read(JsonObject data) {
      List<ChannelMessage> messages = new ArrayList<>();
      Object epoch = data.getValue("epoch");
      for (Object item : data.getJsonArray("messages", new JsonArray())) {
        if (item instanceof JsonObject kept) {
          // Each item names its offset; the epoch, the stream's, is named once for them all.
          JsonObject message = kept.containsKey("epoch") ? kept : kept.copy().put("epoch", epoch);
          Object event = message.getValue("event");
          messages.add(
              new ChannelMessage(
                  channel,
                  message.getValue("data"),
                  event instanceof String s ? s : null,
                  message.getString("ts"),
                  message));
        }
      }
      return new History(channel, StreamPosition.of(data), messages);
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
        (written, reason) -> {
          if (written) {
            replies.written(id, DEFAULTS.getTimeoutMs());
          } else {
            replies.forget(id);
            result.tryFail(new IllegalStateException(reason));
          }
        });
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

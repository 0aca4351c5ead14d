package io.switchboard.sdk.impl;

import io.switchboard.protocol.ChannelNames;
import io.switchboard.protocol.Envelope;
import io.switchboard.protocol.MessageType;
import io.switchboard.protocol.ProtocolError;
import io.switchboard.protocol.ProtocolException;
import io.switchboard.sdk.ChannelMessage;
import io.switchboard.sdk.ClientMetrics;
import io.switchboard.sdk.ClientOptions;
import io.switchboard.sdk.ConnectionState;
import io.switchboard.sdk.ReconnectAttempt;
import io.switchboard.sdk.SendOptions;
import io.switchboard.sdk.SendResult;
import io.switchboard.sdk.StateChange;
import io.switchboard.sdk.Subscription;
import io.switchboard.sdk.SwitchboardClient;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The client's API: hops every call onto the client's context and turns sends, publishes, joins and
 * leaves into frames for the {@link Outbox} and requests for {@link Replies}. The connection life
 * cycle is the {@link Session}'s.
 */
public final class SwitchboardClientImpl implements SwitchboardClient {

  private static final SendOptions DEFAULTS = new SendOptions();

  private final Context context;
  private final ClientOptions options;
  private final MetricsRecorder metrics = new MetricsRecorder();
  private final Events events;
  private final Outbox outbox;
  private final Replies replies;
  private final Channels channels;
  private final Session session;

  public SwitchboardClientImpl(Vertx vertx, ClientOptions options, boolean ownsVertx) {
    this.options = new ClientOptions(Objects.requireNonNull(options, "options")).validate();
    this.context = vertx.getOrCreateContext();
    this.events = new Events(context, metrics);
    this.outbox = new Outbox(vertx, this.options.getMaxBufferedMessages());
    this.replies = new Replies(vertx);
    this.channels = new Channels(events);
    this.session =
        new Session(
            vertx, context, this.options, ownsVertx, events, metrics, outbox, replies, channels);
  }

  @Override
  public Future<Void> connect() {
    return onContext(session::connect);
  }

  @Override
  public Future<Void> disconnect() {
    return onContext(session::disconnect);
  }

  @Override
  public Future<SendResult> send(JsonObject message) {
    return send(message, DEFAULTS);
  }

  @Override
  public Future<SendResult> send(JsonObject message, SendOptions sendOptions) {
    SendOptions copy = new SendOptions(sendOptions);
    return onContext(
        () -> {
          Promise<SendResult> result = Promise.promise();
          if (session.state() == ConnectionState.DISCONNECTED) {
            result.complete(new SendResult(false, SendResult.NOT_INITIALIZED));
          } else if (message == null || message.isEmpty()) {
            result.complete(new SendResult(false, SendResult.EMPTY_MESSAGE));
          } else {
            submit(
                message,
                copy,
                (written, reason) -> result.complete(new SendResult(written, reason)));
          }
          return result.future();
        });
  }

  @Override
  public Future<SendResult> publish(String channel, Object data) {
    return publish(channel, data, DEFAULTS);
  }

  @Override
  public Future<SendResult> publish(String channel, Object data, SendOptions sendOptions) {
    SendOptions copy = new SendOptions(sendOptions);
    return onContext(() -> new Publish(channel, data, copy).start());
  }

  @Override
  public Future<Subscription> join(String channel, Handler<ChannelMessage> handler) {
    Objects.requireNonNull(handler, "handler");
    return onContext(() -> startJoin(channel, handler));
  }

  @Override
  public Future<Void> leave(String channel) {
    return onContext(() -> startLeave(channel));
  }

  @Override
  public ConnectionState state() {
    return session.state();
  }

  @Override
  public String connectionId() {
    Connection open = session.connection();
    return open == null || state() != ConnectionState.CONNECTED ? null : open.connectionId();
  }

  @Override
  public ClientMetrics metrics() {
    return metrics.snapshot(outbox.depth());
  }

  @Override
  public SwitchboardClient onStateChange(Handler<StateChange> handler) {
    events.onStateChange(handler);
    return this;
  }

  @Override
  public SwitchboardClient onMessage(Handler<JsonObject> handler) {
    events.onMessage(handler);
    return this;
  }

  @Override
  public SwitchboardClient onError(Handler<Throwable> handler) {
    events.onError(handler);
    return this;
  }

  @Override
  public SwitchboardClient onConnected(Handler<Void> handler) {
    events.onConnected(handler);
    return this;
  }

  @Override
  public SwitchboardClient onReconnect(Handler<ReconnectAttempt> handler) {
    events.onReconnect(handler);
    return this;
  }

  /** For tests: open listeners registered by the send queue (1 while a group waits, else 0). */
  public Future<Integer> openListenerCount() {
    return onContext(() -> Future.succeededFuture(outbox.openListenerCount()));
  }

  /** For tests: the ids of the send queue's pending group timers (1 while a group waits). */
  public Future<Set<Long>> pendingGroupTimers() {
    return onContext(() -> Future.succeededFuture(outbox.pendingTimers()));
  }

  /** For tests: requests waiting for the server's answer. */
  public Future<Integer> pendingReplies() {
    return onContext(() -> Future.succeededFuture(replies.size()));
  }

  // ---- sending --------------------------------------------------------------------------------

  /**
   * Why a frame cannot go out now, or null when it can (written or queued), following the send
   * table on {@link SendResult}.
   */
  private String refusal(SendOptions sendOptions) {
    ConnectionState state = session.state();
    return switch (state) {
      case DISCONNECTED -> SendResult.NOT_INITIALIZED;
      case CONNECTED -> null;
      case CONNECTING, RECONNECTING ->
          sendOptions.isQueue() && options.isEnableMessageBuffering()
              ? null
              : Reasons.queueingDisabled(state);
      case CLOSING, CLOSED, FAILED -> Reasons.cannotSend(state);
    };
  }

  /**
   * Writes or queues a frame, or refuses it; the callback learns the outcome exactly once.
   *
   * @return the frame's queue id when it was queued, else null
   */
  private String submit(JsonObject frame, SendOptions sendOptions, Outbox.Written callback) {
    String refused = refusal(sendOptions);
    if (refused != null) {
      callback.done(false, refused);
      return null;
    }
    if (session.state() == ConnectionState.CONNECTED) {
      outbox.write(session.connection(), frame, callback);
      return null;
    }
    return outbox.enqueue(frame, sendOptions.getTimeoutMs(), callback);
  }

  /** One publish: its frame, and its wait for the write and then for the {@code ack}. */
  private final class Publish implements Replies.Waiter {
    private final String channel;
    private final Object data;
    private final SendOptions sendOptions;
    private final Promise<SendResult> result = Promise.promise();
    private String id;

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
      JsonObject frame =
          new JsonObject()
              .put(Envelope.TYPE, MessageType.PUBLISH.wireName())
              .put(Envelope.ID, id)
              .put(Envelope.CHANNEL, channel)
              .put(Envelope.DATA, data);
      replies.register(id, this);
      submit(
          frame,
          sendOptions,
          (written, reason) -> {
            if (written) {
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

    @Override
    public boolean connectionLost() {
      // Not written again: the server may have delivered it already.
      done(false, SendResult.CONNECTION_LOST);
      return false;
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

  private Future<Subscription> startJoin(String channel, Handler<ChannelMessage> handler) {
    try {
      ChannelNames.validate(Envelope.CHANNEL, channel);
    } catch (ProtocolException e) {
      return Future.failedFuture(e);
    }
    if (channels.get(channel) != null) {
      return Future.failedFuture(new ProtocolException(ProtocolError.alreadySubscribed(channel)));
    }
    String refused = refusal(DEFAULTS);
    if (refused != null) {
      return Future.failedFuture(new IllegalStateException(refused));
    }
    SubscriptionImpl subscription = new SubscriptionImpl(channel, handler, this);
    channels.add(subscription);
    String id = replies.newId("join");
    subscription.joinId = id;
    replies.register(id, new Join(subscription));
    subscription.queuedId =
        submit(
            Channels.joinFrame(id, channel),
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
        subscription.confirmed(Rejoin.subscribers(frame));
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
      if (options.getReconnectMode() == io.switchboard.sdk.ReconnectMode.STATEFUL) {
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

  private Future<Void> startLeave(String channel) {
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
    submit(
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

  // ---- threading ------------------------------------------------------------------------------

  /** Runs on the client's context, directly when already there; the result completes there. */
  private <T> Future<T> onContext(Supplier<Future<T>> action) {
    // Once the client's own Vert.x is closed its context runs nothing; the state is final
    // (CLOSED), so answering on the caller's thread is safe.
    if (Vertx.currentContext() == context || session.isVertxClosed()) {
      return call(action);
    }
    Promise<T> result = Promise.promise();
    context.runOnContext(v -> call(action).onComplete(result));
    return result.future();
  }

  private static <T> Future<T> call(Supplier<Future<T>> action) {
    try {
      return action.get();
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }
}

package io.switchboard.sdk.impl;

import io.switchboard.sdk.ChannelMessage;
import io.switchboard.sdk.ClientMetrics;
import io.switchboard.sdk.ClientOptions;
import io.switchboard.sdk.ConnectionState;
import io.switchboard.sdk.History;
import io.switchboard.sdk.Presence;
import io.switchboard.sdk.ReconnectAttempt;
import io.switchboard.sdk.Resync;
import io.switchboard.sdk.SendOptions;
import io.switchboard.sdk.SendResult;
import io.switchboard.sdk.StateChange;
import io.switchboard.sdk.StreamPosition;
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
  private final Session session;
  private final Sender sender;
  private final Requests requests;
  private final Questions questions;

  public SwitchboardClientImpl(Vertx vertx, ClientOptions options, boolean ownsVertx) {
    this.options = new ClientOptions(Objects.requireNonNull(options, "options")).validate();
    this.context = vertx.getOrCreateContext();
    this.events = new Events(context, metrics);
    this.outbox = new Outbox(vertx, this.options.getMaxBufferedMessages());
    this.replies = new Replies(vertx);
    Resends resends = new Resends(replies);
    Channels channels = new Channels(events, metrics);
    this.session =
        new Session(
            vertx,
            context,
            this.options,
            ownsVertx,
            events,
            metrics,
            outbox,
            replies,
            resends,
            channels);
    this.sender = new Sender(session, outbox, this.options);
    this.requests =
        new Requests(this, session, sender, outbox, replies, resends, channels, this.options);
    this.questions = new Questions(session, sender, replies);
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
            sender.submit(
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
    return onContext(() -> requests.publish(channel, data, copy));
  }

  @Override
  public Future<Subscription> join(String channel, Handler<ChannelMessage> handler) {
    Objects.requireNonNull(handler, "handler");
    return onContext(() -> requests.join(channel, handler));
  }

  @Override
  public Future<Void> leave(String channel) {
    return onContext(() -> requests.leave(channel));
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
  public String currentUrl() {
    return session.currentUrl();
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

  @Override
  public SwitchboardClient onResync(Handler<Resync> handler) {
    events.onResync(handler);
    return this;
  }

  @Override
  public Future<Presence> presence(String channel) {
    return onContext(() -> questions.presence(channel));
  }

  @Override
  public Future<History> history(String channel, int limit) {
    return onContext(() -> questions.history(channel, null, limit));
  }

  @Override
  public Future<History> history(String channel, StreamPosition since, int limit) {
    Objects.requireNonNull(since, "since");
    return onContext(() -> questions.history(channel, since, limit));
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

package io.switchboard.sdk;

import io.switchboard.sdk.impl.SwitchboardClientImpl;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

/**
 * A resilient WebSocket client for a Switchboard server (wire protocol v1): it connects, keeps the
 * connection alive with a heartbeat, reconnects with exponential backoff and jitter, fails over
 * between several servers in order ({@link ClientOptions#setUrls}), re-joins its channels ({@link
 * ReconnectMode#STATEFUL}), and queues what is sent while there is no connection.
 *
 * <p><b>Threads.</b> Every method may be called from any thread. The client's state lives on one
 * Vert.x context (the caller's when created on a Vert.x thread, otherwise a new event-loop
 * context); calls hop onto it in the order they were made, and futures complete and handlers run on
 * it. Handlers must not block.
 *
 * <p><b>Sending.</b> {@link #send} writes any JSON frame; {@link #publish} publishes to a channel
 * and waits for the server's {@code ack}. Both always complete successfully with a {@link
 * SendResult}, whose reasons are listed there; they never fail.
 *
 * <p><b>Handlers.</b> Each {@code on...} method sets one handler, replacing the previous one (null
 * removes it), and answers this client for chaining. A handler that throws is reported to {@link
 * #onError} (or, for the error handler itself, to the context's exception handler).
 *
 * <p>Create instances with {@link #create(Vertx, ClientOptions)} or {@link #create(ClientOptions)}.
 */
public interface SwitchboardClient {

  /**
   * A client on an existing Vert.x instance, which it never closes.
   *
   * @throws IllegalArgumentException when the options break a rule ({@link
   *     ClientOptions#validate()})
   */
  static SwitchboardClient create(Vertx vertx, ClientOptions options) {
    return new SwitchboardClientImpl(vertx, options, false);
  }

  /**
   * A client with a Vert.x instance of its own, for applications that do not use Vert.x: {@link
   * #disconnect()} closes that instance, so the client cannot connect again afterwards.
   *
   * @throws IllegalArgumentException when the options break a rule ({@link
   *     ClientOptions#validate()})
   */
  static SwitchboardClient create(ClientOptions options) {
    options.validate();
    return new SwitchboardClientImpl(Vertx.vertx(), options, true);
  }

  /**
   * Starts a session: {@code CONNECTING}, then {@code CONNECTED} once the server's {@code welcome}
   * has arrived. A failed attempt is retried like a lost connection (unless the mode is {@link
   * ReconnectMode#NONE}).
   *
   * @return completes when the client is {@code CONNECTED}; fails when the session ends first
   *     ({@code FAILED}, with the cause, or {@code disconnect()}). Called while connecting or
   *     reconnecting, it completes with the next connection; while connected, at once; while
   *     closing, it fails.
   */
  Future<Void> connect();

  /**
   * Ends the session gracefully: queued messages fail with {@code WebSocket is CLOSING - cannot
   * send message}, reconnecting stops, a close frame (1000) is sent and the client waits for the
   * server to complete the close, at most {@link ClientOptions#getCloseTimeoutMs()}; replies that
   * arrive meanwhile (acks of earlier publishes) are still handled. Then {@code CLOSED}, every
   * subscription ends, and a Vert.x instance the client owns is closed.
   *
   * @return completes once {@code CLOSED}; never fails. Calling it again answers the same future
   *     while closing, and a completed one afterwards.
   */
  Future<Void> disconnect();

  /** {@link #send(JsonObject, SendOptions)} with default {@link SendOptions}. */
  Future<SendResult> send(JsonObject message);

  /**
   * Writes one frame as it is (the server expects a {@code type}; see the protocol reference),
   * queueing it while connecting or reconnecting.
   *
   * @return completes exactly once, successfully, with the outcome listed on {@link SendResult}
   */
  Future<SendResult> send(JsonObject message, SendOptions options);

  /**
   * Joins a channel: sends {@code join} and completes on the server's {@code
   * subscription_confirmed}. While connecting or reconnecting the join is queued like a send.
   *
   * @param handler receives the channel's {@code message} frames on the client's context
   * @return the subscription; fails with a {@code ProtocolException} carrying the server's error
   *     ({@code already_subscribed}, {@code channel_not_found}, {@code bad_request}), or with an
   *     {@link IllegalStateException} whose message is the {@link SendResult} reason when it could
   *     not be sent, or with a timeout after {@link SendOptions#DEFAULT_TIMEOUT_MS} without an
   *     answer
   */
  Future<Subscription> join(String channel, Handler<ChannelMessage> handler);

  /**
   * Leaves a channel: its handler gets nothing more from now on. When connected, sends {@code
   * leave} and completes on the server's {@code left}; otherwise completes at once, the channel
   * simply not being joined again.
   *
   * @return fails with a {@code ProtocolException} ({@code not_subscribed}) when the channel is not
   *     joined
   */
  Future<Void> leave(String channel);

  /** {@link #publish(String, Object, SendOptions)} with default {@link SendOptions}. */
  Future<SendResult> publish(String channel, Object data);

  /**
   * Publishes {@code data} to every subscriber of {@code channel} (this client too, if joined),
   * with a correlation id of the client's own, and completes on the server's {@code ack}. A publish
   * written to a connection that is lost before its ack is written again, with the same id, on the
   * session's next connection; the server recognises the session's re-sends, so each publish is
   * delivered once.
   *
   * @param data any Vert.x JSON value, or null
   * @return completes exactly once, successfully: {@value SendResult#ACKNOWLEDGED} on the ack, or a
   *     failed result as listed on {@link SendResult}
   */
  Future<SendResult> publish(String channel, Object data, SendOptions options);

  /**
   * The messages a channel keeps (its namespace's {@code historySize}), for a channel this client
   * may join: the last {@code limit} of them, oldest first.
   *
   * @param limit 1 to the server's {@code channels.maxHistoryLimit}
   * @return the messages and the stream's position; fails with the server's error ({@code
   *     forbidden}, {@code bad_request}, ...) as a {@code ProtocolException}, or when there is no
   *     connection, times out or the connection is lost, with an {@code IllegalStateException}
   */
  Future<History> history(String channel, int limit);

  /**
   * As {@link #history(String, int)}, the first {@code limit} messages after {@code since}: what a
   * client missed since a position it received. Fails with {@code history_unavailable} when {@code
   * since} is of another epoch or no longer covered by what the channel keeps.
   */
  Future<History> history(String channel, StreamPosition since, int limit);

  /**
   * Who is in a channel this client has joined, on every node.
   *
   * @return fails with {@code not_subscribed} (a {@code ProtocolException}) for a channel not
   *     joined, or when there is no connection, times out or the connection is lost, with an {@code
   *     IllegalStateException}
   */
  Future<Presence> presence(String channel);

  /** The current state; safe from any thread. */
  ConnectionState state();

  /**
   * The server's id of the current connection (from {@code welcome}), or null when not connected.
   */
  String connectionId();

  /**
   * Which of the {@link ClientOptions#getUrls() URLs} the client is on; safe from any thread. While
   * {@code CONNECTED}, the URL of the open connection; while {@code CONNECTING} or {@code
   * RECONNECTING}, the URL of the attempt in flight or, between attempts, of the next one (the one
   * {@link #onReconnect} was just told); once the session has ended, the last one it used. Null
   * before the first {@link #connect()}. With a {@link ClientOptions#setNegotiate negotiate} step,
   * the configured URL (the step decides where each attempt really goes).
   */
  String currentUrl();

  /** A snapshot of the client's figures; safe from any thread. */
  ClientMetrics metrics();

  /** Called on every state transition. */
  SwitchboardClient onStateChange(Handler<StateChange> handler);

  /**
   * Called with every frame the server sends, decoded, after the client has handled it (acks,
   * confirmations and channel messages included), except the {@code pong}s of its own heartbeat:
   * each connection's {@code welcome} first, once the client is {@code CONNECTED} and before {@link
   * #onConnected}.
   */
  SwitchboardClient onMessage(Handler<JsonObject> handler);

  /**
   * Called with every error: failed connect attempts, lost connections, a dead peer found by the
   * heartbeat, {@code error} frames the server sent that answer no request of the client's, frames
   * that are not valid protocol, and the cause of {@code FAILED}. Each one is counted in {@link
   * ClientMetrics#errorCount()}.
   */
  SwitchboardClient onError(Handler<Throwable> handler);

  /** Called each time a connection opens, after the client is {@code CONNECTED}. */
  SwitchboardClient onConnected(Handler<Void> handler);

  /** Called each time a reconnect attempt is scheduled, before its delay. */
  SwitchboardClient onReconnect(Handler<ReconnectAttempt> handler);

  /**
   * Called when a joined channel's stream could not be kept whole: a {@link ReconnectMode#STATEFUL}
   * re-join the server could not recover, or (never expected) a gap or a new epoch in the messages
   * received. Called before any later message of the channel reaches its handler. Without this
   * handler, each one is reported to {@link #onError} instead.
   */
  SwitchboardClient onResync(Handler<Resync> handler);
}

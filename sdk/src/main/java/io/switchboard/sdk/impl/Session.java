package io.switchboard.sdk.impl;

import io.switchboard.protocol.CloseCode;
import io.switchboard.protocol.Envelope;
import io.switchboard.protocol.MessageType;
import io.switchboard.sdk.ClientOptions;
import io.switchboard.sdk.ConnectionState;
import io.switchboard.sdk.ReconnectAttempt;
import io.switchboard.sdk.ReconnectMode;
import io.switchboard.sdk.StateChange;
import io.switchboard.sdk.UpgradeRefusedException;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

/**
 * The connection life cycle: connect attempts with their timeout, the open sequence (re-join,
 * heartbeat, flush), lost connections and the reconnect backoff, the server's shutdown notice, the
 * graceful close, and the ends of a session ({@code CLOSED}, {@code FAILED}). It owns the state and
 * the current connection; the current connection's frames go to {@link Inbound}.
 *
 * <p>Used on the client's context only, except {@link #state()}.
 */
final class Session implements Connection.Listener {

  private final Vertx vertx;
  private final Context context;
  private final ClientOptions options;
  private final boolean ownsVertx;
  private final Events events;
  private final MetricsRecorder metrics;
  private final Outbox outbox;
  private final Replies replies;
  private final Channels channels;
  private final Rejoin rejoin;
  private final Resends resends;
  private final Inbound inbound;
  private final Attempts attempts;
  private final Reconnects reconnects;
  private final TokenRefresh tokenRefresh;

  private volatile ConnectionState state = ConnectionState.DISCONNECTED;
  private volatile Connection connection;
  private volatile String currentUrl;
  private Heartbeat heartbeat;
  private boolean everOpened;
  private String sessionId;
  private long closeTimer = -1;
  private Promise<Void> connecting;
  private Promise<Void> closing;
  private volatile boolean vertxClosed;

  Session(
      Vertx vertx,
      Context context,
      ClientOptions options,
      boolean ownsVertx,
      Events events,
      MetricsRecorder metrics,
      Outbox outbox,
      Replies replies,
      Resends resends,
      Channels channels) {
    this.vertx = vertx;
    this.context = context;
    this.options = options;
    this.ownsVertx = ownsVertx;
    this.events = events;
    this.metrics = metrics;
    this.outbox = outbox;
    this.replies = replies;
    this.channels = channels;
    this.rejoin = new Rejoin(replies, channels, events);
    this.resends = resends;
    this.inbound = new Inbound(events, replies, channels);
    this.attempts = new Attempts(vertx, context, options, metrics, this);
    this.reconnects = new Reconnects(vertx, options);
    this.tokenRefresh = new TokenRefresh(context, options, events);
  }

  ConnectionState state() {
    return state;
  }

  /**
   * The URL of the open connection, or of the attempt in flight or scheduled; the last one used
   * after the session ended; null before the first session.
   */
  String currentUrl() {
    return currentUrl;
  }

  /**
   * This session's name for the server, the {@code session} query parameter of each of its
   * connections: new random bits at every {@code connect()} that starts a session.
   */
  String sessionId() {
    return sessionId;
  }

  /** The open connection when {@code CONNECTED} (or still finishing a close), else null. */
  Connection connection() {
    return connection;
  }

  Future<Void> connect() {
    switch (state) {
      case CONNECTED:
        return Future.succeededFuture();
      case CONNECTING:
      case RECONNECTING:
        if (connecting == null) {
          connecting = Promise.promise();
        }
        return connecting.future();
      case CLOSING:
        return Future.failedFuture(
            new IllegalStateException(
                "WebSocket is CLOSING - cannot connect before disconnect() has completed"));
      default:
        break;
    }
    if (vertxClosed) {
      return Future.failedFuture(
          new IllegalStateException(
              "this client's own Vert.x instance was closed by disconnect(); create a new client"));
    }
    everOpened = false;
    sessionId = SessionIds.next();
    reconnects.startSession();
    currentUrl = reconnects.currentUrl();
    connecting = Promise.promise();
    Future<Void> result = connecting.future();
    setState(ConnectionState.CONNECTING);
    if (state == ConnectionState.CONNECTING) {
      attempts.start(currentUrl);
    }
    return result;
  }

  Future<Void> disconnect() {
    switch (state) {
      case CLOSING:
        return closing.future();
      case DISCONNECTED:
        setState(ConnectionState.CLOSED);
        return closeOwnedVertx();
      case CLOSED:
      case FAILED:
        return closeOwnedVertx();
      default:
        break;
    }
    closing = Promise.promise();
    Future<Void> result = closing.future();
    reconnects.cancel();
    attempts.cancel();
    setState(ConnectionState.CLOSING);
    outbox.failAll(Reasons.cannotSend(ConnectionState.CLOSING));
    failConnecting(
        new IllegalStateException("disconnect() was called before the connection opened"));
    Connection open = connection;
    if (open == null) {
      finishClose();
    } else {
      stopHeartbeat();
      closeTimer = vertx.setTimer(options.getCloseTimeoutMs(), t -> finishClose());
      open.close(CloseCode.NORMAL.code(), "client disconnect");
    }
    return result;
  }

  // ---- attempts -------------------------------------------------------------------------------

  /** A connect attempt succeeded: the connection is open and the server has said welcome. */
  void opened(Connection opened) {
    boolean isReconnect = everOpened;
    everOpened = true;
    boolean failover = reconnects.opened();
    connection = opened;
    metrics.connected(isReconnect, failover);
    if (options.getReconnectMode() == ReconnectMode.STATEFUL) {
      rejoin.rejoinAll(opened);
    }
    // Then the publishes the last connection took without acknowledging them, in their order and
    // before anything queued since: the server recognises those it already has by their ids.
    resends.writeAll(opened);
    heartbeat =
        new Heartbeat(
                vertx,
                opened,
                options.getHeartbeatIntervalMs(),
                options.getPongTimeoutMs(),
                metrics,
                this::dead)
            .start();
    // Flush before announcing CONNECTED: a handler that sends on CONNECTED must come after what
    // was queued before it.
    outbox.opened(opened);
    setState(ConnectionState.CONNECTED);
    if (state == ConnectionState.CONNECTED) {
      // The handshake read the welcome; the application sees it like every other frame.
      events.message(opened.welcome());
    }
    if (state == ConnectionState.CONNECTED) {
      events.connected();
    }
    if (connecting != null && state == ConnectionState.CONNECTED) {
      Promise<Void> done = connecting;
      connecting = null;
      done.complete();
    }
  }

  /** A connect attempt failed: retry, or end the session when retrying is pointless or over. */
  void attemptFailed(Throwable cause) {
    if (cause instanceof ConnectionClosedException closed && !closed.mayReconnect()) {
      fail(
          new ConnectionClosedException(
              "the server refused the connection: " + cause.getMessage() + "; not reconnecting",
              closed.code()));
    } else if (cause instanceof UpgradeRefusedException refused && !refused.retryable()) {
      fail(new IllegalStateException(cause.getMessage() + "; not reconnecting", cause));
    } else if (options.getReconnectMode() == ReconnectMode.NONE) {
      fail(new IllegalStateException("connect failed: " + cause.getMessage(), cause));
    } else {
      if (cause instanceof UpgradeRefusedException refused) {
        refused.retryAfterMs().ifPresent(reconnects::retryAfter);
      }
      // With a negotiate step the configured URL is not where the attempt went: name none.
      String where = options.getNegotiate() == null ? " to " + currentUrl : "";
      events.error(
          new IllegalStateException(
              "connect attempt" + where + " failed: " + cause.getMessage(), cause));
      scheduleReconnect(cause);
    }
  }

  private void scheduleReconnect(Throwable lastCause) {
    ReconnectAttempt next = reconnects.next();
    if (next == null) {
      fail(
          new IllegalStateException(
              "gave up after "
                  + reconnects.maxAttempts()
                  + " reconnect attempt(s); the last failure: "
                  + lastCause.getMessage(),
              lastCause));
      return;
    }
    currentUrl = next.url();
    events.reconnecting(next);
    if (state == ConnectionState.CONNECTING || state == ConnectionState.RECONNECTING) {
      reconnects.after(next, () -> attempts.start(next.url()));
    }
  }

  // ---- an open connection ---------------------------------------------------------------------

  @Override
  public void onText(Connection from, String text) {
    if (from != connection) {
      return;
    }
    Envelope frame = inbound.route(text, heartbeat);
    MessageType type = frame == null ? null : frame.builtInType().orElse(null);
    if (type == MessageType.SERVER_SHUTDOWN && from == connection) {
      onServerShutdown(from, frame);
    } else if (type == MessageType.TOKEN_EXPIRING && from == connection) {
      tokenRefresh.onExpiring(from);
    }
  }

  private void onServerShutdown(Connection from, Envelope frame) {
    long suggested = -1;
    if (frame.data() instanceof JsonObject data
        && data.getValue("reconnectAfterMs") instanceof Number n) {
      suggested = n.longValue();
    }
    if (suggested >= 0) {
      reconnects.suggest(suggested);
    }
    // The server reads nothing more from this socket: stop using it now rather than at its close.
    from.abandon(CloseCode.GOING_AWAY.code(), "server shutting down");
    lost(
        from,
        new ConnectionClosedException(
            "connection lost: the server is shutting down"
                + (suggested >= 0 ? " (reconnect after " + suggested + " ms)" : ""),
            CloseCode.GOING_AWAY.code()));
  }

  @Override
  public void onClosed(Connection from, int code, String reason) {
    if (from != connection) {
      return;
    }
    lost(
        from,
        new ConnectionClosedException(
            "connection lost: closed with " + ConnectionClosedException.describe(code, reason),
            code));
  }

  /** The heartbeat found the peer silent: drop the connection and treat it as lost. */
  private void dead(Connection from) {
    if (from != connection) {
      return;
    }
    from.abandon(CloseCode.HEARTBEAT_TIMEOUT.code(), CloseCode.HEARTBEAT_TIMEOUT.reason());
    lost(
        from,
        new ConnectionClosedException(
            "connection lost: no frame from the server within "
                + options.getPongTimeoutMs()
                + " ms of a heartbeat ping",
            1006));
  }

  private void lost(Connection from, ConnectionClosedException cause) {
    connection = null;
    stopHeartbeat();
    metrics.disconnected();
    if (state == ConnectionState.CLOSING) {
      finishClose();
      return;
    }
    ReconnectMode mode = options.getReconnectMode();
    if (!cause.mayReconnect()) {
      fail(
          new ConnectionClosedException(
              "the server closed the connection: "
                  + cause.getMessage().replace("connection lost: ", "")
                  + "; not reconnecting",
              cause.code()));
    } else if (mode == ReconnectMode.NONE) {
      end(ConnectionState.CLOSED, cause);
    } else {
      // The state changes before any waiter hears of the loss: futures complete inline, and what
      // their callbacks send must be queued, not written to the dead connection.
      setState(ConnectionState.RECONNECTING);
      replies.connectionLost();
      if (mode == ReconnectMode.STATELESS) {
        channels.endConfirmed(
            new IllegalStateException("the connection was lost (STATELESS mode)"));
      }
      events.error(cause);
      if (state == ConnectionState.RECONNECTING) {
        scheduleReconnect(cause);
      }
    }
  }

  // ---- ends of a session ----------------------------------------------------------------------

  private void finishClose() {
    if (state != ConnectionState.CLOSING) {
      return;
    }
    Promise<Void> done = closing;
    end(ConnectionState.CLOSED, null);
    closeOwnedVertx().onComplete(done);
  }

  private void fail(Throwable cause) {
    end(ConnectionState.FAILED, cause);
  }

  /**
   * Ends the session in {@code CLOSED} or {@code FAILED}: stops every timer and attempt, drops the
   * connection, fails what is still queued or waiting, ends every subscription.
   */
  private void end(ConnectionState finalState, Throwable cause) {
    reconnects.cancel();
    attempts.cancel();
    if (closeTimer >= 0) {
      vertx.cancelTimer(closeTimer);
      closeTimer = -1;
    }
    Connection open = connection;
    connection = null;
    stopHeartbeat();
    if (open != null) {
      open.abandon(CloseCode.NORMAL.code(), "client closed");
      metrics.disconnected();
    }
    setState(finalState);
    String reason = Reasons.cannotSend(finalState);
    outbox.failAll(reason);
    resends.clear();
    replies.closeAll(reason);
    channels.endAll(new IllegalStateException(reason));
    if (cause != null) {
      events.error(cause);
    }
    failConnecting(cause != null ? cause : new IllegalStateException(reason));
    attempts.closeClient();
  }

  private void failConnecting(Throwable cause) {
    if (connecting != null) {
      Promise<Void> pending = connecting;
      connecting = null;
      pending.tryFail(cause);
    }
  }

  private Future<Void> closeOwnedVertx() {
    if (!ownsVertx || vertxClosed) {
      return Future.succeededFuture();
    }
    vertxClosed = true;
    return vertx.close();
  }

  // ---- helpers --------------------------------------------------------------------------------

  private void setState(ConnectionState next) {
    ConnectionState previous = state;
    if (previous == next) {
      return;
    }
    state = next;
    events.stateChanged(new StateChange(previous, next));
  }

  private void stopHeartbeat() {
    if (heartbeat != null) {
      heartbeat.stop();
      heartbeat = null;
    }
  }

  /**
   * Whether {@code disconnect()} closed the client's own Vert.x instance: then nothing runs on the
   * context any more and the state is final.
   */
  boolean isVertxClosed() {
    return vertxClosed;
  }
}

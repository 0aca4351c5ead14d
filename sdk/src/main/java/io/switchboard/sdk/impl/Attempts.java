package io.switchboard.sdk.impl;

import io.switchboard.sdk.ClientOptions;
import io.switchboard.sdk.NegotiateResult;
import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * One connect attempt at a time: the token supplier, the negotiate step, the upgrade and the
 * server's {@code welcome}, all within {@code connectionTimeoutMs}. The outcome goes to the {@link
 * Session}; an attempt that was cancelled or timed out reports nothing more, and a connection it
 * still produces is closed at once.
 *
 * <p>Used on the client's context only.
 */
final class Attempts {

  /** Server frames may exceed Vert.x's 64 KiB default: a full 64 KiB payload plus the envelope. */
  private static final int MAX_INBOUND_BYTES = 1024 * 1024;

  private final Vertx vertx;
  private final Context context;
  private final ClientOptions options;
  private final MetricsRecorder metrics;
  private final Session session;
  private WebSocketClient client;
  private Connection current;
  private long timer = -1;

  Attempts(
      Vertx vertx,
      Context context,
      ClientOptions options,
      MetricsRecorder metrics,
      Session session) {
    this.vertx = vertx;
    this.context = context;
    this.options = options;
    this.metrics = metrics;
    this.session = session;
  }

  /** Starts an attempt to {@code url} (a negotiate step, when set, picks the URL instead). */
  void start(String url) {
    cancel();
    Connection attempt = new Connection(client(), metrics, session);
    current = attempt;
    long timeoutMs = options.getConnectionTimeoutMs();
    timer =
        vertx.setTimer(
            timeoutMs,
            t -> {
              timer = -1;
              if (current == attempt) {
                current = null;
                attempt.abandon((short) 1000, "connect timeout");
                session.attemptFailed(
                    new TimeoutException(
                        "the connection did not open within " + timeoutMs + " ms"));
              }
            });
    // User code may complete these futures on any thread: come back to the context to go on.
    target(url).onComplete(result -> context.runOnContext(v -> upgrade(attempt, result)));
  }

  /** Stops the attempt in flight, if any, without reporting it. */
  void cancel() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
      timer = -1;
    }
    if (current != null) {
      Connection attempt = current;
      current = null;
      attempt.abandon((short) 1000, "connect attempt cancelled");
    }
  }

  /** Closes the WebSocket client (the session is over); the next attempt makes a new one. */
  void closeClient() {
    if (client != null) {
      client.close();
      client = null;
    }
  }

  private WebSocketClient client() {
    if (client == null) {
      // Vert.x counts the closing timeout in whole seconds; round the close timeout up to one.
      int closingSeconds = (int) Math.max(1, (options.getCloseTimeoutMs() + 999) / 1000);
      client =
          vertx.createWebSocketClient(
              new WebSocketClientOptions()
                  .setMaxFrameSize(MAX_INBOUND_BYTES)
                  .setMaxMessageSize(MAX_INBOUND_BYTES)
                  .setClosingTimeout(closingSeconds));
    }
    return client;
  }

  private void upgrade(Connection attempt, AsyncResult<NegotiateResult> target) {
    if (current != attempt) {
      return;
    }
    Future<Connection> opened;
    if (target.failed()) {
      opened = Future.failedFuture(target.cause());
    } else {
      try {
        opened = attempt.open(connectOptions(target.result()));
      } catch (RuntimeException e) {
        opened = Future.failedFuture(e);
      }
    }
    opened.onComplete(
        (connection, failure) -> {
          if (current != attempt) {
            return;
          }
          current = null;
          if (timer >= 0) {
            vertx.cancelTimer(timer);
            timer = -1;
          }
          if (failure != null) {
            attempt.abandon((short) 1000, "connect attempt failed");
            session.attemptFailed(failure);
          } else {
            session.opened(connection);
          }
        });
  }

  /** The URL and token of this attempt: the token supplier's, then the negotiate step's. */
  private Future<NegotiateResult> target(String url) {
    Future<String> token =
        options.getAuthToken() == null
            ? Future.succeededFuture()
            : call("authToken supplier", options.getAuthToken());
    return token.compose(
        value -> {
          if (options.getNegotiate() == null) {
            return Future.succeededFuture(new NegotiateResult(url, value));
          }
          return call("negotiate step", () -> options.getNegotiate().apply(value))
              .map(
                  negotiated -> {
                    if (negotiated == null) {
                      throw new IllegalStateException("the negotiate step answered null");
                    }
                    return negotiated.token() == null
                        ? new NegotiateResult(negotiated.url(), value)
                        : negotiated;
                  });
        });
  }

  private WebSocketConnectOptions connectOptions(NegotiateResult target) {
    long timeoutMs = options.getConnectionTimeoutMs();
    WebSocketConnectOptions connect =
        new WebSocketConnectOptions()
            .setAbsoluteURI(SessionIds.addTo(target.url(), session.sessionId()))
            .setConnectTimeout(timeoutMs)
            .setTimeout(timeoutMs)
            // Not a browser: servers that check Origin (cross-site WebSocket hijacking) expect
            // none.
            .setAllowOriginHeader(false);
    options.getHeaders().forEach(connect::putHeader);
    if (target.token() != null) {
      connect.putHeader("Authorization", "Bearer " + target.token());
    }
    if (!options.getSubprotocols().isEmpty()) {
      connect.setSubProtocols(options.getSubprotocols());
    }
    if (options.getSslOptions() != null) {
      // Per connection: the URL (from negotiate, too) decides whether TLS is used at all.
      connect.setSslOptions(options.getSslOptions());
    }
    return connect;
  }

  /** Calls an application step, turning a throw or a null answer into a failed future. */
  static <T> Future<T> call(String what, Supplier<Future<T>> step) {
    try {
      Future<T> result = step.get();
      return result != null
          ? result
          : Future.failedFuture(new IllegalStateException("the " + what + " answered null"));
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }
}

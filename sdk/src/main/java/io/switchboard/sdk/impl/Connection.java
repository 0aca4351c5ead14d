package io.switchboard.sdk.impl;

import io.switchboard.protocol.Envelope;
import io.switchboard.protocol.FrameCodec;
import io.switchboard.protocol.MessageType;
import io.switchboard.protocol.ProtocolException;
import io.switchboard.sdk.UpgradeRefusedException;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.http.ClientWebSocket;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;

/**
 * One WebSocket to the server, from the upgrade to the close. It counts as open once the server's
 * {@code welcome} has arrived: a socket that upgraded but never says hello is no Switchboard
 * connection. After that every text frame and the close go to its {@link Listener}, until the
 * client {@link #abandon abandons} it; from then on it only finishes closing.
 *
 * <p>Used on the client's context only.
 */
final class Connection {

  /** Receives what happens on an open connection. */
  interface Listener {
    void onText(Connection connection, String text);

    /** The socket closed; {@code code} is 1006 when it ended without a close frame. */
    void onClosed(Connection connection, int code, String reason);
  }

  private final ClientWebSocket ws;
  private final MetricsRecorder metrics;
  private final Listener listener;
  private final Promise<Connection> opened = Promise.promise();
  private boolean upgraded;
  private boolean abandoned;
  private String connectionId;
  private JsonObject welcome;
  private long lastFrameAtNanos;
  private Throwable socketFailure;

  Connection(WebSocketClient client, MetricsRecorder metrics, Listener listener) {
    this.ws = client.webSocket();
    this.metrics = metrics;
    this.listener = listener;
    // Every frame proves the peer alive, pings and pongs of the WebSocket layer included.
    ws.frameHandler(frame -> lastFrameAtNanos = System.nanoTime());
    ws.textMessageHandler(this::onText);
    ws.exceptionHandler(failure -> socketFailure = failure);
    ws.closeHandler(closed -> onClose());
  }

  /**
   * Upgrades and waits for {@code welcome}.
   *
   * @return completes when the connection is open; fails when the upgrade fails, or the socket
   *     closes or sends something else first (a {@link ConnectionClosedException} when it closed)
   */
  Future<Connection> open(WebSocketConnectOptions options) {
    // Vert.x binds the socket to the calling context: this runs on the client's.
    ws.connect(options)
        .onComplete(
            (socket, failure) -> {
              if (failure instanceof UpgradeRejectedException refused) {
                opened.tryFail(
                    new UpgradeRefusedException(
                        refused.getStatus(),
                        refused.getBody(),
                        refused.getHeaders() == null
                            ? null
                            : refused.getHeaders().get("Retry-After")));
              } else if (failure != null) {
                opened.tryFail(failure);
              } else {
                upgraded = true;
                lastFrameAtNanos = System.nanoTime();
                if (abandoned) {
                  ws.close();
                }
              }
            });
    return opened.future();
  }

  /** The server's id for this connection, from {@code welcome}. */
  String connectionId() {
    return connectionId;
  }

  /** The server's {@code welcome} frame, once the connection is open. */
  JsonObject welcome() {
    return welcome;
  }

  /** When the last frame of any kind arrived, on the {@link System#nanoTime()} scale. */
  long lastFrameAtNanos() {
    return lastFrameAtNanos;
  }

  boolean isAbandoned() {
    return abandoned;
  }

  /**
   * Writes one text frame.
   *
   * @return completes when the socket took it; fails when it is closed or closing
   */
  Future<Void> write(String text) {
    if (abandoned || ws.isClosed()) {
      return Future.failedFuture(new IllegalStateException("the connection is closed"));
    }
    metrics.sent(text);
    return ws.writeTextMessage(text);
  }

  /**
   * Sends a close frame and waits for the server's; the close handler reports the outcome. Nothing
   * is written after this.
   */
  void close(short code, String reason) {
    if (upgraded && !ws.isClosed()) {
      ws.close(code, reason);
    }
  }

  /**
   * Stops reporting anything and closes the socket without waiting for anyone: for a connection the
   * client has given up on (dead, timed out, replaced). Vert.x cuts the TCP connection if the peer
   * does not answer the close frame within the client's closing timeout.
   */
  void abandon(short code, String reason) {
    abandoned = true;
    opened.tryFail(new IllegalStateException("connect attempt abandoned: " + reason));
    if (upgraded && !ws.isClosed()) {
      ws.close(code, reason);
    }
  }

  private void onText(String text) {
    metrics.received(text);
    if (abandoned) {
      return;
    }
    if (!opened.future().isComplete()) {
      onFirstFrame(text);
      return;
    }
    listener.onText(this, text);
  }

  private void onFirstFrame(String text) {
    try {
      Envelope frame = FrameCodec.decode(text);
      if (frame.builtInType().orElse(null) == MessageType.WELCOME
          && frame.data() instanceof JsonObject data
          && data.getValue("connectionId") instanceof String id) {
        connectionId = id;
        welcome = frame.json();
        opened.complete(this);
        return;
      }
      fail("the server's first frame must be 'welcome' with data.connectionId, was: " + cut(text));
    } catch (ProtocolException e) {
      fail("the server's first frame is not a protocol frame (" + e.getMessage() + ")");
    }
  }

  private void fail(String why) {
    opened.tryFail(new IllegalStateException(why));
    abandon((short) 1002, "protocol error");
  }

  private void onClose() {
    Short status = ws.closeStatusCode();
    int code = status == null ? 1006 : status;
    String reason = ws.closeReason();
    if (!opened.future().isComplete()) {
      String cause = socketFailure == null ? "" : ": " + socketFailure.getMessage();
      opened.tryFail(
          new ConnectionClosedException(
              "the connection closed before the server's welcome with "
                  + ConnectionClosedException.describe(code, reason)
                  + cause,
              code));
      return;
    }
    if (!abandoned) {
      abandoned = true;
      listener.onClosed(this, code, reason);
    }
  }

  private static String cut(String text) {
    return text.length() <= 200 ? text : text.substring(0, 200) + "…";
  }
}

package io.switchboard.server.connection;

import io.switchboard.protocol.CloseCode;
import io.switchboard.server.config.SwitchboardConfig;
import io.switchboard.server.frame.ServerFrames;
import io.vertx.core.Vertx;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The time limits on one connection instance's open connections: a first text frame within {@code
 * limits.firstFrameTimeoutMs} of {@code welcome} (else 4003), and the token's expiry, announced
 * {@code auth.refreshNoticeMs} ahead with {@code token_expiring} (else 4004 once it has expired,
 * clock skew included). Used on the instance's event loop only.
 */
final class Deadlines {

  /** How often connections that have not sent their first frame are checked. */
  private static final long FIRST_FRAME_SWEEP_MS = 250;

  private final Vertx vertx;
  private final SwitchboardConfig config;

  /** Connections that have not sent a text or binary frame yet, oldest first. */
  private final Set<ClientConnection> awaitingFirstFrame = new LinkedHashSet<>();

  Deadlines(Vertx vertx, SwitchboardConfig config) {
    this.vertx = vertx;
    this.config = config;
  }

  /** Starts checking first frames (when the limit is on); the timer ends with the verticle. */
  void start() {
    if (config.limits().firstFrameTimeoutMs() > 0) {
      vertx.setPeriodic(FIRST_FRAME_SWEEP_MS, t -> closeSilentSinceWelcome());
    }
  }

  /** A connection was opened and welcomed. */
  void opened(ClientConnection connection) {
    if (config.limits().firstFrameTimeoutMs() > 0) {
      awaitingFirstFrame.add(connection);
    }
    tokenChanged(connection);
  }

  /** A frame arrived on the connection: the first text or binary one meets its deadline. */
  void frameArrived(ClientConnection connection, boolean data) {
    if (connection.awaitingFirstFrame && data) {
      connection.awaitingFirstFrame = false;
      awaitingFirstFrame.remove(connection);
    }
  }

  /**
   * Arms the timers of the connection's token, replacing those of the token it had: {@code
   * token_expiring} ahead of the expiry (at once if that is already past), and the close with 4004.
   */
  void tokenChanged(ClientConnection connection) {
    cancelExpiry(connection);
    long expiresAt = connection.identity.expiresAtMs();
    if (expiresAt <= 0 || !connection.isOpen()) {
      return;
    }
    long now = System.currentTimeMillis();
    long noticeIn = Math.max(1, expiresAt - config.auth().refreshNoticeMs() - now);
    long closeIn = Math.max(1, expiresAt + config.auth().clockSkewSeconds() * 1000L - now);
    connection.expiryNoticeTimer =
        vertx.setTimer(
            noticeIn,
            t -> {
              connection.expiryNoticeTimer = -1;
              connection.send(ServerFrames.tokenExpiring(expiresAt, closeIn + now));
            });
    connection.expiryTimer =
        vertx.setTimer(
            closeIn,
            t -> {
              connection.expiryTimer = -1;
              if (connection.isOpen()) {
                connection.recordError(
                    "token expired at "
                        + ServerFrames.timestamp(expiresAt)
                        + " and was not refreshed");
                connection.close(CloseCode.TOKEN_EXPIRED);
              }
            });
  }

  /** The connection is gone: its deadlines with it. */
  void closed(ClientConnection connection) {
    cancelExpiry(connection);
    awaitingFirstFrame.remove(connection);
  }

  private void cancelExpiry(ClientConnection connection) {
    if (connection.expiryNoticeTimer >= 0) {
      vertx.cancelTimer(connection.expiryNoticeTimer);
      connection.expiryNoticeTimer = -1;
    }
    if (connection.expiryTimer >= 0) {
      vertx.cancelTimer(connection.expiryTimer);
      connection.expiryTimer = -1;
    }
  }

  /** Closes, with 4003, the connections that sent nothing within the first-frame timeout. */
  private void closeSilentSinceWelcome() {
    long deadline = System.currentTimeMillis() - config.limits().firstFrameTimeoutMs();
    Iterator<ClientConnection> oldestFirst = awaitingFirstFrame.iterator();
    while (oldestFirst.hasNext()) {
      ClientConnection connection = oldestFirst.next();
      if (connection.connectedAt > deadline) {
        return;
      }
      oldestFirst.remove();
      connection.recordError(
          "no frame within "
              + config.limits().firstFrameTimeoutMs()
              + " ms of welcome (limits.firstFrameTimeoutMs)");
      connection.close(CloseCode.STALE_CONNECTION);
    }
  }
}

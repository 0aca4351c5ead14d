package io.switchboard.sdk;

/**
 * Where a {@link SwitchboardClient} is in its life. The usual path is {@code DISCONNECTED ->
 * CONNECTING -> CONNECTED -> (RECONNECTING -> CONNECTED)* -> CLOSING -> CLOSED}; {@code FAILED}
 * ends a session that cannot go on. {@link SwitchboardClient#connect()} starts a new session from
 * {@code DISCONNECTED}, {@code CLOSED} or {@code FAILED}.
 *
 * <p>What {@link SwitchboardClient#send} does in each state is listed on {@link SendResult}.
 */
public enum ConnectionState {
  /**
   * Created, {@code connect()} never called. Sends answer {@code WebSocket client not initialized}.
   */
  DISCONNECTED,
  /**
   * {@code connect()} was called and no connection has opened yet in this session, retries of a
   * failed first attempt included. Sends are queued (or refused when queueing is off).
   */
  CONNECTING,
  /** A connection is open and the server's {@code welcome} has arrived. Sends go out at once. */
  CONNECTED,
  /**
   * An open connection was lost and the client is waiting for, or making, a reconnect attempt.
   * Sends are queued (or refused when queueing is off).
   */
  RECONNECTING,
  /**
   * {@code disconnect()} is running: the close frame is sent and the client waits at most {@link
   * ClientOptions#getCloseTimeoutMs()} for the server to complete the close. Sends are refused.
   */
  CLOSING,
  /**
   * Closed by {@code disconnect()}, or by an unexpected close in {@link ReconnectMode#NONE}. Sends
   * are refused.
   */
  CLOSED,
  /**
   * The session ended without the application asking: the reconnect attempts ran out, the server
   * closed with a code in 4500–4999 (must not reconnect), or the first attempt failed in {@link
   * ReconnectMode#NONE}. The cause went to {@link SwitchboardClient#onError}. Sends are refused.
   */
  FAILED
}

package io.switchboard.sdk;

/**
 * What a {@link SwitchboardClient} does when an open connection is lost unexpectedly (anything but
 * {@code disconnect()} or a close code in 4500–4999, which never reconnect).
 *
 * <p>In every mode that reconnects, sends queued while the connection was down are delivered when
 * the next connection opens, or time out, exactly as {@link SendResult} describes: each of them was
 * promised one of those two outcomes. The modes differ in the session state they carry over.
 */
public enum ReconnectMode {
  /** Do not reconnect: an unexpected close ends the session in {@link ConnectionState#CLOSED}. */
  NONE,
  /**
   * Reconnect and start clean: channels joined on the lost connection are not joined again (their
   * {@link Subscription}s end and their handlers get nothing more), and joins still waiting for
   * their confirmation fail.
   */
  STATELESS,
  /**
   * Reconnect and restore the session: every joined channel is joined again with the same handler
   * (joins still waiting for their confirmation are sent again and complete on the new connection),
   * and only then is what was queued during the outage flushed, in order.
   *
   * <p>A channel confirmed before is joined again {@code since} the last position received on it
   * ({@link Subscription#position()}): the server replays what the client missed, or the client is
   * told through {@link SwitchboardClient#onResync} that it cannot.
   */
  STATEFUL
}

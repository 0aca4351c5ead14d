package io.switchboard.sdk;

import io.vertx.core.Future;

/**
 * A channel this client has joined, from {@link SwitchboardClient#join}. Its handler receives the
 * channel's messages on the client's context until the subscription ends: by {@link #leave()}, by
 * the session ending ({@code disconnect()}, {@code FAILED}), by a {@link ReconnectMode#STATELESS}
 * reconnect, or by a failed re-join after a {@link ReconnectMode#STATEFUL} reconnect (reported to
 * {@link SwitchboardClient#onError}).
 */
public interface Subscription {

  /** The channel's name. */
  String channel();

  /**
   * The channel's subscriber count (this client included) that the server reported with the last
   * confirmation of this join, including re-joins after a reconnect.
   */
  int subscribers();

  /**
   * The last position of the channel's stream this client received (a message, or the join's
   * confirmation), or null before the server confirmed the join or from a server without offsets. A
   * {@link ReconnectMode#STATEFUL} re-join asks the server to replay what came after it.
   */
  StreamPosition position();

  /** Whether the handler still receives the channel's messages. */
  boolean isActive();

  /** Same as {@link SwitchboardClient#leave(String)} for this channel. */
  Future<Void> leave();
}

package io.switchboard.sdk;

/**
 * The client could not keep a channel's stream whole, and the application must catch up from its
 * own source or from {@link SwitchboardClient#history}: passed to {@link
 * SwitchboardClient#onResync}. Never raised for a stream the client received whole, and raised
 * before any message after the break reaches the channel's handler.
 *
 * @param channel the channel
 * @param from the last position the client had received before the break
 * @param to where the stream is now: the position of the re-join's confirmation ({@link
 *     Reason#NOT_RECOVERED}), or of the message that revealed the break (then that message is
 *     handed to the channel's handler right after)
 * @param reason why
 */
public record Resync(String channel, StreamPosition from, StreamPosition to, Reason reason) {

  /** Why a stream was not kept whole. */
  public enum Reason {
    /**
     * After a reconnect, the server could not replay what the channel sent meanwhile (its history
     * did not cover it, or the stream started anew: a server restart, a new owner node).
     */
    NOT_RECOVERED,
    /** A message arrived with an offset beyond the next one: messages in between are missing. */
    GAP,
    /** A message arrived from a new epoch of the stream without a re-join in between. */
    NEW_EPOCH
  }
}

package io.switchboard.server.bus;

import io.vertx.core.buffer.Buffer;

/**
 * One outgoing frame, encoded once, on its way to connection instances, which write the same buffer
 * to each target socket.
 *
 * @param frame the complete text frame, UTF-8 JSON
 * @param audience when not null, only the connections it matches receive it (a targeted delivery,
 *     sent to an instance); when null, every local subscriber of the channel it was published to
 * @param offset the message's offset in its channel's stream, or 0 when it has none (a targeted
 *     delivery, a {@code $} channel's frame): a connection joining the channel drops the held
 *     deliveries its join's position already covers
 * @param routedAtNanos {@link System#nanoTime()} when routing encoded it, for the latency meter
 */
public record Delivery(Buffer frame, Audience audience, long offset, long routedAtNanos) {

  /** A frame without an offset for every local subscriber of a channel. */
  public static Delivery toChannel(Buffer frame) {
    return toChannel(frame, 0);
  }

  /** A channel message for every local subscriber of its channel. */
  public static Delivery toChannel(Buffer frame, long offset) {
    return new Delivery(frame, null, offset, System.nanoTime());
  }

  /** A frame for the connections an audience matches. */
  public static Delivery to(Buffer frame, Audience audience) {
    return new Delivery(frame, audience, 0, System.nanoTime());
  }
}

package io.switchboard.server.bus;

import io.vertx.core.buffer.Buffer;
import java.util.Set;

/**
 * One outgoing frame, encoded once, on its way to connection instances, which write the same buffer
 * to each target socket.
 *
 * @param frame the complete text frame, UTF-8 JSON
 * @param only when not null, only these connection ids receive it (a filtered broadcast); when
 *     null, every local subscriber of the channel it was published to
 * @param routedAtNanos {@link System#nanoTime()} when routing encoded it, for the latency meter
 */
public record Delivery(Buffer frame, Set<String> only, long routedAtNanos) {

  /** A frame for every local subscriber of a channel. */
  public static Delivery toChannel(Buffer frame) {
    return new Delivery(frame, null, System.nanoTime());
  }

  /** A frame for the listed connections only. */
  public static Delivery toConnections(Buffer frame, Set<String> connectionIds) {
    return new Delivery(frame, connectionIds, System.nanoTime());
  }
}

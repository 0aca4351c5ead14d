package io.switchboard.sdk.impl;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Publishes written to a connection that was lost before their {@code ack}: each is written again,
 * with its id, on the next connection of the session, before anything queued meanwhile. The server
 * knows the session (the {@code session} query parameter of every connection), so a publish it had
 * already sequenced is acknowledged again with its first offset instead of being delivered twice. A
 * publish whose wait ended meanwhile (its timeout, the end of the session) is not written again.
 *
 * <p>Used on the client's context only.
 */
final class Resends {

  private record Unacked(String id, String frame, long timeoutMs) {}

  private final Replies replies;

  /** By the order the application published them in; one entry per publish. */
  private final Map<Long, Unacked> lost = new TreeMap<>();

  Resends(Replies replies) {
    this.replies = replies;
  }

  /**
   * A publish written and not acknowledged when its connection was lost, or whose write the dying
   * socket refused: to write again. A publish added twice (its write failed, then its connection's
   * loss was told) is written once.
   *
   * @param order the publish's place among the application's publishes, which the writes keep
   */
  void add(long order, String id, String frame, long timeoutMs) {
    lost.put(order, new Unacked(id, frame, timeoutMs));
  }

  /** Writes every publish still waiting for its ack to the new connection, in their first order. */
  void writeAll(Connection connection) {
    List<Unacked> again = new ArrayList<>(lost.values());
    lost.clear();
    for (Unacked publish : again) {
      if (!replies.isWaiting(publish.id)) {
        continue;
      }
      connection
          .write(publish.frame)
          .onComplete(
              (written, failure) -> {
                // A failed write means this connection is dying too; its loss brings it back here.
                if (failure == null) {
                  replies.written(publish.id, publish.timeoutMs);
                }
              });
    }
  }

  /** The session ended: nothing is written again. */
  void clear() {
    lost.clear();
  }
}

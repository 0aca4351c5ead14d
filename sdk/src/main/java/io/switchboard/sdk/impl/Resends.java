package io.switchboard.sdk.impl;

import java.util.ArrayList;
import java.util.List;

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
  private final List<Unacked> lost = new ArrayList<>();

  Resends(Replies replies) {
    this.replies = replies;
  }

  /** A publish written and not acknowledged when its connection was lost: to write again. */
  void add(String id, String frame, long timeoutMs) {
    lost.add(new Unacked(id, frame, timeoutMs));
  }

  /** Writes every publish still waiting for its ack to the new connection, in their first order. */
  void writeAll(Connection connection) {
    List<Unacked> again = new ArrayList<>(lost);
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

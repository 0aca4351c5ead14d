package io.switchboard.sdk.impl;

import io.switchboard.sdk.ClientOptions;
import io.switchboard.sdk.ConnectionState;
import io.switchboard.sdk.SendOptions;
import io.switchboard.sdk.SendResult;
import io.vertx.core.json.JsonObject;

/**
 * The send table of {@link SendResult}: for the state the client is in, a frame is written at once,
 * queued in the {@link Outbox}, or refused with the table's reason. Sends, publishes, joins and
 * leaves all go through here, so they all follow the same rules.
 *
 * <p>Used on the client's context only.
 */
final class Sender {

  private final Session session;
  private final Outbox outbox;
  private final ClientOptions options;

  Sender(Session session, Outbox outbox, ClientOptions options) {
    this.session = session;
    this.outbox = outbox;
    this.options = options;
  }

  /** Why a frame cannot go out now, or null when it can (written or queued). */
  String refusal(SendOptions sendOptions) {
    ConnectionState state = session.state();
    return switch (state) {
      case DISCONNECTED -> SendResult.NOT_INITIALIZED;
      case CONNECTED -> null;
      case CONNECTING, RECONNECTING ->
          sendOptions.isQueue() && options.isEnableMessageBuffering()
              ? null
              : Reasons.queueingDisabled(state);
      case CLOSING, CLOSED, FAILED -> Reasons.cannotSend(state);
    };
  }

  /**
   * Writes or queues a frame, or refuses it; the callback learns the outcome exactly once.
   *
   * @return the frame's queue id when it was queued, else null
   */
  String submit(JsonObject frame, SendOptions sendOptions, Outbox.Written callback) {
    String refused = refusal(sendOptions);
    if (refused != null) {
      callback.done(false, refused);
      return null;
    }
    if (session.state() == ConnectionState.CONNECTED) {
      outbox.write(session.connection(), frame, callback);
      return null;
    }
    return outbox.enqueue(frame, sendOptions.getTimeoutMs(), callback);
  }
}

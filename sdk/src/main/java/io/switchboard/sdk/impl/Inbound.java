package io.switchboard.sdk.impl;

import io.switchboard.protocol.Envelope;
import io.switchboard.protocol.ErrorCode;
import io.switchboard.protocol.FrameCodec;
import io.switchboard.protocol.MessageType;
import io.switchboard.protocol.ProtocolError;
import io.switchboard.protocol.ProtocolException;

/**
 * Routes the frames of an open connection: answers to the requests waiting in {@link Replies},
 * channel messages to their handlers, the heartbeat's pongs to the {@link Heartbeat}, stray {@code
 * error}s to the error handler; then every frame but the heartbeat's pongs to the application's
 * message handler.
 *
 * <p>Used on the client's context only.
 */
final class Inbound {

  private final Events events;
  private final Replies replies;
  private final Channels channels;

  Inbound(Events events, Replies replies, Channels channels) {
    this.events = events;
    this.replies = replies;
    this.channels = channels;
  }

  /**
   * Routes one text frame.
   *
   * @param heartbeat the connection's heartbeat, or null
   * @return the decoded frame, or null when it broke the protocol (then it was reported)
   */
  Envelope route(String text, Heartbeat heartbeat) {
    Envelope frame;
    try {
      frame = FrameCodec.decode(text);
    } catch (ProtocolException e) {
      events.error(
          new IllegalStateException("the server sent a frame that breaks the protocol: " + e, e));
      return null;
    }
    boolean forApplication = true;
    MessageType type = frame.builtInType().orElse(null);
    if (type == MessageType.PONG) {
      forApplication = heartbeat == null || !heartbeat.onPong(frame.id());
    } else if (type == MessageType.ACK
        || type == MessageType.SUBSCRIPTION_CONFIRMED
        || type == MessageType.LEFT
        || type == MessageType.HISTORY
        || type == MessageType.PRESENCE) {
      replies.answer(frame);
    } else if (type == MessageType.ERROR) {
      if (!replies.answer(frame)) {
        ProtocolError error =
            frame.error() != null
                ? frame.error()
                : ProtocolError.of(ErrorCode.INTERNAL, "error frame without 'error': " + text);
        events.error(new ProtocolException(error));
      }
    } else if (type == MessageType.MESSAGE) {
      channels.deliver(frame);
    }
    if (forApplication) {
      events.message(frame.json());
    }
    return frame;
  }
}

package io.switchboard.server.connection;

import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.switchboard.protocol.CloseCode;
import java.util.Optional;

/**
 * A frame Netty's WebSocket decoder refused: too large (1009) or breaking the protocol (1002). The
 * decoder reports it to the socket's exception handler and Vert.x leaves the socket open, so the
 * handler must close it, with the status the decoder chose.
 *
 * @param code the close code the decoder chose
 * @param reason the close reason that goes with it
 * @param detail what exactly was wrong, for the connection's last error
 */
record RefusedFrame(short code, String reason, String detail) {

  /** The refused frame behind a socket failure, or empty when the failure is anything else. */
  static Optional<RefusedFrame> of(Throwable failure) {
    if (failure instanceof CorruptedWebSocketFrameException corrupted) {
      WebSocketCloseStatus status = corrupted.closeStatus();
      return Optional.of(
          new RefusedFrame((short) status.code(), status.reasonText(), corrupted.getMessage()));
    }
    return Optional.empty();
  }

  boolean tooLarge() {
    return code == CloseCode.MESSAGE_TOO_BIG.code();
  }
}

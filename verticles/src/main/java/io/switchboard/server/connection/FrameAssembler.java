package io.switchboard.server.connection;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocketFrame;
import io.vertx.core.internal.buffer.BufferInternal;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Joins the fragments of one WebSocket message, enforces the whole-message size limit and decodes
 * text strictly as UTF-8. Vert.x does neither of the last two on the server: it only reports an
 * oversize message to the exception handler without closing, and it turns invalid UTF-8 into U+FFFD
 * silently. Not thread-safe: one per connection, used on its event loop.
 */
final class FrameAssembler {

  /** What a frame completed. */
  enum Outcome {
    /** A fragment was stored; the message is not complete yet. */
    PARTIAL,
    /** A whole text message; read it with {@link #text()}. */
    TEXT,
    /** A whole binary message; read it with {@link #binary()}. */
    BINARY,
    /** The message passed the size limit; its fragments were discarded. */
    TOO_LARGE,
    /** A whole text message that is not valid UTF-8. */
    INVALID_UTF8,
    /** A control frame (ping, pong, close): nothing to assemble. */
    CONTROL
  }

  private final int maxMessageBytes;
  private final CharsetDecoder utf8 =
      StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT);
  private Buffer fragments;
  private boolean binary;
  private String text;
  private Buffer bytes;

  FrameAssembler(int maxMessageBytes) {
    this.maxMessageBytes = maxMessageBytes;
  }

  Outcome push(WebSocketFrame frame) {
    text = null;
    bytes = null;
    if (frame.isText() || frame.isBinary()) {
      binary = frame.isBinary();
      fragments = null;
    } else if (!frame.isContinuation()) {
      return Outcome.CONTROL;
    }
    Buffer data = frame.binaryData();
    int size = (fragments == null ? 0 : fragments.length()) + data.length();
    if (size > maxMessageBytes) {
      fragments = null;
      return Outcome.TOO_LARGE;
    }
    if (!frame.isFinal()) {
      fragments =
          fragments == null ? Buffer.buffer(size).appendBuffer(data) : fragments.appendBuffer(data);
      return Outcome.PARTIAL;
    }
    Buffer whole = fragments == null ? data : fragments.appendBuffer(data);
    fragments = null;
    if (binary) {
      bytes = whole;
      return Outcome.BINARY;
    }
    try {
      text = utf8.decode(((BufferInternal) whole).getByteBuf().nioBuffer()).toString();
      return Outcome.TEXT;
    } catch (CharacterCodingException e) {
      return Outcome.INVALID_UTF8;
    }
  }

  /** The text of the message the last {@link #push} completed with {@link Outcome#TEXT}. */
  String text() {
    return text;
  }

  /** The bytes of the message the last {@link #push} completed with {@link Outcome#BINARY}. */
  Buffer binary() {
    return bytes;
  }
}

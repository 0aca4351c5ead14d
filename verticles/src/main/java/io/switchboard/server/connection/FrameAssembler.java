package io.switchboard.server.connection;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocketFrame;
import io.vertx.core.internal.buffer.BufferInternal;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Joins the fragments of one WebSocket message, enforces the whole-message size limit and decodes
 * text strictly as UTF-8. Vert.x does neither of the last two on the server: it only reports an
 * oversize message to the exception handler without closing, and it turns invalid UTF-8 into U+FFFD
 * silently. Invalid UTF-8 fails fast: a fragmented message is refused at the fragment that breaks
 * it, not when its last fragment arrives (RFC 6455, section 8.1). Not thread-safe: one per
 * connection, used on its event loop.
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
    /** A text message that is not valid UTF-8, whole or as far as it has arrived. */
    INVALID_UTF8,
    /** A control frame (ping, pong, close): nothing to assemble. */
    CONTROL
  }

  /** Room for what one step of the fail-fast check decodes (and throws away). */
  private static final int SCRATCH_CHARS = 1024;

  private final int maxMessageBytes;
  private final CharsetDecoder utf8 =
      StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT);
  private Buffer fragments;

  /** Of a fragmented text message: the bytes checked as UTF-8 so far. */
  private int checkedBytes;

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
      discardFragments();
      utf8.reset();
    } else if (!frame.isContinuation()) {
      return Outcome.CONTROL;
    }
    Buffer data = frame.binaryData();
    int size = (fragments == null ? 0 : fragments.length()) + data.length();
    if (size > maxMessageBytes) {
      discardFragments();
      return Outcome.TOO_LARGE;
    }
    if (!frame.isFinal()) {
      fragments =
          fragments == null ? Buffer.buffer(size).appendBuffer(data) : fragments.appendBuffer(data);
      if (!binary && !checkFragments()) {
        discardFragments();
        return Outcome.INVALID_UTF8;
      }
      return Outcome.PARTIAL;
    }
    Buffer whole = fragments == null ? data : fragments.appendBuffer(data);
    discardFragments();
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

  private void discardFragments() {
    fragments = null;
    checkedBytes = 0;
  }

  /**
   * Checks the bytes of a text message that arrived since the last check. A character split across
   * fragments is left for the next check, once its remaining bytes are there; the decoded text is
   * not kept, the last fragment decodes the whole message.
   */
  private boolean checkFragments() {
    if (checkedBytes == 0) {
      // A new message: the decoder may still be in the state the last whole message left it in.
      utf8.reset();
    }
    ByteBuffer unchecked =
        ((BufferInternal) fragments)
            .getByteBuf()
            .nioBuffer(checkedBytes, fragments.length() - checkedBytes);
    CharBuffer scratch = CharBuffer.allocate(SCRATCH_CHARS);
    CoderResult result = utf8.decode(unchecked, scratch, false);
    while (result.isOverflow()) {
      scratch.clear();
      result = utf8.decode(unchecked, scratch, false);
    }
    checkedBytes += unchecked.position();
    return !result.isError() && !surrogateStarted(unchecked);
  }

  /**
   * Whether the unfinished character at the end is a UTF-16 surrogate ({@code ED A0}..{@code ED
   * BF}), which no later byte can make valid. The JDK's decoder tells other impossible starts at
   * their second byte, but this one only once all three bytes are there.
   */
  private static boolean surrogateStarted(ByteBuffer tail) {
    int at = tail.position();
    return tail.remaining() >= 2
        && tail.get(at) == (byte) 0xED
        && (tail.get(at + 1) & 0xFF) >= 0xA0;
  }

  /** The text of the message the last {@link #push} completed with {@link Outcome#TEXT}. */
  String text() {
    return text;
  }

  /** How many bytes of an incomplete message are held; never more than the limit. */
  int heldBytes() {
    return fragments == null ? 0 : fragments.length();
  }

  /** The bytes of the message the last {@link #push} completed with {@link Outcome#BINARY}. */
  Buffer binary() {
    return bytes;
  }
}

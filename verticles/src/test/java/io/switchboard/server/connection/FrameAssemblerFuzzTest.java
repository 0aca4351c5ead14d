package io.switchboard.server.connection;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.switchboard.server.connection.FrameAssembler.Outcome;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocketFrame;
import io.vertx.core.http.WebSocketFrameType;
import io.vertx.core.http.impl.ws.WebSocketFrameImpl;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Fuzzes {@link FrameAssembler} with frame sequences read from the input: byte 0 is the limit (1 to
 * 256 bytes); each frame follows as a header byte (bits 0-2: 0 text, 1 binary, 2 continuation, 3
 * ping, 4 pong, 5 close, 6 and 7 text again; bit 3: final), a length byte and that many payload
 * bytes. The assembler never throws and never holds more than the limit. While the sequence is one
 * Netty would deliver (no continuation outside a message, no new message inside one) and the
 * connection would still be open, every outcome is checked against a model of RFC 6455: TEXT only
 * for valid UTF-8 equal to the fragments joined, TOO_LARGE exactly when the limit is passed. Seeds:
 * {@code FrameAssemblerFuzzTestInputs/} beside this class in the test resources.
 */
class FrameAssemblerFuzzTest {

  private enum Kind {
    TEXT,
    BINARY,
    CONTINUATION,
    PING,
    PONG,
    CLOSE
  }

  @FuzzTest
  void assemblesMessagesWithinTheLimit(byte[] input) {
    if (input.length == 0) {
      return;
    }
    int limit = (input[0] & 0xFF) + 1;
    FrameAssembler assembler = new FrameAssembler(limit);
    Model model = new Model(limit);
    ByteBuffer frames = ByteBuffer.wrap(input, 1, input.length - 1);
    while (frames.remaining() >= 2) {
      int header = frames.get() & 0xFF;
      byte[] payload = new byte[Math.min(frames.get() & 0xFF, frames.remaining())];
      frames.get(payload);
      Kind kind = Kind.values()[(header & 0x7) % Kind.values().length];
      boolean fin = (header & 0x8) != 0;

      Outcome outcome = assembler.push(frame(kind, payload, fin));

      assertThat(assembler.heldBytes()).isBetween(0, limit);
      model.check(kind, payload, fin, outcome, assembler);
    }
  }

  private static WebSocketFrame frame(Kind kind, byte[] payload, boolean fin) {
    // Vert.x's public factory only makes text frames from a String, so always valid UTF-8; the
    // wire can carry any bytes, as this constructor can.
    return switch (kind) {
      case TEXT -> new WebSocketFrameImpl(WebSocketFrameType.TEXT, payload, fin);
      case BINARY -> WebSocketFrame.binaryFrame(Buffer.buffer(payload), fin);
      case CONTINUATION -> WebSocketFrame.continuationFrame(Buffer.buffer(payload), fin);
      case PING -> WebSocketFrame.pingFrame(Buffer.buffer(payload));
      case PONG -> WebSocketFrame.pongFrame(Buffer.buffer(payload));
      case CLOSE -> new WebSocketFrameImpl(WebSocketFrameType.CLOSE, payload, true);
    };
  }

  /** RFC 6455's fragmentation with a limit on the whole message, stated independently. */
  private static final class Model {

    private final int limit;
    private ByteArrayOutputStream message;
    private boolean binary;
    private boolean checking = true;

    Model(int limit) {
      this.limit = limit;
    }

    void check(Kind kind, byte[] payload, boolean fin, Outcome outcome, FrameAssembler assembler) {
      if (!checking) {
        return;
      }
      if (kind == Kind.PING || kind == Kind.PONG || kind == Kind.CLOSE) {
        assertThat(outcome).isEqualTo(Outcome.CONTROL);
        assertThat(assembler.heldBytes()).isEqualTo(message == null ? 0 : message.size());
        return;
      }
      if ((kind == Kind.CONTINUATION) != (message != null)) {
        checking = false; // Netty closes the connection before such a frame reaches us
        return;
      }
      if (message == null) {
        message = new ByteArrayOutputStream();
        binary = kind == Kind.BINARY;
      }
      message.writeBytes(payload);
      if (message.size() > limit) {
        assertThat(outcome).isEqualTo(Outcome.TOO_LARGE);
        assertThat(assembler.heldBytes()).isZero();
        checking = false; // the connection closes with 1009
        return;
      }
      if (!fin) {
        if (!binary && !isUtf8Prefix(message.toByteArray())) {
          // Fail fast (RFC 6455, section 8.1): the fragment that breaks the text ends it.
          assertThat(outcome).isEqualTo(Outcome.INVALID_UTF8);
          assertThat(assembler.heldBytes()).isZero();
          checking = false; // the connection closes with 1007
          return;
        }
        assertThat(outcome).isEqualTo(Outcome.PARTIAL);
        assertThat(assembler.heldBytes()).isEqualTo(message.size());
        return;
      }
      byte[] whole = message.toByteArray();
      message = null;
      assertThat(assembler.heldBytes()).isZero();
      if (binary) {
        assertThat(outcome).isEqualTo(Outcome.BINARY);
      } else if (isUtf8(whole)) {
        assertThat(outcome).isEqualTo(Outcome.TEXT);
        assertThat(assembler.text()).isEqualTo(new String(whole, StandardCharsets.UTF_8));
      } else {
        assertThat(outcome).isEqualTo(Outcome.INVALID_UTF8);
        checking = false; // the connection closes with 1007
      }
    }

    /** Continuation bytes at the edges of every range a UTF-8 second byte may be restricted to. */
    private static final byte[] CONTINUATIONS = {
      (byte) 0x80, (byte) 0x8F, (byte) 0x90, (byte) 0x9F, (byte) 0xA0, (byte) 0xBF
    };

    /**
     * Whether the bytes are valid UTF-8 so far: valid, or valid up to an unfinished last character
     * that some continuation bytes would complete (tried at the edges of the allowed ranges, which
     * is enough since the rules restrict them by range).
     */
    private static boolean isUtf8Prefix(byte[] bytes) {
      for (int missing = 0; missing <= 3; missing++) {
        if (completes(bytes, missing, new byte[0])) {
          return true;
        }
      }
      return false;
    }

    private static boolean completes(byte[] bytes, int missing, byte[] suffix) {
      if (suffix.length == missing) {
        byte[] whole = Arrays.copyOf(bytes, bytes.length + suffix.length);
        System.arraycopy(suffix, 0, whole, bytes.length, suffix.length);
        return isUtf8(whole);
      }
      for (byte next : CONTINUATIONS) {
        byte[] longer = Arrays.copyOf(suffix, suffix.length + 1);
        longer[suffix.length] = next;
        if (completes(bytes, missing, longer)) {
          return true;
        }
      }
      return false;
    }

    /** Decoding replaces every malformed sequence, so only valid UTF-8 survives a round trip. */
    private static boolean isUtf8(byte[] bytes) {
      return Arrays.equals(
          new String(bytes, StandardCharsets.UTF_8).getBytes(StandardCharsets.UTF_8), bytes);
    }
  }
}

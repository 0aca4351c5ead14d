package io.switchboard.server.hostile;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * WebSocket frames as bytes, any of their bits as given: for frames no library would send
 * (unmasked, reserved bits, reserved opcodes, lengths that lie). {@link #toString()} names the
 * frame for test reports.
 */
final class RawFrame {

  static final int CONTINUATION = 0x0;
  static final int TEXT = 0x1;
  static final int BINARY = 0x2;
  static final int CLOSE = 0x8;
  static final int PING = 0x9;
  static final int PONG = 0xA;

  private static final byte[] MASK = {0x12, 0x34, 0x56, 0x78};

  private final byte[] bytes;
  private final String label;

  private RawFrame(byte[] bytes, String label) {
    this.bytes = bytes;
    this.label = label;
  }

  /** A masked frame, as a client must send. */
  static RawFrame of(int opcode, boolean fin, byte[] payload) {
    return build(fin, 0, opcode, true, payload, payload.length, name(opcode, fin, payload));
  }

  static RawFrame text(String text) {
    return of(TEXT, true, text.getBytes(StandardCharsets.UTF_8));
  }

  /** A frame with reserved bits set ({@code rsv}: 4 for RSV1, 2 for RSV2, 1 for RSV3). */
  static RawFrame reserved(int rsv, int opcode, byte[] payload) {
    return build(
        true,
        rsv,
        opcode,
        true,
        payload,
        payload.length,
        "RSV " + rsv + " " + name(opcode, true, payload));
  }

  static RawFrame unmasked(int opcode, byte[] payload) {
    return build(
        true, 0, opcode, false, payload, payload.length, "unmasked " + name(opcode, true, payload));
  }

  /** Only the header of a masked frame declaring {@code length} bytes; no payload follows. */
  static RawFrame declaring(int opcode, long length) {
    return build(
        true, 0, opcode, true, new byte[0], length, "header declaring " + length + " bytes");
  }

  /**
   * A masked frame whose length is written in the 16-bit ({@code lengthBytes} 2) or 64-bit (8)
   * form, however short the payload: not the minimal encoding RFC 6455 requires.
   */
  static RawFrame longForm(int opcode, byte[] payload, int lengthBytes) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(0x80 | opcode);
    out.write(0x80 | (lengthBytes == 2 ? 126 : 127));
    for (int shift = 8 * (lengthBytes - 1); shift >= 0; shift -= 8) {
      out.write((int) ((long) payload.length >> shift));
    }
    out.writeBytes(MASK);
    for (int i = 0; i < payload.length; i++) {
      out.write(payload[i] ^ MASK[i % 4]);
    }
    return new RawFrame(
        out.toByteArray(),
        name(opcode, true, payload) + ", its length in " + lengthBytes + " bytes");
  }

  /** A close frame with this code and reason. */
  static RawFrame close(int code, byte[] reason) {
    ByteBuffer payload = ByteBuffer.allocate(2 + reason.length);
    payload.putShort((short) code).put(reason);
    return build(true, 0, CLOSE, true, payload.array(), 2 + reason.length, "close " + code);
  }

  byte[] bytes() {
    return bytes;
  }

  private static RawFrame build(
      boolean fin, int rsv, int opcode, boolean mask, byte[] payload, long length, String label) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write((fin ? 0x80 : 0) | (rsv << 4) | opcode);
    int maskBit = mask ? 0x80 : 0;
    if (length >= 0 && length < 126) {
      out.write(maskBit | (int) length);
    } else if (length >= 0 && length < 65536) {
      out.write(maskBit | 126);
      out.write((int) (length >> 8));
      out.write((int) length);
    } else {
      out.write(maskBit | 127);
      for (int shift = 56; shift >= 0; shift -= 8) {
        out.write((int) (length >> shift));
      }
    }
    if (mask) {
      out.writeBytes(MASK);
    }
    for (int i = 0; i < payload.length; i++) {
      out.write(mask ? payload[i] ^ MASK[i % 4] : payload[i]);
    }
    return new RawFrame(out.toByteArray(), label);
  }

  private static String name(int opcode, boolean fin, byte[] payload) {
    String type =
        switch (opcode) {
          case CONTINUATION -> "continuation";
          case TEXT -> "text";
          case BINARY -> "binary";
          case CLOSE -> "close";
          case PING -> "ping";
          case PONG -> "pong";
          default -> "opcode 0x" + Integer.toHexString(opcode);
        };
    return type + (fin ? "" : " (not final)") + " of " + payload.length + " bytes";
  }

  @Override
  public String toString() {
    return label;
  }
}

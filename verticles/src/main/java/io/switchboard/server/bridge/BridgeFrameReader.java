package io.switchboard.server.bridge;

import io.vertx.core.buffer.Buffer;

/**
 * Cuts the bytes of one bridge connection into frames (a 4-byte big-endian length, then that many
 * bytes), holding at most one incomplete frame: a length beyond {@code maxFrameBytes} is reported
 * as soon as its four bytes are in, without waiting for (or keeping) what follows, and the reader
 * then stops.
 */
final class BridgeFrameReader {

  /** What the reader found. */
  interface Frames {

    /** A whole frame: its bytes without the length prefix. */
    void frame(Buffer json);

    /** A frame announced {@code announced} bytes (read unsigned), more than the maximum. */
    void tooLarge(long announced);
  }

  private final int maxFrameBytes;
  private final Frames frames;
  private Buffer pending = Buffer.buffer();
  private boolean stopped;

  BridgeFrameReader(int maxFrameBytes, Frames frames) {
    this.maxFrameBytes = maxFrameBytes;
    this.frames = frames;
  }

  /** Takes the next bytes read from the socket. */
  void feed(Buffer data) {
    if (stopped) {
      return;
    }
    pending.appendBuffer(data);
    int offset = 0;
    while (!stopped && pending.length() - offset >= BridgeFrames.PREFIX) {
      int length = pending.getInt(offset);
      if (length < 0 || length > maxFrameBytes) {
        stop();
        frames.tooLarge(Integer.toUnsignedLong(length));
        return;
      }
      int end = offset + BridgeFrames.PREFIX + length;
      if (pending.length() < end) {
        break;
      }
      Buffer json = pending.getBuffer(offset + BridgeFrames.PREFIX, end);
      offset = end;
      frames.frame(json);
    }
    if (!stopped && offset > 0) {
      pending = pending.getBuffer(offset, pending.length());
    }
  }

  /** Reads nothing more, and lets go of what it holds. */
  void stop() {
    stopped = true;
    pending = Buffer.buffer();
  }

  /** Bytes held: the start of a frame not yet whole. */
  int heldBytes() {
    return pending.length();
  }
}

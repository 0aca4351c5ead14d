package io.switchboard.server.connection;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;

/**
 * Complete WebSocket text frames, header included, in direct memory. A server frame is unmasked, so
 * its bytes are the same for every socket: a message is framed once per connection instance and
 * each socket gets a duplicate of that one buffer (shared memory, own read index). Written below
 * the WebSocket encoder, such a buffer is neither re-encoded nor copied per socket, which the
 * encoder and the heap-to-direct copy of the socket write would otherwise both do.
 */
final class WireFrames {

  private static final int FIN_TEXT = 0x81;

  private WireFrames() {}

  /**
   * A ping frame with an 8-byte payload (the time it was sent); the caller owns it. Pings go out
   * pre-framed like everything else, so every write this server makes reaches the WebSocket encoder
   * as a plain buffer: mixing in Vert.x frame objects makes that encoder's hot path polymorphic,
   * which profiles showed costing a fifth of the fan-out CPU after the first heartbeat.
   */
  static ByteBuf ping(ByteBufAllocator allocator, long payload) {
    return allocator.directBuffer(10).writeByte(0x89).writeByte(8).writeLong(payload);
  }

  /** A final, unmasked text frame holding {@code json}; the caller owns (and releases) it. */
  static ByteBuf text(ByteBufAllocator allocator, Buffer json) {
    ByteBuf payload = ((BufferInternal) json).getByteBuf();
    int length = payload.readableBytes();
    int header = length < 126 ? 2 : length < 65_536 ? 4 : 10;
    ByteBuf frame = allocator.directBuffer(header + length);
    frame.writeByte(FIN_TEXT);
    if (length < 126) {
      frame.writeByte(length);
    } else if (length < 65_536) {
      frame.writeByte(126).writeShort(length);
    } else {
      frame.writeByte(127).writeLong(length);
    }
    return frame.writeBytes(payload);
  }
}

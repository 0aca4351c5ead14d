package io.switchboard.bench.bare;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.internal.http.WebSocketInternal;
import java.util.ArrayList;
import java.util.List;

/**
 * One client socket of the bare server, written to under its flush policy. Like Switchboard, a
 * socket with more than {@link BareVerticle#MAX_WRITE_QUEUE_BYTES} waiting is closed as a slow
 * consumer (4002) rather than buffered without bound.
 */
final class BareSocket {

  static final short SLOW_CONSUMER = 4002;

  final ServerWebSocket ws;
  final List<String> channels = new ArrayList<>(1);
  private final ChannelHandlerContext netty;
  private final Coalescer coalescer;
  private boolean dirty;
  private boolean closing;

  /**
   * @param coalescer the event loop's coalescer; null to flush every frame
   */
  BareSocket(ServerWebSocket ws, Coalescer coalescer) {
    this.ws = ws;
    this.coalescer = coalescer;
    this.netty = ((WebSocketInternal) ws).channelHandlerContext();
  }

  /**
   * Writes a duplicate of a complete WebSocket frame that any number of sockets share: flushed at
   * once, or (coalescing) flushed by the coalescer at the end of the event-loop turn.
   */
  void write(ByteBuf wire) {
    if (closing) {
      return;
    }
    if (!netty.channel().isWritable()) {
      if (dirty) {
        netty.flush();
      }
      if (!netty.channel().isWritable()) {
        if (netty.channel().isActive()) {
          slowConsumer();
        }
        return;
      }
    }
    if (coalescer == null) {
      netty.writeAndFlush(wire.retainedDuplicate(), netty.voidPromise());
      return;
    }
    netty.write(wire.retainedDuplicate(), netty.voidPromise());
    if (!dirty) {
      dirty = true;
      coalescer.flushLater(this);
    }
  }

  /** Flushes what {@link #write} left unflushed; called by the coalescer on the event loop. */
  void flush() {
    dirty = false;
    netty.flush();
  }

  private void slowConsumer() {
    closing = true;
    ws.close(SLOW_CONSUMER, "slow consumer");
  }
}

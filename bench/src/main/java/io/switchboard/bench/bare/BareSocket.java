package io.switchboard.bench.bare;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.WebSocketFrameType;
import io.vertx.core.http.impl.ws.WebSocketFrameImpl;
import io.vertx.core.internal.buffer.BufferInternal;
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
    this.netty = coalescer == null ? null : ((WebSocketInternal) ws).channelHandlerContext();
  }

  /** Writes a frame that any number of sockets share. */
  void write(Buffer frame) {
    if (closing) {
      return;
    }
    if (coalescer == null) {
      if (ws.writeQueueFull()) {
        slowConsumer();
        return;
      }
      // A fresh slice per socket over the one encoded buffer: no copy, no re-encoding.
      ws.writeFrame(
          new WebSocketFrameImpl(
              WebSocketFrameType.TEXT, ((BufferInternal) frame).getByteBuf(), true));
      return;
    }
    ChannelOutboundBuffer pending = netty.channel().unsafe().outboundBuffer();
    if (pending != null && pending.totalPendingWriteBytes() > BareVerticle.MAX_WRITE_QUEUE_BYTES) {
      slowConsumer();
      return;
    }
    netty.write(
        new TextWebSocketFrame(true, 0, ((BufferInternal) frame).getByteBuf()),
        netty.voidPromise());
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

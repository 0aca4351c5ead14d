package io.switchboard.server.connection;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoop;
import io.switchboard.server.config.FlushPolicy;
import java.util.ArrayList;
import java.util.List;

/**
 * One connection instance's writer: puts pre-framed buffers on sockets and flushes them by the
 * configured policy. Per message, each write is flushed at once. Coalescing, a socket written to is
 * flushed once at the end of the event-loop turn (a task queued behind the deliveries already
 * waiting), or earlier when the oldest unflushed write is older than the delay bound, checked after
 * each delivery. Used on the instance's event loop only.
 */
final class Outbound {

  /** What the writer needs of a socket: {@link ClientConnection} in the server. */
  interface Socket {

    /** The socket's place in its Netty pipeline, where its frames are written. */
    ChannelHandlerContext netty();

    /** Whether the socket was written to since its last flush (coalescing only). */
    boolean unflushed();

    void unflushed(boolean unflushed);
  }

  private final FlushPolicy policy;
  private final long maxDelayNanos;
  private final EventLoop eventLoop;
  private final Runnable flushTask = this::flushAll;
  private List<Socket> dirty = new ArrayList<>();
  private List<Socket> spare = new ArrayList<>();
  private long oldestUnflushedAt;

  Outbound(FlushPolicy policy, long maxDelayMicros, EventLoop eventLoop) {
    this.policy = policy;
    this.maxDelayNanos = maxDelayMicros * 1_000;
    this.eventLoop = eventLoop;
  }

  /** Writes a duplicate of {@code frame} (the caller keeps its own reference) to one socket. */
  void write(Socket socket, ByteBuf frame) {
    writeOwned(socket, frame.retainedDuplicate());
  }

  /** Writes {@code frame}, handing it over: the socket releases it once written. */
  void writeOwned(Socket socket, ByteBuf frame) {
    ChannelHandlerContext netty = socket.netty();
    if (policy == FlushPolicy.PER_MESSAGE) {
      netty.writeAndFlush(frame, netty.voidPromise());
      return;
    }
    netty.write(frame, netty.voidPromise());
    if (!socket.unflushed()) {
      flushLater(socket);
    }
  }

  /** Whether every write is flushed at once (per-message policy). */
  boolean flushesEachWrite() {
    return policy == FlushPolicy.PER_MESSAGE;
  }

  /** Marks a socket written to but not flushed; it is flushed with the others of this turn. */
  void flushLater(Socket socket) {
    socket.unflushed(true);
    if (dirty.isEmpty()) {
      oldestUnflushedAt = System.nanoTime();
      eventLoop.execute(flushTask);
    }
    dirty.add(socket);
  }

  /** After a delivery: flushes now if the oldest unflushed write has waited too long. */
  void delivered() {
    if (!dirty.isEmpty() && System.nanoTime() - oldestUnflushedAt > maxDelayNanos) {
      flushAll();
    }
  }

  private void flushAll() {
    List<Socket> flushing = dirty;
    dirty = spare;
    for (Socket socket : flushing) {
      socket.unflushed(false);
      socket.netty().flush();
    }
    flushing.clear();
    spare = flushing;
  }
}

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

  private final FlushPolicy policy;
  private final long maxDelayNanos;
  private final EventLoop eventLoop;
  private final Runnable flushTask = this::flushAll;
  private List<ClientConnection> dirty = new ArrayList<>();
  private List<ClientConnection> spare = new ArrayList<>();
  private long oldestUnflushedAt;

  Outbound(FlushPolicy policy, long maxDelayMicros, EventLoop eventLoop) {
    this.policy = policy;
    this.maxDelayNanos = maxDelayMicros * 1_000;
    this.eventLoop = eventLoop;
  }

  /** Writes a duplicate of {@code frame} (the caller keeps its own reference) to one socket. */
  void write(ClientConnection connection, ByteBuf frame) {
    writeOwned(connection, frame.retainedDuplicate());
  }

  /** Writes {@code frame}, handing it over: the socket releases it once written. */
  void writeOwned(ClientConnection connection, ByteBuf frame) {
    ChannelHandlerContext netty = connection.netty;
    if (policy == FlushPolicy.PER_MESSAGE) {
      netty.writeAndFlush(frame, netty.voidPromise());
      return;
    }
    netty.write(frame, netty.voidPromise());
    if (!connection.unflushed) {
      flushLater(connection);
    }
  }

  /** Whether every write is flushed at once (per-message policy). */
  boolean flushesEachWrite() {
    return policy == FlushPolicy.PER_MESSAGE;
  }

  /** Marks a socket written to but not flushed; it is flushed with the others of this turn. */
  void flushLater(ClientConnection connection) {
    connection.unflushed = true;
    if (dirty.isEmpty()) {
      oldestUnflushedAt = System.nanoTime();
      eventLoop.execute(flushTask);
    }
    dirty.add(connection);
  }

  /** After a delivery: flushes now if the oldest unflushed write has waited too long. */
  void delivered() {
    if (!dirty.isEmpty() && System.nanoTime() - oldestUnflushedAt > maxDelayNanos) {
      flushAll();
    }
  }

  private void flushAll() {
    List<ClientConnection> flushing = dirty;
    dirty = spare;
    for (ClientConnection connection : flushing) {
      connection.unflushed = false;
      connection.netty.flush();
    }
    flushing.clear();
    spare = flushing;
  }
}

package io.switchboard.server.connection;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.switchboard.server.config.FlushPolicy;
import io.switchboard.server.testing.Await;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The writer's flush policies on Netty's {@link EmbeddedChannel}s: what a socket has flushed is
 * what its channel holds as outbound messages. The writer's event loop is that of a channel of its
 * own, which runs the tasks queued on it (the end of the event-loop turn) only when the test says
 * so.
 */
class OutboundTest {

  private final EmbeddedChannel turn = new EmbeddedChannel();
  private final List<Socket> sockets = new ArrayList<>();

  @AfterEach
  void releaseWhatWasWritten() {
    sockets.forEach(socket -> socket.channel.finishAndReleaseAll());
    turn.finishAndReleaseAll();
  }

  @Test
  void perMessageFlushesEveryWriteAtOnce() {
    Socket a = socket();
    Outbound outbound = new Outbound(FlushPolicy.PER_MESSAGE, 1_000_000, turn.eventLoop());

    outbound.writeOwned(a, frame("one"));
    outbound.writeOwned(a, frame("two"));
    outbound.write(a, frame("three"));

    assertThat(outbound.flushesEachWrite()).isTrue();
    assertThat(a.flushes).isEqualTo(3);
    assertThat(a.sent()).containsExactly("one", "two", "three");
    turn.runPendingTasks();
    assertThat(a.flushes).as("nothing left for the end of the turn").isEqualTo(3);
    assertThat(a.unflushed()).isFalse();
  }

  @Test
  void coalescingFlushesEachSocketOnceAtTheEndOfTheTurn() {
    Socket a = socket();
    Socket b = socket();
    Outbound outbound = new Outbound(FlushPolicy.COALESCE, 1_000_000, turn.eventLoop());

    outbound.writeOwned(a, frame("a1"));
    outbound.writeOwned(b, frame("b1"));
    outbound.writeOwned(a, frame("a2"));
    outbound.write(a, frame("a3"));
    outbound.delivered();

    assertThat(outbound.flushesEachWrite()).isFalse();
    assertThat(a.flushes + b.flushes).as("flushes within the turn").isZero();
    assertThat(a.sent()).isEmpty();
    assertThat(a.unflushed()).isTrue();
    assertThat(b.unflushed()).isTrue();

    turn.runPendingTasks();

    assertThat(a.flushes).isEqualTo(1);
    assertThat(b.flushes).isEqualTo(1);
    assertThat(a.sent()).containsExactly("a1", "a2", "a3");
    assertThat(b.sent()).containsExactly("b1");
    assertThat(a.unflushed()).isFalse();
    assertThat(b.unflushed()).isFalse();
  }

  @Test
  void aWriteAfterTheFlushWaitsForTheNextTurn() {
    Socket a = socket();
    Outbound outbound = new Outbound(FlushPolicy.COALESCE, 1_000_000, turn.eventLoop());
    outbound.writeOwned(a, frame("first"));
    turn.runPendingTasks();

    outbound.writeOwned(a, frame("second"));

    assertThat(a.sent()).containsExactly("first");
    turn.runPendingTasks();
    assertThat(a.sent()).containsExactly("first", "second");
    assertThat(a.flushes).isEqualTo(2);
  }

  @Test
  void aSocketMarkedByItsOwnWriteIsFlushedWithTheOthers() {
    // ClientConnection.deliver writes to the pipeline itself, then asks for the flush.
    Socket a = socket();
    Outbound outbound = new Outbound(FlushPolicy.COALESCE, 1_000_000, turn.eventLoop());
    a.netty().write(frame("delivered"), a.netty().voidPromise());

    outbound.flushLater(a);

    assertThat(a.sent()).isEmpty();
    turn.runPendingTasks();
    assertThat(a.sent()).containsExactly("delivered");
    assertThat(a.flushes).isEqualTo(1);
  }

  @Test
  void aTurnThatHeldWritesPastTheDelayBoundFlushesAfterTheDelivery() {
    Socket a = socket();
    Socket b = socket();
    Outbound outbound = new Outbound(FlushPolicy.COALESCE, 1, turn.eventLoop());
    outbound.writeOwned(a, frame("a1"));
    outbound.writeOwned(b, frame("b1"));
    long written = System.nanoTime();
    Await.until("the 1 µs bound has passed", () -> System.nanoTime() - written > 1_000);

    outbound.delivered();

    assertThat(a.sent()).containsExactly("a1");
    assertThat(b.sent()).containsExactly("b1");
    assertThat(a.unflushed()).isFalse();
    turn.runPendingTasks();
    assertThat(a.flushes + b.flushes).as("the end of the turn has nothing left").isEqualTo(2);
  }

  @Test
  void withinTheDelayBoundADeliveryDoesNotFlush() {
    Socket a = socket();
    Outbound outbound = new Outbound(FlushPolicy.COALESCE, 60_000_000, turn.eventLoop());
    outbound.writeOwned(a, frame("a1"));

    outbound.delivered();

    assertThat(a.sent()).isEmpty();
    turn.runPendingTasks();
    assertThat(a.sent()).containsExactly("a1");
  }

  @Test
  void writeKeepsTheCallersReferenceAndWriteOwnedHandsItsOver() {
    Socket a = socket();
    Outbound outbound = new Outbound(FlushPolicy.PER_MESSAGE, 0, turn.eventLoop());
    ByteBuf shared = frame("shared");
    ByteBuf owned = frame("owned");

    outbound.write(a, shared);
    outbound.writeOwned(a, owned);
    a.sent(); // the network takes them: reads and releases what was flushed

    assertThat(shared.refCnt()).as("the caller's reference").isEqualTo(1);
    assertThat(owned.refCnt()).isZero();
    shared.release();
  }

  /**
   * A socket: an embedded channel whose pipeline counts flushes; its frames are written through the
   * context of the handler at the end, as Switchboard writes below Vert.x's WebSocket handler.
   */
  private static final class Socket implements Outbound.Socket {
    final EmbeddedChannel channel;
    final ChannelHandlerContext context;
    final List<String> sent = new ArrayList<>();
    int flushes;
    boolean unflushed;

    Socket() {
      channel =
          new EmbeddedChannel(
              new ChannelOutboundHandlerAdapter() {
                @Override
                public void flush(ChannelHandlerContext ctx) {
                  flushes++;
                  ctx.flush();
                }
              },
              new ChannelInboundHandlerAdapter());
      context = channel.pipeline().lastContext();
    }

    @Override
    public ChannelHandlerContext netty() {
      return context;
    }

    @Override
    public boolean unflushed() {
      return unflushed;
    }

    @Override
    public void unflushed(boolean unflushed) {
      this.unflushed = unflushed;
    }

    /** Everything flushed to the network so far, in order (taken off the channel and released). */
    List<String> sent() {
      for (ByteBuf frame = channel.readOutbound(); frame != null; frame = channel.readOutbound()) {
        sent.add(frame.toString(StandardCharsets.UTF_8));
        frame.release();
      }
      return List.copyOf(sent);
    }
  }

  private Socket socket() {
    Socket socket = new Socket();
    sockets.add(socket);
    return socket;
  }

  private static ByteBuf frame(String text) {
    return Unpooled.directBuffer().writeBytes(text.getBytes(StandardCharsets.UTF_8));
  }
}

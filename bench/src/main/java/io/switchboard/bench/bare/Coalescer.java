package io.switchboard.bench.bare;

import io.netty.util.concurrent.EventExecutor;
import java.util.ArrayList;
import java.util.List;

/**
 * Flushes, once per event-loop turn, every socket written to during the turn. The first write of a
 * turn queues one flush task behind the work the event loop already has, so every frame written
 * until then goes out in the same flush. Confined to one event loop.
 */
final class Coalescer {

  /** The same cap as Switchboard's default {@code ws.coalesceMaxDelayUs}. */
  static final long MAX_DELAY_NANOS = 10_000_000;

  private final EventExecutor eventLoop;
  private final Runnable flushAll = this::flushAll;
  private long oldestAt;
  private List<BareSocket> dirty = new ArrayList<>();
  private List<BareSocket> spare = new ArrayList<>();

  Coalescer(EventExecutor eventLoop) {
    this.eventLoop = eventLoop;
  }

  void flushLater(BareSocket socket) {
    if (dirty.isEmpty()) {
      oldestAt = System.nanoTime();
      eventLoop.execute(flushAll);
    }
    dirty.add(socket);
  }

  /** After a delivery: flushes now when the oldest unflushed write has waited past the cap. */
  void delivered() {
    if (!dirty.isEmpty() && System.nanoTime() - oldestAt > MAX_DELAY_NANOS) {
      flushAll();
    }
  }

  private void flushAll() {
    List<BareSocket> flushing = dirty;
    dirty = spare;
    for (BareSocket socket : flushing) {
      socket.flush();
    }
    flushing.clear();
    spare = flushing;
  }
}

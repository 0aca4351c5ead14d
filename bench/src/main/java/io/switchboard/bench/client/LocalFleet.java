package io.switchboard.bench.client;

import io.switchboard.bench.report.Histograms;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.HdrHistogram.Histogram;

/**
 * A fleet opened in this process: one WebSocket client per source address, at most {@link
 * FleetSpec#concurrency()} connections in set-up at once, each given {@link #SETUP_TIMEOUT_MS} to
 * be welcomed and joined.
 */
public final class LocalFleet implements Fleet {

  /** How long one connection may take from the upgrade request to ready. */
  public static final long SETUP_TIMEOUT_MS = 30_000;

  /** How often each connection sends its wire's keep-alive, if it has one. */
  public static final long KEEP_ALIVE_MS = 60_000;

  /** Keep-alives go out in slices every second, never as one burst. */
  private static final long KEEP_ALIVE_TICK_MS = 1_000;

  /** Poll interval while waiting for the deliveries to drain. */
  private static final long DRAIN_POLL_MS = 20;

  private final Vertx vertx;
  private final FleetSpec spec;
  private final Wire wire;
  private final FleetCounters counters = new FleetCounters();
  private final BenchSocket[] sockets;
  private final List<WebSocketClient> clients = new ArrayList<>();
  private final AtomicInteger launched = new AtomicInteger();
  private final AtomicInteger settled = new AtomicInteger();
  private final AtomicInteger failed = new AtomicInteger();
  private volatile String firstFailure;
  private long openStartedNanos;
  private long keepAliveTimer = -1;
  private int keepAliveCursor;

  public LocalFleet(Vertx vertx, FleetSpec spec) {
    this.vertx = vertx;
    this.spec = spec;
    this.wire = Wire.named(spec.wire());
    this.sockets = new BenchSocket[spec.count()];
    int addresses = Math.min(spec.sourceAddresses(), Math.max(1, spec.count()));
    for (int i = 0; i < addresses; i++) {
      clients.add(vertx.createWebSocketClient(clientOptions(sourceAddress(spec.first() + i))));
    }
  }

  /** Source address of connection {@code g}: 127.0.0.1 to 127.0.0.N. */
  String sourceAddress(int g) {
    return "127.0.0." + (1 + g % spec.sourceAddresses());
  }

  private static WebSocketClientOptions clientOptions(String localAddress) {
    return new WebSocketClientOptions()
        .setLocalAddress(localAddress)
        .setMaxConnections(Integer.MAX_VALUE)
        .setConnectTimeout((int) SETUP_TIMEOUT_MS)
        .setTryUsePerFrameCompression(false)
        .setTryUsePerMessageCompression(false)
        .setMaxFrameSize(1 << 20)
        .setMaxMessageSize(1 << 20);
  }

  @Override
  public Future<Void> warmUp(int connections) {
    if (connections == 0) {
      return Future.succeededFuture();
    }
    LocalFleet warmUp =
        new LocalFleet(
            vertx,
            new FleetSpec(
                spec.host(),
                spec.ports(),
                spec.wire(),
                spec.first(),
                connections,
                0,
                "",
                1,
                spec.sourceAddresses(),
                spec.concurrency()));
    return warmUp.open().transform(done -> warmUp.close());
  }

  @Override
  public Future<Opened> open() {
    Promise<Opened> opened = Promise.promise();
    openStartedNanos = System.nanoTime();
    if (spec.count() == 0) {
      opened.complete(new Opened(0, 0, Histograms.create(), 0, null));
      return opened.future();
    }
    int window = Math.min(spec.concurrency(), spec.count());
    for (int i = 0; i < window; i++) {
      launchNext(opened);
    }
    return opened.future();
  }

  private void launchNext(Promise<Opened> opened) {
    int i = launched.getAndIncrement();
    if (i >= sockets.length) {
      return;
    }
    int g = spec.first() + i;
    BenchSocket socket =
        new BenchSocket(counters, wire, spec.channelOf(g), spec.channelIndexOf(g), spec.sampled(g));
    sockets[i] = socket;
    long timer =
        vertx.setTimer(
            SETUP_TIMEOUT_MS,
            t -> socket.ready().tryFail("not ready within " + SETUP_TIMEOUT_MS + " ms"));
    socket
        .ready()
        .future()
        .onComplete(
            (ok, failure) -> {
              vertx.cancelTimer(timer);
              if (failure != null) {
                failed.incrementAndGet();
                if (firstFailure == null) {
                  firstFailure = "connection " + g + ": " + failure.getMessage();
                }
              }
              if (settled.incrementAndGet() == sockets.length) {
                startKeepAlives();
                opened.complete(
                    new Opened(
                        sockets.length - failed.get(),
                        failed.get(),
                        counters.setupMicros.getIntervalHistogram(),
                        System.nanoTime() - openStartedNanos,
                        firstFailure));
              } else {
                launchNext(opened);
              }
            });
    socket.connect(clients.get(i % clients.size()), spec.host(), spec.portOf(g));
  }

  private void startKeepAlives() {
    String keepAlive = wire.keepAlive();
    if (keepAlive == null) {
      return;
    }
    int slice = (int) Math.max(1, sockets.length * KEEP_ALIVE_TICK_MS / KEEP_ALIVE_MS + 1);
    keepAliveTimer =
        vertx.setPeriodic(
            KEEP_ALIVE_TICK_MS,
            t -> {
              for (int n = 0; n < slice; n++) {
                BenchSocket socket = sockets[keepAliveCursor];
                keepAliveCursor = (keepAliveCursor + 1) % sockets.length;
                if (socket.isReady()) {
                  socket.send(keepAlive);
                }
              }
            });
  }

  /** Sends a text frame on connection {@code i} of this fleet (publishers use this). */
  public void send(int i, String text) {
    sockets[i].send(text);
  }

  public int size() {
    return sockets.length;
  }

  @Override
  public long delivered() {
    return counters.delivered.sum();
  }

  @Override
  public int settled() {
    return settled.get();
  }

  @Override
  public Future<Void> measureFrom(long nanos) {
    counters.measureFromNanos = nanos;
    return Future.succeededFuture();
  }

  @Override
  public Future<Finished> finish(long[] published, long drainMillis) {
    long due = 0;
    for (BenchSocket socket : sockets) {
      if (socket != null && socket.isReady() && socket.channelIndex() >= 0) {
        due += published[socket.channelIndex()];
      }
    }
    long expected = due;
    Promise<Finished> finished = Promise.promise();
    long stallNanos = drainMillis * 1_000_000;
    long[] progress = {counters.unique.sum(), System.nanoTime()};
    vertx.setPeriodic(
        DRAIN_POLL_MS,
        timer -> {
          long now = System.nanoTime();
          long unique = counters.unique.sum();
          if (unique > progress[0]) {
            progress[0] = unique;
            progress[1] = now;
          }
          if (unique >= expected || now - progress[1] > stallNanos) {
            vertx.cancelTimer(timer);
            finished.complete(account(published, expected));
          }
        });
    return finished.future();
  }

  /**
   * Reads every socket's counters: the drain poll's read of a shared adder orders it after them.
   */
  private Finished account(long[] published, long expected) {
    long unique = 0;
    long duplicates = 0;
    long lost = 0;
    long measured = 0;
    long last = 0;
    for (BenchSocket socket : sockets) {
      if (socket == null || !socket.isReady() || socket.channelIndex() < 0) {
        continue;
      }
      unique += socket.unique;
      duplicates += socket.duplicates;
      lost += Math.max(0, published[socket.channelIndex()] - socket.unique);
      measured += socket.measured;
      last = Math.max(last, socket.lastMeasuredNanos);
    }
    Histogram latency = counters.latencyMicros.getIntervalHistogram();
    return new Finished(
        expected,
        unique,
        duplicates,
        lost,
        measured,
        last,
        latency,
        counters.unexpectedCloses(),
        0);
  }

  @Override
  public Future<Void> close() {
    if (keepAliveTimer >= 0) {
      vertx.cancelTimer(keepAliveTimer);
    }
    for (BenchSocket socket : sockets) {
      if (socket != null) {
        socket.close();
      }
    }
    List<Future<Void>> closing = new ArrayList<>();
    for (WebSocketClient client : clients) {
      closing.add(client.close());
    }
    return Future.join(closing).mapEmpty();
  }
}

package io.switchboard.bench.bare;

import io.netty.buffer.ByteBuf;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.internal.ContextInternal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One instance of the bare server on one event loop: accepts {@code /ws}, sends a welcome, keeps a
 * plain map {@code channel -> sockets}, and on a publish encodes one {@code message} frame and
 * writes that same buffer to every subscriber.
 */
final class BareVerticle extends VerticleBase {

  /** Bytes waiting for one socket beyond which it is closed, as Switchboard's default. */
  static final int MAX_WRITE_QUEUE_BYTES = 1 << 20;

  private static final AtomicLong CONNECTIONS = new AtomicLong();

  private final BareHub hub;
  private final HttpServerOptions options;
  private final FlushPolicy flush;
  private final Map<String, List<BareSocket>> channels = new HashMap<>();
  private Coalescer coalescer;
  private HttpServer server;

  BareVerticle(BareHub hub, HttpServerOptions options, FlushPolicy flush) {
    this.hub = hub;
    this.options = options;
    this.flush = flush;
  }

  @Override
  public Future<?> start() {
    if (flush == FlushPolicy.COALESCE) {
      coalescer = new Coalescer(((ContextInternal) context).nettyEventLoop());
    }
    hub.add(this);
    server =
        vertx
            .createHttpServer(options)
            .webSocketHandshakeHandler(
                handshake -> {
                  if (handshake.path().equals("/ws")) {
                    handshake.accept();
                  } else {
                    handshake.reject(404);
                  }
                })
            .webSocketHandler(this::onOpen);
    return server.listen();
  }

  @Override
  public Future<?> stop() {
    hub.remove(this);
    return server.close();
  }

  int actualPort() {
    return server.actualPort();
  }

  private void onOpen(ServerWebSocket ws) {
    ws.setWriteQueueMaxSize(MAX_WRITE_QUEUE_BYTES);
    BareSocket socket = new BareSocket(ws, coalescer);
    ws.handler(frame -> onFrame(socket, frame));
    ws.closeHandler(closed -> onClosed(socket));
    writeOne(socket, BareFrames.welcome("bare-" + CONNECTIONS.incrementAndGet()));
  }

  private void onFrame(BareSocket socket, Buffer frame) {
    switch (BareFrames.kind(frame)) {
      case PUBLISH -> {
        String channel = BareFrames.channel(frame);
        Buffer message = channel == null ? null : BareFrames.message(channel, frame);
        if (message != null) {
          hub.deliver(channel, message, this);
        }
      }
      case JOIN -> {
        String channel = BareFrames.channel(frame);
        if (channel != null && !socket.channels.contains(channel)) {
          List<BareSocket> members = channels.computeIfAbsent(channel, c -> new ArrayList<>());
          members.add(socket);
          socket.channels.add(channel);
          writeOne(
              socket,
              BareFrames.subscriptionConfirmed(BareFrames.id(frame), channel, members.size()));
        }
      }
      case OTHER -> {}
    }
  }

  /**
   * Writes one frame to one socket through the same pre-framed path as deliveries, so that every
   * write reaches the WebSocket encoder as a plain buffer (as in Switchboard).
   */
  private static void writeOne(BareSocket socket, Buffer json) {
    ByteBuf wire = BareFrames.wire(json);
    try {
      socket.write(wire);
    } finally {
      wire.release();
    }
  }

  private void onClosed(BareSocket socket) {
    for (String channel : socket.channels) {
      List<BareSocket> members = channels.get(channel);
      if (members != null) {
        members.remove(socket);
        if (members.isEmpty()) {
          channels.remove(channel);
        }
      }
    }
  }

  /**
   * Frames the message once (header and payload in one direct buffer, as Switchboard does) and
   * writes a duplicate of that buffer to every local subscriber.
   */
  void deliverLocally(String channel, Buffer frame) {
    List<BareSocket> members = channels.get(channel);
    if (members == null) {
      return;
    }
    ByteBuf wire = BareFrames.wire(frame);
    try {
      for (int i = 0; i < members.size(); i++) {
        members.get(i).write(wire);
      }
    } finally {
      wire.release();
    }
    if (coalescer != null) {
      coalescer.delivered();
    }
  }

  void deliverOnItsLoop(String channel, Buffer frame) {
    context.runOnContext(v -> deliverLocally(channel, frame));
  }
}

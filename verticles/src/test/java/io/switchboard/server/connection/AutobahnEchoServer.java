package io.switchboard.server.connection;

import io.netty.channel.ChannelHandlerContext;
import io.switchboard.protocol.CloseCode;
import io.switchboard.server.config.SwitchboardConfig;
import io.switchboard.server.config.WebSocketConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.WebSocketFrame;
import io.vertx.core.internal.http.WebSocketInternal;
import io.vertx.core.json.JsonObject;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server under test of the Autobahn|Testsuite fuzzing client, which the
 * autobahntestsuite-maven-plugin runs in {@code mvn verify} (see {@code verticles/pom.xml}): it
 * echoes every text and binary message back whole. It exists in the test set-up only.
 *
 * <p>It tests the WebSocket stack as Switchboard runs it, not plain Vert.x: the public port's
 * {@link ConnectionVerticle#serverOptions server options} (frame and message limits raised to the
 * 16 MiB the 9.x cases send), the same inbound path ({@link FrameAssembler}: the whole-message
 * limit and strict UTF-8, closing with 1009 and 1007; {@link RefusedFrame}: Netty's refusals,
 * closing with 1002 or 1009) and text written the way Switchboard writes its own frames ({@link
 * WireFrames#text}, below Vert.x's WebSocket encoder).
 */
public final class AutobahnEchoServer {

  /** The largest message of section 9 (9.1.6 and 9.2.6 send 16 MiB in one frame). */
  static final int MAX_BYTES = 16 * 1024 * 1024;

  private static final Logger log = LoggerFactory.getLogger(AutobahnEchoServer.class);
  private static final long TIMEOUT_SECONDS = 10;

  private AutobahnEchoServer() {}

  /**
   * Serves until the thread is interrupted, then closes everything. The plugin calls this with the
   * port it chose, on a thread it interrupts when the suite has run.
   *
   * @param args the port
   */
  public static void main(String[] args) throws Exception {
    if (args.length != 1) {
      throw new IllegalArgumentException("usage: AutobahnEchoServer <port>");
    }
    int port = Integer.parseInt(args[0]);
    // The plugin connects to this host's own address, not to a configurable one: serve there, but
    // only when it is a loopback address, so that nothing listens on a network interface.
    InetAddress host = InetAddress.getLocalHost();
    if (!host.isLoopbackAddress()) {
      throw new IllegalStateException(
          "the Autobahn fuzzing client connects to this host's address, "
              + host
              + ", which is not a loopback address; map the host name to 127.0.0.1, or skip the"
              + " suite with -Dautobahn.skip");
    }
    Vertx vertx = Vertx.vertx();
    try {
      HttpServer server =
          start(vertx, host.getHostAddress(), port).await(TIMEOUT_SECONDS, TimeUnit.SECONDS);
      log.info(
          "autobahn echo server listening [address: {}:{}]",
          host.getHostAddress(),
          server.actualPort());
      new CountDownLatch(1).await();
    } catch (InterruptedException suiteDone) {
      // The plugin has run every case.
    } finally {
      long stopping = System.nanoTime();
      vertx.close().await(TIMEOUT_SECONDS, TimeUnit.SECONDS);
      log.info(
          "autobahn echo server stopped [port: {}, took: {} ms]",
          port,
          TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stopping));
    }
  }

  private static Future<HttpServer> start(Vertx vertx, String host, int port) {
    WebSocketConfig ws =
        SwitchboardConfig.fromJson(
                new JsonObject()
                    .put(
                        WebSocketConfig.SECTION,
                        new JsonObject()
                            .put("host", host)
                            .put("port", port)
                            .put("maxFrameBytes", MAX_BYTES)
                            .put("maxMessageBytes", MAX_BYTES)))
            .ws();
    return vertx
        .createHttpServer(ConnectionVerticle.serverOptions(ws))
        .webSocketHandler(socket -> new Echo(socket, ws.maxMessageBytes()))
        .listen();
  }

  /** One socket: assembles messages as Switchboard does and writes each one back. */
  private static final class Echo {

    private final ServerWebSocket ws;
    private final ChannelHandlerContext netty;
    private final FrameAssembler assembler;
    private boolean closing;

    Echo(ServerWebSocket ws, int maxMessageBytes) {
      this.ws = ws;
      this.netty = ((WebSocketInternal) ws).channelHandlerContext();
      this.assembler = new FrameAssembler(maxMessageBytes);
      ws.frameHandler(this::onFrame);
      ws.exceptionHandler(failure -> RefusedFrame.of(failure).ifPresent(this::refused));
      ws.drainHandler(drained -> ws.resume());
    }

    private void onFrame(WebSocketFrame frame) {
      if (closing) {
        return;
      }
      switch (assembler.push(frame)) {
        case CONTROL, PARTIAL -> {}
        case TOO_LARGE ->
            close(CloseCode.MESSAGE_TOO_BIG.code(), CloseCode.MESSAGE_TOO_BIG.reason());
        case INVALID_UTF8 ->
            close(CloseCode.INVALID_PAYLOAD.code(), CloseCode.INVALID_PAYLOAD.reason());
        case TEXT -> {
          Buffer text = Buffer.buffer(assembler.text().getBytes(StandardCharsets.UTF_8));
          netty.writeAndFlush(WireFrames.text(netty.alloc(), text), netty.voidPromise());
          pauseWhileFull();
        }
        case BINARY -> {
          ws.writeBinaryMessage(assembler.binary());
          pauseWhileFull();
        }
      }
    }

    /** Reads nothing more while the client has not taken what was echoed so far. */
    private void pauseWhileFull() {
      if (ws.writeQueueFull()) {
        ws.pause();
      }
    }

    /** As {@code ConnectionVerticle} does it, flush included. */
    private void refused(RefusedFrame frame) {
      close(frame.code(), frame.reason());
      netty.flush();
    }

    private void close(short code, String reason) {
      if (!closing) {
        closing = true;
        ws.close(code, reason);
      }
    }
  }
}

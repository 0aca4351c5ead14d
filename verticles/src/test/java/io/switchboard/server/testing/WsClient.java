package io.switchboard.server.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ClientWebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.http.WebSocketFrame;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A real Vert.x WebSocket client that records every text frame it receives (as JSON), the pings the
 * server sends (with their payload: the server's clock when its heartbeat tick sent them), how many
 * text frames went each way, and how the socket closed. {@link #sync()} proves what did
 * <em>not</em> arrive: frames are ordered, so whatever the server sent before answering a ping has
 * arrived when the pong does.
 */
public final class WsClient implements AutoCloseable {

  private static final AtomicInteger SYNC_IDS = new AtomicInteger();

  private final ClientWebSocket ws;
  private final BlockingQueue<JsonObject> frames = new LinkedBlockingQueue<>();
  private final CompletableFuture<Short> closed = new CompletableFuture<>();
  private final AtomicInteger pingsReceived = new AtomicInteger();
  private final List<Long> pingPayloads = new CopyOnWriteArrayList<>();
  private final AtomicInteger textReceived = new AtomicInteger();
  private final AtomicInteger textSent = new AtomicInteger();
  private volatile Runnable onPing = () -> {};
  private volatile Consumer<JsonObject> onText = frame -> {};
  private JsonObject welcome;

  private WsClient(ClientWebSocket ws) {
    this.ws = ws;
  }

  /** Connects to {@code /ws} and reads the {@code welcome} frame. */
  public static WsClient connect(WebSocketClient client, int port) {
    return connect(client, port, "/ws", null);
  }

  public static WsClient connect(WebSocketClient client, int port, String uri, String userAgent) {
    ClientWebSocket ws = client.webSocket();
    WsClient result = new WsClient(ws);
    ws.textMessageHandler(
        text -> {
          JsonObject frame = new JsonObject(text);
          result.textReceived.incrementAndGet();
          result.onText.accept(frame);
          result.frames.add(frame);
        });
    ws.frameHandler(
        frame -> {
          if (frame.isPing()) {
            if (frame.binaryData().length() == Long.BYTES) {
              result.pingPayloads.add(frame.binaryData().getLong(0));
            }
            result.pingsReceived.incrementAndGet();
            result.onPing.run();
          }
        });
    ws.closeHandler(v -> result.closed.complete(ws.closeStatusCode()));
    WebSocketConnectOptions options =
        new WebSocketConnectOptions()
            .setHost("127.0.0.1")
            .setPort(port)
            .setURI(uri)
            // Not a browser: no Origin header, as every non-browser client.
            .setAllowOriginHeader(false);
    if (userAgent != null) {
      options.addHeader("User-Agent", userAgent);
    }
    long started = System.nanoTime();
    try {
      ws.connect(options).await(Await.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      // The elapsed time tells a refusal at once from a handshake timeout, should this ever fail.
      throw new AssertionError(
          "upgrade of 127.0.0.1:"
              + port
              + uri
              + " failed after "
              + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)
              + " ms: "
              + e,
          e);
    }
    result.welcome = result.next();
    assertThat(result.welcome.getString("type")).isEqualTo("welcome");
    return result;
  }

  public JsonObject welcome() {
    return welcome;
  }

  public String connectionId() {
    return welcome.getJsonObject("data").getString("connectionId");
  }

  public WsClient send(JsonObject frame) {
    return sendText(frame.encode());
  }

  public WsClient sendText(String text) {
    textSent.incrementAndGet();
    Await.result(ws.writeTextMessage(text));
    return this;
  }

  public WsClient sendFrame(WebSocketFrame frame) {
    Await.result(ws.writeFrame(frame));
    return this;
  }

  public WsClient sendBinary(Buffer data) {
    Await.result(ws.writeBinaryMessage(data));
    return this;
  }

  /** The next frame, failing after {@link Await#TIMEOUT}. */
  public JsonObject next() {
    try {
      JsonObject frame = frames.poll(Await.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      if (frame == null) {
        throw new AssertionError("no frame within " + Await.TIMEOUT);
      }
      return frame;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** The next frame, which must be of this type. */
  public JsonObject next(String type) {
    JsonObject frame = next();
    assertThat(frame.getString("type")).as("type of %s", frame).isEqualTo(type);
    return frame;
  }

  /**
   * The frames received and not taken by {@link #next()} yet, removed from the queue. Once the
   * socket has closed nothing more can arrive, so this is then everything that came after the last
   * frame taken.
   */
  public List<JsonObject> unread() {
    List<JsonObject> rest = new ArrayList<>();
    frames.drainTo(rest);
    return rest;
  }

  /** Sends a frame and returns the next frame received. */
  public JsonObject request(JsonObject frame) {
    send(frame);
    return next();
  }

  /**
   * Sends a {@code ping} and returns every frame that arrived before its {@code pong}: once this
   * returns, anything the server sent earlier has been received.
   */
  public List<JsonObject> sync() {
    String id = "sync-" + SYNC_IDS.incrementAndGet();
    send(new JsonObject().put("type", "ping").put("id", id));
    List<JsonObject> before = new ArrayList<>();
    while (true) {
      JsonObject frame = next();
      if ("pong".equals(frame.getString("type")) && id.equals(frame.getString("id"))) {
        return before;
      }
      before.add(frame);
    }
  }

  /** Asserts nothing arrived (besides what a sync itself brings). */
  public void assertNothingReceived() {
    assertThat(sync()).as("frames received").isEmpty();
  }

  /** The close code, once the socket has closed. */
  public short awaitClose() {
    try {
      Short code = closed.get(Await.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      return code == null ? 1006 : code;
    } catch (Exception e) {
      throw new AssertionError("socket did not close within " + Await.TIMEOUT, e);
    }
  }

  public boolean isClosed() {
    return closed.isDone();
  }

  public String closeReason() {
    return ws.closeReason();
  }

  public int pingsReceived() {
    return pingsReceived.get();
  }

  /**
   * The payloads of the pings received so far, in order: the server's {@code
   * System.currentTimeMillis()} at the heartbeat tick that sent each (the server and the tests
   * share one clock).
   */
  public List<Long> pingPayloads() {
    return List.copyOf(pingPayloads);
  }

  /** How many text frames this client has received, welcome included. */
  public int textFramesReceived() {
    return textReceived.get();
  }

  /** How many text frames this client has sent. */
  public int textFramesSent() {
    return textSent.get();
  }

  /** Runs on the client's event loop whenever a WebSocket ping arrives from the server. */
  public void onPing(Runnable action) {
    this.onPing = action;
  }

  /** Runs on the client's event loop as each text frame arrives, before it is queued. */
  public void onText(Consumer<JsonObject> action) {
    this.onText = action;
  }

  /** Writes a text frame without waiting, for use on the client's event loop. */
  public void sendAsync(JsonObject frame) {
    textSent.incrementAndGet();
    ws.writeTextMessage(frame.encode());
  }

  @Override
  public void close() {
    if (!ws.isClosed()) {
      ws.close();
    }
  }
}

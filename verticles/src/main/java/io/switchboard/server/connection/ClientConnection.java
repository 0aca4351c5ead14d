package io.switchboard.server.connection;

import io.switchboard.protocol.CloseCode;
import io.switchboard.server.frame.ServerFrames;
import io.switchboard.server.metrics.SwitchboardMetrics;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client socket and what the server knows about it. Lives on its ConnectionVerticle's event
 * loop and is only touched from there, so it needs no locks.
 */
final class ClientConnection {

  private static final Logger log = LoggerFactory.getLogger(ClientConnection.class);

  final String id;
  final ServerWebSocket ws;
  final String userId;
  final String organizationId;
  final String ip;
  final String userAgent;
  final long connectedAt;
  final FrameAssembler assembler;

  /** Channels joined and confirmed, in join order. */
  final Set<String> channels = new LinkedHashSet<>();

  /** A join waiting for routing's answer: deliveries for it are held, then sent after confirm. */
  String joining;

  private List<Buffer> heldForJoin;
  private final SwitchboardMetrics metrics;
  private final int maxWriteQueueBytes;
  private final Consumer<ClientConnection> onClosing;

  /** Any frame at all, control frames included: proves the peer is alive. */
  long lastFrameAt;

  /** Text or binary frames only: proves the client is using the connection. */
  long lastActivityAt;

  long messagesIn;
  long messagesOut;
  long broadcastCount;
  long lastBroadcastAt;
  long errorCount;
  String lastError;
  long lastErrorAt;

  /** The close code this server sent, once it decided to close. */
  Short closeCodeSent;

  /** Set at shutdown: no more frames are read, and the socket closes once nothing is pending. */
  boolean draining;

  private int pendingReplies;
  private Promise<Void> drained;

  ClientConnection(
      String id,
      ServerWebSocket ws,
      String userId,
      String organizationId,
      int maxMessageBytes,
      int maxWriteQueueBytes,
      SwitchboardMetrics metrics,
      Consumer<ClientConnection> onClosing) {
    this.id = id;
    this.ws = ws;
    this.userId = userId;
    this.organizationId = organizationId;
    this.ip = ws.remoteAddress() == null ? null : ws.remoteAddress().hostAddress();
    this.userAgent = ws.headers().get("User-Agent");
    this.connectedAt = System.currentTimeMillis();
    this.lastFrameAt = connectedAt;
    this.lastActivityAt = connectedAt;
    this.assembler = new FrameAssembler(maxMessageBytes);
    this.metrics = metrics;
    this.maxWriteQueueBytes = maxWriteQueueBytes;
    this.onClosing = onClosing;
    ws.setWriteQueueMaxSize(maxWriteQueueBytes);
  }

  boolean isOpen() {
    return closeCodeSent == null && !ws.isClosed();
  }

  /**
   * Writes one pre-encoded frame. A failure is counted on this connection and never thrown, so a
   * broadcast loop carries on to the other sockets. A socket whose outbound buffer is over the
   * limit is closed as a slow consumer (4002) rather than buffered without bound.
   *
   * @return whether the frame was handed to the socket
   */
  boolean send(Buffer frame) {
    if (!isOpen()) {
      return false;
    }
    if (ws.writeQueueFull()) {
      recordError("slow consumer: more than " + maxWriteQueueBytes + " bytes waiting to be sent");
      metrics.sendFailed();
      close(CloseCode.SLOW_CONSUMER);
      return false;
    }
    try {
      ws.writeFrame(TextFrames.of(frame)).onFailure(this::writeFailed);
    } catch (RuntimeException e) {
      writeFailed(e);
      return false;
    }
    messagesOut++;
    metrics.messageOut();
    return true;
  }

  /** Delivers a channel message or broadcast, holding it back while a join is unconfirmed. */
  boolean deliver(Buffer frame, String channel) {
    if (channel != null && channel.equals(joining)) {
      if (heldForJoin == null) {
        heldForJoin = new ArrayList<>();
      }
      heldForJoin.add(frame);
      return true;
    }
    if (!send(frame)) {
      return false;
    }
    broadcastCount++;
    lastBroadcastAt = System.currentTimeMillis();
    return true;
  }

  /** Ends the pending join: sends what was held for it when confirmed, drops it otherwise. */
  int finishJoin(boolean confirmed) {
    String channel = joining;
    List<Buffer> held = heldForJoin;
    joining = null;
    heldForJoin = null;
    if (!confirmed || held == null) {
      return 0;
    }
    int sent = 0;
    for (Buffer frame : held) {
      if (deliver(frame, channel)) {
        sent++;
      }
    }
    return sent;
  }

  void close(CloseCode code) {
    close(code.code(), code.reason());
  }

  /**
   * Starts closing: sends the close frame and tells the owner at once, without waiting for the
   * close handshake. A client that has stopped reading may never complete it (Vert.x then cuts the
   * socket after its closing timeout), and it must not hold channel membership meanwhile.
   */
  void close(short code, String reason) {
    if (closeCodeSent != null) {
      return;
    }
    closeCodeSent = code;
    if (!ws.isClosed()) {
      ws.close(code, reason)
          .onFailure(e -> log.debug("close failed [conn: {}, code: {}]", id, code, e));
    }
    onClosing.accept(this);
  }

  /** The close code to report: the one this server sent, or the client's, or 1006 (abnormal). */
  int closeCode() {
    if (closeCodeSent != null) {
      return closeCodeSent;
    }
    Short received = ws.closeStatusCode();
    return received == null ? 1006 : received;
  }

  String closeReason() {
    if (closeCodeSent != null) {
      return CloseCode.of(closeCodeSent).map(CloseCode::reason).orElse("");
    }
    String reason = ws.closeReason();
    return reason == null ? "" : reason;
  }

  /** A request to routing on behalf of this connection is under way. */
  void replyPending() {
    pendingReplies++;
  }

  /** A request to routing on behalf of this connection was answered. */
  void replyArrived() {
    pendingReplies--;
    if (pendingReplies == 0 && drained != null) {
      drained.tryComplete();
    }
  }

  /**
   * Completes once every request to routing on behalf of this connection has been answered, so that
   * their acks and errors go out before the close frame.
   */
  Future<Void> drained() {
    if (drained == null) {
      drained = Promise.promise();
      if (pendingReplies == 0) {
        drained.complete();
      }
    }
    return drained.future();
  }

  void recordError(String message) {
    errorCount++;
    lastError = message;
    lastErrorAt = System.currentTimeMillis();
  }

  private void writeFailed(Throwable failure) {
    recordError("send failed: " + failure.getMessage());
    metrics.sendFailed();
    log.debug("send failed [conn: {}]", id, failure);
  }

  /** The connection's metadata, as the admin API shows it. */
  JsonObject toJson() {
    return new JsonObject()
        .put("id", id)
        .put("open", isOpen())
        .put("connectedAt", ServerFrames.timestamp(connectedAt))
        .put("lastActivity", ServerFrames.timestamp(lastActivityAt))
        .put("messagesIn", messagesIn)
        .put("messagesOut", messagesOut)
        .put("broadcastCount", broadcastCount)
        .put("lastBroadcast", lastBroadcastAt == 0 ? null : ServerFrames.timestamp(lastBroadcastAt))
        .put("errorCount", errorCount)
        .put("lastError", lastError)
        .put("lastErrorAt", lastErrorAt == 0 ? null : ServerFrames.timestamp(lastErrorAt))
        .put("clientInfo", new JsonObject().put("userAgent", userAgent).put("ip", ip))
        .put("userId", userId)
        .put("organizationId", organizationId)
        .put("channels", new JsonArray(new ArrayList<>(channels)));
  }
}

package io.switchboard.server.connection;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketExtensionEncoder;
import io.switchboard.protocol.CloseCode;
import io.switchboard.server.auth.Identity;
import io.switchboard.server.frame.ServerFrames;
import io.switchboard.server.metrics.SwitchboardMetrics;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.internal.http.WebSocketInternal;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client socket and what the server knows about it. Lives on its ConnectionVerticle's event
 * loop and is only touched from there, so it needs no locks.
 */
final class ClientConnection implements Outbound.Socket, LocalChannels.Member {

  private static final Logger log = LoggerFactory.getLogger(ClientConnection.class);

  final String id;
  final ServerWebSocket ws;
  final String ip;
  final String userAgent;
  final long connectedAt;
  final FrameAssembler assembler;

  /**
   * Who the client is, set at the upgrade. A {@code refresh} may replace it with the same user and
   * organisation (a later expiry, other grants).
   */
  Identity identity;

  /**
   * What a publish's {@code id} is scoped by to recognise it when re-sent: the user and the
   * client's {@code session} (kept across its reconnects); null when it named none, and then its
   * publishes are never taken for re-sends (a v1 client may reuse its ids).
   */
  private final String publishScope;

  /** This connection's place in the server's connection counts, released when it closes. */
  final ConnectionLimits.Slot slot;

  /** Frames per second this client may send. */
  final RateLimiter rate;

  /** Whether the client has sent no text or binary frame yet (first-frame timeout). */
  boolean awaitingFirstFrame = true;

  /**
   * Timers of the token's expiry: the {@code token_expiring} notice and the close; -1 when none.
   */
  long expiryNoticeTimer = -1;

  long expiryTimer = -1;

  /** Channels joined and confirmed, in join order. */
  final Set<String> channels = new LinkedHashSet<>();

  /**
   * When each joined channel's join was confirmed (epoch ms), as presence shows it; an entry leaves
   * with its channel.
   */
  final Map<String, Long> joinedAt = new HashMap<>();

  /** A join waiting for routing's answer: deliveries for it are held, then sent after confirm. */
  String joining;

  /**
   * A join or publish waiting for its namespace's authorizer: the client's next frames wait for the
   * decision, so that they keep their order.
   */
  boolean authorizing;

  /** The socket's place in its Netty pipeline, where frames are written. */
  final ChannelHandlerContext netty;

  /** Written to since the last flush (coalescing only). */
  boolean unflushed;

  /**
   * Whether the socket negotiated compression (permessage-deflate or per-frame deflate). Pre-framed
   * buffers would pass the deflate encoder untouched and go out uncompressed, so such a socket's
   * text frames take Vert.x's own write path, which compresses them; pings stay pre-framed (control
   * frames are never compressed).
   */
  private final boolean compressed;

  /** A delivery held for a pending join, with its offset in the channel's stream (0: none). */
  private record Held(Buffer json, long offset) {}

  private List<Held> heldForJoin;
  private long heldBytes;
  private final Outbound outbound;
  private final boolean flushEachWrite;
  private final SwitchboardMetrics metrics;
  private final int maxWriteQueueBytes;
  private final Consumer<ClientConnection> onClosing;

  /** Which of the heartbeat's slices pings this socket (see {@code HeartbeatConfig#slices()}). */
  int heartbeatSlice;

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
  private final int maxPendingReplies;
  private Promise<Void> drained;
  private boolean readingHeld;
  private boolean aborted;

  ClientConnection(
      String id,
      ServerWebSocket ws,
      Identity identity,
      String session,
      ConnectionLimits.Slot slot,
      RateLimiter rate,
      int maxMessageBytes,
      int maxWriteQueueBytes,
      int maxPendingReplies,
      Outbound outbound,
      SwitchboardMetrics metrics,
      Consumer<ClientConnection> onClosing) {
    this.id = id;
    this.ws = ws;
    this.identity = identity;
    this.publishScope =
        session == null
            ? null
            : (identity.userId() == null ? "" : identity.userId()) + '\u0001' + session;
    this.slot = slot;
    this.rate = rate;
    this.ip = ws.remoteAddress() == null ? null : ws.remoteAddress().hostAddress();
    this.userAgent = ws.headers().get("User-Agent");
    this.connectedAt = System.currentTimeMillis();
    this.lastFrameAt = connectedAt;
    this.lastActivityAt = connectedAt;
    this.assembler = new FrameAssembler(maxMessageBytes);
    this.netty = ((WebSocketInternal) ws).channelHandlerContext();
    this.compressed = negotiatedCompression(netty.pipeline());
    this.outbound = outbound;
    this.flushEachWrite = outbound.flushesEachWrite();
    this.metrics = metrics;
    this.maxWriteQueueBytes = maxWriteQueueBytes;
    this.maxPendingReplies = maxPendingReplies;
    this.onClosing = onClosing;
    ws.setWriteQueueMaxSize(maxWriteQueueBytes);
  }

  @Override
  public String id() {
    return id;
  }

  /**
   * The key under which a publish with this {@code id} is recognised when the client re-sends it:
   * the same for the same user, session and id, on any connection of any node; null when the client
   * named no session. Its form, {@code <length of the scope>:<scope><id>}, lets the channel's owner
   * read the publisher's scope back whatever characters the user id and the id hold.
   */
  String publishKey(String publishId) {
    return publishScope == null ? null : publishScope.length() + ":" + publishScope + publishId;
  }

  @Override
  public String userId() {
    return identity.userId();
  }

  @Override
  public String organizationId() {
    return identity.organizationId();
  }

  @Override
  public ChannelHandlerContext netty() {
    return netty;
  }

  @Override
  public boolean unflushed() {
    return unflushed;
  }

  @Override
  public void unflushed(boolean unflushed) {
    this.unflushed = unflushed;
  }

  private static boolean negotiatedCompression(ChannelPipeline pipeline) {
    for (Map.Entry<String, ChannelHandler> handler : pipeline) {
      if (handler.getValue() instanceof WebSocketExtensionEncoder) {
        return true;
      }
    }
    return false;
  }

  boolean isOpen() {
    return closeCodeSent == null && !ws.isClosed();
  }

  /**
   * Writes one frame of this connection's own (welcome, pong, ack, error...). A failure is counted
   * on this connection and never thrown. A socket whose outbound buffer is over the limit is closed
   * as a slow consumer (4002) rather than buffered without bound.
   *
   * @return whether the frame was handed to the socket
   */
  boolean send(Buffer json) {
    if (!writable()) {
      return false;
    }
    if (compressed) {
      ws.writeTextMessage(json.toString());
    } else {
      outbound.writeOwned(this, WireFrames.text(netty.alloc(), json));
    }
    messagesOut++;
    metrics.messageOut();
    return true;
  }

  /**
   * Whether the socket can take more: a client that does not read what the server writes (pongs to
   * its pings included, which Vert.x writes by itself) is closed as a slow consumer (4002) once
   * more than {@code ws.maxWriteQueueBytes} wait.
   */
  boolean keepsUp() {
    return writable();
  }

  /** Writes a duplicate of a pre-framed ping (see {@link WireFrames#ping}). */
  void ping(ByteBuf frame) {
    if (writable()) {
      outbound.write(this, frame);
    }
  }

  /**
   * Delivers a channel message or broadcast, framed once for every socket of this instance; the
   * caller counts it in the server's meters. Held back while a join of that channel is unconfirmed.
   *
   * @param json the message, kept if it must be held
   * @param frame the message as a complete WebSocket frame, shared by every socket
   * @param offset its offset in the channel's stream, 0 when it has none
   * @return whether it was written (or held)
   */
  @Override
  public boolean deliver(Buffer json, ByteBuf frame, String channel, long offset, long now) {
    if (joining != null && joining.equals(channel)) {
      return hold(json, offset);
    }
    // The hot path of a fan-out: kept flat (no calls beyond Netty's) so that it inlines.
    if (closeCodeSent != null || (!netty.channel().isWritable() && !writable())) {
      return false;
    }
    if (compressed) {
      ws.writeTextMessage(json.toString());
    } else if (flushEachWrite) {
      netty.writeAndFlush(frame.retainedDuplicate(), netty.voidPromise());
    } else {
      netty.write(frame.retainedDuplicate(), netty.voidPromise());
      if (!unflushed) {
        outbound.flushLater(this);
      }
    }
    messagesOut++;
    broadcastCount++;
    lastBroadcastAt = now;
    return true;
  }

  /**
   * Whether a frame may be written now. A full outbound buffer means the client reads too slowly:
   * it is closed as a slow consumer. Write failures surface in the socket's exception handler.
   */
  private boolean writable() {
    if (closeCodeSent != null) {
      return false;
    }
    if (netty.channel().isWritable()) {
      return true;
    }
    if (unflushed) {
      // Coalesced writes still waiting for their flush count towards the limit too: only a socket
      // that stays full once they are handed to the network is a slow consumer.
      netty.flush();
      if (netty.channel().isWritable()) {
        return true;
      }
    }
    if (netty.channel().isActive()) {
      metrics.sendFailed();
      abort(
          CloseCode.SLOW_CONSUMER,
          "slow consumer: more than " + maxWriteQueueBytes + " bytes waiting to be sent");
    }
    return false;
  }

  /**
   * Keeps a delivery for the channel being joined until the join is confirmed. What is held counts
   * against the same bound as the socket's outbound buffer: a client whose join waits while more
   * than that arrives is closed as a slow consumer rather than held without limit.
   */
  private boolean hold(Buffer json, long offset) {
    heldBytes += json.length();
    if (heldBytes > maxWriteQueueBytes) {
      metrics.sendFailed();
      abort(
          CloseCode.SLOW_CONSUMER,
          "slow consumer: more than " + maxWriteQueueBytes + " bytes held for a pending join");
      return false;
    }
    if (heldForJoin == null) {
      heldForJoin = new ArrayList<>();
    }
    heldForJoin.add(new Held(json, offset));
    return true;
  }

  /** Ends a pending join that was refused or whose connection closed: drops what was held. */
  void abandonJoin() {
    finishJoin(false, 0, List.of());
  }

  /**
   * Ends the pending join. Confirmed: sends the replay first (the messages recovered, up to the
   * join's position), then what was held for it, but for the messages at or before the join's
   * position, which the stream had sequenced before the join took its place (they are the replay's,
   * or the client did not ask for them). Refused: drops what was held.
   *
   * @param position the offset of the channel's stream at the join
   * @param replay the recovered messages, in order, as complete frames
   * @return how many frames were sent
   */
  int finishJoin(boolean confirmed, long position, List<Buffer> replay) {
    String channel = joining;
    List<Held> held = heldForJoin;
    joining = null;
    heldForJoin = null;
    heldBytes = 0;
    if (!confirmed) {
      return 0;
    }
    joinedAt.put(channel, System.currentTimeMillis());
    int sent = 0;
    long now = System.currentTimeMillis();
    for (Buffer json : replay) {
      sent += write(json, channel, 0, now);
    }
    if (held != null) {
      for (Held one : held) {
        if (one.offset() == 0 || one.offset() > position) {
          sent += write(one.json(), channel, one.offset(), now);
        }
      }
    }
    metrics.messagesOut(sent);
    return sent;
  }

  /** Delivers one frame of this connection's channel; 1 when written. */
  private int write(Buffer json, String channel, long offset, long now) {
    ByteBuf frame = WireFrames.text(netty.alloc(), json);
    try {
      return deliver(json, frame, channel, offset, now) ? 1 : 0;
    } finally {
      frame.release();
    }
  }

  void close(CloseCode code) {
    close(code.code(), code.reason());
  }

  /**
   * Closes a client that abuses the connection (floods it, or does not read), and reads nothing
   * more from it: otherwise the pings it keeps sending would each be answered by Vert.x, into a
   * buffer nobody reads, for as long as the close handshake may take. The client's own close frame
   * is not read either; Vert.x cuts the socket after its closing timeout.
   */
  void abort(CloseCode code, String why) {
    abort(code.code(), code.reason(), why);
  }

  /** {@link #abort(CloseCode, String)} with a close reason of its own. */
  void abort(short code, String reason, String why) {
    if (closeCodeSent != null) {
      return;
    }
    recordError(why);
    aborted = true;
    updateReading();
    // Pausing the WebSocket is not enough against a ping flood: Vert.x answers each ping as it
    // decodes it and then lets one more control frame through (control frames take no demand),
    // so a paused socket keeps being read, one ping and one pong at a time. Stop the channel
    // reading instead; nothing resumes it, and Vert.x cuts the socket after its closing timeout.
    netty.channel().config().setAutoRead(false);
    close(code, reason);
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
    updateReading();
  }

  /** A request to routing on behalf of this connection was answered. */
  void replyArrived() {
    pendingReplies--;
    if (pendingReplies == 0 && drained != null) {
      drained.tryComplete();
    }
    updateReading();
  }

  /**
   * Reads the socket only while nothing holds it back: a join waiting for routing's answer or a
   * join or publish waiting for an authorizer (the client's next frames wait for it), {@code
   * limits.maxPendingRequests} frames waiting for answers, shutdown, or an abusive client being
   * closed. A paused socket makes the client wait (TCP flow control) instead of the server queueing
   * its frames.
   */
  void updateReading() {
    boolean hold =
        aborted
            || draining
            || joining != null
            || authorizing
            || pendingReplies >= maxPendingReplies;
    if (hold != readingHeld) {
      readingHeld = hold;
      if (hold) {
        ws.pause();
      } else {
        ws.resume();
      }
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
        .put("userId", identity.userId())
        .put("organizationId", identity.organizationId())
        .put("channels", new JsonArray(new ArrayList<>(channels)))
        .put("pendingWriteBytes", pendingWriteBytes());
  }

  /**
   * Bytes handed to the socket that the network has not taken yet (its outbound buffer, coalesced
   * frames waiting for their flush included): what a client that reads slowly piles up, so the
   * console ranks the slowest sockets by it. Read from the channel's water marks, which Netty keeps
   * exact on either side of them.
   */
  private long pendingWriteBytes() {
    Channel channel = netty.channel();
    return channel.isWritable()
        ? Math.max(
            0, channel.config().getWriteBufferHighWaterMark() - channel.bytesBeforeUnwritable())
        : channel.config().getWriteBufferLowWaterMark() + channel.bytesBeforeWritable();
  }
}

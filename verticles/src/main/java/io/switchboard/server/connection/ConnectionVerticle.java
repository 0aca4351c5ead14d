package io.switchboard.server.connection;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.switchboard.protocol.Addresses;
import io.switchboard.protocol.CloseCode;
import io.switchboard.protocol.ErrorCode;
import io.switchboard.server.auth.Authenticator;
import io.switchboard.server.auth.ChannelAccess;
import io.switchboard.server.auth.Identity;
import io.switchboard.server.bus.Delivery;
import io.switchboard.server.bus.InternalAddresses;
import io.switchboard.server.config.SwitchboardConfig;
import io.switchboard.server.config.WebSocketConfig;
import io.switchboard.server.frame.ServerFrames;
import io.switchboard.server.metrics.SwitchboardMetrics;
import io.switchboard.server.routing.RoutingShards;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns the public HTTP server and the WebSocket upgrade; deployed once per event loop by default.
 * Each instance keeps its own sockets and its own {@code channel -> sockets} index, shares nothing
 * with the other instances but the event bus, and writes pre-encoded frames to local sockets.
 */
public final class ConnectionVerticle extends VerticleBase {

  private static final Logger log = LoggerFactory.getLogger(ConnectionVerticle.class);

  private final SwitchboardConfig config;
  private final SwitchboardMetrics metrics;
  private final ConnectionIds ids;
  private final ConnectionLimits limits;
  private final Authenticator authenticator;
  private final RoutingShards shards;
  private final List<MessageConsumer<?>> consumers = new ArrayList<>();
  private String instanceId;
  private HttpServer server;
  private Hub hub;
  private FrameHandler frames;
  private Upgrades upgrades;

  private Deadlines deadlines;

  /**
   * The open connections by heartbeat slice (see {@code HeartbeatConfig#slices()}), so that a tick
   * touches only the sockets it pings, not every connection of the instance.
   */
  private List<Set<ClientConnection>> heartbeatSlices;

  /** Connections opened by this instance so far; deals them out over the heartbeat slices. */
  private long opened;

  private Outbound outbound;
  private boolean stopping;

  /**
   * @param limits the connection counts shared by every instance of this server
   * @param authenticator the identity check of upgrades, shared by every instance
   */
  public ConnectionVerticle(
      SwitchboardConfig config,
      SwitchboardMetrics metrics,
      ConnectionIds ids,
      ConnectionLimits limits,
      Authenticator authenticator,
      RoutingShards shards) {
    this.config = config;
    this.metrics = metrics;
    this.ids = ids;
    this.limits = limits;
    this.authenticator = authenticator;
    this.shards = shards;
  }

  @Override
  public Future<?> start() {
    instanceId = ids.nextInstanceId();
    heartbeatSlices = new ArrayList<>();
    for (int i = 0; i < config.heartbeat().slices(); i++) {
      heartbeatSlices.add(new LinkedHashSet<>());
    }
    EventBus eventBus = vertx.eventBus();
    outbound =
        new Outbound(
            config.ws().flushPolicy(),
            config.ws().coalesceMaxDelayUs(),
            ((ContextInternal) context).nettyEventLoop());
    hub = new Hub(new LocalChannels(eventBus, outbound, metrics), outbound, metrics);
    frames =
        new FrameHandler(
            vertx,
            config,
            metrics,
            instanceId,
            hub.channels(),
            new ChannelAccess(config.channels()),
            authenticator,
            shards,
            connection -> deadlines.tokenChanged(connection));
    upgrades = new Upgrades(vertx, config, limits, authenticator, metrics, this::onOpen);
    deadlines = new Deadlines(vertx, config);
    deadlines.start();
    consumers.add(
        eventBus.<JsonObject>localConsumer(
            InternalAddresses.HEARTBEAT_TICK, tick -> onTick(tick.body())));
    consumers.add(
        eventBus.<JsonObject>localConsumer(
            InternalAddresses.connectionInstance(instanceId), hub::onControl));
    consumers.add(
        eventBus.<Delivery>localConsumer(
            InternalAddresses.connectionDelivery(instanceId), this::onTargetedDelivery));
    WebSocketConfig ws = config.ws();
    server =
        vertx
            .createHttpServer(
                ws.tls()
                    .applyTo(serverOptions(ws))
                    // A TLS handshake is part of the upgrade: it gets the same time.
                    .setSslHandshakeTimeout(config.limits().handshakeTimeoutMs())
                    .setSslHandshakeTimeoutUnit(TimeUnit.MILLISECONDS))
            .connectionHandler(upgrades::onConnection)
            .invalidRequestHandler(upgrades::onInvalidRequest)
            .requestHandler(upgrades::onRequest);
    return announce(true)
        .compose(registered -> server.listen())
        .onSuccess(
            listening ->
                log.debug(
                    "connection instance listening [instance: {}, port: {}]",
                    instanceId,
                    listening.actualPort()));
  }

  /**
   * Graceful shutdown of this instance: stop accepting, send {@code server_shutdown} to every
   * client, close each with 1001 and wait for the close handshakes, cutting what is still open
   * after {@code shutdown.timeoutMs}.
   */
  @Override
  public Future<?> stop() {
    stopping = true;
    upgrades.stopAccepting();
    int open = hub.size();
    Buffer notice =
        ServerFrames.serverShutdown("server shutting down", config.shutdown().reconnectAfterMs());
    List<Future<Void>> closing = new ArrayList<>();
    for (ClientConnection connection : new ArrayList<>(hub.all())) {
      connection.send(notice);
      // Read nothing more, but answer what was already accepted before closing the socket.
      connection.draining = true;
      connection.updateReading();
      closing.add(
          connection
              .drained()
              .onComplete((done, failure) -> connection.close(CloseCode.GOING_AWAY)));
    }
    long drainMs = Math.max(1, config.shutdown().timeoutMs() / 2);
    return Future.join(closing)
        .timeout(drainMs, TimeUnit.MILLISECONDS)
        .otherwiseEmpty()
        .compose(
            drained -> {
              new ArrayList<>(hub.all()).forEach(c -> c.close(CloseCode.GOING_AWAY));
              return server.shutdown(config.shutdown().timeoutMs(), TimeUnit.MILLISECONDS);
            })
        .eventually(() -> announce(false).otherwiseEmpty())
        .onComplete(
            (done, failure) -> {
              consumers.forEach(MessageConsumer::unregister);
              hub.channels().clear();
              log.debug(
                  "connection instance stopped [instance: {}, connections closed: {}]",
                  instanceId,
                  open);
            });
  }

  /** Tells every routing shard that this instance is up (listening soon) or down. */
  private Future<?> announce(boolean up) {
    JsonObject body = new JsonObject().put("instance", instanceId).put("up", up);
    List<Future<?>> told = new ArrayList<>();
    for (int shard = 0; shard < shards.count(); shard++) {
      told.add(
          vertx
              .eventBus()
              .request(
                  RoutingShards.address(shard, RoutingShards.INSTANCE),
                  body,
                  new DeliveryOptions().setLocalOnly(true)));
    }
    return Future.all(told);
  }

  /** The actual public port, once started (useful when configured with port 0). */
  public int actualPort() {
    return server.actualPort();
  }

  static HttpServerOptions serverOptions(WebSocketConfig ws) {
    return new HttpServerOptions()
        .setHost(ws.host())
        // A negative port is Vert.x's "random port shared by every instance with this value".
        .setPort(ws.port() == 0 ? -1 : ws.port())
        .setTcpNoDelay(true)
        .setMaxInitialLineLength(Upgrades.MAX_REQUEST_LINE_BYTES)
        .setMaxHeaderSize(Upgrades.MAX_HEADER_BYTES)
        // No HTTP/2 cleartext: the server then knows each connection as soon as it is accepted,
        // so the handshake timeout and counts apply from the first byte (or the lack of one).
        .setHttp2ClearTextEnabled(false)
        .setMaxWebSocketFrameSize(ws.maxFrameBytes())
        .setMaxWebSocketMessageSize(ws.maxMessageBytes())
        .setPerFrameWebSocketCompressionSupported(ws.compression())
        .setPerMessageWebSocketCompressionSupported(ws.compression())
        .setWebSocketSubProtocols(ws.subprotocols().isEmpty() ? null : ws.subprotocols());
  }

  private void onOpen(
      ServerWebSocket ws, Identity identity, ConnectionLimits.Slot slot, String session) {
    if (stopping) {
      slot.release();
      ws.close(CloseCode.GOING_AWAY.code(), CloseCode.GOING_AWAY.reason());
      return;
    }
    ClientConnection connection =
        new ClientConnection(
            ids.nextConnectionId(),
            ws,
            identity,
            session,
            slot,
            new RateLimiter(
                config.limits().messageRate(), config.limits().messageBurst(), System.nanoTime()),
            config.ws().maxMessageBytes(),
            config.ws().maxWriteQueueBytes(),
            config.limits().maxPendingRequests(),
            outbound,
            metrics,
            // Deferred: closing can start inside a broadcast loop over a channel's members.
            closing -> context.runOnContext(v -> onClosed(closing)));
    connection.heartbeatSlice = (int) (opened++ % heartbeatSlices.size());
    heartbeatSlices.get(connection.heartbeatSlice).add(connection);
    hub.add(connection);
    metrics.connectionOpened();
    ws.frameHandler(
        frame -> {
          deadlines.frameArrived(connection, frame.isText() || frame.isBinary());
          frames.onFrame(connection, frame);
        });
    ws.exceptionHandler(failure -> onSocketFailure(connection, failure));
    ws.closeHandler(closed -> onClosed(connection));
    ws.shutdownHandler(
        shutdown -> {
          connection.send(
              ServerFrames.serverShutdown(
                  "server shutting down", config.shutdown().reconnectAfterMs()));
          connection.close(CloseCode.GOING_AWAY);
        });
    // Announced before the welcome: a listener hears of the connection before of what it does.
    vertx
        .eventBus()
        .publish(
            Addresses.EVENT_CONNECTED,
            new JsonObject()
                .put("connectionId", connection.id)
                .put("instance", instanceId)
                .put("userId", identity.userId())
                .put("organizationId", identity.organizationId())
                .put("ip", connection.ip)
                .put("userAgent", connection.userAgent)
                .put("connectedAt", ServerFrames.timestamp(connection.connectedAt)));
    connection.send(ServerFrames.welcome(connection.id, config.heartbeat().intervalMs(), identity));
    deadlines.opened(connection);
    log.debug(
        "client connected [conn: {}, ip: {}, user: {}, org: {}, identity: {}]",
        connection.id,
        connection.ip,
        identity.userId(),
        identity.organizationId(),
        identity.source());
  }

  private void onSocketFailure(ClientConnection connection, Throwable failure) {
    Optional<RefusedFrame> refused = RefusedFrame.of(failure);
    if (refused.isPresent()) {
      RefusedFrame frame = refused.get();
      connection.recordError(frame.detail());
      metrics.error(frame.tooLarge() ? ErrorCode.MESSAGE_TOO_LARGE : ErrorCode.BAD_REQUEST);
      connection.close(frame.code(), frame.reason());
      // Vert.x closes the channel as soon as this handler returns, and holds back the flush of
      // writes made while it reads until the read completes: without this, the close frame (and any
      // reply to the frames read just before) would be dropped with the channel.
      connection.netty.flush();
    } else {
      connection.recordError(String.valueOf(failure.getMessage()));
      log.debug("socket failure [conn: {}]", connection.id, failure);
    }
  }

  /**
   * Forgets a connection: when the server starts closing it, or when the socket closed, whichever
   * comes first.
   */
  private void onClosed(ClientConnection connection) {
    if (!hub.remove(connection)) {
      return;
    }
    connection.slot.release();
    deadlines.closed(connection);
    heartbeatSlices.get(connection.heartbeatSlice).remove(connection);
    // Each channel's owner counts the subscriber out (after a join still in flight, which it
    // receives first) and tells the channel's listeners.
    for (String channel : connection.channels) {
      leftOnClose(connection, channel);
    }
    if (connection.joining != null) {
      leftOnClose(connection, connection.joining);
    }
    int code = connection.closeCode();
    metrics.connectionClosed(code);
    vertx
        .eventBus()
        .publish(
            Addresses.EVENT_DISCONNECTED,
            new JsonObject()
                .put("connectionId", connection.id)
                .put("userId", connection.identity.userId())
                .put("organizationId", connection.identity.organizationId())
                .put("code", code)
                .put("reason", connection.closeReason()));
    log.debug(
        "client disconnected [conn: {}, code: {}, in: {}, out: {}, errors: {}]",
        connection.id,
        code,
        connection.messagesIn,
        connection.messagesOut,
        connection.errorCount);
  }

  private void leftOnClose(ClientConnection connection, String channel) {
    vertx
        .eventBus()
        .send(
            shards.forChannel(channel, RoutingShards.LEAVE),
            Memberships.request(connection, channel, instanceId, config.channels()),
            new DeliveryOptions().setLocalOnly(true));
  }

  /**
   * Every heartbeat tick, for the sockets of the tick's slice: close the stale ones, ping the
   * others, then check who answered.
   */
  private void onTick(JsonObject tick) {
    long now = System.currentTimeMillis();
    int slice = tick.getInteger("slice", 0);
    if (slice < 0 || slice >= heartbeatSlices.size()) {
      // Not one of this instance's slices (a tick from another configuration): nobody to ping.
      return;
    }
    long staleAfter = config.heartbeat().staleTimeoutMs();
    ByteBuf ping = WireFrames.ping(ByteBufAllocator.DEFAULT, now);
    try {
      for (ClientConnection connection : new ArrayList<>(heartbeatSlices.get(slice))) {
        if (!connection.isOpen()) {
          continue;
        }
        if (staleAfter > 0 && now - connection.lastActivityAt > staleAfter) {
          connection.recordError(
              "stale: nothing received for " + (now - connection.lastActivityAt) + " ms");
          connection.close(CloseCode.STALE_CONNECTION);
          continue;
        }
        connection.ping(ping);
      }
    } finally {
      ping.release();
    }
    outbound.delivered();
    vertx.setTimer(config.heartbeat().pongTimeoutMs(), timer -> closeSilent(now, slice));
  }

  private void closeSilent(long pingedAt, int slice) {
    for (ClientConnection connection : new ArrayList<>(heartbeatSlices.get(slice))) {
      if (connection.isOpen()
          && connection.connectedAt <= pingedAt
          && connection.lastFrameAt < pingedAt) {
        connection.recordError(
            "heartbeat timeout: no frame within "
                + config.heartbeat().pongTimeoutMs()
                + " ms of a ping");
        connection.close(CloseCode.HEARTBEAT_TIMEOUT);
      }
    }
  }

  /** A delivery routing addressed to this instance; answered with the count when asked. */
  private void onTargetedDelivery(Message<Delivery> message) {
    int written = hub.deliver(message.body());
    if (message.replyAddress() != null) {
      message.reply(new JsonObject().put("delivered", written));
    }
  }
}

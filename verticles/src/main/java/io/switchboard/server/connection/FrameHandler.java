package io.switchboard.server.connection;

import io.switchboard.protocol.CloseCode;
import io.switchboard.protocol.Envelope;
import io.switchboard.protocol.ErrorCode;
import io.switchboard.protocol.FrameCodec;
import io.switchboard.protocol.MessageType;
import io.switchboard.protocol.ProtocolError;
import io.switchboard.protocol.ProtocolException;
import io.switchboard.server.auth.Authenticator;
import io.switchboard.server.auth.ChannelAccess;
import io.switchboard.server.config.SwitchboardConfig;
import io.switchboard.server.frame.ServerFrames;
import io.switchboard.server.metrics.SwitchboardMetrics;
import io.switchboard.server.plugin.ChannelAuthorizers;
import io.switchboard.server.plugin.Senders;
import io.switchboard.server.routing.RoutingShards;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.http.WebSocketFrame;
import io.vertx.core.json.JsonObject;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a socket's frames into actions: applies the connection's rate limit, assembles messages,
 * enforces size and UTF-8 (closing with 1009 or 1007), parses every frame and hands it on by type:
 * channel requests to {@link ChannelRequests} (which decides by the namespace's rules and
 * authorizer), {@code presence} to {@link ClientPresence}, a plugin's types to routing; answers
 * {@code ping} and {@code refresh} itself, and bad input with an {@code error} frame that names the
 * field and the rule.
 */
final class FrameHandler {

  private static final Logger log = LoggerFactory.getLogger(FrameHandler.class);

  /** How long routing may take to answer a request before the client gets {@code internal}. */
  static final long ROUTING_TIMEOUT_MS = 10_000;

  private final SwitchboardConfig config;
  private final SwitchboardMetrics metrics;
  private final Authenticator authenticator;
  private final Consumer<ClientConnection> identityChanged;
  private final RoutingShards shards;
  private final String instance;
  private final ClientPresence presence;
  private final RoutingRequests routing;
  private final ChannelRequests requests;

  /**
   * @param identityChanged called after a {@code refresh} replaced a connection's identity (its
   *     token's expiry timers must follow)
   */
  FrameHandler(
      Vertx vertx,
      SwitchboardConfig config,
      SwitchboardMetrics metrics,
      String instance,
      LocalChannels channels,
      ChannelAccess access,
      Authenticator authenticator,
      RoutingShards shards,
      Consumer<ClientConnection> identityChanged) {
    EventBus eventBus = vertx.eventBus();
    this.shards = shards;
    this.instance = instance;
    this.config = config;
    this.metrics = metrics;
    this.authenticator = authenticator;
    this.identityChanged = identityChanged;
    this.routing = new RoutingRequests(eventBus);
    this.presence = new ClientPresence(routing, this::reject);
    this.requests =
        new ChannelRequests(
            config,
            channels,
            access,
            new AuthorizerGate(
                new ChannelAuthorizers(eventBus, config.channels(), config.plugins())),
            routing,
            shards,
            instance,
            this::reject);
  }

  void onFrame(ClientConnection connection, WebSocketFrame frame) {
    if (connection.closeCodeSent != null) {
      return; // closing: whatever the client still sends is ignored
    }
    long now = System.currentTimeMillis();
    connection.lastFrameAt = now;
    // Every frame, control frames and fragments included, takes a token: each costs work.
    boolean withinRate = connection.rate.tryAcquire(System.nanoTime());
    if (!withinRate && connection.rate.refusedInARow() > config.limits().messageBurst()) {
      metrics.error(ErrorCode.RATE_LIMITED);
      connection.abort(
          CloseCode.POLICY_VIOLATION.code(),
          "rate limit exceeded",
          "rate limit: "
              + connection.rate.refusedInARow()
              + " frames in a row over limits.messageRate ("
              + config.limits().messageRate()
              + "/s)");
      return;
    }
    switch (connection.assembler.push(frame)) {
      case PARTIAL -> {}
      case CONTROL -> {
        // Vert.x answers pings by itself: a client that sends them without reading the pongs is
        // closed as a slow consumer like any other.
        connection.keepsUp();
      }
      case TOO_LARGE -> {
        String why = "message over " + config.ws().maxMessageBytes() + " bytes";
        connection.recordError(why);
        metrics.error(ErrorCode.MESSAGE_TOO_LARGE);
        connection.close(CloseCode.MESSAGE_TOO_BIG.code(), why);
      }
      case INVALID_UTF8 -> {
        connection.recordError(CloseCode.INVALID_PAYLOAD.reason());
        metrics.error(ErrorCode.BAD_REQUEST);
        connection.close(CloseCode.INVALID_PAYLOAD);
      }
      case BINARY -> {
        received(connection, now);
        reject(
            connection, null, withinRate ? ProtocolError.unsupportedFrame() : rateLimited(), null);
      }
      case TEXT -> {
        received(connection, now);
        if (withinRate) {
          onText(connection, connection.assembler.text());
        } else {
          String text = connection.assembler.text();
          Object decoded = parsedOrNull(text);
          reject(
              connection,
              FrameCodec.correlationId(decoded),
              rateLimited(),
              ServerFrames.original(text, decoded));
        }
      }
    }
  }

  private void received(ClientConnection connection, long now) {
    connection.lastActivityAt = now;
    connection.messagesIn++;
    metrics.messageIn();
  }

  private void onText(ClientConnection connection, String text) {
    Object decoded = null;
    try {
      decoded = FrameCodec.parse(text);
      Envelope frame = FrameCodec.toEnvelope(decoded);
      MessageType type = frame.builtInType().orElse(null);
      if (type == null) {
        custom(connection, frame, text);
      } else {
        switch (type) {
          case PING -> connection.send(ServerFrames.pong(frame.id()));
          case JOIN -> requests.join(connection, frame, text);
          case LEAVE -> requests.leave(connection, frame);
          case PUBLISH -> requests.publish(connection, frame, text);
          case REFRESH -> refresh(connection, frame);
          case PRESENCE -> presence.ask(connection, frame, text);
          case HISTORY -> requests.history(connection, frame, text);
          default -> throw new ProtocolException(ProtocolError.serverOnlyType(frame.type()));
        }
      }
    } catch (ProtocolException e) {
      reject(
          connection,
          FrameCodec.correlationId(decoded),
          e.error(),
          ServerFrames.original(text, decoded));
    }
  }

  /**
   * Replaces the connection's token before it expires: the new one must verify and name the same
   * user and organisation. The error of a refused refresh leaves the token out of its echo.
   */
  private void refresh(ClientConnection connection, Envelope frame) {
    Object token = frame.data() instanceof JsonObject data ? data.getValue("token") : null;
    if (!(frame.data() instanceof JsonObject)) {
      throw new ProtocolException(
          frame.hasData()
              ? ProtocolError.wrongType(Envelope.DATA, "an object", frame.data())
              : ProtocolError.missingField("data.token", MessageType.REFRESH.wireName()));
    }
    if (token == null) {
      throw new ProtocolException(
          ProtocolError.missingField("data.token", MessageType.REFRESH.wireName()));
    }
    if (!(token instanceof String value)) {
      throw new ProtocolException(
          ProtocolError.wrongType("data.token", "a non-empty string", token));
    }
    if (value.isEmpty()) {
      throw new ProtocolException(
          ProtocolError.invalidField("data.token", value, "a non-empty string"));
    }
    connection.replyPending();
    authenticator
        .refresh(connection.identity, value)
        .onComplete(
            (next, failure) -> {
              connection.replyArrived();
              if (!connection.isOpen()) {
                return;
              }
              if (failure != null) {
                reject(
                    connection,
                    frame.id(),
                    ProtocolError.of(ErrorCode.UNAUTHORIZED, failure.getMessage()),
                    null);
                return;
              }
              connection.identity = next;
              identityChanged.accept(connection);
              connection.send(ServerFrames.refreshed(frame.id(), next.expiresAtMs()));
            });
  }

  private ProtocolError rateLimited() {
    return ProtocolError.of(
        ErrorCode.RATE_LIMITED,
        "more than "
            + config.limits().messageRate()
            + " frames per second (limits.messageRate, bursts of "
            + config.limits().messageBurst()
            + "): this message was dropped; slow down");
  }

  private static Object parsedOrNull(String text) {
    try {
      return FrameCodec.parse(text);
    } catch (ProtocolException e) {
      return null;
    }
  }

  /**
   * A type that is not built in: routing hands it to the plugin that owns it, if any, with the
   * sender's identity as this connection verified it.
   */
  private void custom(ClientConnection connection, Envelope frame, String text) {
    JsonObject request =
        new JsonObject()
            .put("connectionId", connection.id)
            .put("instance", instance)
            .put(
                "sender",
                Senders.toJson(Senders.of(connection.id, connection.identity, connection.channels)))
            .put("frame", frame.json());
    routing
        .request(
            connection,
            RoutingShards.address(shards.ofConnection(connection.id), RoutingShards.CUSTOM),
            request)
        .onFailure(
            failure ->
                reject(
                    connection,
                    frame.id(),
                    RoutingRequests.errorOf(failure),
                    ServerFrames.original(text, frame.json())));
  }

  /** Answers bad input with an {@code error} frame; the connection carries on. */
  void reject(ClientConnection connection, String id, ProtocolError error, Object original) {
    connection.recordError(error.code().code() + ": " + error.message());
    metrics.error(error.code());
    connection.send(ServerFrames.error(id, error, original));
  }
}

package io.switchboard.server.connection;

import io.switchboard.plugin.AccessRequest.Action;
import io.switchboard.protocol.BusErrors;
import io.switchboard.protocol.CloseCode;
import io.switchboard.protocol.Envelope;
import io.switchboard.protocol.ErrorCode;
import io.switchboard.protocol.FrameCodec;
import io.switchboard.protocol.MessageType;
import io.switchboard.protocol.ProtocolError;
import io.switchboard.protocol.ProtocolException;
import io.switchboard.server.auth.Authenticator;
import io.switchboard.server.auth.ChannelAccess;
import io.switchboard.server.bus.ClientPublish;
import io.switchboard.server.config.SwitchboardConfig;
import io.switchboard.server.frame.Incidents;
import io.switchboard.server.frame.ServerFrames;
import io.switchboard.server.history.HistoryRequest;
import io.switchboard.server.history.StreamPosition;
import io.switchboard.server.metrics.SwitchboardMetrics;
import io.switchboard.server.plugin.ChannelAuthorizers;
import io.switchboard.server.plugin.Senders;
import io.switchboard.server.routing.RoutingShards;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.http.WebSocketFrame;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a socket's frames into actions: applies the connection's rate limit, assembles messages,
 * enforces size and UTF-8 (closing with 1009 or 1007), parses and checks every frame, decides by
 * the namespace rules (and the namespace's authorizer, if it names one) whether the client may join
 * or publish, answers bad input with an {@code error} frame that names the field and the rule, and
 * hands valid frames to routing.
 */
final class FrameHandler {

  private static final Logger log = LoggerFactory.getLogger(FrameHandler.class);

  /** How long routing may take to answer a request before the client gets {@code internal}. */
  static final long ROUTING_TIMEOUT_MS = 10_000;

  private final EventBus eventBus;
  private final SwitchboardConfig config;
  private final SwitchboardMetrics metrics;
  private final LocalChannels channels;
  private final ChannelAccess access;
  private final AuthorizerGate gate;
  private final Authenticator authenticator;
  private final Consumer<ClientConnection> identityChanged;
  private final RoutingShards shards;
  private final String instance;
  private final ClientPresence presence;

  /** Requests to this node's routing: never across the cluster. */
  private final DeliveryOptions routingOptions =
      new DeliveryOptions().setSendTimeout(ROUTING_TIMEOUT_MS).setLocalOnly(true);

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
    this.eventBus = vertx.eventBus();
    this.shards = shards;
    this.instance = instance;
    this.config = config;
    this.metrics = metrics;
    this.channels = channels;
    this.access = access;
    this.gate =
        new AuthorizerGate(new ChannelAuthorizers(eventBus, config.channels(), config.plugins()));
    this.authenticator = authenticator;
    this.identityChanged = identityChanged;
    this.presence = new ClientPresence(eventBus, this::reject);
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
          case JOIN -> join(connection, frame, text);
          case LEAVE -> leave(connection, frame);
          case PUBLISH -> publish(connection, frame, text);
          case REFRESH -> refresh(connection, frame);
          case PRESENCE -> presence.ask(connection, frame, text);
          case HISTORY -> history(connection, frame, text);
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

  private void join(ClientConnection connection, Envelope frame, String text) {
    String channel = requireChannel(frame, MessageType.JOIN);
    StreamPosition since =
        HistoryRequest.since(frame.json().getValue(Envelope.SINCE), Envelope.SINCE);
    if (connection.channels.contains(channel)) {
      throw new ProtocolException(ProtocolError.alreadySubscribed(channel));
    }
    ProtocolError refused = access.checkJoin(connection.identity, channel);
    if (refused != null) {
      throw new ProtocolException(refused);
    }
    int max = config.limits().maxChannelsPerConnection();
    if (connection.channels.size() >= max) {
      throw new ProtocolException(
          ProtocolError.of(
              ErrorCode.LIMIT_EXCEEDED,
              "a connection may join at most "
                  + max
                  + " channels (limits.maxChannelsPerConnection); leave one first"));
    }
    if (gate.asks(channel)) {
      gate.decide(
          connection,
          Action.JOIN,
          channel,
          null,
          () -> routeJoin(connection, frame, text, channel, since),
          refusal ->
              reject(connection, frame.id(), refusal, ServerFrames.original(text, frame.json())));
    } else {
      routeJoin(connection, frame, text, channel, since);
    }
  }

  private void routeJoin(
      ClientConnection connection,
      Envelope frame,
      String text,
      String channel,
      StreamPosition since) {
    if (!connection.isOpen()) {
      return;
    }
    // Subscribe locally first, holding deliveries back, so nothing published between routing's
    // decision and its answer is lost; hold the socket so the client's next frames wait for it.
    connection.joining = channel;
    channels.add(channel, connection);
    connection.updateReading();
    JsonObject request = membership(connection, channel);
    if (since != null) {
      request.put(
          Envelope.SINCE,
          new JsonObject().put(Envelope.OFFSET, since.offset()).put(Envelope.EPOCH, since.epoch()));
    }
    this.<JsonObject>toRouting(connection, shards.forChannel(channel, RoutingShards.JOIN), request)
        .onComplete(
            (reply, failure) -> {
              if (!connection.isOpen()) {
                connection.abandonJoin();
                return;
              }
              if (failure != null) {
                channels.remove(channel, connection);
                connection.abandonJoin();
                connection.updateReading();
                reject(
                    connection,
                    frame.id(),
                    errorOf(failure),
                    ServerFrames.original(text, frame.json()));
                return;
              }
              connection.channels.add(channel);
              JsonObject answer = reply.body();
              JsonObject confirmed =
                  new JsonObject().put("subscribers", answer.getInteger("subscribers", 0));
              // Absent only when, clustered, the channel's owner could not be asked.
              if (answer.containsKey(Envelope.OFFSET)) {
                confirmed
                    .put(Envelope.OFFSET, answer.getLong(Envelope.OFFSET))
                    .put(Envelope.EPOCH, answer.getString(Envelope.EPOCH));
              }
              List<Buffer> replay = new ArrayList<>();
              if (answer.containsKey("recovered")) {
                confirmed.put("recovered", answer.getBoolean("recovered"));
                answer
                    .getJsonArray("replay", new JsonArray())
                    .forEach(one -> replay.add(Buffer.buffer((String) one)));
              }
              connection.send(ServerFrames.subscriptionConfirmed(frame.id(), channel, confirmed));
              connection.finishJoin(true, answer.getLong(Envelope.OFFSET, 0L), replay);
              connection.updateReading();
            });
  }

  private void leave(ClientConnection connection, Envelope frame) {
    String channel = requireChannel(frame, MessageType.LEAVE);
    if (!connection.channels.remove(channel)) {
      throw new ProtocolException(ProtocolError.notSubscribed(channel));
    }
    connection.joinedAt.remove(channel);
    channels.remove(channel, connection);
    this.<JsonObject>toRouting(
            connection,
            shards.forChannel(channel, RoutingShards.LEAVE),
            membership(connection, channel))
        .onComplete(
            (reply, failure) -> {
              if (failure != null) {
                reject(connection, frame.id(), errorOf(failure), frame.json());
              } else {
                connection.send(ServerFrames.left(frame.id(), channel));
              }
            });
  }

  private void publish(ClientConnection connection, Envelope frame, String text) {
    String channel = requireChannel(frame, MessageType.PUBLISH);
    if (!frame.hasData()) {
      throw new ProtocolException(
          ProtocolError.missingField(Envelope.DATA, MessageType.PUBLISH.wireName()));
    }
    ProtocolError refused =
        access.checkPublish(connection.identity, channel, connection.channels.contains(channel));
    if (refused != null) {
      throw new ProtocolException(refused);
    }
    if (gate.asks(channel)) {
      gate.decide(
          connection,
          Action.PUBLISH,
          channel,
          frame.data(),
          () -> routePublish(connection, frame, text, channel),
          refusal ->
              reject(connection, frame.id(), refusal, ServerFrames.original(text, frame.json())));
    } else {
      routePublish(connection, frame, text, channel);
    }
  }

  /**
   * Hands an allowed publish to routing; also when its publisher closed while an authorizer
   * decided, since the message was received before.
   */
  private void routePublish(
      ClientConnection connection, Envelope frame, String text, String channel) {
    ClientPublish publish =
        new ClientPublish(
            connection.id,
            channel,
            frame.data(),
            frame.id() == null ? null : connection.publishKey(frame.id()));
    if (frame.id() == null) {
      // No ack asked for, and everything the client controls is checked above: hand the message
      // over without a reply, which would cost a timer and one more event-loop hand-over each.
      eventBus.send(shards.forChannel(channel, RoutingShards.PUBLISH), publish, routingOptions);
      return;
    }
    this.<JsonObject>toRouting(
            connection, shards.forChannel(channel, RoutingShards.PUBLISH), publish)
        .onComplete(
            (reply, failure) -> {
              if (failure != null) {
                reject(
                    connection,
                    frame.id(),
                    errorOf(failure),
                    ServerFrames.original(text, frame.json()));
              } else {
                JsonObject stamped = reply.body();
                connection.send(
                    ServerFrames.ack(
                        frame.id(),
                        stamped.getLong(Envelope.OFFSET, 0L),
                        stamped.getString(Envelope.EPOCH),
                        stamped.getBoolean("duplicate", false)));
              }
            });
  }

  /**
   * A {@code history} request: allowed for the channels the client may join (by the namespace's
   * rules, and its authorizer as for a join), answered by the shard holding the channel (clustered:
   * by the channel's owner) with a {@code history} frame.
   */
  private void history(ClientConnection connection, Envelope frame, String text) {
    String channel = requireChannel(frame, MessageType.HISTORY);
    if (frame.hasData() && frame.data() != null && !(frame.data() instanceof JsonObject)) {
      throw new ProtocolException(
          ProtocolError.wrongType(Envelope.DATA, "an object", frame.data()));
    }
    JsonObject data = frame.data() instanceof JsonObject object ? object : new JsonObject();
    HistoryRequest request =
        new HistoryRequest(
            channel,
            HistoryRequest.since(data.getValue(Envelope.SINCE), "data." + Envelope.SINCE),
            HistoryRequest.limit(
                data.getValue("limit"), "data.limit", config.channels().maxHistoryLimit()));
    ProtocolError refused = access.checkJoin(connection.identity, channel);
    if (refused != null) {
      throw new ProtocolException(refused);
    }
    Runnable read =
        () ->
            this.<JsonObject>toRouting(
                    connection, shards.forChannel(channel, RoutingShards.HISTORY), request.toJson())
                .onComplete(
                    (reply, failure) -> {
                      if (failure != null) {
                        reject(
                            connection,
                            frame.id(),
                            errorOf(failure),
                            ServerFrames.original(text, frame.json()));
                        return;
                      }
                      JsonObject answer = reply.body();
                      answer.remove(Envelope.CHANNEL);
                      connection.send(ServerFrames.history(frame.id(), channel, answer));
                    });
    if (gate.asks(channel)) {
      gate.decide(
          connection,
          Action.JOIN,
          channel,
          null,
          read,
          refusal ->
              reject(connection, frame.id(), refusal, ServerFrames.original(text, frame.json())));
    } else {
      read.run();
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
    toRouting(
            connection,
            RoutingShards.address(shards.ofConnection(connection.id), RoutingShards.CUSTOM),
            request)
        .onFailure(
            failure ->
                reject(
                    connection,
                    frame.id(),
                    errorOf(failure),
                    ServerFrames.original(text, frame.json())));
  }

  /** A request to routing on behalf of a connection, counted until it is answered. */
  private <T> Future<Message<T>> toRouting(
      ClientConnection connection, String address, Object body) {
    connection.replyPending();
    return eventBus
        .<T>request(address, body, routingOptions)
        .andThen(answered -> connection.replyArrived());
  }

  /** A join or leave, as routing takes it: who, on which instance, which channel. */
  private JsonObject membership(ClientConnection connection, String channel) {
    return Memberships.request(connection, channel, instance, config.channels());
  }

  private static String requireChannel(Envelope frame, MessageType type) {
    if (frame.channel() == null) {
      throw new ProtocolException(ProtocolError.missingField(Envelope.CHANNEL, type.wireName()));
    }
    return frame.channel();
  }

  /** Answers bad input with an {@code error} frame; the connection carries on. */
  void reject(ClientConnection connection, String id, ProtocolError error, Object original) {
    connection.recordError(error.code().code() + ": " + error.message());
    metrics.error(error.code());
    connection.send(ServerFrames.error(id, error, original));
  }

  /** The protocol error a failed routing request carries, or {@code internal} with a reference. */
  private static ProtocolError errorOf(Throwable failure) {
    return BusErrors.protocolError(failure)
        .orElseGet(() -> Incidents.report(log, "routing request failed", failure));
  }
}

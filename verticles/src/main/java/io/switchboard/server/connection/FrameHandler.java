package io.switchboard.server.connection;

import io.switchboard.protocol.Addresses;
import io.switchboard.protocol.BusErrors;
import io.switchboard.protocol.ChannelNames;
import io.switchboard.protocol.CloseCode;
import io.switchboard.protocol.Envelope;
import io.switchboard.protocol.ErrorCode;
import io.switchboard.protocol.FrameCodec;
import io.switchboard.protocol.MessageType;
import io.switchboard.protocol.ProtocolError;
import io.switchboard.protocol.ProtocolException;
import io.switchboard.server.bus.ClientPublish;
import io.switchboard.server.config.SwitchboardConfig;
import io.switchboard.server.frame.Incidents;
import io.switchboard.server.frame.ServerFrames;
import io.switchboard.server.metrics.SwitchboardMetrics;
import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.http.WebSocketFrame;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a socket's frames into actions: assembles messages, enforces size and UTF-8 (closing with
 * 1009 or 1007), parses and checks every frame, answers bad input with an {@code error} frame that
 * names the field and the rule, and hands valid frames to routing.
 */
final class FrameHandler {

  private static final Logger log = LoggerFactory.getLogger(FrameHandler.class);

  /** How long routing may take to answer a request before the client gets {@code internal}. */
  static final long ROUTING_TIMEOUT_MS = 10_000;

  private final EventBus eventBus;
  private final SwitchboardConfig config;
  private final SwitchboardMetrics metrics;
  private final LocalChannels channels;
  private final DeliveryOptions routingOptions =
      new DeliveryOptions().setSendTimeout(ROUTING_TIMEOUT_MS);

  FrameHandler(
      EventBus eventBus,
      SwitchboardConfig config,
      SwitchboardMetrics metrics,
      LocalChannels channels) {
    this.eventBus = eventBus;
    this.config = config;
    this.metrics = metrics;
    this.channels = channels;
  }

  void onFrame(ClientConnection connection, WebSocketFrame frame) {
    if (connection.closeCodeSent != null) {
      return; // closing: whatever the client still sends is ignored
    }
    long now = System.currentTimeMillis();
    connection.lastFrameAt = now;
    switch (connection.assembler.push(frame)) {
      case CONTROL, PARTIAL -> {}
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
        reject(connection, null, ProtocolError.unsupportedFrame(), null);
      }
      case TEXT -> {
        received(connection, now);
        onText(connection, connection.assembler.text());
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
    if (ChannelNames.isServerChannel(channel) && !channel.equals(ChannelNames.TELEMETRY)) {
      throw new ProtocolException(
          ProtocolError.of(
              ErrorCode.CHANNEL_NOT_FOUND,
              "channel '"
                  + channel
                  + "' does not exist; the server's own channels are "
                  + ChannelNames.TELEMETRY));
    }
    if (connection.channels.contains(channel)) {
      throw new ProtocolException(ProtocolError.alreadySubscribed(channel));
    }
    // Subscribe locally first, holding deliveries back, so nothing published between routing's
    // decision and its answer is lost; pause the socket so the client's next frames wait for it.
    connection.joining = channel;
    channels.add(channel, connection);
    connection.ws.pause();
    JsonObject request =
        new JsonObject().put("connectionId", connection.id).put("channel", channel);
    this.<JsonObject>toRouting(connection, Addresses.ROUTING_JOIN, request)
        .onComplete(
            (reply, failure) -> {
              if (!connection.isOpen()) {
                connection.finishJoin(false);
                return;
              }
              if (!connection.draining) {
                connection.ws.resume();
              }
              if (failure != null) {
                channels.remove(channel, connection);
                connection.finishJoin(false);
                reject(
                    connection,
                    frame.id(),
                    errorOf(failure),
                    ServerFrames.original(text, frame.json()));
                return;
              }
              connection.channels.add(channel);
              int subscribers = reply.body().getInteger("subscribers", 0);
              connection.send(ServerFrames.subscriptionConfirmed(frame.id(), channel, subscribers));
              connection.finishJoin(true);
            });
  }

  private void leave(ClientConnection connection, Envelope frame) {
    String channel = requireChannel(frame, MessageType.LEAVE);
    if (!connection.channels.remove(channel)) {
      throw new ProtocolException(ProtocolError.notSubscribed(channel));
    }
    channels.remove(channel, connection);
    JsonObject request =
        new JsonObject().put("connectionId", connection.id).put("channel", channel);
    this.<JsonObject>toRouting(connection, Addresses.ROUTING_LEAVE, request)
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
    if (ChannelNames.isServerChannel(channel)) {
      throw new ProtocolException(
          ProtocolError.forbidden(
              "clients may not publish to '$' channels; '" + channel + "' belongs to the server"));
    }
    if (config.channels().publishRequiresJoin() && !connection.channels.contains(channel)) {
      throw new ProtocolException(ProtocolError.notSubscribed(channel));
    }
    ClientPublish publish = new ClientPublish(connection.id, channel, frame.data());
    if (frame.id() == null) {
      // No ack asked for, and everything the client controls is checked above: hand the message
      // over without a reply, which would cost a timer and one more event-loop hand-over each.
      eventBus.send(Addresses.ROUTING_PUBLISH, publish, routingOptions);
      return;
    }
    toRouting(connection, Addresses.ROUTING_PUBLISH, publish)
        .onComplete(
            (reply, failure) -> {
              if (failure != null) {
                reject(
                    connection,
                    frame.id(),
                    errorOf(failure),
                    ServerFrames.original(text, frame.json()));
              } else if (frame.id() != null) {
                connection.send(ServerFrames.ack(frame.id()));
              }
            });
  }

  /** A type that is not built in: routing hands it to the plugin that owns it, if any. */
  private void custom(ClientConnection connection, Envelope frame, String text) {
    JsonObject request =
        new JsonObject().put("connectionId", connection.id).put("frame", frame.json());
    toRouting(connection, Addresses.ROUTING_CUSTOM, request)
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

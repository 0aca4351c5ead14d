package io.switchboard.server.connection;

import io.switchboard.protocol.Addresses;
import io.switchboard.protocol.BusErrors;
import io.switchboard.protocol.Envelope;
import io.switchboard.protocol.ErrorCode;
import io.switchboard.protocol.MessageType;
import io.switchboard.protocol.ProtocolError;
import io.switchboard.protocol.ProtocolException;
import io.switchboard.server.frame.Incidents;
import io.switchboard.server.frame.ServerFrames;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A client's {@code presence} frame: who is in a channel it has joined, on every node. The answer
 * is asked of this node's presence address ({@link Addresses#PRESENCE}), which gathers it from
 * every node of the cluster, and holds at most {@link #MAX_MEMBERS} members (the first ones by
 * connection id) beside the count of all of them.
 */
final class ClientPresence {

  /** The most members one {@code presence} answer lists; {@code count} counts them all. */
  static final int MAX_MEMBERS = 100;

  private static final Logger log = LoggerFactory.getLogger(ClientPresence.class);

  /** How a refused or failed request is answered: {@link FrameHandler#reject}. */
  @FunctionalInterface
  interface Refusals {
    void reject(ClientConnection connection, String id, ProtocolError error, Object original);
  }

  private final EventBus eventBus;
  private final Refusals refusals;

  /** This node's consumer gathers the cluster's answer. */
  private final DeliveryOptions options =
      new DeliveryOptions().setLocalOnly(true).setSendTimeout(FrameHandler.ROUTING_TIMEOUT_MS);

  ClientPresence(EventBus eventBus, Refusals refusals) {
    this.eventBus = eventBus;
    this.refusals = refusals;
  }

  /**
   * Answers {@code presence} for a channel the connection has joined (its join confirmed): the join
   * passed the namespace's rules and authorizer, so presence shows a channel's members only to
   * those who may read it. Any other channel is {@code not_subscribed}.
   */
  void ask(ClientConnection connection, Envelope frame, String text) {
    String channel = frame.channel();
    if (channel == null) {
      throw new ProtocolException(
          ProtocolError.missingField(Envelope.CHANNEL, MessageType.PRESENCE.wireName()));
    }
    if (!connection.channels.contains(channel)) {
      throw new ProtocolException(
          ProtocolError.of(
              ErrorCode.NOT_SUBSCRIBED,
              "not subscribed to channel '"
                  + channel
                  + "'; presence lists a channel's members to its subscribers: join it first"));
    }
    connection.replyPending();
    eventBus
        .<JsonObject>request(
            Addresses.PRESENCE,
            new JsonObject().put("channel", channel).put("limit", MAX_MEMBERS),
            options)
        .andThen(answered -> connection.replyArrived())
        .onComplete(
            (reply, failure) -> {
              if (!connection.isOpen()) {
                return;
              }
              if (failure != null) {
                refusals.reject(
                    connection,
                    frame.id(),
                    BusErrors.protocolError(failure)
                        .orElseGet(() -> Incidents.report(log, "presence request failed", failure)),
                    ServerFrames.original(text, frame.json()));
                return;
              }
              JsonObject answer = reply.body();
              JsonObject data =
                  new JsonObject()
                      .put("count", answer.getInteger("count", 0))
                      .put("members", answer.getJsonArray("members", new JsonArray()))
                      .put("more", answer.getBoolean("more", false))
                      .put("partial", answer.containsKey("unansweredNodes"));
              connection.send(ServerFrames.presence(frame.id(), channel, data));
            });
  }
}

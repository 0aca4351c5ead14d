package io.switchboard.server.connection;

import io.switchboard.protocol.Addresses;
import io.switchboard.protocol.Envelope;
import io.switchboard.protocol.ErrorCode;
import io.switchboard.protocol.MessageType;
import io.switchboard.protocol.ProtocolError;
import io.switchboard.protocol.ProtocolException;
import io.switchboard.server.frame.ServerFrames;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * A client's {@code presence} frame: who is in a channel it has joined, on every node. The answer
 * is asked of this node's presence address ({@link Addresses#PRESENCE}), which gathers it from
 * every node of the cluster, and holds at most {@link #MAX_MEMBERS} members (the first ones by
 * connection id) beside the count of all of them.
 */
final class ClientPresence {

  /** The most members one {@code presence} answer lists; {@code count} counts them all. */
  static final int MAX_MEMBERS = 100;

  /** How a refused or failed request is answered: {@link FrameHandler#reject}. */
  @FunctionalInterface
  interface Refusals {
    void reject(ClientConnection connection, String id, ProtocolError error, Object original);

    /** Refuses a client's frame with {@code error}, quoting the frame as the client sent it. */
    default void reject(
        ClientConnection connection, Envelope frame, String text, ProtocolError error) {
      reject(connection, frame.id(), error, ServerFrames.original(text, frame.json()));
    }
  }

  /** Asks this node's presence consumer, which gathers the cluster's answer. */
  private final RoutingRequests requests;

  private final Refusals refusals;

  ClientPresence(RoutingRequests requests, Refusals refusals) {
    this.requests = requests;
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
    requests
        .<JsonObject>request(
            connection,
            Addresses.PRESENCE,
            new JsonObject().put("channel", channel).put("limit", MAX_MEMBERS))
        .onComplete(
            (reply, failure) -> {
              if (!connection.isOpen()) {
                return;
              }
              if (failure != null) {
                refusals.reject(
                    connection,
                    frame,
                    text,
                    RoutingRequests.errorOf("presence request failed", failure));
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

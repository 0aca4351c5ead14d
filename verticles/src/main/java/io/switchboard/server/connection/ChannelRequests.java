package io.switchboard.server.connection;

import io.switchboard.plugin.AccessRequest.Action;
import io.switchboard.protocol.Envelope;
import io.switchboard.protocol.ErrorCode;
import io.switchboard.protocol.MessageType;
import io.switchboard.protocol.ProtocolError;
import io.switchboard.protocol.ProtocolException;
import io.switchboard.server.auth.ChannelAccess;
import io.switchboard.server.bus.ClientPublish;
import io.switchboard.server.config.SwitchboardConfig;
import io.switchboard.server.frame.ServerFrames;
import io.switchboard.server.history.HistoryRequest;
import io.switchboard.server.history.StreamPosition;
import io.switchboard.server.routing.RoutingShards;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * A client's channel requests: {@code join} (with {@code since}), {@code leave}, {@code publish}
 * and {@code history}. Each is checked (its fields, the namespace's rules, the connection's
 * limits), asked of the namespace's authorizer when it names one, and handed to the routing shard
 * that holds the channel; the answer goes back to the client as the confirmation, {@code left},
 * {@code ack} or {@code history} frame, or as an {@code error} that names the rule. Used on the
 * connection instance's event loop only.
 */
final class ChannelRequests {

  private final SwitchboardConfig config;
  private final LocalChannels channels;
  private final ChannelAccess access;
  private final AuthorizerGate gate;
  private final RoutingRequests routing;
  private final RoutingShards shards;
  private final String instance;
  private final ClientPresence.Refusals refusals;

  ChannelRequests(
      SwitchboardConfig config,
      LocalChannels channels,
      ChannelAccess access,
      AuthorizerGate gate,
      RoutingRequests routing,
      RoutingShards shards,
      String instance,
      ClientPresence.Refusals refusals) {
    this.config = config;
    this.channels = channels;
    this.access = access;
    this.gate = gate;
    this.routing = routing;
    this.shards = shards;
    this.instance = instance;
    this.refusals = refusals;
  }

  void join(ClientConnection connection, Envelope frame, String text) {
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
          refusal -> refusals.reject(connection, frame, text, refusal));
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
    routing
        .<JsonObject>request(connection, shards.forChannel(channel, RoutingShards.JOIN), request)
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
                refusals.reject(connection, frame, text, RoutingRequests.errorOf(failure));
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

  void leave(ClientConnection connection, Envelope frame) {
    String channel = requireChannel(frame, MessageType.LEAVE);
    if (!connection.channels.remove(channel)) {
      throw new ProtocolException(ProtocolError.notSubscribed(channel));
    }
    connection.joinedAt.remove(channel);
    channels.remove(channel, connection);
    routing
        .<JsonObject>request(
            connection,
            shards.forChannel(channel, RoutingShards.LEAVE),
            membership(connection, channel))
        .onComplete(
            (reply, failure) -> {
              if (failure != null) {
                refusals.reject(
                    connection, frame.id(), RoutingRequests.errorOf(failure), frame.json());
              } else {
                connection.send(ServerFrames.left(frame.id(), channel));
              }
            });
  }

  void publish(ClientConnection connection, Envelope frame, String text) {
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
          refusal -> refusals.reject(connection, frame, text, refusal));
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
      routing.send(shards.forChannel(channel, RoutingShards.PUBLISH), publish);
      return;
    }
    routing
        .<JsonObject>request(connection, shards.forChannel(channel, RoutingShards.PUBLISH), publish)
        .onComplete(
            (reply, failure) -> {
              if (failure != null) {
                refusals.reject(connection, frame, text, RoutingRequests.errorOf(failure));
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
  void history(ClientConnection connection, Envelope frame, String text) {
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
            routing
                .<JsonObject>request(
                    connection, shards.forChannel(channel, RoutingShards.HISTORY), request.toJson())
                .onComplete(
                    (reply, failure) -> {
                      if (failure != null) {
                        refusals.reject(connection, frame, text, RoutingRequests.errorOf(failure));
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
          refusal -> refusals.reject(connection, frame, text, refusal));
    } else {
      read.run();
    }
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
}

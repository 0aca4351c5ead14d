package io.switchboard.server.routing;

import io.switchboard.protocol.BusErrors;
import io.switchboard.protocol.ErrorCode;
import io.switchboard.protocol.ProtocolError;
import io.switchboard.protocol.ProtocolException;
import io.switchboard.server.cluster.NodeAddresses;
import io.switchboard.server.config.ChannelsConfig;
import io.switchboard.server.frame.Incidents;
import io.switchboard.server.history.HistoryRequest;
import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Questions about channel streams that reach a routing shard: history requests (from clients, the
 * {@code switchboard.history} address and the admin API) and, clustered, a join's question to the
 * channel's owner. The shard holding a channel answers from its {@link ChannelStreams} when its
 * node owns the channel, and asks the owner node otherwise. Used only on the shard's event loop.
 */
final class StreamQuestions {

  private static final Logger log = LoggerFactory.getLogger(StreamQuestions.class);

  private static final DeliveryOptions LOCAL = new DeliveryOptions().setLocalOnly(true);

  private final EventBus eventBus;
  private final RoutingShards shards;
  private final ChannelStreams streams;
  private final Supplier<Broker> broker;
  private final ChannelsConfig channels;

  StreamQuestions(
      EventBus eventBus,
      RoutingShards shards,
      ChannelStreams streams,
      Supplier<Broker> broker,
      ChannelsConfig channels) {
    this.eventBus = eventBus;
    this.shards = shards;
    this.streams = streams;
    this.broker = broker;
    this.channels = channels;
  }

  /** Clustered: where a channel's stream is for a join here, asked of the channel's owner. */
  Future<JsonObject> askOwner(String channel, JsonObject since) {
    JsonObject body = new JsonObject().put("channel", channel).put("join", true);
    if (since != null) {
      body.put("since", since);
    }
    return broker.get().forwardHistory(channel, body).map(Message::body);
  }

  /**
   * A question about the stream of a channel this shard holds: answered here when this node owns it
   * (or another node forwarded it here as the owner), asked of the owner otherwise.
   */
  void onHistory(Message<JsonObject> request) {
    JsonObject body = request.body();
    String channel = body.getString("channel");
    boolean forwarded =
        NodeAddresses.SCOPE_NODE.equals(request.headers().get(NodeAddresses.SCOPE_HEADER));
    if (!forwarded && !broker.get().ownsHere(channel)) {
      broker
          .get()
          .forwardHistory(channel, body)
          .onComplete(
              (answer, failure) -> {
                if (failure == null) {
                  request.reply(answer.body());
                } else if (failure instanceof ReplyException reply && reply.failureCode() > 0) {
                  BusErrors.forward(request, reply);
                } else {
                  BusErrors.fail(
                      request,
                      ProtocolError.of(
                          ErrorCode.UNAVAILABLE,
                          "the node owning channel '"
                              + channel
                              + "' did not answer: "
                              + failure.getMessage()));
                }
              });
      return;
    }
    Future<JsonObject> answer =
        body.getBoolean("join", false)
            ? streams.join(channel, HistoryRequest.since(body.getValue("since"), "since"))
            : streams.history(HistoryRequest.fromBus(body, channels.maxHistoryLimit()));
    answer.onComplete(
        (json, failure) -> {
          if (failure == null) {
            request.reply(json);
          } else if (failure instanceof ProtocolException refused) {
            BusErrors.fail(request, refused.error());
          } else {
            BusErrors.fail(request, Incidents.report(log, "history read failed", failure));
          }
        });
  }

  /**
   * A history request from a service ({@code switchboard.history}), which any shard may receive:
   * checked here, answered by the shard holding the channel.
   */
  void onServiceHistory(Message<Object> request) {
    HistoryRequest history = HistoryRequest.fromBus(request.body(), channels.maxHistoryLimit());
    eventBus
        .request(
            shards.forChannel(history.channel(), RoutingShards.HISTORY), history.toJson(), LOCAL)
        .onComplete((answer, failure) -> passOn(request, answer, failure));
  }

  private static void passOn(Message<Object> request, Message<Object> answer, Throwable failure) {
    if (failure == null) {
      request.reply(answer.body());
    } else if (failure instanceof ReplyException reply && reply.failureCode() > 0) {
      BusErrors.forward(request, reply);
    } else {
      BusErrors.fail(request, Incidents.report(log, "history request failed", failure));
    }
  }
}

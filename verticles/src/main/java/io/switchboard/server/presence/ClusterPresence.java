package io.switchboard.server.presence;

import io.switchboard.protocol.Addresses;
import io.switchboard.protocol.BusErrors;
import io.switchboard.protocol.ChannelNames;
import io.switchboard.protocol.ErrorCode;
import io.switchboard.protocol.FrameCodec;
import io.switchboard.protocol.ProtocolError;
import io.switchboard.protocol.ProtocolException;
import io.switchboard.server.bus.InternalAddresses;
import io.switchboard.server.bus.PageRequest;
import io.switchboard.server.bus.PresencePages;
import io.switchboard.server.cluster.Nodes;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Who is in a channel, on every node: membership lives only in the connection instances' hubs, so
 * each node's routing gathers its instances' pages ({@code presence} query of {@code
 * switchboard.routing.query}) and this class merges the nodes' pages into one, as the admin API's
 * listings do. Serves the admin route {@code GET /api/channels/{name}/presence}, the public address
 * {@link Addresses#PRESENCE} and, through that address on its own node, the clients' {@code
 * presence} frames. A node that does not answer within {@code cluster.answerTimeoutMs} is left out
 * and named in {@code "unansweredNodes"}.
 */
public final class ClusterPresence {

  private final Vertx vertx;
  private final Nodes nodes;

  public ClusterPresence(Vertx vertx, Nodes nodes) {
    this.vertx = vertx;
    this.nodes = nodes;
  }

  /**
   * One page of a channel's members on every node, in connection-id order.
   *
   * @return {@code {"channel", "count", "members": [{"connectionId", "userId", "organizationId",
   *     "joinedAt"}], "more", "unansweredNodes"?}}; fails with a {@link ProtocolException} {@code
   *     channel_not_found} when no node that answered has a member in it, or as the nodes failed
   *     when none answered
   */
  public Future<JsonObject> members(String channel, PageRequest page) {
    return nodes
        .askEvery(
            InternalAddresses.ROUTING_QUERY,
            page.writeTo(new JsonObject().put("query", "presence").put("name", channel)))
        .compose(
            answers -> {
              if (answers.answered().isEmpty()) {
                return Future.failedFuture(
                    new ProtocolException(ProtocolError.channelNotFound(channel)));
              }
              JsonObject merged =
                  PresencePages.merge(channel, page, answers.answered().values().iterator());
              if (!answers.unanswered().isEmpty()) {
                merged.put("unansweredNodes", new JsonArray(answers.unanswered()));
              }
              return Future.succeededFuture(merged);
            });
  }

  /** Consumes {@link Addresses#PRESENCE} on this node (clustered, every node does). */
  public MessageConsumer<Object> register() {
    return vertx.eventBus().consumer(Addresses.PRESENCE, this::onRequest);
  }

  private void onRequest(Message<Object> request) {
    String channel;
    PageRequest page;
    try {
      if (!(request.body() instanceof JsonObject body)) {
        throw new ProtocolException(
            ProtocolError.of(
                ErrorCode.BAD_REQUEST,
                "the presence request must be a JSON object, was "
                    + ProtocolError.jsonKind(request.body())));
      }
      channel = FrameCodec.optionalString(body, "channel");
      if (channel == null) {
        throw new ProtocolException(ProtocolError.missingField("channel"));
      }
      ChannelNames.validate("channel", channel);
      page = new PageRequest(FrameCodec.optionalString(body, "after"), limit(body));
    } catch (ProtocolException e) {
      BusErrors.fail(request, e.error());
      return;
    }
    members(channel, page)
        .onComplete(
            (answer, failure) -> {
              if (failure == null) {
                request.reply(answer);
              } else if (failure instanceof ProtocolException refused) {
                BusErrors.fail(request, refused.error());
              } else if (failure instanceof ReplyException refused && refused.failureCode() > 0) {
                BusErrors.forward(request, refused);
              } else {
                BusErrors.fail(
                    request,
                    ProtocolError.of(
                        ErrorCode.UNAVAILABLE,
                        "no node answered about channel '"
                            + channel
                            + "' in time: "
                            + failure.getMessage()));
              }
            });
  }

  private static int limit(JsonObject body) {
    Object value = body.getValue("limit");
    if (value == null) {
      return PageRequest.DEFAULT_LIMIT;
    }
    if (!(value instanceof Integer limit) || limit < 1 || limit > PageRequest.MAX_LIMIT) {
      throw new ProtocolException(
          ProtocolError.invalidField(
              "limit", value, "a whole number from 1 to " + PageRequest.MAX_LIMIT));
    }
    return limit;
  }
}

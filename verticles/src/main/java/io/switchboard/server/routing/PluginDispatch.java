package io.switchboard.server.routing;

import io.switchboard.protocol.BusErrors;
import io.switchboard.protocol.ErrorCode;
import io.switchboard.protocol.ProtocolError;
import io.switchboard.protocol.ProtocolException;
import io.switchboard.server.bus.InternalAddresses;
import io.switchboard.server.plugin.PluginRoute;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import java.util.Map;

/**
 * A routing shard's hand-over of plugin frames ({@link RoutingShards#CUSTOM}) to the host verticle
 * of the plugin owning their type. Used on the shard's event loop; a {@link ProtocolException} it
 * throws answers the request.
 */
final class PluginDispatch {

  /** How much longer than a plugin's own timeout routing waits before giving up on its host. */
  static final long PLUGIN_TIMEOUT_MARGIN_MS = 1_000;

  private final EventBus eventBus;
  private final Map<String, PluginRoute> pluginRoutes;

  PluginDispatch(EventBus eventBus, Map<String, PluginRoute> pluginRoutes) {
    this.eventBus = eventBus;
    this.pluginRoutes = pluginRoutes;
  }

  /**
   * A type that is not built in: hands it to the plugin that owns it, with the sender as its
   * connection instance verified it and where it lives, and passes the plugin's answer back.
   */
  void dispatch(Message<JsonObject> request) {
    JsonObject frame = request.body().getJsonObject("frame", new JsonObject());
    String type = frame.getString("type", "");
    PluginRoute route = pluginRoutes.get(type);
    if (route == null) {
      throw new ProtocolException(ProtocolError.unknownType(type));
    }
    // The identity comes from the connection's instance, which holds the current one (a refresh
    // may have changed its grants), and so does where it lives.
    JsonObject dispatch =
        new JsonObject()
            .put(
                "sender",
                request
                    .body()
                    .getJsonObject("sender", new JsonObject())
                    .copy()
                    .put("connectionId", request.body().getString("connectionId"))
                    .put("instance", request.body().getString("instance")))
            .put("frame", frame);
    eventBus
        .request(
            InternalAddresses.plugin(route.plugin()),
            dispatch,
            new DeliveryOptions()
                .setLocalOnly(true)
                .setSendTimeout(route.timeoutMs() + PLUGIN_TIMEOUT_MARGIN_MS))
        .onSuccess(answer -> request.reply(new JsonObject()))
        .onFailure(failure -> failCustom(request, route, type, failure));
  }

  private static void failCustom(
      Message<JsonObject> request, PluginRoute route, String type, Throwable failure) {
    ProtocolError answered = BusErrors.protocolError(failure).orElse(null);
    if (answered != null) {
      BusErrors.fail(request, answered);
    } else if (failure instanceof ReplyException reply
        && reply.failureType() == ReplyFailure.RECIPIENT_FAILURE) {
      request.fail(reply.failureCode(), reply.getMessage());
    } else if (failure instanceof ReplyException reply
        && reply.failureType() == ReplyFailure.TIMEOUT) {
      BusErrors.fail(
          request,
          ProtocolError.of(
              ErrorCode.PLUGIN_TIMEOUT,
              "plugin '" + route.plugin() + "' did not handle " + type + " in time"));
    } else {
      BusErrors.fail(
          request,
          ProtocolError.of(
              ErrorCode.PLUGIN_ERROR,
              "plugin '" + route.plugin() + "' is not running: " + failure.getMessage()));
    }
  }
}

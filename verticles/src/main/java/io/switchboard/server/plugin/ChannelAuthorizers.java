package io.switchboard.server.plugin;

import io.switchboard.plugin.AccessRequest;
import io.switchboard.plugin.AccessRequest.Action;
import io.switchboard.plugin.Sender;
import io.switchboard.protocol.BusErrors;
import io.switchboard.protocol.ErrorCode;
import io.switchboard.protocol.ProtocolError;
import io.switchboard.server.bus.InternalAddresses;
import io.switchboard.server.config.ChannelsConfig;
import io.switchboard.server.config.ChannelsConfig.NamespaceConfig;
import io.switchboard.server.config.PluginsConfig;
import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Asks the authorizer of a channel's namespace ({@code channels.namespaces.<prefix>.authorizer})
 * whether a join or publish may go ahead, over the plugin's authorize address. Failures never
 * grant: a plugin that does not answer in time refuses with {@code plugin_timeout}, one that is not
 * running with {@code plugin_error}. Stateless; used from any event loop.
 */
public final class ChannelAuthorizers {

  /**
   * How much longer than the plugin's own timeout the asker waits for its host, which answers
   * {@code plugin_timeout} by itself when the plugin is late: this only covers a host that cannot
   * answer at all.
   */
  static final long TIMEOUT_MARGIN_MS = 1_000;

  private final EventBus eventBus;
  private final ChannelsConfig channels;
  private final PluginsConfig plugins;

  /** Whether any namespace names an authorizer: most servers have none to ask, ever. */
  private final boolean any;

  public ChannelAuthorizers(EventBus eventBus, ChannelsConfig channels, PluginsConfig plugins) {
    this.eventBus = eventBus;
    this.channels = channels;
    this.plugins = plugins;
    this.any = channels.namespaces().values().stream().anyMatch(NamespaceConfig::hasAuthorizer);
  }

  /** Whether the channel's namespace names an authorizer to ask. */
  public boolean asks(String channel) {
    if (!any) {
      return false;
    }
    NamespaceConfig namespace = channels.namespace(channel);
    return namespace != null && namespace.hasAuthorizer();
  }

  /**
   * Asks the channel's authorizer, if its namespace names one; call it once the namespace's rules
   * allowed the action.
   *
   * @param data for a publish, its data (the plugin gets a copy); null for a join
   * @return a future that never fails: null when allowed (or when there is no authorizer to ask),
   *     else the refusal to answer the client with
   */
  public Future<ProtocolError> authorize(
      Action action, String channel, Sender sender, Object data) {
    if (!asks(channel)) {
      return Future.succeededFuture();
    }
    String plugin = channels.namespace(channel).authorizer();
    AccessRequest request =
        new AccessRequest(action, channel, ChannelsConfig.namespaceOf(channel), sender, copy(data));
    Future<?> answer;
    try {
      answer = ask(plugin, request);
    } catch (RuntimeException e) {
      // Whatever went wrong, the asker gets a refusal: it must never wait forever, or grant.
      answer = Future.failedFuture(e);
    }
    return answer.transform(
        answered ->
            Future.succeededFuture(
                answered.succeeded() ? null : refusal(plugin, request, answered.cause())));
  }

  private Future<?> ask(String plugin, AccessRequest request) {
    return eventBus.request(
        InternalAddresses.pluginAuthorizer(plugin),
        request,
        new DeliveryOptions()
            .setLocalOnly(true)
            .setSendTimeout(plugins.timeoutOf(plugin) + TIMEOUT_MARGIN_MS));
  }

  private static ProtocolError refusal(String plugin, AccessRequest request, Throwable failure) {
    ProtocolError error = BusErrors.protocolError(failure).orElse(null);
    if (error != null) {
      return error;
    }
    if (failure instanceof ReplyException reply && reply.failureType() == ReplyFailure.TIMEOUT) {
      return ProtocolError.of(
          ErrorCode.PLUGIN_TIMEOUT,
          "plugin '" + plugin + "' did not decide on " + describe(request) + " in time");
    }
    return ProtocolError.of(
        ErrorCode.PLUGIN_ERROR,
        "plugin '"
            + plugin
            + "' could not be asked to decide on "
            + describe(request)
            + " (is it running?): "
            + failure.getMessage());
  }

  /** {@code joining 'room:ops'} or {@code publishing to 'room:ops'}, for messages. */
  static String describe(AccessRequest request) {
    return (request.action() == Action.JOIN ? "joining '" : "publishing to '")
        + request.channel()
        + "'";
  }

  /** The plugin's own copy of a publish's data: what it changes is not what is published. */
  private static Object copy(Object data) {
    if (data instanceof JsonObject object) {
      return object.copy();
    }
    if (data instanceof JsonArray array) {
      return array.copy();
    }
    return data;
  }
}

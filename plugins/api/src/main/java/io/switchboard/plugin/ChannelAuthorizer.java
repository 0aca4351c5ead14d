package io.switchboard.plugin;

import io.vertx.core.Future;
import java.util.Set;

/**
 * A plugin that decides, in the team's own code, who may join and publish to the channels of a
 * namespace: Switchboard's answer to Centrifugo's subscribe and publish proxies, without a network
 * hop. A namespace asks it when its configuration names the plugin:
 *
 * <pre>{@code
 * "channels": {"namespaces": {"room": {"join": "authenticated", "publish": "subscribers",
 *                                      "authorizer": "rooms"}}}
 * }</pre>
 *
 * <p><b>Rules first.</b> The namespace's own rules ({@code join}, {@code publish}, a token's
 * channel grants) decide first and are a floor: the authorizer is asked only about joins and
 * publishes they allowed, so it can narrow access, never widen it. A join is asked about after
 * every other check (already joined, {@code limits.maxChannelsPerConnection}); a publish after its
 * {@code data} was checked.
 *
 * <p><b>Discovery and lifecycle.</b> An authorizer is a {@link MessageTypePlugin}: it has a {@link
 * #name()} (which {@code channels.namespaces.<prefix>.authorizer} names), {@link #start} and {@link
 * #stop}, its settings ({@code plugins.settings.<name>}: {@code enabled}, {@code timeoutMs}, {@code
 * config}) and its jar. List it in {@code
 * META-INF/services/io.switchboard.plugin.ChannelAuthorizer} (or in the {@code MessageTypePlugin}
 * services file; a class listed in both is loaded once). It owns no message type unless it
 * overrides {@link #messageTypes()} and {@link #handle} as well. A namespace naming a plugin that
 * is not loaded, is disabled or is not a {@code ChannelAuthorizer} stops the server's start-up with
 * a message naming both.
 *
 * <p><b>Threading.</b> {@link #authorize} runs on the plugin's own event loop, like {@link #start},
 * {@link #handle} and {@link #stop}, never concurrently with them, so the plugin needs no locks for
 * its own state. It must not block: use {@link PluginEnvironment#vertx()} for timers, the event bus
 * and {@code executeBlocking}, and return a future that completes later.
 *
 * <p><b>While it decides.</b> The connection that asked reads nothing more until the decision
 * arrives, so its frames keep their order (a publish decided late is still delivered before the
 * publisher's next one); other connections are not held up.
 *
 * <p><b>Failure never grants access.</b> A decision that does not arrive within the plugin's
 * timeout ({@code plugins.timeoutMs}, or its own {@code timeoutMs} setting) refuses the join or
 * publish with {@code plugin_timeout} (retryable), logged with a reference id like a {@link
 * MessageTypePlugin}'s timeouts; its later arrival is ignored. An {@code authorize} that throws,
 * returns null, fails, completes with null or refuses with another plugin's code refuses it with
 * {@code plugin_error}, whose message carries a reference id logged with the stack trace. A plugin
 * that is not running refuses with {@code plugin_error} too.
 */
public interface ChannelAuthorizer extends MessageTypePlugin {

  /**
   * Decides whether a connection may join, or publish to, a channel of a namespace this plugin
   * authorizes.
   *
   * @return a future of {@link AccessDecision#allow()}, or of a refusal whose code and message the
   *     client gets ({@code forbidden} by default); anything else refuses, see the class comment
   */
  Future<AccessDecision> authorize(AccessRequest request);

  /** None, unless the plugin also owns message types. */
  @Override
  default Set<String> messageTypes() {
    return Set.of();
  }

  /** Never called for a plugin that owns no message type. */
  @Override
  default Future<Void> handle(PluginContext context) {
    return Future.failedFuture(
        new UnsupportedOperationException(
            "plugin '" + name() + "' declares message types but does not handle them"));
  }
}

package io.switchboard.plugin;

import io.vertx.core.Future;
import java.util.Set;

/**
 * A plugin that owns one or more message types.
 *
 * <p><b>Discovery.</b> Implementations need a public no-argument constructor and a line in {@code
 * META-INF/services/io.switchboard.plugin.MessageTypePlugin}. The server finds them on its class
 * path and in every jar of its plugins folder, each jar in a class loader of its own.
 *
 * <p><b>Threading.</b> Each plugin runs on one Vert.x event loop of its own choosing: {@link
 * #start}, {@link #handle} and {@link #stop} are all called there, never concurrently, so a plugin
 * needs no locks for its own state. They must not block: no blocking I/O, no {@code sleep}, no long
 * computation. Use {@link PluginContext#vertx()} for timers, the event bus and {@code
 * executeBlocking}.
 *
 * <p><b>Ordering.</b> Frames are handed to {@link #handle} in the order the server received them
 * from each connection. Once handed over, their handling may complete in any order.
 *
 * <p><b>Failure.</b> A {@code handle} that throws, or whose future fails with anything but a
 * rejection ({@link PluginContext#reject}), answers the sender {@code plugin_error} with a
 * reference id that is logged with the stack trace; so does a rejection with a code of another
 * plugin ({@link io.switchboard.protocol.PluginErrorCode}). A {@code handle} whose future does not
 * complete within the plugin's timeout ({@code plugins.timeoutMs}, or the plugin's own {@code
 * timeoutMs} setting) answers {@code plugin_timeout}, with a reference id logged beside the
 * plugin's name and the frame's type (at most ten such lines a minute per plugin: the answers
 * beyond carry no reference); its later completion is ignored. Neither disturbs other connections
 * or other plugins. A {@link #start} that fails stops the server's start-up with the plugin's name.
 */
public interface MessageTypePlugin {

  /**
   * The plugin's unique name: lower-case letters, digits and dashes, e.g. {@code chat}. It names
   * the plugin's settings ({@code plugins.settings.<name>}), its metrics and its log lines.
   */
  String name();

  /**
   * The message types this plugin owns, e.g. {@code CHAT_MESSAGE}. A type may be owned by one
   * plugin only and may not be a built-in type or alias ({@code join}, {@code JOIN_CHANNEL}, ...):
   * either stops the server's start-up with a message naming both owners. Only a {@link
   * ChannelAuthorizer} may own none.
   */
  Set<String> messageTypes();

  /**
   * The plugin's version, shown by {@code GET /api/plugins}. Defaults to the jar manifest's {@code
   * Implementation-Version}, or {@code unknown}. For a plugin found in a jar (in the plugins folder
   * or on the class path) whose version is {@code unknown}, the server shows the version Maven
   * wrote into that jar ({@code META-INF/maven/<group>/<artifact>/pom.properties}) instead.
   */
  default String version() {
    String version = getClass().getPackage().getImplementationVersion();
    return version == null ? "unknown" : version;
  }

  /**
   * Called once before the first frame, on the plugin's event loop.
   *
   * @return a future that completes when the plugin is ready; a failure stops start-up
   */
  default Future<Void> start(PluginEnvironment environment) {
    return Future.succeededFuture();
  }

  /**
   * Handles one inbound frame of an owned type.
   *
   * @return a future completing when the frame is handled: succeeded (handled), failed through
   *     {@link PluginContext#reject} (rejected: the sender gets that error), or failed otherwise
   *     ({@code plugin_error})
   */
  Future<Void> handle(PluginContext context);

  /** Called once at shutdown, after the last frame, on the plugin's event loop. */
  default Future<Void> stop() {
    return Future.succeededFuture();
  }
}

/**
 * The Switchboard plugin SPI: add message types to the server without forking it.
 *
 * <p>A plugin implements {@link io.switchboard.plugin.MessageTypePlugin}, declares the message
 * types it owns, and is found with {@link java.util.ServiceLoader}: list the class in {@code
 * META-INF/services/io.switchboard.plugin.MessageTypePlugin} and drop the jar into the server's
 * plugins folder. Every inbound frame of an owned type is handed to {@link
 * io.switchboard.plugin.MessageTypePlugin#handle(PluginContext)}, whose {@link
 * io.switchboard.plugin.PluginContext} tells who sent it and lets the plugin publish, broadcast,
 * reply or reject (with a protocol error code or one of its own, {@link
 * io.switchboard.protocol.PluginErrorCode}).
 *
 * <p>A {@link io.switchboard.plugin.ChannelAuthorizer} decides who may join and publish to the
 * channels of the namespaces that name it ({@code channels.namespaces.<prefix>.authorizer}), after
 * the namespace's own rules allowed them: {@link io.switchboard.plugin.AccessRequest} in, {@link
 * io.switchboard.plugin.AccessDecision} out.
 *
 * <p>This package depends on the SDK's {@code io.switchboard.protocol} package and Vert.x only,
 * never on the server.
 */
package io.switchboard.plugin;

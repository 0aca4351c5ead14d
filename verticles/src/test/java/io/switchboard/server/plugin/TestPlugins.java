package io.switchboard.server.plugin;

import io.switchboard.plugin.MessageTypePlugin;
import io.switchboard.plugin.PluginContext;
import io.switchboard.plugin.PluginEnvironment;
import io.switchboard.protocol.ErrorCode;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;
import java.util.Set;

/** Small plugins with one behaviour each, for the server's plugin tests. */
final class TestPlugins {

  private TestPlugins() {}

  /** A plugin given as a name, its types and a handler. */
  static MessageTypePlugin of(String name, Set<String> types, Handler handler) {
    return new MessageTypePlugin() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public Set<String> messageTypes() {
        return types;
      }

      @Override
      public Future<Void> handle(PluginContext context) {
        return handler.handle(context);
      }
    };
  }

  @FunctionalInterface
  interface Handler {
    Future<Void> handle(PluginContext context);
  }

  /** ECHO: publishes data to the frame's channel and acks; rejects a frame without a channel. */
  static MessageTypePlugin echo() {
    return of(
        "echo",
        Set.of("ECHO"),
        context -> {
          String channel = context.frame().channel();
          if (channel == null) {
            return context.reject(ErrorCode.BAD_REQUEST, "field 'channel' is required for ECHO");
          }
          return context
              .publish(
                  channel,
                  new JsonObject()
                      .put("echo", context.frame().data())
                      .put("from", context.sender().connectionId())
                      .put("user", context.sender().userId())
                      .put("joined", context.sender().hasJoined(channel)))
              .compose(delivered -> context.ack());
        });
  }

  /** BOOM: throws. */
  static MessageTypePlugin throwing() {
    return of(
        "boom",
        Set.of("BOOM"),
        context -> {
          throw new IllegalStateException("the plugin blew up on purpose");
        });
  }

  /** STALL: never answers. */
  static MessageTypePlugin stalling() {
    return of("stall", Set.of("STALL"), context -> Promise.<Void>promise().future());
  }

  /** CONFIGURED: replies with its own configuration and what start() saw. */
  static MessageTypePlugin configured() {
    return new MessageTypePlugin() {
      private JsonObject seenAtStart;

      @Override
      public String name() {
        return "configured";
      }

      @Override
      public Set<String> messageTypes() {
        return Set.of("WHAT_CONFIG");
      }

      @Override
      public String version() {
        return "2.1.0";
      }

      @Override
      public Future<Void> start(PluginEnvironment environment) {
        seenAtStart = environment.config();
        return Future.succeededFuture();
      }

      @Override
      public Future<Void> handle(PluginContext context) {
        return context.reply(
            "config", new JsonObject().put("context", context.config()).put("start", seenAtStart));
      }
    };
  }

  /** ORG_NOTE: broadcasts to the sender's organisation and to one user. */
  static MessageTypePlugin broadcaster() {
    return of(
        "broadcaster",
        Set.of("ORG_NOTE"),
        context ->
            context
                .broadcastToOrganization(
                    context.sender().organizationId(), "ORG_NOTE", context.frame().data())
                .compose(n -> context.broadcastToUser("watcher", "COPY", n))
                .mapEmpty());
  }
}

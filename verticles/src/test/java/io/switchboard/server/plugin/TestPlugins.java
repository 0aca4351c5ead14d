package io.switchboard.server.plugin;

import io.switchboard.plugin.AccessDecision;
import io.switchboard.plugin.AccessRequest;
import io.switchboard.plugin.ChannelAuthorizer;
import io.switchboard.plugin.MessageTypePlugin;
import io.switchboard.plugin.PluginContext;
import io.switchboard.plugin.PluginEnvironment;
import io.switchboard.protocol.ErrorCode;
import io.switchboard.protocol.PluginErrorCode;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

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

  /**
   * POLL_VOTE: refuses with the plugin's own codes, by {@code data}: {@code "closed"} with {@code
   * polls.closed}, {@code "busy"} with the retryable {@code polls.busy}, {@code "foreign"} with
   * another plugin's code, {@code "malformed"} by building a code that breaks the rules; acks
   * anything else.
   */
  static MessageTypePlugin polls() {
    PluginErrorCode closed = PluginErrorCode.of("polls", "closed", false);
    PluginErrorCode busy = PluginErrorCode.of("polls", "busy", true);
    return of(
        "polls",
        Set.of("POLL_VOTE"),
        context -> {
          Object data = context.frame().data();
          if ("closed".equals(data)) {
            return context.reject(closed, "poll 'lunch' closed at 12:00");
          }
          if ("busy".equals(data)) {
            return context.reject(busy, "too many votes at once; vote again in a moment");
          }
          if ("foreign".equals(data)) {
            return context.reject(
                PluginErrorCode.of("chat", "closed", false), "borrowed another plugin's code");
          }
          if ("malformed".equals(data)) {
            return context.reject(
                PluginErrorCode.of("polls", "Not-Snake", false), "never reaches anyone");
          }
          return context.ack();
        });
  }

  /**
   * SAY: publishes {@code data} to the frame's channel on the sender's behalf ({@code
   * publishAsSender}), so the channel's namespace decides as for a client's publish.
   */
  static MessageTypePlugin sayer() {
    return of(
        "say",
        Set.of("SAY"),
        context ->
            context
                .publishAsSender(context.frame().channel(), context.frame().data())
                .compose(delivered -> context.ack()));
  }

  /**
   * The authorizer "rooms", deciding by the channel's name after its namespace: {@code open-*}
   * allowed; {@code closed-*} refused ({@code forbidden}); {@code full-*} refused with the
   * retryable {@code rooms.full}; {@code foreign-*} refused with another plugin's code; {@code
   * throw-*} throws; {@code null-*} completes with null; {@code hang-*} never decides. A publish's
   * data decides it: {@code {"refuse": "why"}} refuses, {@code {"delay": ms}} decides after that
   * long, {@code {"full": true}} refuses with {@code rooms.full}; the authorizer also writes into
   * its copy of the data. Every request is recorded.
   */
  static final class Rooms implements ChannelAuthorizer {

    static final PluginErrorCode FULL = PluginErrorCode.of("rooms", "full", true);

    final List<AccessRequest> requests = new CopyOnWriteArrayList<>();
    private Vertx vertx;

    @Override
    public String name() {
      return "rooms";
    }

    @Override
    public Future<Void> start(PluginEnvironment environment) {
      vertx = environment.vertx();
      return Future.succeededFuture();
    }

    @Override
    public Future<AccessDecision> authorize(AccessRequest request) {
      requests.add(request);
      String room = request.channel().substring(request.channel().indexOf(':') + 1);
      if (room.startsWith("throw-")) {
        throw new IllegalStateException("the authorizer blew up on purpose");
      }
      if (room.startsWith("null-")) {
        return Future.succeededFuture(null);
      }
      if (room.startsWith("hang-")) {
        return Promise.<AccessDecision>promise().future();
      }
      if (room.startsWith("closed-")) {
        return Future.succeededFuture(AccessDecision.refuse("room '" + room + "' is closed"));
      }
      if (room.startsWith("full-")) {
        return Future.succeededFuture(
            AccessDecision.refuse(FULL, "room '" + room + "' is full; try again later"));
      }
      if (room.startsWith("foreign-")) {
        return Future.succeededFuture(
            AccessDecision.refuse(
                PluginErrorCode.of("chat", "closed", false), "borrowed another plugin's code"));
      }
      if (request.data() instanceof JsonObject data) {
        data.put("seenBy", "rooms");
        if (data.containsKey("refuse")) {
          return Future.succeededFuture(AccessDecision.refuse(data.getString("refuse")));
        }
        if (data.getBoolean("full", false)) {
          return Future.succeededFuture(AccessDecision.refuse(FULL, "this room is full"));
        }
        long delay = data.getLong("delay", 0L);
        if (delay > 0) {
          Promise<AccessDecision> later = Promise.promise();
          vertx.setTimer(delay, t -> later.complete(AccessDecision.allow()));
          return later.future();
        }
      }
      return Future.succeededFuture(AccessDecision.allow());
    }

    /** The requests recorded for one channel. */
    List<AccessRequest> about(String channel) {
      return requests.stream().filter(r -> r.channel().equals(channel)).toList();
    }
  }
}

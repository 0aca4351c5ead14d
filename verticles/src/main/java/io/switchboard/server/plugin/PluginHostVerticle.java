package io.switchboard.server.plugin;

import io.switchboard.plugin.AccessDecision;
import io.switchboard.plugin.AccessRequest;
import io.switchboard.plugin.ChannelAuthorizer;
import io.switchboard.plugin.MessageTypePlugin;
import io.switchboard.plugin.PluginEnvironment;
import io.switchboard.plugin.PluginRejection;
import io.switchboard.plugin.Sender;
import io.switchboard.protocol.BusErrors;
import io.switchboard.protocol.Envelope;
import io.switchboard.protocol.ErrorCode;
import io.switchboard.protocol.FrameCodec;
import io.switchboard.protocol.PluginErrorCode;
import io.switchboard.protocol.ProtocolError;
import io.switchboard.protocol.ProtocolException;
import io.switchboard.server.auth.ChannelAccess;
import io.switchboard.server.bus.InternalAddresses;
import io.switchboard.server.config.SwitchboardConfig;
import io.switchboard.server.metrics.PluginMeters;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one plugin on a context of its own: starts and stops it, hands it every frame routing
 * dispatches to {@code switchboard.plugin.<name>} and, for a {@link ChannelAuthorizer}, every
 * question connections send to {@code switchboard.plugin.<name>.authorize}, turning what happens
 * into an answer: handled or allowed; rejected or refused (the plugin's error); {@code
 * plugin_error} (it threw, failed or broke its contract; logged with a reference id) or {@code
 * plugin_timeout} (no answer within its timeout; logged with a reference id too, at most {@link
 * #TIMEOUT_LOG_LINES} times a minute per plugin).
 */
public final class PluginHostVerticle extends VerticleBase {

  private static final Logger log = LoggerFactory.getLogger(PluginHostVerticle.class);

  /**
   * Timeouts of one plugin logged per {@link #TIMEOUT_LOG_WINDOW_NANOS}: a plugin that hangs on
   * every frame must show in the log without flooding it. Every timeout is counted in {@code
   * switchboard_plugin_failed_total{reason="timeout"}}.
   */
  static final int TIMEOUT_LOG_LINES = 10;

  static final long TIMEOUT_LOG_WINDOW_NANOS = TimeUnit.MINUTES.toNanos(1);

  private final LoadedPlugin loaded;
  private final PluginMeters meters;
  private final SwitchboardConfig config;
  private final List<MessageConsumer<?>> consumers = new ArrayList<>();
  private final LogBudget timeoutLog =
      new LogBudget(TIMEOUT_LOG_LINES, TIMEOUT_LOG_WINDOW_NANOS, System::nanoTime);

  /** Frames whose plugin acted after their timeout, logged as its timeouts are. */
  private final LogBudget lateLog =
      new LogBudget(TIMEOUT_LOG_LINES, TIMEOUT_LOG_WINDOW_NANOS, System::nanoTime);

  private ChannelAccess access;
  private ChannelAuthorizers authorizers;

  /**
   * @param config the server's configuration: the namespace rules and authorizers that {@code
   *     publishAsSender} applies
   */
  public PluginHostVerticle(LoadedPlugin loaded, PluginMeters meters, SwitchboardConfig config) {
    this.loaded = loaded;
    this.meters = meters;
    this.config = config;
  }

  @Override
  public Future<?> start() {
    access = new ChannelAccess(config.channels());
    authorizers = new ChannelAuthorizers(vertx.eventBus(), config.channels(), config.plugins());
    MessageTypePlugin plugin = loaded.plugin();
    JsonObject pluginConfig = loaded.settings().config();
    Vertx vertx = this.vertx;
    Future<Void> started;
    try {
      started =
          plugin.start(
              new PluginEnvironment() {
                @Override
                public Vertx vertx() {
                  return vertx;
                }

                @Override
                public JsonObject config() {
                  return pluginConfig;
                }
              });
    } catch (RuntimeException e) {
      started = Future.failedFuture(e);
    }
    return started
        .recover(
            failure ->
                Future.failedFuture(
                    new PluginStartException(
                        "plugin " + loaded.label() + " failed to start: " + failure.getMessage(),
                        failure)))
        .compose(
            ok -> {
              if (!plugin.messageTypes().isEmpty()) {
                consumers.add(
                    vertx
                        .eventBus()
                        .localConsumer(InternalAddresses.plugin(loaded.name()), this::onFrame));
              }
              if (plugin instanceof ChannelAuthorizer authorizer) {
                consumers.add(
                    vertx
                        .eventBus()
                        .<AccessRequest>localConsumer(
                            InternalAddresses.pluginAuthorizer(loaded.name()),
                            request -> onAuthorize(authorizer, request)));
              }
              return Future.all(consumers.stream().map(MessageConsumer::completion).toList());
            });
  }

  @Override
  public Future<?> stop() {
    return Future.join(consumers.stream().map(MessageConsumer::unregister).toList())
        .otherwiseEmpty()
        .compose(
            v -> {
              try {
                return loaded.plugin().stop();
              } catch (RuntimeException e) {
                return Future.failedFuture(e);
              }
            })
        .onFailure(e -> log.warn("plugin stop failed [plugin: {}]", loaded.name(), e))
        .otherwiseEmpty();
  }

  private void onFrame(Message<JsonObject> request) {
    long started = System.nanoTime();
    JsonObject body = request.body();
    JsonObject senderJson = body.getJsonObject("sender");
    Envelope frame = FrameCodec.toEnvelope(body.getJsonObject("frame"));
    Sender sender = Senders.fromJson(senderJson);
    PluginContextImpl context =
        new PluginContextImpl(
            vertx,
            frame,
            sender,
            senderJson.getString("instance"),
            loaded.settings().config(),
            access,
            authorizers);
    withTimeout(() -> loaded.plugin().handle(context), "handle returned null")
        .onComplete(
            (ok, failure) -> {
              long nanos = System.nanoTime() - started;
              String what = "handle " + frame.type();
              if (failure == null) {
                meters.handled(nanos);
                request.reply(new JsonObject());
                return;
              }
              if (failure instanceof TimeoutException) {
                // Before the sender is told: whatever the plugin still does for it is dropped.
                context.expire((action, before) -> droppedLate(what, sender, action, before));
              }
              ProtocolError rejection = rejection(failure);
              if (rejection == null) {
                BusErrors.fail(request, failure(failure, what, sender, nanos));
              } else if (mayUse(rejection) || context.relayed(failure)) {
                meters.rejected(nanos);
                BusErrors.fail(request, rejection);
              } else {
                meters.failed(nanos);
                BusErrors.fail(request, reported(what, sender, misused(rejection)));
              }
            });
  }

  private void onAuthorize(ChannelAuthorizer authorizer, Message<AccessRequest> message) {
    long started = System.nanoTime();
    AccessRequest request = message.body();
    String what = "decide on " + ChannelAuthorizers.describe(request);
    withTimeout(() -> authorizer.authorize(request), "authorize returned null")
        .onComplete(
            (decision, failure) -> {
              long nanos = System.nanoTime() - started;
              Throwable problem =
                  failure != null || decision != null
                      ? failure
                      : new IllegalStateException("authorize completed with null");
              if (problem != null) {
                BusErrors.fail(message, failure(problem, what, request.sender(), nanos));
                return;
              }
              AccessDecision answer = decision;
              if (answer.allowed()) {
                meters.authorized(true, nanos);
                message.reply(new JsonObject());
                return;
              }
              if (mayUse(answer.refusal())) {
                meters.authorized(false, nanos);
                BusErrors.fail(message, answer.refusal());
              } else {
                meters.failed(nanos);
                BusErrors.fail(
                    message, reported(what, request.sender(), misused(answer.refusal())));
              }
            });
  }

  /**
   * Calls the plugin, with its timeout: the future fails with a {@link TimeoutException} when the
   * plugin's does not complete in time (its later completion is ignored), and with the exception
   * when the call throws or returns null.
   */
  private <T> Future<T> withTimeout(Supplier<Future<T>> call, String whenNull) {
    Promise<T> outcome = Promise.promise();
    long timer = vertx.setTimer(loaded.timeoutMs(), id -> outcome.tryFail(new TimeoutException()));
    Future<T> called;
    try {
      called = call.get();
      if (called == null) {
        called = Future.failedFuture(new IllegalStateException(whenNull));
      }
    } catch (RuntimeException e) {
      called = Future.failedFuture(e);
    }
    called.onComplete(
        (result, failure) -> {
          vertx.cancelTimer(timer);
          if (failure == null) {
            outcome.tryComplete(result);
          } else {
            outcome.tryFail(failure);
          }
        });
    return outcome.future();
  }

  /** The error a plugin refused with on purpose, or null when it failed. */
  private static ProtocolError rejection(Throwable failure) {
    if (failure instanceof PluginRejection rejection) {
      return rejection.error();
    }
    if (failure instanceof ProtocolException rejection) {
      return rejection.error();
    }
    return null;
  }

  /** Whether the plugin may refuse with this code: the protocol's, or one of its own. */
  private boolean mayUse(ProtocolError refusal) {
    return !(refusal.code() instanceof PluginErrorCode code) || code.plugin().equals(loaded.name());
  }

  private static IllegalStateException misused(ProtocolError refusal) {
    PluginErrorCode code = (PluginErrorCode) refusal.code();
    return new IllegalStateException(
        "refused with the code '"
            + code.code()
            + "', which belongs to plugin '"
            + code.plugin()
            + "': a plugin's own codes start with its own name");
  }

  /** {@code plugin_timeout} or {@code plugin_error} (logged with a reference) for a failure. */
  private ProtocolError failure(Throwable failure, String what, Sender sender, long nanos) {
    if (failure instanceof TimeoutException) {
      meters.timedOut();
      return timedOut(what, sender);
    }
    meters.failed(nanos);
    return reported(what, sender, failure);
  }

  /**
   * {@code plugin_timeout}, logged with a reference that the answer names, unless this plugin's
   * timeouts have used up their log lines for the minute: then the answer names no reference.
   */
  private ProtocolError timedOut(String what, Sender sender) {
    String message =
        "plugin '" + loaded.name() + "' did not " + what + " within " + loaded.timeoutMs() + " ms";
    long notLogged = timeoutLog.take();
    if (notLogged == LogBudget.OVER) {
      return ProtocolError.of(ErrorCode.PLUGIN_TIMEOUT, message);
    }
    String reference = newReference();
    log.warn(
        "plugin timed out [plugin: {}, action: {}, conn: {}, timeout: {} ms, ref: {}, timeouts not"
            + " logged before this one: {}]",
        loaded.name(),
        what,
        sender.connectionId(),
        loaded.timeoutMs(),
        reference,
        notLogged);
    if (timeoutLog.spent()) {
      log.warn(
          "plugin timeouts not logged for the rest of the minute [plugin: {}, logged: {}]; the"
              + " metric switchboard_plugin_failed_total{reason=\"timeout\"} counts every one",
          loaded.name(),
          timeoutLog.lines());
    }
    return ProtocolError.of(
        ErrorCode.PLUGIN_TIMEOUT, message + "; reference " + reference + " in the server log");
  }

  /**
   * Counts an action the plugin took for a frame after the frame timed out, which was dropped; the
   * first one of each frame is logged, within its own budget of {@link #TIMEOUT_LOG_LINES} lines a
   * minute.
   */
  private void droppedLate(String what, Sender sender, String action, int droppedBefore) {
    meters.dropped();
    if (droppedBefore > 0) {
      return;
    }
    long notLogged = lateLog.take();
    if (notLogged == LogBudget.OVER) {
      return;
    }
    log.warn(
        "plugin acted after its timeout; dropped [plugin: {}, action: {}, conn: {}, dropped: {},"
            + " frames not logged before this one: {}]",
        loaded.name(),
        what,
        sender.connectionId(),
        action,
        notLogged);
  }

  private static String newReference() {
    return UUID.randomUUID().toString().substring(0, 8);
  }

  private ProtocolError reported(String what, Sender sender, Throwable failure) {
    String reference = newReference();
    log.error(
        "plugin failed [plugin: {}, action: {}, conn: {}, ref: {}]",
        loaded.name(),
        what,
        sender.connectionId(),
        reference,
        failure);
    return ProtocolError.of(
        ErrorCode.PLUGIN_ERROR,
        "plugin '"
            + loaded.name()
            + "' failed to "
            + what
            + "; reference "
            + reference
            + " in the server log");
  }
}

package io.switchboard.server.plugin;

import io.switchboard.plugin.MessageTypePlugin;
import io.switchboard.plugin.PluginEnvironment;
import io.switchboard.plugin.PluginRejection;
import io.switchboard.plugin.Sender;
import io.switchboard.protocol.Addresses;
import io.switchboard.protocol.BusErrors;
import io.switchboard.protocol.Envelope;
import io.switchboard.protocol.ErrorCode;
import io.switchboard.protocol.FrameCodec;
import io.switchboard.protocol.ProtocolError;
import io.switchboard.protocol.ProtocolException;
import io.switchboard.server.metrics.PluginMeters;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one message-type plugin on a context of its own: starts and stops it, and hands it every
 * frame routing dispatches to {@code switchboard.plugin.<name>}, turning what happens into an
 * answer: handled, rejected (the plugin's error), {@code plugin_error} (it threw or failed; logged
 * with a reference id) or {@code plugin_timeout} (no answer within its timeout).
 */
public final class PluginHostVerticle extends VerticleBase {

  private static final Logger log = LoggerFactory.getLogger(PluginHostVerticle.class);

  private final LoadedPlugin loaded;
  private final PluginMeters meters;
  private MessageConsumer<JsonObject> consumer;

  public PluginHostVerticle(LoadedPlugin loaded, PluginMeters meters) {
    this.loaded = loaded;
    this.meters = meters;
  }

  @Override
  public Future<?> start() {
    MessageTypePlugin plugin = loaded.plugin();
    JsonObject config = loaded.settings().config();
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
                  return config;
                }
              });
    } catch (RuntimeException e) {
      started = Future.failedFuture(e);
    }
    return started
        .recover(
            failure ->
                Future.failedFuture(
                    new PluginException(
                        "plugin " + loaded.label() + " failed to start: " + failure.getMessage(),
                        failure)))
        .compose(
            ok -> {
              consumer = vertx.eventBus().consumer(Addresses.plugin(loaded.name()), this::onFrame);
              return consumer.completion();
            });
  }

  @Override
  public Future<?> stop() {
    Future<Void> unregistered = consumer == null ? Future.succeededFuture() : consumer.unregister();
    return unregistered
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
    Sender sender = sender(senderJson);
    PluginContextImpl context =
        new PluginContextImpl(
            vertx, frame, sender, senderJson.getString("instance"), loaded.settings().config());
    Promise<Void> outcome = Promise.promise();
    long timer = vertx.setTimer(loaded.timeoutMs(), id -> outcome.tryFail(new TimeoutException()));
    Future<Void> handled;
    try {
      handled = loaded.plugin().handle(context);
      if (handled == null) {
        handled = Future.failedFuture(new IllegalStateException("handle returned null"));
      }
    } catch (RuntimeException e) {
      handled = Future.failedFuture(e);
    }
    handled.onComplete(
        (ok, failure) -> {
          vertx.cancelTimer(timer);
          if (failure == null) {
            outcome.tryComplete();
          } else {
            outcome.tryFail(failure);
          }
        });
    outcome
        .future()
        .onComplete(
            (ok, failure) -> answer(request, frame, sender, failure, System.nanoTime() - started));
  }

  private void answer(
      Message<JsonObject> request, Envelope frame, Sender sender, Throwable failure, long nanos) {
    if (failure == null) {
      meters.handled(nanos);
      request.reply(new JsonObject());
    } else if (failure instanceof PluginRejection rejection) {
      meters.rejected(nanos);
      BusErrors.fail(request, rejection.error());
    } else if (failure instanceof ProtocolException rejection) {
      meters.rejected(nanos);
      BusErrors.fail(request, rejection.error());
    } else if (failure instanceof TimeoutException) {
      meters.timedOut();
      BusErrors.fail(
          request,
          ProtocolError.of(
              ErrorCode.PLUGIN_TIMEOUT,
              "plugin '"
                  + loaded.name()
                  + "' did not handle "
                  + frame.type()
                  + " within "
                  + loaded.timeoutMs()
                  + " ms"));
    } else {
      meters.failed(nanos);
      String reference = UUID.randomUUID().toString().substring(0, 8);
      log.error(
          "plugin failed [plugin: {}, type: {}, conn: {}, ref: {}]",
          loaded.name(),
          frame.type(),
          sender.connectionId(),
          reference,
          failure);
      BusErrors.fail(
          request,
          ProtocolError.of(
              ErrorCode.PLUGIN_ERROR,
              "plugin '"
                  + loaded.name()
                  + "' failed to handle "
                  + frame.type()
                  + "; reference "
                  + reference
                  + " in the server log"));
    }
  }

  private static Sender sender(JsonObject json) {
    Set<String> channels = new HashSet<>();
    JsonArray list = json.getJsonArray("channels", new JsonArray());
    list.forEach(channel -> channels.add((String) channel));
    return new Sender(
        json.getString("connectionId"),
        json.getString("userId"),
        json.getString("organizationId"),
        channels);
  }
}

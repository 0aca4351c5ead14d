package io.switchboard.server.plugin;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.switchboard.plugin.MessageTypePlugin;
import io.switchboard.plugin.PluginContext;
import io.switchboard.plugin.PluginRejection;
import io.switchboard.protocol.ErrorCode;
import io.switchboard.server.testing.Await;
import io.switchboard.server.testing.ServerTestBase;
import io.switchboard.server.testing.WsClient;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * A plugin that answers after its timeout: the sender got {@code plugin_timeout}, which is
 * retryable, so whatever the plugin still does for that frame must reach nobody, and a retry of the
 * frame is applied once. The plugin acts late when the test tells it to (on the plugin's own event
 * loop, through the frame's context), never after a sleep.
 */
class PluginLateAnswerIT extends ServerTestBase {

  private static final int TIMEOUT_MS = 100;

  private final Logger hostLog = (Logger) LoggerFactory.getLogger(PluginHostVerticle.class);
  private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

  /** The frames LATE handled: the first is held past its timeout, the others answered at once. */
  private final AtomicInteger calls = new AtomicInteger();

  /** The held frame's context and the plugin's event loop, once the first frame arrived. */
  private final AtomicReference<Promise<Held>> held = new AtomicReference<>(Promise.promise());

  private record Held(PluginContext context, Context loop) {}

  @Override
  protected JsonObject config() {
    return new JsonObject()
        .put(
            "plugins",
            new JsonObject()
                .put(
                    "settings",
                    new JsonObject().put("late", new JsonObject().put("timeoutMs", TIMEOUT_MS))));
  }

  @Override
  protected List<MessageTypePlugin> plugins() {
    return List.of(
        TestPlugins.of(
            "late",
            Set.of("LATE"),
            context -> {
              if (calls.incrementAndGet() == 1) {
                held.get().complete(new Held(context, Vertx.currentContext()));
                return Promise.<Void>promise().future();
              }
              return apply(context).mapEmpty();
            }));
  }

  /** What LATE does: publishes its data to its channel, replies, and acks. */
  private static Future<Void> apply(PluginContext context) {
    return context
        .publish(context.frame().channel(), "LATE", context.frame().data())
        .compose(delivered -> context.reply("LATE_DONE", context.frame().data()))
        .compose(replied -> context.ack());
  }

  @BeforeEach
  void captureTheLog() {
    calls.set(0);
    held.set(Promise.promise());
    appender.list.clear();
    appender.start();
    hostLog.addAppender(appender);
  }

  @AfterEach
  void stopCapturing() {
    hostLog.detachAppender(appender);
    appender.stop();
  }

  private List<String> lines() {
    synchronized (appender) {
      return appender.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
    }
  }

  @Test
  void whatAPluginDoesAfterItsTimeoutReachesNobodyAndARetryIsAppliedOnce() {
    String channel = channel("late");
    WsClient subscriber = connectAs("bob", "acme");
    join(subscriber, channel);
    WsClient sender = connectAs("alice", "acme");
    JsonObject frame =
        new JsonObject()
            .put("type", "LATE")
            .put("id", "l1")
            .put("channel", channel)
            .put("data", new JsonObject().put("n", 1));
    long droppedBefore = server.server().metrics().plugin("late").droppedTotal();

    JsonObject timedOut = sender.request(frame);
    assertThat(timedOut.getString("type")).as("answer: %s", timedOut).isEqualTo("error");
    assertThat(timedOut.getString("id")).isEqualTo("l1");
    assertThat(timedOut.getJsonObject("error").getString("code")).isEqualTo("plugin_timeout");
    assertThat(timedOut.getJsonObject("error").getBoolean("retryable")).isTrue();

    // Now the plugin answers the frame it held: every action, on its own event loop.
    Held late = Await.result(held.get().future());
    Promise<List<Future<?>>> attempted = Promise.promise();
    late.loop()
        .runOnContext(
            v -> {
              PluginContext context = late.context();
              List<Future<?>> actions =
                  List.of(
                      context.publish(channel, "LATE", "late publish"),
                      context.publishAsSender(channel, "LATE", "late publish as sender"),
                      context.broadcastToUser("bob", "LATE", "late to bob"),
                      context.broadcastToOrganization("acme", "LATE", "late to acme"),
                      context.reply("LATE_DONE", "late reply"),
                      context.ack());
              Future.join(actions).onComplete(done -> attempted.complete(actions));
            });
    List<Future<?>> actions = Await.result(attempted.future());

    List<String> expected =
        List.of(
            "publish to '" + channel + "'",
            "publishAsSender to '" + channel + "'",
            "broadcast to user 'bob'",
            "broadcast to organization 'acme'",
            "reply LATE_DONE",
            "ack");
    for (int i = 0; i < actions.size(); i++) {
      Throwable failure = actions.get(i).cause();
      assertThat(failure).as("action %s", expected.get(i)).isInstanceOf(PluginRejection.class);
      PluginRejection rejection = (PluginRejection) failure;
      assertThat(rejection.error().code()).isEqualTo(ErrorCode.PLUGIN_TIMEOUT);
      assertThat(rejection.error().message())
          .isEqualTo(
              expected.get(i)
                  + " was dropped: the frame timed out, and its sender was answered"
                  + " plugin_timeout (a retry may follow)");
    }
    assertThat(server.server().metrics().plugin("late").droppedTotal() - droppedBefore)
        .isEqualTo(actions.size());
    assertThat(lines())
        .filteredOn(line -> line.startsWith("plugin acted after its timeout"))
        .containsExactly(
            "plugin acted after its timeout; dropped [plugin: late, action: handle LATE, conn: "
                + sender.connectionId()
                + ", dropped: publish to '"
                + channel
                + "', frames not logged before this one: 0]");
    // Every late action has returned: had any gone out, it would be ahead of these markers.
    assertNothingRoutedTo(subscriber);
    assertNothingRoutedTo(sender);

    // The retry is applied, once.
    sender.send(frame);
    JsonObject reply = sender.next("LATE_DONE");
    assertThat(reply.getString("id")).isEqualTo("l1");
    assertThat(reply.getJsonObject("data")).isEqualTo(new JsonObject().put("n", 1));
    assertThat(sender.next("ack").getString("id")).isEqualTo("l1");
    JsonObject delivered = subscriber.next("message");
    assertThat(delivered.getString("event")).isEqualTo("LATE");
    assertThat(delivered.getJsonObject("data")).isEqualTo(new JsonObject().put("n", 1));
    assertNothingRoutedTo(subscriber);
    assertNothingRoutedTo(sender);
    assertThat(calls.get()).isEqualTo(2);
  }

  @Test
  void aPluginThatAnswersInTimeIsNotDropped() {
    String channel = channel("in-time");
    WsClient subscriber = connect();
    join(subscriber, channel);
    WsClient sender = connect();
    calls.set(1); // every frame is answered at once
    long droppedBefore = server.server().metrics().plugin("late").droppedTotal();

    sender.send(
        new JsonObject()
            .put("type", "LATE")
            .put("id", "t1")
            .put("channel", channel)
            .put("data", "on time"));

    assertThat(sender.next("LATE_DONE").getString("data")).isEqualTo("on time");
    assertThat(sender.next("ack").getString("id")).isEqualTo("t1");
    assertThat(subscriber.next("message").getString("data")).isEqualTo("on time");
    assertThat(server.server().metrics().plugin("late").droppedTotal()).isEqualTo(droppedBefore);
  }
}

package io.switchboard.server.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.protocol.Addresses;
import io.switchboard.server.testing.Await;
import io.switchboard.server.testing.ServerTestBase;
import io.switchboard.server.testing.WsClient;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code metrics_update} every 100 ms to {@code $telemetry} subscribers, with a registered source;
 * heartbeat ticks every 50 ms serve as the clock that proves time has passed.
 */
class TelemetryIT extends ServerTestBase {

  private final AtomicInteger sourceAsked = new AtomicInteger();
  private final AtomicInteger ticks = new AtomicInteger();
  private MessageConsumer<JsonObject> source;
  private MessageConsumer<JsonObject> tickCounter;

  @Override
  protected JsonObject config() {
    return new JsonObject()
        .put("telemetry", new JsonObject().put("intervalMs", 100).put("sourceTimeoutMs", 200))
        .put("heartbeat", new JsonObject().put("intervalMs", 50));
  }

  @BeforeEach
  void registerSource() {
    var bus = server.vertx().eventBus();
    source =
        bus.consumer(
            "test.telemetry.queue",
            request -> {
              sourceAsked.incrementAndGet();
              request.reply(new JsonObject().put("depth", 42));
            });
    tickCounter = bus.consumer(Addresses.HEARTBEAT_TICK, tick -> ticks.incrementAndGet());
    Await.result(source.completion());
    Await.result(tickCounter.completion());
    Await.result(
        bus.request(
            Addresses.TELEMETRY_REGISTER,
            new JsonObject().put("name", "queue").put("address", "test.telemetry.queue")));
  }

  @AfterEach
  void unregisterSource() {
    Await.result(
        server
            .vertx()
            .eventBus()
            .request(Addresses.TELEMETRY_UNREGISTER, new JsonObject().put("name", "queue")));
    Await.result(source.unregister());
    Await.result(tickCounter.unregister());
  }

  @Test
  void withoutSubscribersNothingIsCollectedOrSent() {
    WsClient bystander = connect();

    awaitTicks(12); // 600 ms: six telemetry intervals

    assertThat(sourceAsked.get()).isZero();
    bystander.assertNothingReceived();
  }

  @Test
  void subscribersGetServerFiguresAndRegisteredSources() {
    WsClient watcher = connect();
    join(watcher, "$telemetry");

    JsonObject update = watcher.next("metrics_update");

    assertThat(update.getString("channel")).isEqualTo("$telemetry");
    assertThat(update.getString("ts")).isNotBlank();
    JsonObject data = update.getJsonObject("data");
    assertThat(data.getInteger("activeConnections")).isEqualTo(1);
    assertThat(data.getInteger("channels")).isEqualTo(1);
    assertThat(data.getLong("messagesIn")).isGreaterThanOrEqualTo(1);
    assertThat(data.getLong("messagesOut")).isGreaterThanOrEqualTo(2);
    assertThat(data.getDouble("messagesInPerSecond")).isNotNull();
    assertThat(data.getDouble("messagesOutPerSecond")).isNotNull();
    assertThat(data.getLong("errors")).isNotNull();
    assertThat(data.getLong("uptimeMs")).isPositive();
    assertThat(data.getLong("intervalMs")).isEqualTo(100);
    assertThat(data.getJsonObject("queue")).isEqualTo(new JsonObject().put("depth", 42));
    assertThat(sourceAsked.get()).isPositive();
  }

  @Test
  void collectionStopsWhenTheLastSubscriberLeaves() {
    WsClient watcher = connect();
    join(watcher, "$telemetry");
    watcher.next("metrics_update");

    watcher.send(
        new JsonObject().put("type", "leave").put("channel", "$telemetry").put("id", "bye"));
    while (!"left".equals(watcher.next().getString("type"))) {
      // updates sent before the leave was processed
    }
    int askedAfterLeave = sourceAsked.get();
    awaitTicks(12);

    // At most one collection can have been in flight when the channel closed.
    assertThat(sourceAsked.get()).isBetween(askedAfterLeave, askedAfterLeave + 1);
    watcher.assertNothingReceived();
  }

  @Test
  void aSourceThatDoesNotAnswerIsLeftOutAndTheUpdateStillGoes() {
    var bus = server.vertx().eventBus();
    MessageConsumer<JsonObject> silent = bus.consumer("test.telemetry.silent", request -> {});
    Await.result(silent.completion());
    Await.result(
        bus.request(
            Addresses.TELEMETRY_REGISTER,
            new JsonObject().put("name", "silent").put("address", "test.telemetry.silent")));
    try {
      WsClient watcher = connect();
      join(watcher, "$telemetry");

      JsonObject data = watcher.next("metrics_update").getJsonObject("data");

      assertThat(data.containsKey("silent")).isFalse();
      assertThat(data.getJsonObject("queue")).isNotNull();
    } finally {
      Await.result(
          bus.request(Addresses.TELEMETRY_UNREGISTER, new JsonObject().put("name", "silent")));
      Await.result(silent.unregister());
    }
  }

  @Test
  void aSourceMayNotTakeTheNameOfABuiltInFigure() {
    Throwable failure =
        Await.failure(
            server
                .vertx()
                .eventBus()
                .request(
                    Addresses.TELEMETRY_REGISTER,
                    new JsonObject().put("name", "activeConnections").put("address", "x")));

    assertThat(((ReplyException) failure).failureCode()).isEqualTo(400);
    assertThat(failure.getMessage())
        .isEqualTo(
            "bad_request: field 'name' must be a name the server's own figures do not use, was"
                + " 'activeConnections'");
  }

  @Test
  void clientsMayNotPublishToTelemetry() {
    WsClient client = connect();
    join(client, "$telemetry");

    JsonObject error =
        client.request(
            new JsonObject().put("type", "publish").put("channel", "$telemetry").put("data", 1));

    while (error.getString("type").equals("metrics_update")) {
      error = client.next();
    }
    assertThat(error.getJsonObject("error").getString("code")).isEqualTo("forbidden");
  }

  private void awaitTicks(int count) {
    int target = ticks.get() + count;
    Await.until(count + " heartbeat ticks", () -> ticks.get() >= target);
  }
}

package io.switchboard.server.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.protocol.Addresses;
import io.switchboard.protocol.ChannelNames;
import io.switchboard.server.bus.InternalAddresses;
import io.switchboard.server.testing.Await;
import io.switchboard.server.testing.ServerTestBase;
import io.switchboard.server.testing.WsClient;
import io.vertx.core.Promise;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code metrics_update} every 100 ms to {@code $telemetry} subscribers, with a registered source
 * that answers how many collections have asked it. Heartbeat ticks every 50 ms serve as the clock
 * that proves time has passed; what did not happen is proven by round trips (through routing, the
 * telemetry verticle, the source and the client's socket), never by waiting alone.
 */
class TelemetryIT extends ServerTestBase {

  private static final String SOURCE = "test.telemetry.queue";

  private final AtomicInteger sourceAsked = new AtomicInteger();
  private final AtomicInteger ticks = new AtomicInteger();
  private MessageConsumer<JsonObject> source;
  private MessageConsumer<JsonObject> tickCounter;

  @Override
  protected JsonObject config() {
    return new JsonObject()
        // A source gets 2 s to answer: a slow machine must not make the answering one miss.
        .put("telemetry", new JsonObject().put("intervalMs", 100).put("sourceTimeoutMs", 2_000))
        .put("heartbeat", new JsonObject().put("intervalMs", 50));
  }

  @BeforeEach
  void registerSource() {
    EventBus bus = server.vertx().eventBus();
    // The last test's subscribers are gone once routing has no $telemetry channel; the register
    // request below then reaches telemetry after the channel's close, so nothing collects yet.
    Await.until("no $telemetry channel is left", () -> !telemetryChannelExists());
    sourceAsked.set(0);
    source =
        bus.consumer(
            SOURCE,
            request -> {
              if (request.body().getBoolean("probe", false)) {
                request.reply(new JsonObject().put("asked", sourceAsked.get()));
              } else {
                request.reply(queueFigures(sourceAsked.incrementAndGet()));
              }
            });
    tickCounter = bus.consumer(InternalAddresses.HEARTBEAT_TICK, tick -> ticks.incrementAndGet());
    Await.result(source.completion());
    Await.result(tickCounter.completion());
    Await.result(
        bus.request(
            Addresses.TELEMETRY_REGISTER,
            new JsonObject().put("name", "queue").put("address", SOURCE)));
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

    awaitTicks(12); // 600 ms: a running timer would have collected six times

    bystander.assertNothingReceived();
    assertThat(askedSoFar()).as("collections that asked the source").isZero();
    // The same two probes see telemetry as soon as there is a subscriber: the socket gets an
    // update, and that update comes from the first collection that ever asked the source.
    join(bystander, ChannelNames.TELEMETRY);
    JsonObject first = bystander.next("metrics_update").getJsonObject("data");
    assertThat(first.getJsonObject("queue")).isEqualTo(queueFigures(1));
  }

  @Test
  void subscribersGetServerFiguresAndRegisteredSources() {
    WsClient watcher = connect();
    join(watcher, ChannelNames.TELEMETRY);
    List<JsonObject> updates = new ArrayList<>();
    JsonObject before = nextUpdate(watcher, updates);
    assertThat(before.getInteger("activeConnections")).isEqualTo(1);
    assertThat(before.getInteger("channels")).isEqualTo(1);

    // Two more clients in a room: three publishes with acks and one frame of an unknown type.
    String room = channel("room");
    WsClient publisher = connect();
    WsClient reader = connect();
    join(publisher, room);
    join(reader, room);
    for (int i = 1; i <= 3; i++) {
      publisher.send(
          new JsonObject()
              .put("type", "publish")
              .put("channel", room)
              .put("id", "p" + i)
              .put("data", i));
    }
    publisher.send(new JsonObject().put("type", "nonsense"));
    // Publisher: welcome, confirmation, its 3 messages back, 3 acks, 1 error. Reader: welcome,
    // confirmation, 3 messages.
    Await.until(
        "every answer and delivery arrived",
        () -> publisher.textFramesReceived() == 9 && reader.textFramesReceived() == 5);
    assertThat(publisher.unread())
        .extracting(frame -> frame.getString("type"))
        .containsExactlyInAnyOrder("message", "message", "message", "ack", "ack", "ack", "error");
    assertThat(reader.unread())
        .extracting(frame -> frame.getString("type"))
        .containsExactly("message", "message", "message");
    assertThat(publisher.sync()).isEmpty();
    assertThat(reader.sync()).isEmpty();
    int sentByThem = publisher.textFramesSent() + reader.textFramesSent();
    int receivedByThem = publisher.textFramesReceived() + reader.textFramesReceived();
    assertThat(sentByThem).as("2 joins, 3 publishes, 1 unknown type, 2 pings").isEqualTo(8);
    assertThat(receivedByThem).as("the 14 frames above and 2 pongs").isEqualTo(16);
    // The watcher's ping is counted after all of the above; the first update to include it was
    // collected after every figure of theirs had been counted.
    for (JsonObject frame : watcher.sync()) {
      assertThat(frame.getString("type")).isEqualTo("metrics_update");
      updates.add(frame.getJsonObject("data"));
    }
    long expectedIn = before.getLong("messagesIn") + sentByThem + 1;
    JsonObject after = nextUpdate(watcher, updates);
    while (after.getLong("messagesIn") < expectedIn) {
      after = nextUpdate(watcher, updates);
    }

    assertThat(after.getLong("messagesIn")).isEqualTo(expectedIn);
    assertThat(after.getInteger("activeConnections")).isEqualTo(3);
    assertThat(after.getInteger("channels")).as("$telemetry and the room").isEqualTo(2);
    assertThat(after.getLong("broadcasts") - before.getLong("broadcasts")).isEqualTo(3);
    assertThat(after.getLong("errors") - before.getLong("errors")).isEqualTo(1);
    // Out: theirs exactly, plus what the watcher itself was sent meanwhile (its pong, the updates
    // counted between the two collections): at most every frame it received before this update,
    // its welcome and this update excepted.
    long watcherFrames = watcher.textFramesReceived() - 2;
    assertThat(after.getLong("messagesOut") - before.getLong("messagesOut") - receivedByThem)
        .isBetween(0L, watcherFrames);
    assertThat(after.getLong("intervalMs")).isEqualTo(100);
    for (int i = 0; i < updates.size(); i++) {
      JsonObject update = updates.get(i);
      assertThat(update.getJsonObject("queue"))
          .as("update %d: one question to the source per collection, from the first on", i + 1)
          .isEqualTo(queueFigures(i + 1));
      if (i > 0) {
        JsonObject previous = updates.get(i - 1);
        boolean moreIn = update.getLong("messagesIn") > previous.getLong("messagesIn");
        assertThat(update.getDouble("messagesInPerSecond") > 0)
            .as("update %d has a rate in exactly when more messages came in", i + 1)
            .isEqualTo(moreIn);
        assertThat(update.getLong("uptimeMs")).isGreaterThanOrEqualTo(previous.getLong("uptimeMs"));
        assertThat(Instant.parse(update.getString("serverTime")))
            .isAfterOrEqualTo(Instant.parse(previous.getString("serverTime")));
      }
    }
  }

  @Test
  void collectionStopsWhenTheLastSubscriberLeaves() {
    List<Object> published = new ArrayList<>();
    MessageConsumer<Object> onTheBus =
        server
            .vertx()
            .eventBus()
            .consumer(
                InternalAddresses.channel(ChannelNames.TELEMETRY),
                message -> {
                  if (message.replyAddress() != null) {
                    message.reply(published.size());
                  } else {
                    published.add(message.body());
                  }
                });
    Await.result(onTheBus.completion());
    try {
      WsClient watcher = connect();
      join(watcher, ChannelNames.TELEMETRY);
      watcher.next("metrics_update");

      watcher.send(
          new JsonObject()
              .put("type", "leave")
              .put("channel", ChannelNames.TELEMETRY)
              .put("id", "bye"));
      while (!"left".equals(watcher.next().getString("type"))) {
        // updates sent before the leave was processed
      }
      assertThat(telemetryChannelExists()).isFalse();
      roundTripThroughTelemetry();
      int askedAfterLeave = askedSoFar();
      int publishedAfterLeave = publishedSoFar();
      assertThat(publishedAfterLeave).as("updates the probe saw while subscribed").isPositive();
      awaitTicks(12);

      assertThat(askedSoFar()).as("source asked after the leave").isEqualTo(askedAfterLeave);
      assertThat(publishedSoFar())
          .as("updates published after the leave")
          .isEqualTo(publishedAfterLeave);
      watcher.assertNothingReceived();
    } finally {
      Await.result(onTheBus.unregister());
    }
  }

  @Test
  void aSourceThatDoesNotAnswerIsLeftOutAndTheUpdateStillGoes() {
    EventBus bus = server.vertx().eventBus();
    AtomicInteger silentAsked = new AtomicInteger();
    MessageConsumer<JsonObject> silent =
        bus.consumer("test.telemetry.silent", request -> silentAsked.incrementAndGet());
    Await.result(silent.completion());
    Await.result(
        bus.request(
            Addresses.TELEMETRY_REGISTER,
            new JsonObject().put("name", "silent").put("address", "test.telemetry.silent")));
    try {
      WsClient watcher = connect();
      join(watcher, ChannelNames.TELEMETRY);

      JsonObject data = watcher.next("metrics_update").getJsonObject("data");

      assertThat(data.containsKey("silent")).isFalse();
      assertThat(data.getJsonObject("queue")).isEqualTo(queueFigures(1));
      Await.until("the silent source was asked", () -> silentAsked.get() >= 1);
    } finally {
      Await.result(
          bus.request(Addresses.TELEMETRY_UNREGISTER, new JsonObject().put("name", "silent")));
      Await.result(silent.unregister());
    }
  }

  @Test
  void anUpdateCollectedBeforeTheChannelClosedIsNotSentOnceItReopens() {
    EventBus bus = server.vertx().eventBus();
    AtomicInteger slowAsked = new AtomicInteger();
    Promise<Void> release = Promise.promise();
    MessageConsumer<JsonObject> slow =
        bus.consumer(
            "test.telemetry.slow",
            request -> {
              if (slowAsked.incrementAndGet() == 1) {
                release.future().onComplete(v -> request.reply(new JsonObject().put("held", true)));
              } else {
                request.reply(new JsonObject().put("held", false));
              }
            });
    Await.result(slow.completion());
    Await.result(
        bus.request(
            Addresses.TELEMETRY_REGISTER,
            new JsonObject().put("name", "slow").put("address", "test.telemetry.slow")));
    try {
      WsClient first = connect();
      join(first, ChannelNames.TELEMETRY);
      Await.until("the first collection asked the slow source", () -> slowAsked.get() >= 1);
      first.close();
      Await.until("the channel closed", () -> !telemetryChannelExists());
      roundTripThroughTelemetry();
      WsClient second = connect();
      join(second, ChannelNames.TELEMETRY);

      // The collection held since the first subscriber's time completes now.
      int askedAtRelease = askedSoFar();
      release.complete();
      List<JsonObject> updates = new ArrayList<>();
      JsonObject update = nextUpdate(second, updates);
      while (update.getJsonObject("queue").getInteger("asked") <= askedAtRelease) {
        update = nextUpdate(second, updates);
      }

      // Published by a collection that started after the release, so after the held one ended.
      assertThat(updates)
          .extracting(data -> data.getJsonObject("slow").getBoolean("held"))
          .containsOnly(false);
    } finally {
      release.tryComplete();
      Await.result(
          bus.request(Addresses.TELEMETRY_UNREGISTER, new JsonObject().put("name", "slow")));
      Await.result(slow.unregister());
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
    join(client, ChannelNames.TELEMETRY);

    JsonObject error =
        client.request(
            new JsonObject()
                .put("type", "publish")
                .put("channel", ChannelNames.TELEMETRY)
                .put("id", "p")
                .put("data", 1));

    while (error.getString("type").equals("metrics_update")) {
      error = client.next();
    }
    assertThat(error.getString("id")).isEqualTo("p");
    assertThat(error.getJsonObject("error").getString("code")).isEqualTo("forbidden");
    assertThat(error.getJsonObject("error").getString("message"))
        .isEqualTo("clients may not publish to '$' channels; '$telemetry' belongs to the server");
  }

  /** What the test source answers to its {@code n}-th question. */
  private static JsonObject queueFigures(int n) {
    return new JsonObject().put("depth", 42).put("asked", n);
  }

  /** The next update's figures, also added to {@code updates}. */
  private static JsonObject nextUpdate(WsClient watcher, List<JsonObject> updates) {
    JsonObject data = watcher.next("metrics_update").getJsonObject("data");
    updates.add(data);
    return data;
  }

  /**
   * How many collections have asked the source: read through the source itself, so that every
   * question already on its way has been counted.
   */
  private int askedSoFar() {
    JsonObject answer =
        Await.result(
                server
                    .vertx()
                    .eventBus()
                    .<JsonObject>request(SOURCE, new JsonObject().put("probe", true)))
            .body();
    return answer.getInteger("asked");
  }

  private int publishedSoFar() {
    return Await.result(
            server
                .vertx()
                .eventBus()
                .<Integer>request(InternalAddresses.channel(ChannelNames.TELEMETRY), "count"))
        .body();
  }

  private boolean telemetryChannelExists() {
    return Await.result(
            server
                .vertx()
                .eventBus()
                .request(
                    InternalAddresses.ROUTING_QUERY,
                    new JsonObject().put("query", "channel").put("name", ChannelNames.TELEMETRY))
                .map(true)
                .otherwise(false))
        .booleanValue();
  }

  /**
   * A request the telemetry verticle answers on its event loop: whatever routing told it before
   * (the channel's close) has been handled when the answer comes.
   */
  private void roundTripThroughTelemetry() {
    Await.result(
        server
            .vertx()
            .eventBus()
            .request(
                Addresses.TELEMETRY_UNREGISTER, new JsonObject().put("name", "no-such-source")));
  }

  private void awaitTicks(int count) {
    int target = ticks.get() + count;
    Await.until(count + " heartbeat ticks", () -> ticks.get() >= target);
  }
}

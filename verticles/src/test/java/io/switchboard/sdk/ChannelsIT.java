package io.switchboard.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.protocol.ErrorCode;
import io.switchboard.protocol.ProtocolException;
import io.switchboard.sdk.impl.SwitchboardClientImpl;
import io.switchboard.server.testing.Await;
import io.switchboard.server.testing.Tokens;
import io.switchboard.server.testing.WsClient;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** Joins, leaves and publishes against a real server. */
class ChannelsIT extends SdkTestBase {

  @Test
  void aJoinedChannelsMessagesReachItsHandler() {
    String channel = channel("news");
    SwitchboardClient client = connected(options());
    List<ChannelMessage> received = new CopyOnWriteArrayList<>();

    Subscription subscription = Await.result(client.join(channel, received::add));
    WsClient publisher = connect();
    publisher.send(publishFrame(channel, new JsonObject().put("text", "hi")));

    Await.until("a message", () -> received.size() == 1);
    ChannelMessage message = received.get(0);
    assertThat(message.channel()).isEqualTo(channel);
    assertThat(message.data()).isEqualTo(new JsonObject().put("text", "hi"));
    assertThat(message.event()).isNull();
    assertThat(message.ts()).isNotBlank();
    assertThat(subscription.channel()).isEqualTo(channel);
    assertThat(subscription.subscribers()).isEqualTo(1);
    assertThat(subscription.isActive()).isTrue();
  }

  @Test
  void aBroadcastThroughTheAdminApiArrivesWithItsEvent() {
    String channel = channel("alerts");
    SwitchboardClient client = connected(options());
    List<ChannelMessage> received = new CopyOnWriteArrayList<>();
    Await.result(client.join(channel, received::add));

    adminPost(
        "/v1/broadcast",
        new JsonObject()
            .put("channel", channel)
            .put("type", "ALERT")
            .put("data", new JsonObject().put("level", 3))
            .encode());

    Await.until("the broadcast", () -> received.size() == 1);
    assertThat(received.get(0).event()).isEqualTo("ALERT");
    assertThat(received.get(0).data()).isEqualTo(new JsonObject().put("level", 3));
  }

  @Test
  void publishResolvesOnTheServersAckAndReachesEverySubscriberIncludingTheSender() {
    String channel = channel("chat");
    WsClient observer = observer(channel);
    SwitchboardClient client = connected(options());
    List<ChannelMessage> own = new CopyOnWriteArrayList<>();
    Await.result(client.join(channel, own::add));

    SendResult result = Await.result(client.publish(channel, "hello"));

    assertThat(result).isEqualTo(new SendResult(true, "Message acknowledged"));
    assertThat(nextData(observer, 1)).containsExactly("hello");
    Await.until("the sender's own copy", () -> own.size() == 1);
    assertThat(own.get(0).data()).isEqualTo("hello");
    assertThat(Await.result(((SwitchboardClientImpl) client).pendingReplies())).isZero();
  }

  @Test
  void aPublishTheServerRefusesResolvesWithTheServersCodeAndMessage() {
    SwitchboardClient client = connected(options());

    SendResult result = Await.result(client.publish("$telemetry", "nope"));

    assertThat(result)
        .isEqualTo(
            new SendResult(
                false,
                "forbidden: clients may not publish to '$' channels; '$telemetry' belongs to the"
                    + " server"));
  }

  @Test
  void aPublishToAnInvalidChannelNameIsRefusedBeforeItIsSent() {
    SwitchboardClient client = connected(options());

    SendResult result = Await.result(client.publish("has space", 1));

    assertThat(result.success()).isFalse();
    assertThat(result.reason())
        .isEqualTo(
            "bad_request: field 'channel' may only contain A-Z a-z 0-9 _ : . @ $ -, found U+0020"
                + " at index 3");
    assertThat(client.metrics().messagesSent()).as("the greeting ping only").isEqualTo(1);
  }

  @Test
  void aPublishLostWithItsConnectionIsWrittenAgainOnTheNextAndDeliveredOnce() {
    String channel = channel("lost");
    WsClient observer = observer(channel);
    FaultProxy proxy = proxy();
    SwitchboardClient client = connected(options(proxy.url()));
    proxy.blackhole();
    Future<SendResult> inFlight = client.publish(channel, "in-flight");
    Await.until("the publish is written", () -> client.metrics().messagesSent() >= 1);

    proxy.restore();
    proxy.cut();

    assertThat(Await.result(inFlight)).isEqualTo(new SendResult(true, "Message acknowledged"));
    assertThat(Await.result(client.publish(channel, "after")).success()).isTrue();
    assertThat(nextData(observer, 2)).containsExactly("in-flight", "after");
  }

  @Test
  void aPublishTheServerTookButWhoseAckWasLostIsAckedAgainAndNotDeliveredTwice() {
    String channel = channel("ack-lost");
    WsClient observer = observer(channel);
    FaultProxy proxy = proxy();
    SwitchboardClient client = connected(options(proxy.url()));
    double duplicates = server.counted("switchboard.publish.duplicates");
    proxy.silenceServer();
    Future<SendResult> inFlight = client.publish(channel, "taken");
    assertThat(nextData(observer, 1)).as("the server delivered it").containsExactly("taken");

    // Cut first: the ack may still be on its way, and must not pass a restored proxy.
    proxy.cut();
    proxy.restore();

    assertThat(Await.result(inFlight)).isEqualTo(new SendResult(true, "Message acknowledged"));
    assertThat(server.counted("switchboard.publish.duplicates"))
        .as("the re-send was recognised")
        .isEqualTo(duplicates + 1);
    assertThat(Await.result(client.publish(channel, "next")).success()).isTrue();
    assertThat(nextData(observer, 1)).as("nothing came between").containsExactly("next");
    List<String> sessions =
        proxy.requestHeads().stream()
            .map(head -> head.substring(head.indexOf("session="), head.indexOf(" HTTP/1.1")))
            .toList();
    assertThat(sessions).hasSize(2);
    assertThat(sessions.get(1)).as("both connections name one session").isEqualTo(sessions.get(0));
  }

  @Test
  void aPublishStillUnacknowledgedWhenTheSessionEndsIsReportedLost() {
    FaultProxy proxy = proxy();
    SwitchboardClient client = connected(options(proxy.url()));
    proxy.blackhole();
    Future<SendResult> inFlight = client.publish(channel("ended"), "in-flight");
    Await.until("the publish is written", () -> client.metrics().messagesSent() >= 1);
    proxy.refuse();

    proxy.cut();
    Await.until("reconnecting", () -> client.state() == ConnectionState.RECONNECTING);
    Await.result(client.disconnect());

    assertThat(Await.result(inFlight))
        .isEqualTo(new SendResult(false, "Connection lost before acknowledgement"));
  }

  @Test
  void aCallbackOnAPublishWrittenAgainRunsAfterItsAckOnTheNewConnection() {
    String channel = channel("follow-up");
    WsClient observer = observer(channel);
    FaultProxy proxy = proxy();
    SwitchboardClient client = connected(options(proxy.url()));
    proxy.blackhole();
    CompletableFuture<Future<SendResult>> followUp = new CompletableFuture<>();
    client
        .publish(channel, "lost")
        .onComplete(lost -> followUp.complete(client.send(publishFrame(channel, "follow-up"))));
    Await.until("the publish is written", () -> client.metrics().messagesSent() >= 1);

    proxy.restore();
    proxy.cut();

    assertThat(Await.result(Await.result(Future.fromCompletionStage(followUp))).success()).isTrue();
    assertThat(nextData(observer, 2)).containsExactly("lost", "follow-up");
  }

  @Test
  void aPublishWithoutAnAnswerInTimeResolvesWithTheTimeout() {
    FaultProxy proxy = proxy();
    SwitchboardClient client = connected(options(proxy.url()).setCloseTimeoutMs(100));
    proxy.blackhole();

    SendResult result =
        Await.result(client.publish("room", 1, new SendOptions().setTimeoutMs(100)));

    assertThat(result)
        .isEqualTo(new SendResult(false, "Timeout waiting for acknowledgement (100ms)"));
    assertThat(Await.result(((SwitchboardClientImpl) client).pendingReplies())).isZero();
  }

  @Test
  void aPublishQueuedWhileConnectingIsFlushedAndThenAcknowledged() {
    String channel = channel("queued-publish");
    WsClient observer = observer(channel);
    TokenGate gate = new TokenGate(Tokens.forUser("sdk"), false);
    SwitchboardClient client = client(options().setAuthToken(gate));
    client.connect();

    Future<SendResult> published = client.publish(channel, 42);
    gate.open();

    assertThat(Await.result(published)).isEqualTo(new SendResult(true, "Message acknowledged"));
    assertThat(nextData(observer, 1)).containsExactly(42);
  }

  @Test
  void aJoinWhileConnectingIsSentWhenTheSocketOpens() {
    String channel = channel("early");
    TokenGate gate = new TokenGate(Tokens.forUser("sdk"), false);
    SwitchboardClient client = client(options().setAuthToken(gate));
    client.connect();
    List<ChannelMessage> received = new CopyOnWriteArrayList<>();

    Future<Subscription> joined = client.join(channel, received::add);
    gate.open();

    assertThat(Await.result(joined).isActive()).isTrue();
    connect().send(publishFrame(channel, "first"));
    Await.until("a message", () -> received.size() == 1);
  }

  @Test
  void theServersRefusalOfAJoinFailsItWithTheServersError() {
    SwitchboardClient client = connected(options());

    Throwable failure = failure(client.join("$nope", m -> {}));

    assertThat(failure).isInstanceOf(ProtocolException.class);
    assertThat(((ProtocolException) failure).error().code()).isEqualTo(ErrorCode.CHANNEL_NOT_FOUND);
    assertThat(failure).hasMessageStartingWith("channel_not_found: channel '$nope' does not exist");
  }

  @Test
  void joiningAChannelTwiceIsRefusedWithoutAskingTheServer() {
    String channel = channel("twice");
    SwitchboardClient client = connected(options());
    Await.result(client.join(channel, m -> {}));
    long sent = client.metrics().messagesSent();

    Throwable failure = failure(client.join(channel, m -> {}));

    assertThat(failure)
        .isInstanceOf(ProtocolException.class)
        .hasMessage("already_subscribed: already subscribed to channel '" + channel + "'");
    assertThat(client.metrics().messagesSent()).isEqualTo(sent);
  }

  @Test
  void afterLeavingAChannelItsHandlerGetsNothingMore() {
    String channel = channel("leave");
    SwitchboardClient client = connected(options());
    List<ChannelMessage> received = new CopyOnWriteArrayList<>();
    Subscription subscription = Await.result(client.join(channel, received::add));
    WsClient publisher = connect();
    publisher.send(publishFrame(channel, 1));
    Await.until("the first message", () -> received.size() == 1);

    Await.result(subscription.leave());
    publisher.send(publishFrame(channel, 2));
    WsClient lateObserver = observer(channel);
    publisher.send(publishFrame(channel, 3));
    nextData(lateObserver, 1);

    assertThat(received).extracting(ChannelMessage::data).containsExactly(1);
    assertThat(subscription.isActive()).isFalse();
    assertThat(adminGet("/api/channels/" + channel).bodyAsJsonObject().getInteger("subscribers"))
        .as("only the late observer is left")
        .isEqualTo(1);
    assertThat(failure(client.leave(channel)))
        .isInstanceOf(ProtocolException.class)
        .hasMessage("not_subscribed: not subscribed to channel '" + channel + "'; join it first");
  }

  @Test
  void everyFrameButTheHeartbeatsPongsReachesTheMessageHandler() {
    String channel = channel("frames");
    SwitchboardClient client =
        connected(options().setHeartbeatIntervalMs(20).setPongTimeoutMs(2_000));
    ClientEvents events = ClientEvents.of(client);
    Await.result(client.join(channel, m -> {}));

    Await.result(client.publish(channel, "x"));
    Await.until(
        "several heartbeat round trips",
        () -> client.metrics().averageLatency() != null && client.metrics().messagesSent() > 5);
    Await.result(client.send(new JsonObject().put("type", "ping").put("id", "mine")));
    Await.until("the application's pong", () -> !events.messagesOfType("pong").isEmpty());

    assertThat(events.messagesOfType("subscription_confirmed")).hasSize(1);
    assertThat(events.messagesOfType("ack")).hasSize(1);
    assertThat(events.messagesOfType("message")).hasSize(1);
    assertThat(events.messagesOfType("pong"))
        .as("only the pong of the application's own ping")
        .extracting(frame -> frame.getString("id"))
        .containsExactly("mine");
  }

  @Test
  void anErrorFrameAnsweringNoRequestOfTheClientGoesToTheErrorHandler() {
    SwitchboardClient client = connected(options());
    ClientEvents events = ClientEvents.of(client);

    Await.result(client.send(new JsonObject().put("type", "NO_SUCH_TYPE")));

    Await.until("an error", () -> !events.errors.isEmpty());
    assertThat(events.errors.get(0))
        .isInstanceOf(ProtocolException.class)
        .hasMessageStartingWith("unknown_type: unknown message type 'NO_SUCH_TYPE'");
    assertThat(events.messagesOfType("error")).hasSize(1);
    assertThat(client.metrics().errorCount()).isEqualTo(1);
  }
}

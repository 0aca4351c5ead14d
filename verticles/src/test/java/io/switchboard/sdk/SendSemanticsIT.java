package io.switchboard.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.sdk.impl.SwitchboardClientImpl;
import io.switchboard.server.testing.Await;
import io.switchboard.server.testing.Tokens;
import io.switchboard.server.testing.WsClient;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Every row of the send table on {@link SendResult}, against a real server; an observer joined to
 * the channel shows what the server actually received.
 */
class SendSemanticsIT extends SdkTestBase {

  /** Jackson cannot encode it: the getter throws. */
  public static final class Unencodable {
    public String getValue() {
      throw new IllegalStateException("not encodable");
    }
  }

  @Test
  void aClientThatNeverConnectedIsNotInitialized() {
    SwitchboardClient client = client(options());

    assertThat(Await.result(client.send(publishFrame("room", 1))))
        .isEqualTo(new SendResult(false, "WebSocket client not initialized"));
  }

  @Test
  void aNullOrEmptyMessageIsRefused() {
    SwitchboardClient client = connected(options());

    assertThat(Await.result(client.send(null)))
        .isEqualTo(new SendResult(false, "Message is empty or null"));
    assertThat(Await.result(client.send(new JsonObject())))
        .isEqualTo(new SendResult(false, "Message is empty or null"));
  }

  @Test
  void aMessageSentWhileConnectedGoesOutAtOnce() {
    String channel = channel("sent");
    WsClient observer = observer(channel);
    SwitchboardClient client = connected(options());

    SendResult result = Await.result(client.send(publishFrame(channel, "hello")));

    assertThat(result).isEqualTo(new SendResult(true, "Message sent successfully"));
    assertThat(nextData(observer, 1)).containsExactly("hello");
  }

  @Test
  void sendWhileConnectingIsFlushedInOrderWhenTheSocketOpens() {
    String channel = channel("connecting");
    WsClient observer = observer(channel);
    TokenGate gate = new TokenGate(Tokens.forUser("sdk"), false);
    SwitchboardClient client = client(options().setAuthToken(gate));
    Future<Void> connecting = client.connect();
    Await.until("the client asks for a token", () -> gate.calls() == 1);
    assertThat(client.state()).isEqualTo(ConnectionState.CONNECTING);

    List<Future<SendResult>> sent = sendAll(client, channel, 1, 2, 3);
    gate.open();

    Await.result(connecting);
    for (Future<SendResult> result : sent) {
      assertThat(Await.result(result))
          .isEqualTo(new SendResult(true, "Flushed 3 queued message(s)"));
    }
    assertThat(nextData(observer, 3)).containsExactly(1, 2, 3);
  }

  @Test
  void sendWhileReconnectingIsFlushedInOrderWhenTheSocketOpensAgain() {
    String channel = channel("reconnecting");
    WsClient observer = observer(channel);
    FaultProxy proxy = proxy();
    TokenGate gate = new TokenGate(Tokens.forUser("sdk"), true);
    SwitchboardClient client = connected(options(proxy.url()).setAuthToken(gate));
    gate.close();

    proxy.cut();
    Await.until(
        "the client is reconnecting and waits for a token",
        () -> client.state() == ConnectionState.RECONNECTING && gate.calls() >= 2);
    List<Future<SendResult>> sent = sendAll(client, channel, "a", "b");
    gate.open();

    for (Future<SendResult> result : sent) {
      assertThat(Await.result(result))
          .isEqualTo(new SendResult(true, "Flushed 2 queued message(s)"));
    }
    assertThat(nextData(observer, 2)).containsExactly("a", "b");
    assertThat(client.state()).isEqualTo(ConnectionState.CONNECTED);
  }

  @Test
  void aMessageThatCannotBeWrittenFailsAloneAndTheGroupReportsThePartialFlush() {
    String channel = channel("partial");
    WsClient observer = observer(channel);
    TokenGate gate = new TokenGate(Tokens.forUser("sdk"), false);
    SwitchboardClient client = client(options().setAuthToken(gate));
    client.connect();

    Future<SendResult> first = client.send(publishFrame(channel, "first"));
    Future<SendResult> broken = client.send(publishFrame(channel, new Unencodable()));
    Future<SendResult> last = client.send(publishFrame(channel, "last"));
    gate.open();

    String reason = "Flushed 2/3 messages (1 failed)";
    assertThat(Await.result(first)).isEqualTo(new SendResult(true, reason));
    assertThat(Await.result(broken)).isEqualTo(new SendResult(false, reason));
    assertThat(Await.result(last)).isEqualTo(new SendResult(true, reason));
    assertThat(nextData(observer, 2)).containsExactly("first", "last");
  }

  @Test
  void aMessageThatCannotBeEncodedWhileConnectedIsRefusedWithTheCause() {
    SwitchboardClient client = connected(options());

    SendResult result = Await.result(client.send(publishFrame("room", new Unencodable())));

    assertThat(result.success()).isFalse();
    assertThat(result.reason()).startsWith("Message could not be encoded as JSON: ");
  }

  @Test
  void withQueueingOffASendWhileConnectingOrReconnectingIsRefusedNamingTheState() {
    FaultProxy proxy = proxy();
    TokenGate gate = new TokenGate(Tokens.forUser("sdk"), false);
    SwitchboardClient client = client(options(proxy.url()).setAuthToken(gate));
    SendOptions noQueue = new SendOptions().setQueue(false);
    client.connect();

    assertThat(Await.result(client.send(publishFrame("room", 1), noQueue)))
        .isEqualTo(new SendResult(false, "WebSocket is CONNECTING and queuing is disabled"));

    gate.open();
    Await.until("connected", () -> client.state() == ConnectionState.CONNECTED);
    gate.close();
    proxy.cut();
    Await.until("reconnecting", () -> client.state() == ConnectionState.RECONNECTING);

    assertThat(Await.result(client.send(publishFrame("room", 2), noQueue)))
        .isEqualTo(new SendResult(false, "WebSocket is RECONNECTING and queuing is disabled"));
    gate.open();
  }

  @Test
  void aGroupWhoseSocketDoesNotOpenInTimeFailsAsAWholeAndIsNeverSentLater() {
    String channel = channel("timeout");
    WsClient observer = observer(channel);
    FaultProxy proxy = proxy();
    proxy.blackhole();
    SwitchboardClient client = client(options(proxy.url()).setConnectionTimeoutMs(300));
    SwitchboardClientImpl impl = (SwitchboardClientImpl) client;
    client.connect();
    Await.until("a connection reaches the proxy", () -> proxy.openConnections() == 1);
    // Long enough for the timer to be read below before it fires, even on a busy machine.
    SendOptions shortWait = new SendOptions().setTimeoutMs(500);

    List<Future<SendResult>> group =
        List.of(
            client.send(publishFrame(channel, "late-1"), shortWait),
            client.send(publishFrame(channel, "late-2"), shortWait));
    long timer = Await.result(impl.pendingGroupTimers()).iterator().next();

    for (Future<SendResult> result : group) {
      assertThat(Await.result(result))
          .isEqualTo(new SendResult(false, "Timeout waiting for WebSocket to open (500ms)"));
    }
    assertThat(Await.result(impl.openListenerCount())).isZero();
    assertThat(Await.result(impl.pendingGroupTimers())).isEmpty();
    assertThat(clientVertx.cancelTimer(timer)).as("the group's timer is gone").isFalse();

    proxy.restore();
    Await.until("connected", () -> client.state() == ConnectionState.CONNECTED);
    Await.result(client.send(publishFrame(channel, "marker")));
    assertThat(nextData(observer, 1))
        .as("the timed-out messages never went out")
        .containsExactly("marker");
  }

  @Test
  void whileClosingAndOnceClosedSendsAreRefused() {
    FaultProxy proxy = proxy();
    SwitchboardClient client = connected(options(proxy.url()).setCloseTimeoutMs(1_000));
    proxy.blackhole();

    Future<Void> disconnected = client.disconnect();

    Await.until("closing", () -> client.state() == ConnectionState.CLOSING);
    assertThat(Await.result(client.send(publishFrame("room", 1))))
        .isEqualTo(new SendResult(false, "WebSocket is CLOSING - cannot send message"));
    Await.result(disconnected);
    assertThat(Await.result(client.send(publishFrame("room", 2))))
        .isEqualTo(new SendResult(false, "WebSocket is CLOSED - cannot send message"));
  }

  @Test
  void afterTheServerKicksTheClientItIsFailedAndRefusesSends() {
    SwitchboardClient client = connected(options());
    ClientEvents events = ClientEvents.of(client);

    assertThat(adminDelete("/api/connections/" + client.connectionId()).statusCode())
        .isEqualTo(200);

    Await.until(
        "failed, and told why",
        () -> client.state() == ConnectionState.FAILED && !events.errorMessages().isEmpty());
    assertThat(events.errorMessages()).anySatisfy(m -> assertThat(m).contains("4502"));
    assertThat(Await.result(client.send(publishFrame("room", 1))))
        .isEqualTo(new SendResult(false, "WebSocket is FAILED - cannot send message"));
  }

  @Test
  void aFullQueueRefusesTheNextMessageAndStillFlushesTheOthers() {
    String channel = channel("full");
    WsClient observer = observer(channel);
    TokenGate gate = new TokenGate(Tokens.forUser("sdk"), false);
    SwitchboardClient client = client(options().setAuthToken(gate).setMaxBufferedMessages(2));
    client.connect();
    List<Future<SendResult>> queued = sendAll(client, channel, 1, 2);

    SendResult refused = Await.result(client.send(publishFrame(channel, 3)));
    gate.open();

    assertThat(refused).isEqualTo(new SendResult(false, "Message queue full (2 messages)"));
    for (Future<SendResult> result : queued) {
      assertThat(Await.result(result))
          .isEqualTo(new SendResult(true, "Flushed 2 queued message(s)"));
    }
    assertThat(nextData(observer, 2)).containsExactly(1, 2);
  }

  @Test
  void aGroupHasOneOpenListenerAndOneTimerWhateverItsSizeAndNothingIsLeftAfterTheFlush() {
    String channel = channel("listeners");
    WsClient observer = observer(channel);
    TokenGate gate = new TokenGate(Tokens.forUser("sdk"), false);
    SwitchboardClient client = client(options().setAuthToken(gate));
    SwitchboardClientImpl impl = (SwitchboardClientImpl) client;
    client.connect();

    client.send(publishFrame(channel, 0));
    Set<Long> timersAfterOne = Await.result(impl.pendingGroupTimers());
    List<Future<SendResult>> sent = new ArrayList<>();
    for (int i = 1; i < 50; i++) {
      sent.add(client.send(publishFrame(channel, i)));
    }

    assertThat(Await.result(impl.openListenerCount())).isEqualTo(1);
    assertThat(timersAfterOne).hasSize(1);
    assertThat(Await.result(impl.pendingGroupTimers())).isEqualTo(timersAfterOne);
    assertThat(client.metrics().queueDepth()).isEqualTo(50);

    gate.open();

    sent.forEach(result -> assertThat(Await.result(result).success()).isTrue());
    assertThat(Await.result(impl.openListenerCount())).isZero();
    assertThat(Await.result(impl.pendingGroupTimers())).isEmpty();
    assertThat(clientVertx.cancelTimer(timersAfterOne.iterator().next()))
        .as("the group's timer was cancelled")
        .isFalse();
    assertThat(client.metrics().queueDepth()).isZero();
    List<Object> expected = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      expected.add(i);
    }
    assertThat(nextData(observer, 50)).isEqualTo(expected);
  }

  private static List<Future<SendResult>> sendAll(
      SwitchboardClient client, String channel, Object... data) {
    List<Future<SendResult>> results = new ArrayList<>();
    for (Object value : data) {
      results.add(client.send(publishFrame(channel, value)));
    }
    return results;
  }
}

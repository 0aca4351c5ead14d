package io.switchboard.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.sdk.impl.SwitchboardClientImpl;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.ServerSocket;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The rows of the send table that need no server: a real client whose connection never opens,
 * because its token supplier has not answered yet or nothing listens on its port.
 */
class SendWithoutServerTest {

  private static final JsonObject MESSAGE = new JsonObject().put("type", "ping");

  private Vertx vertx;
  private SwitchboardClient client;

  /** A token that never comes: the client stays CONNECTING. */
  private final Promise<String> token = Promise.promise();

  @BeforeEach
  void createVertx() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void close() throws Exception {
    if (client != null) {
      await(client.disconnect());
    }
    await(vertx.close());
  }

  @Test
  void aClientThatNeverConnectedIsNotInitialized() throws Exception {
    client = SwitchboardClient.create(vertx, new ClientOptions());

    assertThat(await(client.send(MESSAGE)))
        .isEqualTo(new SendResult(false, "WebSocket client not initialized"));
    assertThat(await(client.send(null)))
        .as("the state is checked first")
        .isEqualTo(new SendResult(false, "WebSocket client not initialized"));
    assertThat(await(client.publish("room", "hi")))
        .isEqualTo(new SendResult(false, "WebSocket client not initialized"));
    assertThat(client.state()).isEqualTo(ConnectionState.DISCONNECTED);
  }

  @Test
  void aNullOrEmptyMessageIsRefused() throws Exception {
    client = connecting(new ClientOptions());

    assertThat(await(client.send(null)))
        .isEqualTo(new SendResult(false, "Message is empty or null"));
    assertThat(await(client.send(new JsonObject())))
        .isEqualTo(new SendResult(false, "Message is empty or null"));
  }

  @Test
  void whileConnectingWithQueueingOffTheMessageIsRefusedAtOnce() throws Exception {
    client = connecting(new ClientOptions());

    assertThat(await(client.send(MESSAGE, new SendOptions().setQueue(false))))
        .isEqualTo(new SendResult(false, "WebSocket is CONNECTING and queuing is disabled"));
  }

  @Test
  void withMessageBufferingDisabledNothingIsQueued() throws Exception {
    client = connecting(new ClientOptions().setEnableMessageBuffering(false));

    assertThat(await(client.send(MESSAGE)))
        .isEqualTo(new SendResult(false, "WebSocket is CONNECTING and queuing is disabled"));
    assertThat(client.metrics().queueDepth()).isZero();
  }

  @Test
  void aFullQueueRefusesTheNextMessageAndKeepsTheOthers() throws Exception {
    client = connecting(new ClientOptions().setMaxBufferedMessages(3));
    List<Future<SendResult>> queued =
        List.of(client.send(MESSAGE), client.send(MESSAGE), client.send(MESSAGE));

    SendResult refused = await(client.send(MESSAGE));

    assertThat(refused).isEqualTo(new SendResult(false, "Message queue full (3 messages)"));
    assertThat(queued).noneMatch(Future::isComplete);
    assertThat(client.metrics().queueDepth()).isEqualTo(3);
  }

  @Test
  void aGroupWhoseConnectionDoesNotOpenInTimeFailsAsAWholeAndLeavesNothingRegistered()
      throws Exception {
    client = connecting(new ClientOptions());
    SwitchboardClientImpl impl = (SwitchboardClientImpl) client;
    // Long enough for the checks below to run before it fires, even on a busy machine.
    SendOptions shortWait = new SendOptions().setTimeoutMs(500);
    List<Future<SendResult>> group =
        List.of(
            client.send(MESSAGE, shortWait),
            client.send(MESSAGE, shortWait),
            client.send(MESSAGE, shortWait));
    assertThat(await(impl.openListenerCount())).isEqualTo(1);
    long timer = await(impl.pendingGroupTimers()).iterator().next();

    for (Future<SendResult> result : group) {
      assertThat(await(result))
          .isEqualTo(new SendResult(false, "Timeout waiting for WebSocket to open (500ms)"));
    }

    assertThat(await(impl.openListenerCount())).isZero();
    assertThat(await(impl.pendingGroupTimers())).isEmpty();
    assertThat(vertx.cancelTimer(timer)).as("the group's timer is gone").isFalse();
    assertThat(client.metrics().queueDepth()).isZero();
  }

  @Test
  void disconnectFailsWhatIsQueuedAndThenRefusesAsClosed() throws Exception {
    client = connecting(new ClientOptions());
    Future<SendResult> queued = client.send(MESSAGE);

    await(client.disconnect());

    assertThat(await(queued))
        .isEqualTo(new SendResult(false, "WebSocket is CLOSING - cannot send message"));
    assertThat(client.state()).isEqualTo(ConnectionState.CLOSED);
    assertThat(await(client.send(MESSAGE)))
        .isEqualTo(new SendResult(false, "WebSocket is CLOSED - cannot send message"));
  }

  @Test
  void aFirstConnectThatFailsWithoutReconnectingEndsFailedAndRefusesSends() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    client =
        SwitchboardClient.create(
            vertx,
            new ClientOptions()
                .setUrl("ws://127.0.0.1:" + closedPort + "/ws")
                .setReconnectMode(ReconnectMode.NONE));

    Throwable failure = failure(client.connect());

    assertThat(failure).hasMessageStartingWith("connect failed: ");
    assertThat(client.state()).isEqualTo(ConnectionState.FAILED);
    assertThat(await(client.send(MESSAGE)))
        .isEqualTo(new SendResult(false, "WebSocket is FAILED - cannot send message"));
  }

  /** A client stuck in CONNECTING: its token supplier never answers. */
  private SwitchboardClient connecting(ClientOptions options) {
    SwitchboardClient stuck = SwitchboardClient.create(vertx, options.setAuthToken(token::future));
    stuck.connect();
    return stuck;
  }

  private static Throwable failure(Future<?> future) throws Exception {
    Throwable cause =
        await(
            future.transform(done -> Future.succeededFuture(done.failed() ? done.cause() : null)));
    assertThat(cause).as("the future failed").isNotNull();
    return cause;
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.await(5, TimeUnit.SECONDS);
  }
}

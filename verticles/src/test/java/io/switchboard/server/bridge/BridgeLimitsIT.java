package io.switchboard.server.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.server.testing.Await;
import io.switchboard.server.testing.BridgeClient;
import io.switchboard.server.testing.TestServer;
import io.vertx.core.json.JsonObject;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The caps that keep a hostile bridge client from holding unbounded memory, each against a real
 * server with the cap set low, an attacker, and a healthy control client that must be served
 * throughout.
 */
class BridgeLimitsIT {

  private TestServer server;
  private final List<BridgeClient> clients = new ArrayList<>();

  @AfterEach
  void stop() {
    clients.forEach(BridgeClient::close);
    clients.clear();
    if (server != null) {
      server.close();
    }
  }

  private void start(JsonObject bridge) {
    server = TestServer.start(new JsonObject().put("bridge", bridge.put("enabled", true)));
  }

  private BridgeClient connect() {
    return connect(0);
  }

  private BridgeClient connect(int receiveBufferBytes) {
    BridgeClient client = BridgeClient.connect(server.bridgePort(), receiveBufferBytes);
    clients.add(client);
    return client;
  }

  private static JsonObject frame(String type, String address) {
    return new JsonObject().put("type", type).put("address", address);
  }

  @Test
  void aFrameAnnouncingMoreThanTheMaximumClosesTheConnectionAtOnce() {
    start(new JsonObject().put("port", 0).put("maxFrameBytes", 1024));
    BridgeClient control = connect();
    control.assertAlive();
    BridgeClient attacker = connect();
    String ping = "{\"type\":\"ping\"}";
    attacker.sendText(ping + " ".repeat(1024 - ping.length())); // exactly the maximum: served
    assertThat(attacker.next().getString("type")).isEqualTo("pong");

    // 100 MB announced; a few bytes of it sent. The guard answers on the length alone.
    attacker.sendRaw(ByteBuffer.allocate(4 + 1000).putInt(100_000_000).array());

    List<JsonObject> frames = attacker.framesUntilClosed();
    assertThat(frames).hasSize(1);
    assertThat(frames.get(0).getString("message")).isEqualTo("frame_too_large");
    assertThat(frames.get(0).getString("detail"))
        .isEqualTo(
            "a frame may hold at most 1024 bytes (bridge.maxFrameBytes), this one announced"
                + " 100000000");
    control.assertAlive();
  }

  @Test
  void aLengthBeyondTwoGigabytesIsRefusedTheSameWay() {
    start(new JsonObject().put("port", 0));
    BridgeClient attacker = connect();

    attacker.sendRaw(new byte[] {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, '{'});

    List<JsonObject> frames = attacker.framesUntilClosed();
    assertThat(frames).extracting(f -> f.getString("message")).containsExactly("frame_too_large");
    assertThat(frames.get(0).getString("detail")).endsWith("this one announced 4294967295");
  }

  @Test
  void aConnectionBeyondTheMaximumIsRefusedAndItsSlotIsFreedOnClose() {
    start(new JsonObject().put("port", 0).put("maxConnections", 2));
    BridgeClient first = connect();
    BridgeClient second = connect();
    first.assertAlive();
    second.assertAlive();

    BridgeClient third = connect();
    List<JsonObject> frames = third.framesUntilClosed();
    assertThat(frames)
        .extracting(f -> f.getString("message"))
        .containsExactly("too_many_connections");
    assertThat(frames.get(0).getString("detail"))
        .isEqualTo("the bridge holds at most 2 connections (bridge.maxConnections)");
    first.assertAlive();
    second.assertAlive();

    first.close();
    Await.until(
        "a new connection is served once one has closed",
        () -> {
          try (BridgeClient again = BridgeClient.connect(server.bridgePort())) {
            again.send(new JsonObject().put("type", "ping"));
            return "pong".equals(again.next().getString("type"));
          }
        });
    second.assertAlive();
  }

  @Test
  void registrationsBeyondTheMaximumAreRefusedUntilOneIsUnregistered() {
    start(new JsonObject().put("port", 0).put("maxRegistrations", 2));
    BridgeClient client = connect();
    client.send(frame("register", "switchboard.events.channel.opened"));
    client.send(frame("register", "switchboard.events.channel.closed"));
    client.send(frame("register", "switchboard.events.channel.joined"));

    JsonObject error = client.nextError("too_many_registrations");
    assertThat(error.getString("detail"))
        .isEqualTo(
            "a connection may be registered on at most 2 addresses (bridge.maxRegistrations)");
    client.send(frame("unregister", "switchboard.events.channel.opened"));
    client.send(frame("register", "switchboard.events.channel.joined"));
    client.assertAlive();
  }

  @Test
  void aClientThatStopsReadingIsClosedWhileOneThatReadsGetsEverything() {
    start(new JsonObject().put("port", 0).put("maxWriteQueueBytes", 1024));
    String flood = "switchboard.events.flood";
    BridgeClient reader = connect();
    BridgeClient stalled = connect(4096);
    reader.send(frame("register", flood)).assertAlive();
    stalled.send(frame("register", flood)).assertAlive();

    int messages = 300;
    String pad = "x".repeat(64 * 1024);
    // One message at a time, read before the next is published: the reader never falls behind
    // (a burst written before it starts reading could fill its socket and close it as well),
    // while the stalled client's writes pile up. Both consumers live on the bridge's one event
    // loop, served in publish order: once the reader has every message, the stalled client's
    // consumer has had every write too.
    for (int i = 0; i < messages; i++) {
      server.vertx().eventBus().publish(flood, new JsonObject().put("n", i).put("pad", pad));
      assertThat(reader.next().getJsonObject("body").getInteger("n")).isEqualTo(i);
    }

    long read = stalled.drainUntilClosed();
    assertThat(read)
        .as("bytes the stalled client could still read before the close")
        .isLessThan((long) messages * pad.length());
    reader.assertAlive();
  }

  @Test
  void aClientSendingRefusedFramesWithoutReadingIsClosedAsASlowConsumer() {
    start(new JsonObject().put("port", 0).put("maxWriteQueueBytes", 1024));
    BridgeClient control = connect();
    BridgeClient stalled = connect(4096);
    int frames = 200_000;
    ByteBuffer refused = ByteBuffer.allocate(frames * 5);
    for (int i = 0; i < frames; i++) {
      refused.putInt(1).put((byte) 'x'); // not JSON: each is answered with an error frame
    }

    try {
      stalled.sendRaw(refused.array());
    } catch (UncheckedIOException closedWhileSending) {
      // the server may close the connection before the client has sent everything
    }

    long read = stalled.drainUntilClosed();
    long answers = (long) frames * BridgeError.INVALID_FRAME.frame("x").length();
    assertThat(read).as("bytes of error frames the client could still read").isLessThan(answers);
    control.assertAlive();
  }

  @Test
  void aSilentConnectionIsClosedAfterTheIdleTimeoutWhileAPingingOneStays() {
    start(new JsonObject().put("port", 0).put("idleTimeoutMs", 500));
    BridgeClient silent = connect();
    BridgeClient control = connect();

    Await.until(
        "the silent connection is closed",
        () -> {
          control.assertAlive();
          return silent.closedWithin(50);
        });
    control.assertAlive();
  }
}

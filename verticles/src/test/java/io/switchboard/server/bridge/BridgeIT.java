package io.switchboard.server.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.server.testing.Await;
import io.switchboard.server.testing.BridgeClient;
import io.switchboard.server.testing.ServerTestBase;
import io.switchboard.server.testing.WsClient;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The TCP event-bus bridge on a real server, driven by a raw client speaking its framing: what it
 * lets through reaches WebSocket clients and services, what it refuses gets an error frame.
 */
class BridgeIT extends ServerTestBase {

  private static final String TOKEN = "bridge-test-token-0123456789";

  /** An inbound address a test service consumes, to see exactly what crosses the bridge. */
  private static final String INBOX = "test.bridge.inbox";

  private final List<BridgeClient> bridges = new ArrayList<>();

  @Override
  protected JsonObject config() {
    return new JsonObject()
        .put(
            "bridge",
            new JsonObject()
                .put("enabled", true)
                .put("port", 0)
                .put("token", TOKEN)
                .put(
                    "inbound",
                    new JsonArray()
                        .add(new JsonObject().put("address", "switchboard.broadcast"))
                        .add(new JsonObject().put("address", INBOX)))
                .put(
                    "outbound",
                    new JsonArray()
                        .add(new JsonObject().put("addressRegex", "switchboard[.]events[.].+"))));
  }

  @AfterEach
  void closeBridges() {
    bridges.forEach(BridgeClient::close);
    bridges.clear();
  }

  private BridgeClient bridge() {
    BridgeClient client = BridgeClient.connect(server.bridgePort());
    bridges.add(client);
    return client;
  }

  private static JsonObject frame(String type, String address) {
    return new JsonObject()
        .put("type", type)
        .put("address", address)
        .put("headers", new JsonObject().put("token", TOKEN));
  }

  private static JsonObject broadcast(String channel, String event, Object data) {
    return new JsonObject().put("channel", channel).put("type", event).put("data", data);
  }

  @Test
  void aSendWithAReplyAddressReachesTheChannelAndGetsTheReply() {
    String channel = channel("news");
    WsClient reader = connect();
    join(reader, channel);

    BridgeClient bridge = bridge();
    bridge.send(
        frame("send", "switchboard.broadcast")
            .put("replyAddress", "reply-1")
            .put("body", broadcast(channel, "HELLO", new JsonObject().put("text", "hi"))));

    JsonObject reply = bridge.next();
    assertThat(reply.getString("type")).as("reply %s", reply).isEqualTo("message");
    assertThat(reply.getString("address")).isEqualTo("reply-1");
    assertThat(reply.getJsonObject("body"))
        .isEqualTo(new JsonObject().put("success", true).put("delivered", 1));
    JsonObject message = reader.next("message");
    assertThat(message.getString("channel")).isEqualTo(channel);
    assertThat(message.getString("event")).isEqualTo("HELLO");
    assertThat(message.getJsonObject("data")).isEqualTo(new JsonObject().put("text", "hi"));
  }

  @Test
  void aPublishReachesTheChannelAndAnswersNothing() {
    String channel = channel("news");
    WsClient reader = connect();
    join(reader, channel);

    BridgeClient bridge = bridge();
    bridge.send(frame("publish", "switchboard.broadcast").put("body", broadcast(channel, "E", 7)));

    JsonObject message = reader.next("message");
    assertThat(message.getString("event") + " " + message.getValue("data")).isEqualTo("E 7");
    bridge.assertAlive();
  }

  @Test
  void aFailedBroadcastAnswersAnErrorFrameAtTheReplyAddress() {
    BridgeClient bridge = bridge();
    bridge.send(
        frame("send", "switchboard.broadcast")
            .put("replyAddress", "reply-2")
            .put("body", new JsonObject().put("channel", channel("news"))));

    JsonObject error = bridge.next();
    assertThat(error.getString("type")).as("error %s", error).isEqualTo("err");
    assertThat(error.getString("address")).isEqualTo("reply-2");
    assertThat(error.getString("sourceAddress")).isEqualTo("switchboard.broadcast");
    assertThat(error.getInteger("failureCode")).isEqualTo(400);
    assertThat(error.getString("failureType")).isEqualTo("RECIPIENT_FAILURE");
    assertThat(error.getString("message")).startsWith("bad_request: ");
  }

  @Test
  void lifecycleEventsReachARegisteredClient() {
    BridgeClient bridge = bridge();
    bridge.send(frame("register", "switchboard.events.connection.connected"));
    bridge.send(frame("register", "switchboard.events.channel.joined"));
    bridge.assertAlive(); // both registrations are in place once the pong is back

    WsClient client = connect();
    String channel = channel("watched");
    join(client, channel);

    JsonObject connected = bridge.next();
    assertThat(connected.getString("type")).isEqualTo("message");
    assertThat(connected.getString("address")).isEqualTo("switchboard.events.connection.connected");
    assertThat(connected.getJsonObject("body").getString("connectionId"))
        .isEqualTo(client.connectionId());
    JsonObject joined = bridge.next();
    assertThat(joined.getString("address")).isEqualTo("switchboard.events.channel.joined");
    assertThat(joined.getJsonObject("body").getString("channel")).isEqualTo(channel);
    assertThat(joined.getJsonObject("body").getString("connectionId"))
        .isEqualTo(client.connectionId());
  }

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({
    "send, switchboard.routing.query",
    "publish, switchboard.channel.news",
    "send, switchboard.events.connection.connected",
    "register, switchboard.broadcast",
    "register, switchboard.connection.abc",
    "unregister, switchboard.heartbeat.tick",
  })
  void anAddressNotPermittedGetsAccessDenied(String type, String address) {
    BridgeClient bridge = bridge();
    bridge.send(frame(type, address).put("body", new JsonObject()));

    bridge.nextError("access_denied");
    bridge.assertAlive();
  }

  @Test
  void aFrameWithoutTheTokenIsRefused() {
    BridgeClient bridge = bridge();
    bridge.send(
        new JsonObject()
            .put("type", "publish")
            .put("address", "switchboard.broadcast")
            .put("body", broadcast(channel("news"), "E", 1)));

    JsonObject error = bridge.nextError("token_required");
    assertThat(error.getString("detail"))
        .isEqualTo("every frame but ping must carry the bridge token as headers.token");
    bridge.assertAlive();
  }

  @Test
  void aFrameWithAWrongTokenIsRefusedAndNothingIsDelivered() {
    String channel = channel("news");
    WsClient reader = connect();
    join(reader, channel);
    BridgeClient bridge = bridge();
    bridge.send(
        frame("publish", "switchboard.broadcast")
            .put("headers", new JsonObject().put("token", TOKEN + "x"))
            .put("body", broadcast(channel, "E", 1)));

    JsonObject error = bridge.nextError("invalid_token");
    assertThat(error.getString("detail")).isEqualTo("headers.token is not the bridge token");
    assertNothingRoutedTo(reader);
  }

  @Test
  void theTokenIsTakenOutAndOtherHeadersPassToTheService() {
    List<JsonObject> received = new ArrayList<>();
    MessageConsumer<Object> service =
        server
            .vertx()
            .eventBus()
            .consumer(
                INBOX,
                message -> {
                  JsonObject headers = new JsonObject();
                  for (Map.Entry<String, String> header : message.headers()) {
                    headers.put(header.getKey(), header.getValue());
                  }
                  synchronized (received) {
                    received.add(headers);
                  }
                  message.reply(new JsonObject().put("headers", headers));
                });
    Await.result(service.completion());
    try {
      BridgeClient bridge = bridge();
      bridge.send(
          frame("send", INBOX)
              .put("replyAddress", "reply-3")
              .put("headers", new JsonObject().put("token", TOKEN).put("trace", "abc"))
              .put("body", new JsonObject()));

      JsonObject reply = bridge.next();
      assertThat(reply.getJsonObject("body").getJsonObject("headers"))
          .isEqualTo(new JsonObject().put("trace", "abc"));
    } finally {
      Await.result(service.unregister());
    }
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "not json|invalid_frame|a frame must be a JSON object, this one is not JSON",
        "[1,2]|invalid_frame|a frame must be a JSON object, was an array",
        "{\"address\":\"switchboard.broadcast\"}|unknown_type|field 'type' must be one of send,"
            + " publish, register, unregister, ping, was null",
        "{\"type\":\"message\",\"address\":\"switchboard.broadcast\"}|unknown_type|field 'type'"
            + " must be one of send, publish, register, unregister, ping, was 'message'",
        "{\"type\":\"send\",\"address\":5}|invalid_frame|field 'address' must be a string, was a"
            + " number",
        "{\"type\":\"publish\",\"address\":\"switchboard.broadcast\",\"headers\":"
            + "{\"token\":\"bridge-test-token-0123456789\"},\"body\":123456789012345678901234567890}"
            + "|invalid_frame|field 'body' must be a value the event bus carries; a whole number"
            + " beyond 64 bits is not (send it as a string, or inside an object)",
        "{\"type\":\"send\",\"address\":\"a\",\"headers\":[]}|invalid_headers|field 'headers'"
            + " must be an object, was an array",
        "{\"type\":\"send\",\"address\":\"a\",\"headers\":{\"codecName\":\"x\"}}|invalid_headers"
            + "|header 'codecName' is not accepted over the bridge",
        "{\"type\":\"send\",\"address\":\"a\",\"headers\":{\"n\":1}}|invalid_headers|header 'n'"
            + " must be a string, was a number",
        "{\"type\":\"send\",\"address\":\"a\",\"headers\":{\"timeout\":\"5\"}}|invalid_headers"
            + "|header 'timeout' must be a whole number of milliseconds between 1 and 60000, was"
            + " '5'",
        "{\"type\":\"send\",\"address\":\"a\",\"headers\":{\"timeout\":120000}}|invalid_headers"
            + "|header 'timeout' must be a whole number of milliseconds between 1 and 60000, was"
            + " 120000",
      })
  void aMalformedFrameGetsAnErrorFrameNamingTheRule(String json, String code, String detail) {
    BridgeClient bridge = bridge();
    bridge.sendText(json);

    JsonObject error = bridge.nextError(code);
    assertThat(error.getString("detail")).isEqualTo(detail);
    bridge.assertAlive();
  }

  @Test
  void registeringTwiceOnOneAddressIsRefused() {
    BridgeClient bridge = bridge();
    bridge.send(frame("register", "switchboard.events.channel.opened"));
    bridge.send(frame("register", "switchboard.events.channel.opened"));

    JsonObject error = bridge.nextError("already_registered");
    assertThat(error.getString("detail"))
        .isEqualTo("this connection is already registered on 'switchboard.events.channel.opened'");
    bridge.send(frame("unregister", "switchboard.events.channel.opened"));
    bridge.send(frame("register", "switchboard.events.channel.opened"));
    bridge.assertAlive();
  }
}

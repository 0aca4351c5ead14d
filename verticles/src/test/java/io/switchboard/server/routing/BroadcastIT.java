package io.switchboard.server.routing;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.protocol.Addresses;
import io.switchboard.server.testing.Await;
import io.switchboard.server.testing.ServerTestBase;
import io.switchboard.server.testing.WsClient;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Broadcasts from services: over REST ({@code POST /v1/broadcast}) and over the event bus. */
class BroadcastIT extends ServerTestBase {

  @Test
  void restBroadcastToAChannelReachesItsSubscribersAsAMessageWithTheEvent() {
    String channel = channel("notifications");
    WsClient a = connect();
    WsClient b = connect();
    WsClient other = connect();
    join(a, channel);
    join(b, channel);

    HttpResponse<Buffer> response =
        adminPost(
            "/v1/broadcast",
            new JsonObject()
                .put("channel", channel)
                .put("type", "SYSTEM_ALERT")
                .put("data", new JsonObject().put("message", "maintenance in 10 minutes"))
                .encode());

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.bodyAsJsonObject())
        .isEqualTo(new JsonObject().put("success", true).put("delivered", 2));
    for (WsClient client : List.of(a, b)) {
      JsonObject message = client.next("message");
      assertThat(message.getString("channel")).isEqualTo(channel);
      assertThat(message.getString("event")).isEqualTo("SYSTEM_ALERT");
      assertThat(message.getJsonObject("data").getString("message"))
          .isEqualTo("maintenance in 10 minutes");
    }
    assertNothingRoutedTo(other);
  }

  @Test
  void broadcastToAnOrganisationReachesEveryConnectionOfIt() {
    WsClient alice = connectAs("alice", "company123");
    WsClient alice2 = connectAs("alice", "company123");
    WsClient bob = connectAs("bob", "company123");
    WsClient eve = connectAs("eve", "other");

    JsonObject reply =
        adminPost(
                "/v1/broadcast",
                "{\"organizationId\":\"company123\",\"type\":\"ORG_ANNOUNCEMENT\",\"data\":{\"v\":1}}")
            .bodyAsJsonObject();

    assertThat(reply.getInteger("delivered")).isEqualTo(3);
    for (WsClient client : List.of(alice, alice2, bob)) {
      JsonObject message = client.next("message");
      assertThat(message.getString("event")).isEqualTo("ORG_ANNOUNCEMENT");
      assertThat(message.containsKey("channel")).isFalse();
    }
    assertNothingRoutedTo(eve);
  }

  @Test
  void broadcastToAUserReachesOnlyThatUser() {
    WsClient alice = connectAs("alice-u", "o1");
    WsClient bob = connectAs("bob-u", "o1");

    JsonObject reply =
        adminPost("/v1/broadcast", "{\"userId\":\"alice-u\",\"type\":\"DM\",\"data\":\"hi\"}")
            .bodyAsJsonObject();

    assertThat(reply.getInteger("delivered")).isEqualTo(1);
    assertThat(alice.next("message").getString("data")).isEqualTo("hi");
    assertNothingRoutedTo(bob);
  }

  @Test
  void targetsCombineAsAFilter() {
    String channel = channel("jobs");
    WsClient inOrgOnChannel = connectAs("u1", "acme");
    WsClient inOrgOffChannel = connectAs("u2", "acme");
    WsClient otherOrgOnChannel = connectAs("u3", "globex");
    join(inOrgOnChannel, channel);
    join(otherOrgOnChannel, channel);

    JsonObject reply =
        adminPost(
                "/v1/broadcast",
                new JsonObject()
                    .put("channel", channel)
                    .put("organizationId", "acme")
                    .put("type", "JOB_NOTIFICATION")
                    .put("data", 7)
                    .encode())
            .bodyAsJsonObject();

    assertThat(reply.getInteger("delivered")).isEqualTo(1);
    JsonObject message = inOrgOnChannel.next("message");
    assertThat(message.getString("channel")).isEqualTo(channel);
    assertThat(message.getInteger("data")).isEqualTo(7);
    assertNothingRoutedTo(inOrgOffChannel);
    assertNothingRoutedTo(otherOrgOnChannel);
  }

  @Test
  void broadcastToNobodyDeliversZero() {
    JsonObject reply =
        adminPost("/v1/broadcast", "{\"userId\":\"nobody\",\"type\":\"T\",\"data\":null}")
            .bodyAsJsonObject();

    assertThat(reply).isEqualTo(new JsonObject().put("success", true).put("delivered", 0));
  }

  @ParameterizedTest(name = "[{index}] {0} -> {1} {2}")
  @CsvSource(
      delimiter = '|',
      value = {
        "{\"channel\":\"x\",\"data\":1}|400|bad_request|field 'type' is required",
        "{\"channel\":\"x\",\"type\":7,\"data\":1}|400|bad_request|field 'type' must be a string, was a number",
        "{\"channel\":\"x\",\"type\":\"\",\"data\":1}|400|bad_request|field 'type' must be 1 to 100 characters, was ''",
        "{\"channel\":\"x\",\"type\":\"T\"}|400|bad_request|field 'data' is required",
        "{\"type\":\"T\",\"data\":1}|400|bad_request|a broadcast needs at least one target: channel, userId or organizationId",
        "{\"channel\":\"a b\",\"type\":\"T\",\"data\":1}|400|bad_request|field 'channel' may only contain A-Z a-z 0-9 _ : . @ $ -, found U+0020 at index 1",
        "{\"channel\":\"$telemetry\",\"type\":\"T\",\"data\":1}|403|forbidden|broadcasts may not target '$' channels; '$telemetry' belongs to the server",
        "{\"userId\":\"\",\"type\":\"T\",\"data\":1}|400|bad_request|field 'userId' must be 1 to 200 characters, was ''",
        "{\"organizationId\":5,\"type\":\"T\",\"data\":1}|400|bad_request|field 'organizationId' must be a string, was a number",
        "[1]|400|bad_request|the broadcast must be a JSON object, was an array",
        "not json|400|bad_request|the request body is not valid JSON: Unrecognized token 'not'",
      })
  void badBroadcastsAreRejectedWithTheFieldAndTheRule(
      String body, int status, String code, String message) {
    HttpResponse<Buffer> response = adminPost("/v1/broadcast", body);

    assertThat(response.statusCode()).isEqualTo(status);
    JsonObject error = response.bodyAsJsonObject().getJsonObject("error");
    assertThat(error.getString("code")).isEqualTo(code);
    assertThat(error.getString("message")).startsWith(message);
  }

  @Test
  void emptyBodyIsRejected() {
    HttpResponse<Buffer> response = adminPost("/v1/broadcast", "");

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.bodyAsJsonObject().getJsonObject("error").getString("message"))
        .isEqualTo("the request body is required: a JSON object");
  }

  /**
   * A service deployed beside Switchboard publishes over the bus and learns how many received it.
   */
  static final class AlertService extends VerticleBase {
    final String channel;
    volatile JsonObject reply;

    AlertService(String channel) {
      this.channel = channel;
    }

    @Override
    public Future<?> start() {
      JsonObject broadcast =
          new JsonObject().put("channel", channel).put("type", "ALERT").put("data", "from the bus");
      return vertx
          .eventBus()
          .<JsonObject>request(Addresses.BROADCAST, broadcast)
          .onSuccess(answer -> reply = answer.body());
    }
  }

  @Test
  void aVerticleInTheSameVertxBroadcastsOverTheEventBusAndGetsTheDeliveredCount() {
    String channel = channel("bus");
    WsClient a = connect();
    WsClient b = connect();
    join(a, channel);
    join(b, channel);
    AlertService service = new AlertService(channel);

    Await.result(server.vertx().deployVerticle(service));

    assertThat(service.reply).isEqualTo(new JsonObject().put("success", true).put("delivered", 2));
    assertThat(a.next("message").getString("data")).isEqualTo("from the bus");
    assertThat(b.next("message").getString("event")).isEqualTo("ALERT");
  }

  @Test
  void aBadBusBroadcastFailsWithTheCodeAndSentence() {
    Throwable failure =
        Await.failure(
            server
                .vertx()
                .eventBus()
                .request(Addresses.BROADCAST, new JsonObject().put("type", "T")));

    assertThat(failure).isInstanceOf(ReplyException.class);
    assertThat(((ReplyException) failure).failureCode()).isEqualTo(400);
    assertThat(failure.getMessage()).isEqualTo("bad_request: field 'data' is required");
  }

  @Test
  void connectionEventsArePublishedOnTheDocumentedAddresses() {
    // Each consumer runs on its own event loop: events of one address arrive in the order they were
    // published; across addresses there is no order to rely on.
    Map<String, List<Object>> events = new ConcurrentHashMap<>();
    var bus = server.vertx().eventBus();
    var consumers =
        List.of(
            record(bus, events, Addresses.EVENT_CONNECTED, body -> body.getString("userId")),
            record(bus, events, Addresses.EVENT_JOINED, body -> body.getInteger("subscribers")),
            record(bus, events, Addresses.EVENT_LEFT, body -> body.getInteger("subscribers")),
            record(bus, events, Addresses.EVENT_DISCONNECTED, body -> body.getInteger("code")));
    try {
      consumers.forEach(c -> Await.result(c.completion()));
      String channel = channel("events");
      WsClient client = connectAs("watched", null);
      join(client, channel);
      client.request(new JsonObject().put("type", "leave").put("channel", channel));
      join(client, channel);
      client.close();

      // Routing publishes "left" for each channel once it has processed the disconnect.
      Await.until(
          "all events, got " + events,
          () ->
              events.getOrDefault(Addresses.EVENT_LEFT, List.of()).size() == 2
                  && events.containsKey(Addresses.EVENT_DISCONNECTED));
      assertThat(events.get(Addresses.EVENT_CONNECTED)).containsExactly("watched");
      assertThat(events.get(Addresses.EVENT_JOINED)).containsExactly(1, 1);
      assertThat(events.get(Addresses.EVENT_LEFT)).containsExactly(0, 0);
      assertThat(events.get(Addresses.EVENT_DISCONNECTED)).containsExactly(1000);
    } finally {
      consumers.forEach(c -> c.unregister());
    }
  }

  private static MessageConsumer<JsonObject> record(
      io.vertx.core.eventbus.EventBus bus,
      Map<String, List<Object>> events,
      String address,
      java.util.function.Function<JsonObject, Object> field) {
    return bus.consumer(
        address,
        m ->
            events
                .computeIfAbsent(address, a -> new CopyOnWriteArrayList<>())
                .add(field.apply(m.body())));
  }
}

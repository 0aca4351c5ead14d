package io.switchboard.server.history;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.protocol.Addresses;
import io.switchboard.protocol.BusErrors;
import io.switchboard.protocol.ProtocolError;
import io.switchboard.server.testing.Await;
import io.switchboard.server.testing.ServerTestBase;
import io.switchboard.server.testing.TestNamespaces;
import io.switchboard.server.testing.WsClient;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Channel offsets and epochs on messages and acks, history kept per namespace (by size and age),
 * and reading it: the {@code history} frame, {@code switchboard.history} and the admin route.
 */
class HistoryIT extends ServerTestBase {

  static final int MAX_LIMIT = 50;

  @Override
  protected JsonObject config() {
    return new JsonObject()
        .put(
            "channels",
            new JsonObject()
                .put(
                    "namespaces",
                    new JsonObject()
                        .put("", new JsonObject().put("publish", "anyone"))
                        .put("feed", TestNamespaces.open().put("historySize", 5))
                        .put(
                            "brief",
                            TestNamespaces.open()
                                .put("historySize", 100)
                                .put("historyTtlMs", 3_000))
                        .put("plain", TestNamespaces.open()))
                .put("maxHistoryLimit", MAX_LIMIT));
  }

  private static JsonObject publish(String channel, Object data, String id) {
    JsonObject frame =
        new JsonObject().put("type", "publish").put("channel", channel).put("data", data);
    return id == null ? frame : frame.put("id", id);
  }

  /** Publishes with an id from a client that has not joined; returns the ack. */
  private static JsonObject acked(WsClient publisher, String channel, Object data) {
    JsonObject ack = publisher.request(publish(channel, data, "p"));
    assertThat(ack.getString("type")).as("answer %s", ack).isEqualTo("ack");
    return ack;
  }

  private static JsonObject history(WsClient client, String channel, JsonObject data) {
    JsonObject frame =
        new JsonObject().put("type", "history").put("channel", channel).put("id", "h");
    return client.request(data == null ? frame : frame.put("data", data));
  }

  private static JsonObject since(long offset, String epoch) {
    return new JsonObject().put("offset", offset).put("epoch", epoch);
  }

  private static List<Long> offsets(JsonArray messages) {
    List<Long> offsets = new ArrayList<>();
    messages.forEach(m -> offsets.add(((JsonObject) m).getLong("offset")));
    return offsets;
  }

  private Future<Object> broadcast(String channel, Object data) {
    return server
        .vertx()
        .eventBus()
        .request(
            Addresses.BROADCAST,
            new JsonObject().put("channel", channel).put("type", "NEWS").put("data", data))
        .map(Message::body);
  }

  @Test
  void offsetsIncreaseByOnePerChannelAcrossPublishersAndBroadcasts() {
    String channel = channel("plain:order");
    WsClient subscriber = connect();
    JsonObject confirmed = join(subscriber, channel).getJsonObject("data");
    String epoch = confirmed.getString("epoch");
    List<WsClient> publishers = List.of(connect(), connect(), connect());
    List<Future<Object>> broadcasts = new ArrayList<>();

    for (int n = 0; n < 20; n++) {
      for (int p = 0; p < publishers.size(); p++) {
        publishers.get(p).send(publish(channel, new JsonObject().put("p", p).put("n", n), null));
      }
      if (n % 5 == 0) {
        broadcasts.add(broadcast(channel, new JsonObject().put("b", n)));
      }
    }
    broadcasts.forEach(Await::result);

    assertThat(confirmed.getLong("offset")).isZero();
    assertThat(epoch).matches("[0-9a-f]{16}");
    assertThat(confirmed.containsKey("recovered")).isFalse();
    Map<Integer, Integer> lastOfPublisher = new HashMap<>();
    for (long expected = 1; expected <= 64; expected++) {
      JsonObject message = subscriber.next("message");
      assertThat(message.getLong("offset")).as("offset of %s", message).isEqualTo(expected);
      assertThat(message.getString("epoch")).isEqualTo(epoch);
      JsonObject data = message.getJsonObject("data");
      if (data.containsKey("p")) {
        int previous = lastOfPublisher.getOrDefault(data.getInteger("p"), -1);
        assertThat(data.getInteger("n")).isEqualTo(previous + 1);
        lastOfPublisher.put(data.getInteger("p"), data.getInteger("n"));
      } else {
        assertThat(message.getString("event")).isEqualTo("NEWS");
      }
    }
    assertThat(lastOfPublisher).isEqualTo(Map.of(0, 19, 1, 19, 2, 19));
    subscriber.assertNothingReceived();
    JsonObject other = acked(publishers.get(0), channel("plain:other"), "first");
    assertThat(other.getLong("offset")).isEqualTo(1);
    assertThat(other.getString("epoch")).isNotEqualTo(epoch);
  }

  @Test
  void theAckCarriesTheOffsetAndEpochOfItsMessageAndANarrowedBroadcastTakesNoOffset() {
    String channel = channel("plain:acks");
    WsClient alice = connectAs("alice", null);
    join(alice, channel);
    WsClient publisher = connect();

    JsonObject ack = acked(publisher, channel, "one");
    JsonObject message = alice.next("message");
    Await.result(
        server
            .vertx()
            .eventBus()
            .request(
                Addresses.BROADCAST,
                new JsonObject()
                    .put("channel", channel)
                    .put("userId", "alice")
                    .put("type", "PRIVATE")
                    .put("data", "for alice")));
    JsonObject narrowed = alice.next("message");
    JsonObject second = acked(publisher, channel, "two");

    assertThat(ack.getString("id")).isEqualTo("p");
    assertThat(ack.getLong("offset")).isEqualTo(1);
    assertThat(ack.getString("epoch")).matches("[0-9a-f]{16}");
    assertThat(ack.containsKey("data")).isFalse();
    assertThat(message.getLong("offset")).isEqualTo(ack.getLong("offset"));
    assertThat(message.getString("epoch")).isEqualTo(ack.getString("epoch"));
    assertThat(narrowed.getString("event")).isEqualTo("PRIVATE");
    assertThat(narrowed.containsKey("offset")).isFalse();
    assertThat(narrowed.containsKey("epoch")).isFalse();
    assertThat(second.getLong("offset")).isEqualTo(2);
    assertThat(alice.next("message").getLong("offset")).isEqualTo(2);
  }

  @Test
  void historyKeepsTheLastMessagesOfTheNamespacesSizeAndReadsThemByLimitAndPosition() {
    String channel = channel("feed:news");
    WsClient publisher = connect();
    String epoch = null;
    for (int n = 1; n <= 7; n++) {
      epoch = acked(publisher, channel, new JsonObject().put("n", n)).getString("epoch");
    }
    Await.result(broadcast(channel, "eighth"));
    WsClient reader = connect();

    JsonObject latest = history(reader, channel, null);
    JsonObject lastTwo = history(reader, channel, new JsonObject().put("limit", 2));
    JsonObject afterFive = history(reader, channel, new JsonObject().put("since", since(5, epoch)));
    JsonObject firstAfterFour =
        history(reader, channel, new JsonObject().put("since", since(4, epoch)).put("limit", 1));
    JsonObject upToDate = history(reader, channel, new JsonObject().put("since", since(8, epoch)));

    assertThat(latest.getString("type")).isEqualTo("history");
    assertThat(latest.getString("id")).isEqualTo("h");
    assertThat(latest.getString("channel")).isEqualTo(channel);
    JsonObject data = latest.getJsonObject("data");
    assertThat(data.getLong("offset")).isEqualTo(8);
    assertThat(data.getString("epoch")).isEqualTo(epoch);
    assertThat(offsets(data.getJsonArray("messages"))).containsExactly(4L, 5L, 6L, 7L, 8L);
    JsonObject fourth = data.getJsonArray("messages").getJsonObject(0);
    assertThat(fourth.getJsonObject("data")).isEqualTo(new JsonObject().put("n", 4));
    assertThat(fourth.getString("ts")).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
    assertThat(fourth.containsKey("event")).isFalse();
    JsonObject eighth = data.getJsonArray("messages").getJsonObject(4);
    assertThat(eighth.getString("event")).isEqualTo("NEWS");
    assertThat(eighth.getValue("data")).isEqualTo("eighth");
    assertThat(offsets(lastTwo.getJsonObject("data").getJsonArray("messages")))
        .containsExactly(7L, 8L);
    assertThat(offsets(afterFive.getJsonObject("data").getJsonArray("messages")))
        .containsExactly(6L, 7L, 8L);
    assertThat(offsets(firstAfterFour.getJsonObject("data").getJsonArray("messages")))
        .containsExactly(5L);
    assertThat(upToDate.getJsonObject("data").getJsonArray("messages")).isEmpty();
  }

  @Test
  void aPositionHistoryDoesNotCoverIsHistoryUnavailableNamingTheStreamsPosition() {
    String channel = channel("feed:gone");
    WsClient publisher = connect();
    String epoch = null;
    for (int n = 1; n <= 7; n++) {
      epoch = acked(publisher, channel, n).getString("epoch");
    }

    JsonObject dropped =
        history(publisher, channel, new JsonObject().put("since", since(1, epoch)));
    JsonObject otherEpoch =
        history(publisher, channel, new JsonObject().put("since", since(6, "0123456789abcdef")));
    JsonObject ahead = history(publisher, channel, new JsonObject().put("since", since(9, epoch)));

    String prefix = "the history of channel '" + channel + "' does not cover offset ";
    String position = "; the stream is at offset 7 of epoch '" + epoch + "'";
    assertError(
        dropped,
        "history_unavailable",
        prefix
            + "1 of epoch '"
            + epoch
            + "': messages after it are no longer kept (the channel keeps its last 5 messages"
            + " for 300000 ms)"
            + position);
    assertError(
        otherEpoch,
        "history_unavailable",
        prefix
            + "6 of epoch '0123456789abcdef': its epoch is not the stream's: the stream started"
            + " anew"
            + position);
    assertError(
        ahead,
        "history_unavailable",
        prefix + "9 of epoch '" + epoch + "': it is ahead of the stream" + position);
  }

  private static void assertError(JsonObject frame, String code, String message) {
    assertThat(frame.getString("type")).as("answer %s", frame).isEqualTo("error");
    assertThat(frame.getString("id")).isEqualTo("h");
    assertThat(frame.getJsonObject("error").getString("code")).isEqualTo(code);
    assertThat(frame.getJsonObject("error").getString("message")).isEqualTo(message);
    assertThat(frame.getJsonObject("error").getBoolean("retryable")).isFalse();
  }

  @Test
  void keptMessagesExpireAfterTheNamespacesTtl() {
    String channel = channel("brief:news");
    WsClient client = connect();
    acked(client, channel, "one");
    acked(client, channel, "two");

    JsonObject before = history(client, channel, null).getJsonObject("data");
    assertThat(offsets(before.getJsonArray("messages"))).containsExactly(1L, 2L);
    Await.until(
        "the kept messages expired",
        () ->
            history(client, channel, null)
                .getJsonObject("data")
                .getJsonArray("messages")
                .isEmpty());

    JsonObject after = history(client, channel, null).getJsonObject("data");
    assertThat(after.getLong("offset")).isEqualTo(2);
    assertThat(after.getString("epoch")).isEqualTo(before.getString("epoch"));
    assertError(
        history(client, channel, new JsonObject().put("since", since(1, after.getString("epoch")))),
        "history_unavailable",
        "the history of channel '"
            + channel
            + "' does not cover offset 1 of epoch '"
            + after.getString("epoch")
            + "': messages after it are no longer kept (the channel keeps its last 100 messages"
            + " for 3000 ms); the stream is at offset 2 of epoch '"
            + after.getString("epoch")
            + "'");
  }

  @Test
  void aChannelWithoutHistoryGetsOffsetsAndKeepsNothing() {
    String channel = channel("plain:none");
    WsClient client = connect();
    acked(client, channel, "one");
    JsonObject ack = acked(client, channel, "two");

    JsonObject data = history(client, channel, null).getJsonObject("data");

    assertThat(ack.getLong("offset")).isEqualTo(2);
    assertThat(data.getLong("offset")).isEqualTo(2);
    assertThat(data.getString("epoch")).isEqualTo(ack.getString("epoch"));
    assertThat(data.getJsonArray("messages")).isEmpty();
    assertThat(
            history(
                    client,
                    channel,
                    new JsonObject().put("since", since(2, ack.getString("epoch"))))
                .getJsonObject("data")
                .getJsonArray("messages"))
        .isEmpty();
  }

  @Test
  void servicesReadHistoryOnTheBusAndTheAdminApi() {
    String channel = channel("feed:service");
    WsClient client = connect();
    String epoch = null;
    for (int n = 1; n <= 3; n++) {
      epoch = acked(client, channel, n).getString("epoch");
    }

    JsonObject onBus =
        Await.result(
                server
                    .vertx()
                    .eventBus()
                    .<JsonObject>request(
                        Addresses.HISTORY,
                        new JsonObject()
                            .put("channel", channel)
                            .put("limit", 2)
                            .put("since", since(0, epoch))))
            .body();
    HttpResponse<Buffer> admin =
        adminGet(
            "/api/channels/"
                + URLEncoder.encode(channel, StandardCharsets.UTF_8)
                + "/history?sinceOffset=1&sinceEpoch="
                + epoch);
    HttpResponse<Buffer> latest = adminGet("/api/channels/" + channel + "/history?limit=1");
    HttpResponse<Buffer> gone =
        adminGet("/api/channels/" + channel + "/history?sinceOffset=1&sinceEpoch=abc");

    assertThat(onBus.getString("channel")).isEqualTo(channel);
    assertThat(onBus.getLong("offset")).isEqualTo(3);
    assertThat(onBus.getString("epoch")).isEqualTo(epoch);
    assertThat(offsets(onBus.getJsonArray("messages"))).containsExactly(1L, 2L);
    assertThat(onBus.getJsonArray("messages").getJsonObject(1).getValue("data")).isEqualTo(2);
    assertThat(admin.statusCode()).isEqualTo(200);
    JsonObject body = admin.bodyAsJsonObject();
    assertThat(body.getString("channel")).isEqualTo(channel);
    assertThat(body.getLong("offset")).isEqualTo(3);
    assertThat(offsets(body.getJsonArray("messages"))).containsExactly(2L, 3L);
    assertThat(offsets(latest.bodyAsJsonObject().getJsonArray("messages"))).containsExactly(3L);
    assertThat(gone.statusCode()).isEqualTo(410);
    assertThat(gone.bodyAsJsonObject().getJsonObject("error").getString("code"))
        .isEqualTo("history_unavailable");
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "limit=0|query parameter 'limit' must be a whole number of at least 1, was '0'",
        "limit=x|query parameter 'limit' must be a whole number of at least 1, was 'x'",
        "limit=51|field 'limit' must be a whole number from 1 to 50 (channels.maxHistoryLimit), was a number 51",
        "limit=1&limit=2|query parameter 'limit' must be given once, was given 2 times",
        "sinceOffset=3|query parameters 'sinceOffset' and 'sinceEpoch' go together: give both or neither",
        "sinceEpoch=abc|query parameters 'sinceOffset' and 'sinceEpoch' go together: give both or neither",
        "sinceOffset=-1&sinceEpoch=abc|query parameter 'sinceOffset' must be a whole number of at least 0, was '-1'",
      })
  void aBadAdminHistoryQueryIsBadRequestNamingTheParameter(String query, String message) {
    HttpResponse<Buffer> response = adminGet("/api/channels/feed:any/history?" + query);

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.bodyAsJsonObject().getJsonObject("error"))
        .isEqualTo(new JsonObject().put("code", "bad_request").put("message", message));
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "{\"limit\":1}|field 'channel' is required",
        "{\"channel\":\"\"}|field 'channel' must not be empty",
        "{\"channel\":\"feed:a\",\"limit\":0}|field 'limit' must be a whole number from 1 to 50 (channels.maxHistoryLimit), was a number 0",
        "{\"channel\":\"feed:a\",\"since\":{\"offset\":\"1\",\"epoch\":\"e\"}}|field 'since.offset' must be a whole number from 0 to 9223372036854775807, was '1'",
        "{\"channel\":\"feed:a\",\"since\":{\"offset\":1}}|field 'since.epoch' is required",
        "[1]|the history request must be a JSON object, was an array",
      })
  void aBadBusHistoryRequestFailsTypedNamingTheField(String body, String message) {
    Object request = body.startsWith("[") ? new JsonArray(body) : new JsonObject(body);

    Throwable failure =
        Await.failure(server.vertx().eventBus().request(Addresses.HISTORY, request));

    ProtocolError error = BusErrors.protocolError(failure).orElseThrow();
    assertThat(error.code().code()).isEqualTo("bad_request");
    assertThat(error.message()).isEqualTo(message);
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "{\"type\":\"history\",\"id\":\"h\"}|bad_request|field 'channel' is required for type 'history'",
        "{\"type\":\"history\",\"id\":\"h\",\"channel\":\"feed:a\",\"data\":5}|bad_request|field 'data' must be an object, was a number",
        "{\"type\":\"history\",\"id\":\"h\",\"channel\":\"feed:a\",\"data\":{\"limit\":0}}|bad_request|field 'data.limit' must be a whole number from 1 to 50 (channels.maxHistoryLimit), was a number 0",
        "{\"type\":\"history\",\"id\":\"h\",\"channel\":\"feed:a\",\"data\":{\"limit\":51}}|bad_request|field 'data.limit' must be a whole number from 1 to 50 (channels.maxHistoryLimit), was a number 51",
        "{\"type\":\"history\",\"id\":\"h\",\"channel\":\"feed:a\",\"data\":{\"limit\":\"5\"}}|bad_request|field 'data.limit' must be a whole number from 1 to 50 (channels.maxHistoryLimit), was '5'",
        "{\"type\":\"history\",\"id\":\"h\",\"channel\":\"feed:a\",\"data\":{\"since\":\"x\"}}|bad_request|field 'data.since' must be an object with offset and epoch, was a string",
        "{\"type\":\"history\",\"id\":\"h\",\"channel\":\"feed:a\",\"data\":{\"since\":{}}}|bad_request|field 'data.since.offset' is required",
        "{\"type\":\"history\",\"id\":\"h\",\"channel\":\"feed:a\",\"data\":{\"since\":{\"offset\":-1,\"epoch\":\"e\"}}}|bad_request|field 'data.since.offset' must be a whole number from 0 to 9223372036854775807, was a number -1",
        "{\"type\":\"history\",\"id\":\"h\",\"channel\":\"feed:a\",\"data\":{\"since\":{\"offset\":1.5,\"epoch\":\"e\"}}}|bad_request|field 'data.since.offset' must be a whole number from 0 to 9223372036854775807, was a number 1.5",
        "{\"type\":\"history\",\"id\":\"h\",\"channel\":\"feed:a\",\"data\":{\"since\":{\"offset\":1}}}|bad_request|field 'data.since.epoch' is required",
        "{\"type\":\"history\",\"id\":\"h\",\"channel\":\"feed:a\",\"data\":{\"since\":{\"offset\":1,\"epoch\":7}}}|bad_request|field 'data.since.epoch' must be a string, was a number",
        "{\"type\":\"history\",\"id\":\"h\",\"channel\":\"feed:a\",\"data\":{\"since\":{\"offset\":1,\"epoch\":\"\"}}}|bad_request|field 'data.since.epoch' must be 1 to 64 characters (an epoch the server sent), was ''",
        "{\"type\":\"join\",\"id\":\"h\",\"channel\":\"feed:a\",\"since\":\"x\"}|bad_request|field 'since' must be an object with offset and epoch, was a string",
        "{\"type\":\"join\",\"id\":\"h\",\"channel\":\"feed:a\",\"since\":{\"offset\":1}}|bad_request|field 'since.epoch' is required",
        "{\"type\":\"join\",\"id\":\"h\",\"channel\":\"feed:a\",\"since\":{\"offset\":18446744073709551616,\"epoch\":\"e\"}}|bad_request|field 'since.offset' must be a whole number from 0 to 9223372036854775807, was a number 18446744073709551616",
        "{\"type\":\"history\",\"id\":\"h\",\"channel\":\"user:bob\"}|forbidden|joining 'user:bob' is not allowed: namespace 'user' lets only the user the channel is named after do that (channels.namespaces.user.join: owner)",
      })
  void aBadHistoryOrJoinPositionGetsItsExactError(String frame, String code, String message) {
    WsClient client = connect();

    JsonObject answer = client.sendText(frame).next();

    assertError(answer, code, message);
    assertThat(client.sync()).isEmpty();
  }
}

package io.switchboard.server.presence;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.protocol.Addresses;
import io.switchboard.protocol.BusErrors;
import io.switchboard.protocol.ErrorCode;
import io.switchboard.protocol.ProtocolError;
import io.switchboard.server.bus.InternalAddresses;
import io.switchboard.server.testing.Await;
import io.switchboard.server.testing.ServerTestBase;
import io.switchboard.server.testing.WsClient;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.Message;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Who is in a channel, asked by a client ({@code presence}), on the admin API and on the event bus,
 * against a real server with two connection instances, so that every answer is gathered from both
 * hubs; and the join and leave notices of a namespace that asks for them.
 */
class PresenceIT extends ServerTestBase {

  @Override
  protected JsonObject config() {
    return new JsonObject()
        .put(
            "channels",
            new JsonObject()
                .put(
                    "namespaces",
                    new JsonObject()
                        .put(
                            "room",
                            new JsonObject()
                                .put("join", "anyone")
                                .put("publish", "subscribers")
                                .put("presenceNotices", true))));
  }

  private static JsonObject presenceOf(WsClient client, String channel) {
    return client.request(
        new JsonObject().put("type", "presence").put("channel", channel).put("id", "p"));
  }

  private static List<String> idsOf(JsonArray members) {
    List<String> ids = new ArrayList<>();
    members.forEach(m -> ids.add(((JsonObject) m).getString("connectionId")));
    return ids;
  }

  /** The connection instance holding a connection, as this node's routing finds it. */
  private String instanceOf(String connectionId) {
    Message<JsonObject> located =
        Await.result(
            server
                .vertx()
                .eventBus()
                .request(
                    InternalAddresses.ROUTING_QUERY,
                    new JsonObject().put("query", "connection").put("connectionId", connectionId)));
    return located.body().getString("instance");
  }

  @Test
  void aSubscriberListsEveryMemberOnBothInstancesWithIdentityAndJoinTime() {
    String channel = channel("lobby");
    WsClient alice = connectAs("alice", "acme");
    WsClient bob = connectAs("bob", null);
    WsClient anonymous = connect();
    WsClient dave = connectAs("dave", "acme");
    List<WsClient> members = List.of(alice, bob, anonymous, dave);
    Set<String> instances = new HashSet<>();
    members.forEach(member -> instances.add(instanceOf(member.connectionId())));
    assertThat(instances).as("the members' connection instances").hasSize(2);

    Instant beforeJoins = Instant.now();
    members.forEach(member -> join(member, channel));
    JsonObject answer = presenceOf(alice, channel);

    assertThat(answer.getString("type")).as("answer: %s", answer).isEqualTo("presence");
    assertThat(answer.getString("id")).isEqualTo("p");
    assertThat(answer.getString("channel")).isEqualTo(channel);
    JsonObject data = answer.getJsonObject("data");
    assertThat(data.getInteger("count")).isEqualTo(4);
    assertThat(data.getBoolean("more")).isFalse();
    assertThat(data.getBoolean("partial")).isFalse();
    List<String> expected =
        new ArrayList<>(members.stream().map(WsClient::connectionId).sorted().toList());
    JsonArray listed = data.getJsonArray("members");
    assertThat(idsOf(listed)).isEqualTo(expected);
    Instant answeredAt = Instant.parse(answer.getString("ts"));
    for (WsClient member : members) {
      JsonObject entry =
          listed.stream()
              .map(JsonObject.class::cast)
              .filter(m -> m.getString("connectionId").equals(member.connectionId()))
              .findFirst()
              .orElseThrow();
      JsonObject welcome = member.welcome().getJsonObject("data");
      assertThat(entry.getString("userId")).isEqualTo(welcome.getString("userId"));
      assertThat(entry.getString("organizationId")).isEqualTo(welcome.getString("organizationId"));
      assertThat(entry.containsKey("userId") && entry.containsKey("organizationId")).isTrue();
      Instant joinedAt = Instant.parse(entry.getString("joinedAt"));
      assertThat(joinedAt)
          .as("%s joined after the joins were sent and before the answer", entry)
          .isBetween(beforeJoins.minusMillis(1), answeredAt);
    }
    // Bob joined after alice: the order of the confirmations is the order of the join times.
    assertThat(joinedAtOf(listed, bob)).isAfterOrEqualTo(joinedAtOf(listed, alice));

    // Someone who leaves is no longer present.
    bob.request(new JsonObject().put("type", "leave").put("channel", channel));
    JsonObject after = presenceOf(dave, channel).getJsonObject("data");
    assertThat(after.getInteger("count")).isEqualTo(3);
    assertThat(idsOf(after.getJsonArray("members"))).doesNotContain(bob.connectionId());
  }

  private static Instant joinedAtOf(JsonArray members, WsClient client) {
    return Instant.parse(
        members.stream()
            .map(JsonObject.class::cast)
            .filter(m -> m.getString("connectionId").equals(client.connectionId()))
            .findFirst()
            .orElseThrow()
            .getString("joinedAt"));
  }

  @Test
  void aClientAsksOnlyAboutAChannelItHasJoined() {
    String channel = channel("closed");
    WsClient member = connectAs("alice", null);
    join(member, channel);
    WsClient outsider = connectAs("mallory", null);

    JsonObject refused = presenceOf(outsider, channel);
    assertThat(refused.getString("type")).isEqualTo("error");
    assertThat(refused.getString("id")).isEqualTo("p");
    assertThat(refused.getJsonObject("error").getString("code")).isEqualTo("not_subscribed");
    assertThat(refused.getJsonObject("error").getString("message"))
        .isEqualTo(
            "not subscribed to channel '"
                + channel
                + "'; presence lists a channel's members to its subscribers: join it first");

    JsonObject missing = outsider.request(new JsonObject().put("type", "presence").put("id", "q"));
    assertThat(missing.getJsonObject("error").getString("code")).isEqualTo("bad_request");
    assertThat(missing.getJsonObject("error").getString("message"))
        .isEqualTo("field 'channel' is required for type 'presence'");
  }

  @Test
  void aClientsAnswerListsAtMostOneHundredMembersAndCountsThemAll() {
    String channel = channel("crowd");
    // More sockets than the shared client's pool allows to one server (50).
    WebSocketClient crowdClient =
        clientVertx.createWebSocketClient(new WebSocketClientOptions().setMaxConnections(200));
    try {
      List<WsClient> crowd = new ArrayList<>();
      for (int i = 0; i < 105; i++) {
        WsClient client = track(WsClient.connect(crowdClient, server.wsPort(), "/ws", null));
        join(client, channel);
        crowd.add(client);
      }

      JsonObject data = presenceOf(crowd.get(0), channel).getJsonObject("data");

      assertThat(data.getInteger("count")).isEqualTo(105);
      assertThat(data.getBoolean("more")).isTrue();
      assertThat(idsOf(data.getJsonArray("members")))
          .isEqualTo(crowd.stream().map(WsClient::connectionId).sorted().limit(100).toList());
    } finally {
      crowdClient.close();
    }
  }

  @Test
  void theAdminApiPagesThroughEveryMemberOnce() {
    String channel = channel("paged");
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      WsClient client = connectAs("user" + i, null);
      join(client, channel);
      expected.add(client.connectionId());
    }
    expected.sort(null);

    List<String> seen = new ArrayList<>();
    String path = "/api/channels/" + channel + "/presence?limit=2";
    String next = null;
    do {
      HttpResponse<Buffer> page = adminGet(next == null ? path : path + "&cursor=" + next);
      assertThat(page.statusCode()).isEqualTo(200);
      JsonObject body = page.bodyAsJsonObject();
      assertThat(body.getString("channel")).isEqualTo(channel);
      assertThat(body.getInteger("count")).isEqualTo(5);
      assertThat(body.containsKey("unansweredNodes")).isFalse();
      JsonArray members = body.getJsonArray("members");
      assertThat(members.size()).isBetween(1, 2);
      members.forEach(m -> assertThat(((JsonObject) m).getString("userId")).startsWith("user"));
      seen.addAll(idsOf(members));
      next = body.getString("next");
    } while (next != null);

    assertThat(seen).isEqualTo(expected);
  }

  @Test
  void theAdminApiAnswersNotFoundAndBadParameters() {
    String channel = channel("nobody");
    HttpResponse<Buffer> missing = adminGet("/api/channels/" + channel + "/presence");
    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(missing.bodyAsJsonObject().getJsonObject("error"))
        .isEqualTo(
            new JsonObject()
                .put("code", "channel_not_found")
                .put("message", ProtocolError.channelNotFound(channel).message()));

    HttpResponse<Buffer> badLimit = adminGet("/api/channels/" + channel + "/presence?limit=0");
    assertThat(badLimit.statusCode()).isEqualTo(400);
    assertThat(badLimit.bodyAsJsonObject().getJsonObject("error").getString("message"))
        .isEqualTo(
            "query parameter 'limit' must be a whole number from 1 to 1000 (default 100), was '0'");
  }

  @Test
  void aServiceOnTheBusPagesThroughTheMembers() {
    String channel = channel("bus");
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      WsClient client = connectAs("svc" + i, "acme");
      join(client, channel);
      expected.add(client.connectionId());
    }
    expected.sort(null);

    JsonObject first = ask(new JsonObject().put("channel", channel).put("limit", 2));
    assertThat(first.getString("channel")).isEqualTo(channel);
    assertThat(first.getInteger("count")).isEqualTo(3);
    assertThat(first.getBoolean("more")).isTrue();
    assertThat(idsOf(first.getJsonArray("members"))).isEqualTo(expected.subList(0, 2));
    assertThat(first.getJsonArray("members").getJsonObject(0).getString("organizationId"))
        .isEqualTo("acme");

    JsonObject second =
        ask(new JsonObject().put("channel", channel).put("limit", 2).put("after", expected.get(1)));
    assertThat(second.getBoolean("more")).isFalse();
    assertThat(idsOf(second.getJsonArray("members"))).isEqualTo(expected.subList(2, 3));
  }

  @Test
  void aBadOrUnknownBusRequestFailsTyped() {
    assertBusRefusal(new JsonObject(), ErrorCode.BAD_REQUEST, "field 'channel' is required");
    assertBusRefusal(
        new JsonObject().put("channel", "a b"),
        ErrorCode.BAD_REQUEST,
        "field 'channel' may only contain A-Z a-z 0-9 _ : . @ $ -, found U+0020 at index 1");
    assertBusRefusal(
        new JsonObject().put("channel", "x").put("limit", 5000),
        ErrorCode.BAD_REQUEST,
        "field 'limit' must be a whole number from 1 to 1000, was a number 5000");
    String channel = channel("empty");
    assertBusRefusal(
        new JsonObject().put("channel", channel),
        ErrorCode.CHANNEL_NOT_FOUND,
        ProtocolError.channelNotFound(channel).message());
  }

  private JsonObject ask(JsonObject request) {
    Message<JsonObject> reply =
        Await.result(server.vertx().eventBus().request(Addresses.PRESENCE, request));
    return reply.body();
  }

  private void assertBusRefusal(JsonObject request, ErrorCode code, String message) {
    Throwable failure =
        Await.failure(server.vertx().eventBus().request(Addresses.PRESENCE, request));
    ProtocolError error = BusErrors.protocolError(failure).orElseThrow();
    assertThat(error.code()).as("code for %s", request).isEqualTo(code);
    assertThat(error.message()).as("message for %s", request).isEqualTo(message);
  }

  @Test
  void wsStatusCountsEverySubscription() {
    WsClient alice = connectAs("alice", null);
    WsClient bob = connectAs("bob", null);
    for (WsClient client : List.of(alice, bob)) {
      join(client, channel("status-a"));
      join(client, channel("status-b"));
    }
    join(alice, channel("status-c"));

    Await.until(
        "the status counts the 5 subscriptions",
        () ->
            adminGet("/ws/status")
                    .bodyAsJsonObject()
                    .getJsonObject("stats")
                    .getInteger("totalSubscriptions")
                == 5);
  }

  @Test
  void subscribersHearOfJoinsAndLeavesInTheChannelsOrder() {
    String channel = "room:" + channel("notices");
    WsClient alice = connectAs("alice", "acme");
    join(alice, channel);
    assertThat(alice.next("presence_joined").getJsonObject("data"))
        .as("the joiner hears of its own join after its confirmation")
        .isEqualTo(noticeOf(alice));

    WsClient bob = connectAs("bob", null);
    join(bob, channel);
    JsonObject joined = alice.next("presence_joined");
    assertThat(joined.getString("channel")).isEqualTo(channel);
    assertThat(joined.getJsonObject("data")).isEqualTo(noticeOf(bob));
    assertThat(bob.next("presence_joined").getJsonObject("data")).isEqualTo(noticeOf(bob));

    // Bob's message comes before his leave, in the channel's one order.
    bob.send(new JsonObject().put("type", "publish").put("channel", channel).put("data", "bye"));
    bob.request(new JsonObject().put("type", "leave").put("channel", channel));
    assertThat(alice.next("message").getValue("data")).isEqualTo("bye");
    assertThat(alice.next("presence_left").getJsonObject("data")).isEqualTo(noticeOf(bob));

    // An anonymous connection that joins and then disconnects.
    WsClient anonymous = connect();
    join(anonymous, channel);
    assertThat(alice.next("presence_joined").getJsonObject("data")).isEqualTo(noticeOf(anonymous));
    anonymous.close();
    JsonObject left = alice.next("presence_left");
    assertThat(left.getString("channel")).isEqualTo(channel);
    assertThat(left.getJsonObject("data")).isEqualTo(noticeOf(anonymous));
    assertNothingRoutedTo(alice);
  }

  @Test
  void aNamespaceWithoutNoticesSendsNone() {
    String channel = channel("quiet");
    WsClient alice = connectAs("alice", null);
    join(alice, channel);
    WsClient bob = connectAs("bob", null);
    join(bob, channel);
    bob.request(new JsonObject().put("type", "leave").put("channel", channel));

    assertNothingRoutedTo(alice);
    assertNothingRoutedTo(bob);
  }

  private static JsonObject noticeOf(WsClient client) {
    JsonObject welcome = client.welcome().getJsonObject("data");
    return new JsonObject()
        .put("connectionId", client.connectionId())
        .put("userId", welcome.getString("userId"))
        .put("organizationId", welcome.getString("organizationId"));
  }
}

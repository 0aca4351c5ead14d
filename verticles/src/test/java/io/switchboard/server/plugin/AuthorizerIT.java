package io.switchboard.server.plugin;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.plugin.AccessRequest;
import io.switchboard.plugin.AccessRequest.Action;
import io.switchboard.plugin.MessageTypePlugin;
import io.switchboard.plugin.Sender.IdentitySource;
import io.switchboard.server.testing.ServerTestBase;
import io.switchboard.server.testing.Tokens;
import io.switchboard.server.testing.WsClient;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A namespace's authorizer inside a real server, with clients whose identity comes from real
 * tokens: asked after the rules, refusals and failures never grant, the publisher's order is kept,
 * and plugins publishing on a sender's behalf are held to the same decisions.
 */
class AuthorizerIT extends ServerTestBase {

  private final TestPlugins.Rooms rooms = new TestPlugins.Rooms();

  @Override
  protected JsonObject config() {
    return new JsonObject()
        .put("auth", Tokens.authConfig().put("anonymous", true))
        .put(
            "channels",
            new JsonObject()
                .put(
                    "namespaces",
                    new JsonObject()
                        .put(
                            "room",
                            new JsonObject()
                                .put("join", "authenticated")
                                .put("publish", "subscribers")
                                .put("authorizer", "rooms"))
                        .put(
                            "team",
                            new JsonObject()
                                .put("join", "members")
                                .put("publish", "members")
                                .put("authorizer", "rooms"))
                        .put("feed", new JsonObject().put("join", "anyone"))))
        .put(
            "plugins",
            new JsonObject()
                .put(
                    "settings",
                    new JsonObject().put("rooms", new JsonObject().put("timeoutMs", 300))));
  }

  @Override
  protected List<MessageTypePlugin> plugins() {
    return List.of(rooms, TestPlugins.sayer());
  }

  private WsClient connectWithToken(String user, String organization, String... grants) {
    JsonObject claims = Tokens.claims(user).put("org", organization);
    if (grants.length > 0) {
      claims.put("channels", new JsonArray(List.of(grants)));
    }
    return connect("/ws?token=" + Tokens.hs256(claims));
  }

  private static JsonObject joinFrame(String channel) {
    return new JsonObject().put("type", "join").put("channel", channel).put("id", "j1");
  }

  private static JsonObject publishFrame(String channel, JsonObject data) {
    return new JsonObject().put("type", "publish").put("channel", channel).put("data", data);
  }

  private static void assertNotSubscribed(WsClient client, String channel) {
    JsonObject answer =
        client.request(new JsonObject().put("type", "leave").put("channel", channel));
    assertThat(answer.getJsonObject("error").getString("code")).isEqualTo("not_subscribed");
  }

  @Test
  void aJoinTheAuthorizerAllowsIsConfirmedAndItWasAskedWithTheVerifiedIdentity() {
    String channel = channel("room:open");
    WsClient alice = connectWithToken("alice", "acme", "vip:*");

    JsonObject confirmed = alice.request(joinFrame(channel));

    assertThat(confirmed.getString("type")).isEqualTo("subscription_confirmed");
    List<AccessRequest> asked = rooms.about(channel);
    assertThat(asked).hasSize(1);
    AccessRequest request = asked.get(0);
    assertThat(request.action()).isEqualTo(Action.JOIN);
    assertThat(request.namespace()).isEqualTo("room");
    assertThat(request.data()).isNull();
    assertThat(request.sender().connectionId()).isEqualTo(alice.connectionId());
    assertThat(request.sender().userId()).isEqualTo("alice");
    assertThat(request.sender().organizationId()).isEqualTo("acme");
    assertThat(request.sender().identity()).isEqualTo(IdentitySource.TOKEN);
    assertThat(request.sender().grants()).containsExactly("vip:*");
    assertThat(request.sender().grants("vip:lounge")).isTrue();
    assertThat(request.sender().channels()).isEmpty();
  }

  @Test
  void aRefusalIsForbiddenWithThePluginsSentenceAndLeavesTheClientOut() {
    String channel = channel("room:closed");
    WsClient alice = connectWithToken("alice", "acme");

    JsonObject error = alice.request(joinFrame(channel));

    assertThat(error.getString("id")).isEqualTo("j1");
    assertThat(error.getJsonObject("error"))
        .isEqualTo(
            new JsonObject()
                .put("code", "forbidden")
                .put("message", "room '" + channel.substring(5) + "' is closed")
                .put("retryable", false));
    assertNotSubscribed(alice, channel);
  }

  @Test
  void aRefusalWithThePluginsOwnCodeReachesTheClientUnchanged() {
    String channel = channel("room:full");
    WsClient alice = connectWithToken("alice", "acme");

    JsonObject error = alice.request(joinFrame(channel));

    assertThat(error.getJsonObject("error"))
        .isEqualTo(
            new JsonObject()
                .put("code", "rooms.full")
                .put("message", "room '" + channel.substring(5) + "' is full; try again later")
                .put("retryable", true));
    assertNotSubscribed(alice, channel);
  }

  @Test
  void aRefusalWithAnotherPluginsCodeIsAPluginErrorAndNeverGrants() {
    String channel = channel("room:foreign");
    WsClient alice = connectWithToken("alice", "acme");

    JsonObject error = alice.request(joinFrame(channel));

    assertThat(error.getJsonObject("error").getString("code")).isEqualTo("plugin_error");
    assertThat(error.getJsonObject("error").getString("message"))
        .matches(
            "plugin 'rooms' failed to decide on joining '"
                + channel
                + "'; reference [0-9a-f]{8} in the server log");
    assertNotSubscribed(alice, channel);
  }

  @Test
  void anAuthorizerThatThrowsOrDecidesNothingNeverGrants() {
    String thrown = channel("room:throw");
    String nothing = channel("room:null");
    WsClient alice = connectWithToken("alice", "acme");

    JsonObject afterThrow = alice.request(joinFrame(thrown));
    JsonObject afterNull = alice.request(joinFrame(nothing));

    assertThat(afterThrow.getJsonObject("error").getString("code")).isEqualTo("plugin_error");
    assertThat(afterThrow.getJsonObject("error").getBoolean("retryable")).isFalse();
    assertThat(afterNull.getJsonObject("error").getString("code")).isEqualTo("plugin_error");
    assertNotSubscribed(alice, thrown);
    assertNotSubscribed(alice, nothing);
  }

  @Test
  void aDecisionThatNeverComesRefusesWithPluginTimeoutBeforeTheClientsNextFrame() {
    String channel = channel("room:hang");
    WsClient alice = connectWithToken("alice", "acme");

    alice.send(joinFrame(channel));
    alice.send(new JsonObject().put("type", "ping").put("id", "after"));

    JsonObject error = alice.next("error").getJsonObject("error");
    assertThat(error.getString("code")).isEqualTo("plugin_timeout");
    assertThat(error.getBoolean("retryable")).isTrue();
    assertThat(error.getString("message"))
        .startsWith("plugin 'rooms' did not decide on joining '" + channel + "' within 300 ms")
        .matches(".*; reference [0-9a-f]{8} in the server log");
    assertThat(alice.next("pong").getString("id")).isEqualTo("after");
    assertNotSubscribed(alice, channel);
  }

  @Test
  void theNamespaceRulesComeFirstAndTheAuthorizerIsNotAskedAboutWhatTheyRefuse() {
    String room = channel("room:open");
    String globex = channel("globex");
    String team = "team:" + globex;
    WsClient anonymous = connect();
    WsClient alice = connectWithToken("alice", "acme");

    JsonObject anonymousError = anonymous.request(joinFrame(room));
    JsonObject memberError = alice.request(joinFrame(team));

    assertThat(anonymousError.getJsonObject("error").getString("message"))
        .contains("(channels.namespaces.room.join: authenticated)");
    assertThat(memberError.getJsonObject("error").getString("message"))
        .contains("(channels.namespaces.team.join: members)");
    assertThat(rooms.about(room)).isEmpty();
    assertThat(rooms.about(team)).isEmpty();
    WsClient member = connectWithToken("bob", globex);
    assertThat(member.request(joinFrame(team)).getString("type"))
        .isEqualTo("subscription_confirmed");
    assertThat(rooms.about(team)).hasSize(1);
  }

  @Test
  void aPublishIsAskedAboutWithACopyOfItsDataAndARefusalReachesNobody() {
    String channel = channel("room:open");
    WsClient alice = connectWithToken("alice", "acme");
    WsClient watcher = connectWithToken("watcher", "acme");
    join(alice, channel);
    join(watcher, channel);

    JsonObject refused =
        alice.request(
            publishFrame(channel, new JsonObject().put("refuse", "no spam here")).put("id", "p1"));
    alice.send(publishFrame(channel, new JsonObject().put("text", "hello")).put("id", "p2"));

    assertThat(refused.getString("id")).isEqualTo("p1");
    assertThat(refused.getJsonObject("error").getString("code")).isEqualTo("forbidden");
    assertThat(refused.getJsonObject("error").getString("message")).isEqualTo("no spam here");
    JsonObject delivered = watcher.next("message");
    assertThat(delivered.getJsonObject("data")).isEqualTo(new JsonObject().put("text", "hello"));
    watcher.assertNothingReceived();
    AccessRequest asked = rooms.about(channel).get(rooms.about(channel).size() - 1);
    assertThat(asked.action()).isEqualTo(Action.PUBLISH);
    assertThat(asked.sender().channels()).containsExactly(channel);
    assertThat(asked.data())
        .as("the plugin's own copy, which it wrote into")
        .isEqualTo(new JsonObject().put("text", "hello").put("seenBy", "rooms"));
  }

  @Test
  void aPublisherKeepsItsOrderWhileTheAuthorizerDecides() {
    String channel = channel("room:open");
    WsClient alice = connectWithToken("alice", "acme");
    WsClient watcher = connectWithToken("watcher", "acme");
    join(alice, channel);
    join(watcher, channel);

    // Decided slowly, at once, then half as slowly: without holding the publisher's socket, the
    // second would be delivered first.
    alice.send(publishFrame(channel, new JsonObject().put("n", 1).put("delay", 200)));
    alice.send(publishFrame(channel, new JsonObject().put("n", 2)));
    alice.send(
        publishFrame(channel, new JsonObject().put("n", 3).put("delay", 100)).put("id", "p3"));

    assertThat(List.of(watcher.next("message"), watcher.next("message"), watcher.next("message")))
        .extracting(m -> m.getJsonObject("data").getInteger("n"))
        .containsExactly(1, 2, 3);
  }

  @Test
  void aPluginPublishingOnTheSendersBehalfIsHeldToTheRulesAndTheAuthorizer() {
    String room = channel("room:open");
    String feed = "feed:" + channel("news");
    WsClient alice = connectWithToken("alice", "acme");
    WsClient watcher = connectWithToken("watcher", "acme");
    join(alice, room);
    join(watcher, room);
    join(alice, feed);
    join(watcher, feed);

    JsonObject byRule =
        alice.request(
            new JsonObject()
                .put("type", "SAY")
                .put("channel", feed)
                .put("data", "x")
                .put("id", "s1"));
    JsonObject byAuthorizer =
        alice.request(
            new JsonObject()
                .put("type", "SAY")
                .put("channel", room)
                .put("data", new JsonObject().put("full", true))
                .put("id", "s2"));
    alice.send(
        new JsonObject()
            .put("type", "SAY")
            .put("channel", room)
            .put("data", new JsonObject().put("text", "hi")));

    assertThat(byRule.getJsonObject("error").getString("code")).isEqualTo("forbidden");
    assertThat(byRule.getJsonObject("error").getString("message"))
        .contains("(channels.namespaces.feed.publish: nobody)");
    assertThat(byAuthorizer.getJsonObject("error"))
        .as("the authorizer's own code, passed on by the plugin")
        .isEqualTo(
            new JsonObject()
                .put("code", "rooms.full")
                .put("message", "this room is full")
                .put("retryable", true));
    JsonObject delivered = watcher.next("message");
    assertThat(delivered.getString("channel")).isEqualTo(room);
    assertThat(delivered.getJsonObject("data")).isEqualTo(new JsonObject().put("text", "hi"));
    watcher.assertNothingReceived();
  }

  @Test
  void decisionsAreCountedPerPluginAndListed() {
    WsClient alice = connectWithToken("alice", "acme");
    join(alice, channel("room:open"));
    alice.request(joinFrame(channel("room:full")));
    alice.request(joinFrame(channel("room:throw")));

    String metrics = adminGet("/metrics").bodyAsString();
    JsonObject listed =
        adminGet("/api/plugins").bodyAsJsonObject().getJsonArray("plugins").stream()
            .map(JsonObject.class::cast)
            .filter(p -> p.getString("name").equals("rooms"))
            .findFirst()
            .orElseThrow();

    assertThat(metrics)
        .contains("switchboard_plugin_authorizations_total{decision=\"allowed\",plugin=\"rooms\"}")
        .contains("switchboard_plugin_authorizations_total{decision=\"refused\",plugin=\"rooms\"}")
        .contains("switchboard_plugin_failed_total{plugin=\"rooms\",reason=\"error\"}")
        .contains("switchboard_errors_total{code=\"rooms.*\"}")
        .doesNotContain("code=\"rooms.full\"");
    assertThat(listed.getBoolean("authorizer")).isTrue();
    assertThat(listed.getLong("allowed")).isGreaterThanOrEqualTo(1);
    assertThat(listed.getLong("refused")).isGreaterThanOrEqualTo(1);
    assertThat(listed.getJsonArray("types")).isEmpty();
  }
}

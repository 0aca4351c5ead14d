package io.switchboard.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.server.testing.WsClient;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Presence across two fat-jar nodes: a client and the admin API on node A list a client connected
 * to node B, and the join and leave notices of node B's client reach node A's subscriber in the
 * channel's order.
 */
class PresenceClusterIT extends TwoNodeClusterTest {

  private static final String NAMESPACES =
      "{\"room\": {\"join\": \"anyone\", \"publish\": \"subscribers\", \"presenceNotices\": true}}";

  @Override
  protected String namespaces() {
    return NAMESPACES;
  }

  private WsClient connectAs(int node, String userId) {
    return connect(node, "/ws?userId=" + userId);
  }

  private static JsonObject join(WsClient client, String channel) {
    JsonObject confirmed =
        client.request(new JsonObject().put("type", "join").put("channel", channel).put("id", "j"));
    assertThat(confirmed.getString("type"))
        .as("answer: %s", confirmed)
        .isEqualTo("subscription_confirmed");
    return confirmed;
  }

  private static List<String> idsOf(JsonArray members) {
    List<String> ids = new ArrayList<>();
    members.forEach(m -> ids.add(((JsonObject) m).getString("connectionId")));
    return ids;
  }

  @Test
  void presenceOnOneNodeListsTheMembersOfEveryNode() {
    String channel = "room:cluster";
    WsClient alice = connectAs(0, "alice");
    WsClient bob = connectAs(1, "bob");
    join(alice, channel);
    assertThat(alice.next("presence_joined").getJsonObject("data").getString("userId"))
        .isEqualTo("alice");
    join(bob, channel);
    assertThat(bob.next("presence_joined").getJsonObject("data").getString("userId"))
        .isEqualTo("bob");

    // Bob's join reaches alice on the other node, through the channel's owner.
    JsonObject joined = alice.next("presence_joined");
    assertThat(joined.getString("channel")).isEqualTo(channel);
    assertThat(joined.getJsonObject("data"))
        .isEqualTo(
            new JsonObject()
                .put("connectionId", bob.connectionId())
                .put("userId", "bob")
                .putNull("organizationId"));

    List<String> both = new ArrayList<>(List.of(alice.connectionId(), bob.connectionId()));
    both.sort(null);
    JsonObject answer =
        alice.request(
            new JsonObject().put("type", "presence").put("channel", channel).put("id", "p"));
    assertThat(answer.getString("type")).as("answer: %s", answer).isEqualTo("presence");
    JsonObject data = answer.getJsonObject("data");
    assertThat(data.getInteger("count")).isEqualTo(2);
    assertThat(data.getBoolean("partial")).isFalse();
    assertThat(idsOf(data.getJsonArray("members"))).isEqualTo(both);

    JsonObject listed = cluster.get(0, "/api/channels/" + channel + "/presence");
    assertThat(listed.getInteger("count")).as("node A's admin answer %s", listed).isEqualTo(2);
    assertThat(idsOf(listed.getJsonArray("members"))).isEqualTo(both);
    assertThat(listed.getValue("next")).isNull();
    assertThat(listed.containsKey("unansweredNodes")).isFalse();
    JsonObject bobListed =
        listed.getJsonArray("members").stream()
            .map(JsonObject.class::cast)
            .filter(m -> m.getString("connectionId").equals(bob.connectionId()))
            .findFirst()
            .orElseThrow();
    assertThat(bobListed.getString("userId")).isEqualTo("bob");
    assertThat(bobListed.getString("joinedAt")).isNotNull();
    assertThat(cluster.get(1, "/ws/status").getJsonObject("stats").getInteger("totalSubscriptions"))
        .isEqualTo(2);

    // Bob's message and then his disconnect reach alice in the channel's order.
    bob.send(new JsonObject().put("type", "publish").put("channel", channel).put("data", "bye"));
    bob.close();
    assertThat(alice.next("message").getValue("data")).isEqualTo("bye");
    assertThat(alice.next("presence_left").getJsonObject("data").getString("connectionId"))
        .isEqualTo(bob.connectionId());
    JsonObject after =
        alice
            .request(new JsonObject().put("type", "presence").put("channel", channel))
            .getJsonObject("data");
    assertThat(after.getInteger("count")).isEqualTo(1);
    assertThat(idsOf(after.getJsonArray("members"))).containsExactly(alice.connectionId());
  }
}

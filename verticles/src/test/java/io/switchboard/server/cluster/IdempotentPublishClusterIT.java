package io.switchboard.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.server.testing.WsClient;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Idempotent publish across two fat-jar nodes: a client of one session publishes through the node
 * that does not own the channel, loses its connection and re-sends on the owner, then on the other
 * node again; the owner recognises the re-sends (the publish's key crossed the cluster with the
 * forwarded message), acks each with the first offset and delivers the message once.
 */
class IdempotentPublishClusterIT extends TwoNodeClusterTest {

  private static final String NAMESPACES =
      "{\"feed\": {\"join\": \"anyone\", \"publish\": \"anyone\"}}";
  private static final String SESSION = "cluster-session-01";

  @Override
  protected String namespaces() {
    return NAMESPACES;
  }

  /**
   * A channel of the namespace that node {@code node} owns, by the rendezvous hashing every node
   * applies to the members' ids; checked against what the admin API names once it has subscribers.
   */
  private String channelOwnedBy(int node) {
    List<String> members = List.of(cluster.nodeId(0), cluster.nodeId(1));
    for (int i = 0; i < 1_000; i++) {
      String channel = "feed:dedup-" + i;
      if (ClusterView.ownerOf(channel, members).equals(members.get(node))) {
        return channel;
      }
    }
    throw new AssertionError("no channel of 1,000 hashes to node " + node);
  }

  private static JsonObject ack(WsClient publisher, String channel, String data, String id) {
    JsonObject ack =
        publisher.request(
            new JsonObject()
                .put("type", "publish")
                .put("channel", channel)
                .put("data", data)
                .put("id", id));
    assertThat(ack.getString("type")).as("answer %s", ack).isEqualTo("ack");
    return ack;
  }

  private static boolean duplicate(JsonObject ack) {
    JsonObject data = ack.getJsonObject("data");
    return data != null && data.getBoolean("duplicate", false);
  }

  @Test
  void aReSentPublishIsRecognisedByTheChannelsOwnerWhicheverNodeItComesThrough() {
    String channel = channelOwnedBy(0);
    WsClient subscriber = connect(1, "/ws");
    subscriber.request(new JsonObject().put("type", "join").put("channel", channel));
    assertThat(cluster.get(1, "/api/channels/" + channel).getString("owner"))
        .isEqualTo(cluster.nodeId(0));

    WsClient viaOther = connect(1, "/ws?session=" + SESSION);
    JsonObject first = ack(viaOther, channel, "once", "p-1");
    viaOther.close();
    WsClient onOwner = connect(0, "/ws?session=" + SESSION);
    JsonObject again = ack(onOwner, channel, "once", "p-1");
    onOwner.close();
    WsClient backOnOther = connect(1, "/ws?session=" + SESSION);
    JsonObject third = ack(backOnOther, channel, "once", "p-1");
    JsonObject next = ack(backOnOther, channel, "next", "p-2");

    assertThat(duplicate(first)).isFalse();
    assertThat(List.of(duplicate(again), duplicate(third))).containsExactly(true, true);
    assertThat(List.of(again.getLong("offset"), third.getLong("offset")))
        .containsOnly(first.getLong("offset"));
    assertThat(next.getLong("offset")).isEqualTo(first.getLong("offset") + 1);
    JsonObject delivered = subscriber.next("message");
    assertThat(delivered.getString("data")).isEqualTo("once");
    assertThat(delivered.getLong("offset")).isEqualTo(first.getLong("offset"));
    JsonObject following = subscriber.next("message");
    assertThat(following.getString("data")).as("nothing came between").isEqualTo("next");
  }
}

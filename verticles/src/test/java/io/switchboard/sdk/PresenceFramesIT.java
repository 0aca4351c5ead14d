package io.switchboard.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.server.testing.Await;
import io.switchboard.server.testing.WsClient;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * The server's presence frames reach an SDK application's message handler as they came: the answer
 * to a {@code presence} it sends, and the join and leave notices of its channels (which are no
 * {@code message} frames, so its channel handlers do not get them).
 */
class PresenceFramesIT extends SdkTestBase {

  @Override
  protected JsonObject config() {
    return super.config()
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

  @Test
  void presenceAnswersAndNoticesReachOnMessage() {
    String channel = "room:" + channel("sdk");
    SwitchboardClient client = client(options());
    ClientEvents events = ClientEvents.of(client);
    Await.result(client.connect());
    List<ChannelMessage> onChannel = new CopyOnWriteArrayList<>();
    Await.result(client.join(channel, onChannel::add));

    WsClient other = connect();
    join(other, channel);
    Await.until(
        "the other client's join reached onMessage",
        () ->
            events.messagesOfType("presence_joined").stream()
                .anyMatch(
                    notice ->
                        other
                            .connectionId()
                            .equals(notice.getJsonObject("data").getString("connectionId"))));

    Await.result(
        client.send(
            new JsonObject().put("type", "presence").put("channel", channel).put("id", "who")));
    Await.until(
        "the presence answer reached onMessage",
        () -> !events.messagesOfType("presence").isEmpty());
    JsonObject answer = events.messagesOfType("presence").get(0);
    assertThat(answer.getString("id")).isEqualTo("who");
    assertThat(answer.getJsonObject("data").getInteger("count")).isEqualTo(2);

    Presence presence = Await.result(client.presence(channel));
    assertThat(presence.channel()).isEqualTo(channel);
    assertThat(presence.count()).isEqualTo(2);
    assertThat(presence.members())
        .extracting(Presence.Member::connectionId)
        .containsExactlyInAnyOrder(client.connectionId(), other.connectionId());
    assertThat(presence.members()).allSatisfy(m -> assertThat(m.joinedAt()).isNotBlank());
    assertThat(presence.more()).isFalse();
    assertThat(presence.partial()).isFalse();
    Throwable notJoined = Await.failure(client.presence(channel + "-elsewhere"));
    assertThat(((io.switchboard.protocol.ProtocolException) notJoined).error().code().code())
        .isEqualTo("not_subscribed");

    other.close();
    Await.until(
        "the other client's leave reached onMessage",
        () -> !events.messagesOfType("presence_left").isEmpty());
    assertThat(events.messagesOfType("presence_left").get(0).getJsonObject("data"))
        .isEqualTo(
            new JsonObject()
                .put("connectionId", other.connectionId())
                .putNull("userId")
                .putNull("organizationId"));
    assertThat(onChannel).as("the channel handler gets messages only").isEmpty();
    assertThat(events.errors).isEmpty();
  }
}

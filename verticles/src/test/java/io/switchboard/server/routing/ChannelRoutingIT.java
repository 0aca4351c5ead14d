package io.switchboard.server.routing;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.server.testing.ServerTestBase;
import io.switchboard.server.testing.WsClient;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ChannelRoutingIT extends ServerTestBase {

  @Test
  void joinIsConfirmedWithTheSubscriberCountAndTheId() {
    String channel = channel("lobby");
    WsClient first = connect();
    WsClient second = connect();

    JsonObject one =
        first.request(
            new JsonObject().put("type", "join").put("channel", channel).put("id", "c-17"));
    JsonObject two = join(second, channel);

    assertThat(one.getString("type")).isEqualTo("subscription_confirmed");
    assertThat(one.getString("id")).isEqualTo("c-17");
    assertThat(one.getString("channel")).isEqualTo(channel);
    assertThat(one.getJsonObject("data").getInteger("subscribers")).isEqualTo(1);
    assertThat(one.getString("ts")).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
    assertThat(two.getJsonObject("data").getInteger("subscribers")).isEqualTo(2);
  }

  @ParameterizedTest(name = "{0} joins and {1} leaves")
  @CsvSource({"join,leave", "subscribe,unsubscribe", "JOIN_CHANNEL,LEAVE_CHANNEL"})
  void aliasesJoinAndLeave(String joinType, String leaveType) {
    String channel = channel("alias");
    WsClient client = connect();

    JsonObject joined =
        client.request(new JsonObject().put("type", joinType).put("channel", channel));
    JsonObject left =
        client.request(
            new JsonObject().put("type", leaveType).put("channel", channel).put("id", "l1"));

    assertThat(joined.getString("type")).isEqualTo("subscription_confirmed");
    assertThat(left.getString("type")).isEqualTo("left");
    assertThat(left.getString("channel")).isEqualTo(channel);
    assertThat(left.getString("id")).isEqualTo("l1");
  }

  @Test
  void publishReachesEverySubscriberOnEveryInstanceAndTheSenderWithAnAck() {
    String channel = channel("fanout");
    List<WsClient> subscribers = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      WsClient client = connect();
      join(client, channel);
      subscribers.add(client);
    }
    WsClient bystander = connect();
    join(bystander, channel("elsewhere"));
    WsClient publisher = subscribers.get(0);
    JsonObject data = new JsonObject().put("text", "hello").put("n", 1);

    publisher.send(
        new JsonObject()
            .put("type", "publish")
            .put("channel", channel)
            .put("data", data)
            .put("id", "p1"));

    List<JsonObject> toPublisher = List.of(publisher.next(), publisher.next());
    assertThat(toPublisher)
        .extracting(f -> f.getString("type"))
        .containsExactlyInAnyOrder("ack", "message");
    assertThat(toPublisher)
        .filteredOn(f -> f.getString("type").equals("ack"))
        .first()
        .extracting(f -> f.getString("id"))
        .isEqualTo("p1");
    for (WsClient subscriber : subscribers.subList(1, subscribers.size())) {
      JsonObject message = subscriber.next("message");
      assertThat(message.getString("channel")).isEqualTo(channel);
      assertThat(message.getJsonObject("data")).isEqualTo(data);
      assertThat(message.getString("ts")).isNotBlank();
      assertThat(message.containsKey("event")).isFalse();
    }
    assertNothingRoutedTo(bystander);
  }

  @Test
  void publishWithoutIdGetsNoAckAndAnyJsonValueIsDeliveredAsIs() {
    String channel = channel("values");
    WsClient subscriber = connect();
    join(subscriber, channel);
    WsClient publisher = connect();
    List<Object> values =
        List.of(
            "text",
            42,
            3.5,
            true,
            new JsonArray().add(1).add("two"),
            new JsonObject().put("k", "v"));

    for (Object value : values) {
      publisher.send(
          new JsonObject().put("type", "publish").put("channel", channel).put("data", value));
    }

    for (Object value : values) {
      assertThat(subscriber.next("message").getValue("data")).isEqualTo(value);
    }
    assertNothingRoutedTo(publisher);
  }

  @Test
  void messagesFromOnePublisherArriveInOrder() {
    String channel = channel("order");
    WsClient subscriber = connect();
    join(subscriber, channel);
    WsClient publisher = connect();

    for (int i = 0; i < 200; i++) {
      publisher.send(
          new JsonObject().put("type", "publish").put("channel", channel).put("data", i));
    }

    for (int i = 0; i < 200; i++) {
      assertThat(subscriber.next("message").getInteger("data")).isEqualTo(i);
    }
  }

  @Test
  void leaveStopsDeliveryAndTheLastLeaveRemovesTheChannel() {
    String channel = channel("leaving");
    WsClient stays = connect();
    WsClient leaves = connect();
    join(stays, channel);
    join(leaves, channel);

    leaves.request(new JsonObject().put("type", "leave").put("channel", channel));
    WsClient publisher = connect();
    publisher.send(
        new JsonObject().put("type", "publish").put("channel", channel).put("data", "after"));

    assertThat(stays.next("message").getString("data")).isEqualTo("after");
    assertNothingRoutedTo(leaves);
    assertThat(breakdown()).containsEntry(channel, 1);

    stays.request(new JsonObject().put("type", "leave").put("channel", channel));
    assertThat(breakdown()).doesNotContainKey(channel);
  }

  @Test
  void aClosedConnectionIsRemovedFromItsChannels() {
    String channel = channel("closing");
    WsClient stays = connect();
    WsClient goes = connect();
    join(stays, channel);
    join(goes, channel);

    goes.close();
    goes.awaitClose();

    io.switchboard.server.testing.Await.until(
        "the channel has one subscriber",
        () -> Integer.valueOf(1).equals(breakdown().get(channel)));
  }

  @Test
  void publishToAChannelWithoutSubscribersIsAcknowledged() {
    WsClient publisher = connect();

    JsonObject ack =
        publisher.request(
            new JsonObject()
                .put("type", "publish")
                .put("channel", channel("empty"))
                .put("data", 1)
                .put("id", "a"));

    assertThat(ack.getString("type")).isEqualTo("ack");
    assertThat(ack.getString("id")).isEqualTo("a");
  }

  @Test
  void rejoiningAfterLeavingWorks() {
    String channel = channel("again");
    WsClient client = connect();
    join(client, channel);
    client.request(new JsonObject().put("type", "leave").put("channel", channel));

    JsonObject again = join(client, channel);

    assertThat(again.getJsonObject("data").getInteger("subscribers")).isEqualTo(1);
  }

  private java.util.Map<String, Object> breakdown() {
    return adminGet("/ws/status")
        .bodyAsJsonObject()
        .getJsonObject("stats")
        .getJsonObject("channelBreakdown")
        .getMap();
  }
}

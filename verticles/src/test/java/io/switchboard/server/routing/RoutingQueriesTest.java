package io.switchboard.server.routing;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.protocol.BusErrors;
import io.switchboard.protocol.ErrorCode;
import io.switchboard.protocol.ProtocolError;
import io.switchboard.protocol.ProtocolFailure;
import io.switchboard.server.bus.InternalAddresses;
import io.switchboard.server.bus.PageRequest;
import io.switchboard.server.testing.Await;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * One shard's answers to {@code switchboard.routing.query}, over a Vert.x event bus of its own (no
 * server): the queries answer a channel index filled by the test, and the connection instances a
 * channel's subscribers are asked of are consumers on their control addresses that list what the
 * test gives them.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RoutingQueriesTest {

  private static final String ADDRESS = "test.routing.query";

  private Vertx vertx;
  private ChannelIndex index;
  private final AtomicInteger openConnections = new AtomicInteger();
  private MessageConsumer<JsonObject> consumer;
  private final List<MessageConsumer<JsonObject>> instances = new ArrayList<>();

  @BeforeAll
  void startVertx() {
    vertx = Vertx.vertx();
  }

  @AfterAll
  void closeVertx() {
    Await.result(vertx.close());
  }

  @BeforeEach
  void answerQueries() {
    index = new ChannelIndex();
    consumer =
        vertx
            .eventBus()
            .consumer(
                ADDRESS, new RoutingQueries(vertx.eventBus(), index, openConnections::get)::answer);
    Await.result(consumer.completion());
  }

  @AfterEach
  void stopAnswering() {
    Await.result(consumer.unregister());
    instances.forEach(instance -> Await.result(instance.unregister()));
    instances.clear();
  }

  /** An instance's control address, answering {@code members} from the ids given. */
  private void instanceHolding(String instance, String channel, String... ids) {
    MessageConsumer<JsonObject> members =
        vertx
            .eventBus()
            .consumer(
                InternalAddresses.connectionInstance(instance),
                request -> {
                  assertThat(request.body().getString("action")).isEqualTo("members");
                  assertThat(request.body().getString("channel")).isEqualTo(channel);
                  PageRequest.Page<String> page =
                      PageRequest.from(request.body()).select(List.of(ids), id -> id);
                  request.reply(
                      new JsonObject()
                          .put("connections", new JsonArray(new ArrayList<>(page.items())))
                          .put("more", page.more()));
                });
    Await.result(members.completion());
    instances.add(members);
    for (int i = 0; i < ids.length; i++) {
      index.join(channel, instance);
    }
  }

  @Test
  void statsCountConnectionsChannelsSubscriptionsAndInstances() {
    index.instanceUp("i1");
    index.instanceUp("i2");
    openConnections.set(3);
    index.join("one", "i1");
    index.join("one", "i2");
    index.join("two", "i2");

    assertThat(ask(new JsonObject().put("query", "stats")))
        .isEqualTo(
            new JsonObject()
                .put("connections", 3)
                .put("channels", 2)
                .put("subscriptions", 3)
                .put("instances", 2));
  }

  @Test
  void channelsAreListedByNameOnePageAtATimeWithTheirSubscriberCounts() {
    for (String channel : new String[] {"delta", "alpha", "charlie", "bravo"}) {
      index.join(channel, "i1");
    }
    index.join("charlie", "i2");

    JsonObject first = ask(new JsonObject().put("query", "channels").put("limit", 3));
    JsonObject rest =
        ask(new JsonObject().put("query", "channels").put("limit", 3).put("after", "charlie"));

    assertThat(first)
        .isEqualTo(
            new JsonObject()
                .put("total", 4)
                .put(
                    "channels",
                    new JsonArray()
                        .add(channel("alpha", 1))
                        .add(channel("bravo", 1))
                        .add(channel("charlie", 2)))
                .put("more", true));
    assertThat(rest)
        .isEqualTo(
            new JsonObject()
                .put("total", 4)
                .put("channels", new JsonArray().add(channel("delta", 1)))
                .put("more", false));
  }

  @Test
  void aChannelIsAnsweredWithOnePageOfItsSubscribersMergedFromTheInstancesHoldingThem() {
    instanceHolding("i1", "room", "c3", "c1");
    instanceHolding("i2", "room", "c2", "c4");

    JsonObject first =
        ask(new JsonObject().put("query", "channel").put("name", "room").put("limit", 3));
    JsonObject rest =
        ask(
            new JsonObject()
                .put("query", "channel")
                .put("name", "room")
                .put("limit", 3)
                .put("after", "c3"));

    assertThat(first)
        .isEqualTo(
            new JsonObject()
                .put("name", "room")
                .put("subscribers", 4)
                .put("connections", new JsonArray().add("c1").add("c2").add("c3"))
                .put("more", true));
    assertThat(rest.getJsonArray("connections")).containsExactly("c4");
    assertThat(rest.getBoolean("more")).isFalse();
  }

  /**
   * An instance's control address answering {@code presence} with its members (each id's user is
   * {@code u-<id>}), of whom it counts {@code count}.
   */
  private void instanceWithPresence(String instance, String channel, int count, String... ids) {
    MessageConsumer<JsonObject> presence =
        vertx
            .eventBus()
            .consumer(
                InternalAddresses.connectionInstance(instance),
                request -> {
                  assertThat(request.body().getString("action")).isEqualTo("presence");
                  assertThat(request.body().getString("channel")).isEqualTo(channel);
                  List<JsonObject> members = new ArrayList<>();
                  for (String id : ids) {
                    members.add(new JsonObject().put("connectionId", id).put("userId", "u-" + id));
                  }
                  PageRequest.Page<JsonObject> page =
                      PageRequest.from(request.body())
                          .select(members, member -> member.getString("connectionId"));
                  request.reply(
                      new JsonObject()
                          .put("members", new JsonArray(new ArrayList<>(page.items())))
                          .put("more", page.more())
                          .put("count", count));
                });
    Await.result(presence.completion());
    instances.add(presence);
    for (int i = 0; i < ids.length; i++) {
      index.join(channel, instance);
    }
  }

  @Test
  void presenceIsOnePageOfTheMembersMergedFromTheInstancesHoldingThem() {
    instanceWithPresence("i1", "room", 2, "c3", "c1");
    instanceWithPresence("i2", "room", 2, "c2", "c4");

    JsonObject first =
        ask(new JsonObject().put("query", "presence").put("name", "room").put("limit", 3));
    JsonObject rest =
        ask(
            new JsonObject()
                .put("query", "presence")
                .put("name", "room")
                .put("limit", 3)
                .put("after", "c3"));

    assertThat(first.getString("channel")).isEqualTo("room");
    assertThat(first.getInteger("count")).isEqualTo(4);
    assertThat(first.getBoolean("more")).isTrue();
    assertThat(first.getJsonArray("members"))
        .containsExactly(
            new JsonObject().put("connectionId", "c1").put("userId", "u-c1"),
            new JsonObject().put("connectionId", "c2").put("userId", "u-c2"),
            new JsonObject().put("connectionId", "c3").put("userId", "u-c3"));
    assertThat(rest.getJsonArray("members"))
        .containsExactly(new JsonObject().put("connectionId", "c4").put("userId", "u-c4"));
    assertThat(rest.getBoolean("more")).isFalse();
  }

  @Test
  void presenceOfAChannelThatDoesNotExistIs404ChannelNotFound() {
    ReplyException failure = refused(new JsonObject().put("query", "presence").put("name", "gone"));

    assertThat(failure.failureCode()).isEqualTo(404);
    assertThat(((ProtocolFailure) failure).error())
        .isEqualTo(ProtocolError.channelNotFound("gone"));
  }

  @Test
  void theOpenChannelsAreListedInTheOrderTheyOpened() {
    index.join("zeta", "i1");
    index.join("alpha", "i1");

    assertThat(ask(new JsonObject().put("query", "open")))
        .isEqualTo(new JsonObject().put("channels", new JsonArray().add("zeta").add("alpha")));
  }

  @Test
  void aChannelThatDoesNotExistIs404ChannelNotFound() {
    ReplyException failure = refused(new JsonObject().put("query", "channel").put("name", "gone"));

    assertThat(failure.failureCode()).isEqualTo(404);
    assertThat(failure.getMessage()).isEqualTo("channel_not_found: channel 'gone' does not exist");
    assertThat(failure).isInstanceOf(ProtocolFailure.class);
    assertThat(((ProtocolFailure) failure).error())
        .isEqualTo(ProtocolError.channelNotFound("gone"));
  }

  @Test
  void instancesAreListedInTheOrderTheyCameUp() {
    index.instanceUp("i2");
    index.instanceUp("i1");

    assertThat(ask(new JsonObject().put("query", "instances")))
        .isEqualTo(new JsonObject().put("instances", new JsonArray().add("i2").add("i1")));
  }

  @Test
  void anUnknownQueryIs400() {
    ReplyException failure = refused(new JsonObject().put("query", "everything"));
    ReplyException none = refused(new JsonObject());

    assertThat(failure.failureCode()).isEqualTo(400);
    assertThat(failure.getMessage()).isEqualTo("bad_request: unknown query 'everything'");
    assertThat(none.getMessage()).isEqualTo("bad_request: unknown query ''");
    assertThat(BusErrors.protocolError(failure))
        .contains(ProtocolError.of(ErrorCode.BAD_REQUEST, "unknown query 'everything'"));
    assertThat(failure).isInstanceOf(ProtocolFailure.class);
  }

  private JsonObject ask(JsonObject query) {
    return Await.result(vertx.eventBus().<JsonObject>request(ADDRESS, query)).body();
  }

  private ReplyException refused(JsonObject query) {
    return (ReplyException) Await.failure(vertx.eventBus().request(ADDRESS, query));
  }

  private static JsonObject channel(String name, int subscribers) {
    return new JsonObject().put("name", name).put("subscribers", subscribers);
  }
}

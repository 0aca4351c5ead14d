package io.switchboard.server.routing;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.protocol.BusErrors;
import io.switchboard.protocol.ErrorCode;
import io.switchboard.protocol.ProtocolError;
import io.switchboard.protocol.ProtocolFailure;
import io.switchboard.server.testing.Await;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The answers to {@code switchboard.routing.query}, over a Vert.x event bus of its own (no server):
 * the queries answer a registry filled by the test.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RoutingQueriesTest {

  private static final String ADDRESS = "test.routing.query";

  private Vertx vertx;
  private Registry registry;
  private MessageConsumer<JsonObject> consumer;

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
    registry = new Registry();
    consumer = vertx.eventBus().consumer(ADDRESS, new RoutingQueries(registry)::answer);
    Await.result(consumer.completion());
  }

  @AfterEach
  void stopAnswering() {
    Await.result(consumer.unregister());
  }

  @Test
  void statsCountConnectionsChannelsAndInstances() {
    registry.instanceUp("i1");
    registry.instanceUp("i2");
    registry.connected("a", "i1", null, null);
    registry.connected("b", "i2", null, null);
    registry.connected("c", "i2", null, null);
    registry.join("a", "one");
    registry.join("b", "one");
    registry.join("c", "two");

    assertThat(ask(new JsonObject().put("query", "stats")))
        .isEqualTo(new JsonObject().put("connections", 3).put("channels", 2).put("instances", 2));
  }

  @Test
  void channelsAreListedByNameOnePageAtATimeWithTheirSubscriberCounts() {
    registry.connected("a", "i1", null, null);
    registry.connected("b", "i1", null, null);
    for (String channel : new String[] {"delta", "alpha", "charlie", "bravo"}) {
      registry.join("a", channel);
    }
    registry.join("b", "charlie");

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
  void aChannelIsAnsweredWithOnePageOfItsSubscribers() {
    for (String id : new String[] {"c3", "c1", "c2"}) {
      registry.connected(id, "i1", null, null);
      registry.join(id, "room");
    }

    JsonObject answer =
        ask(new JsonObject().put("query", "channel").put("name", "room").put("limit", 2));

    assertThat(answer)
        .isEqualTo(
            new JsonObject()
                .put("name", "room")
                .put("subscribers", 3)
                .put("connections", new JsonArray().add("c1").add("c2"))
                .put("more", true));
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
  void aConnectionIsAnsweredWithWhereItLivesWhoItIsAndItsChannelsInJoinOrder() {
    registry.connected("a", "i2", "alice", "acme");
    registry.join("a", "zeta");
    registry.join("a", "alpha");

    assertThat(ask(new JsonObject().put("query", "connection").put("connectionId", "a")))
        .isEqualTo(
            new JsonObject()
                .put("connectionId", "a")
                .put("instance", "i2")
                .put("userId", "alice")
                .put("organizationId", "acme")
                .put("channels", new JsonArray().add("zeta").add("alpha")));
  }

  @Test
  void aConnectionThatDoesNotExistIs404ConnectionNotFound() {
    ReplyException failure =
        refused(new JsonObject().put("query", "connection").put("connectionId", "ghost"));

    assertThat(failure.failureCode()).isEqualTo(404);
    // Not a protocol error: the admin API names it connection_not_found.
    assertThat(failure.getMessage()).isEqualTo("connection 'ghost' does not exist");
    assertThat(BusErrors.protocolError(failure)).isEmpty();
  }

  @Test
  void instancesAreListedInTheOrderTheyCameUp() {
    registry.instanceUp("i2");
    registry.instanceUp("i1");

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

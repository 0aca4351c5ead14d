package io.switchboard.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.config.Config;
import io.switchboard.protocol.Addresses;
import io.switchboard.protocol.BusErrors;
import io.switchboard.protocol.ErrorCode;
import io.switchboard.protocol.PluginErrorCode;
import io.switchboard.protocol.ProtocolError;
import io.switchboard.protocol.ProtocolFailure;
import io.switchboard.server.SwitchboardServer;
import io.switchboard.server.config.ClusterConfig;
import io.switchboard.server.config.SwitchboardConfig;
import io.switchboard.server.testing.Await;
import io.switchboard.server.testing.ClusterNodes;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Protocol errors between two clustered Vert.x instances of this JVM, in one Hazelcast cluster on
 * loopback ports of their own (the configuration a node builds, {@link HazelcastSetup}, without the
 * Switchboard node attribute: they are services of the cluster, not nodes): a consumer on one
 * member fails, the requester on the other reads the error. Each consumer exists on the owner only,
 * so every answer crosses the cluster's TCP connection and the failure codec. Last, a real
 * Switchboard node joins and refuses a service's broadcast.
 */
class ClusterBusErrorsIT {

  /** Retryable, yet failed with 422: text alone would read it back as not retryable. */
  private static final ProtocolError BUSY =
      ProtocolError.of(
          PluginErrorCode.of("polls", "busy", true), "vote again in a moment — «ça bouge» 🗳");

  /** The owner, the asker, a member without the codec, and a Switchboard node. */
  private static final int MEMBERS = 4;

  private static List<String> members;
  private static int basePort;
  private static Vertx owner;
  private static Vertx asker;

  @BeforeAll
  static void startTwoMembers() throws Exception {
    basePort = ClusterNodes.freePortRun(MEMBERS);
    members = new ArrayList<>();
    for (int i = 0; i < MEMBERS; i++) {
      members.add("127.0.0.1:" + (basePort + i));
    }
    owner = member(0);
    asker = member(1);
    BusErrors.registerCodec(owner.eventBus());
    BusErrors.registerCodec(asker.eventBus());
    Future.all(
            owner
                .eventBus()
                .consumer("test.polls.vote", vote -> vote.reply(ProtocolFailure.of(BUSY, 422)))
                .completion(),
            owner
                .eventBus()
                .consumer(
                    "test.polls.close",
                    close ->
                        BusErrors.fail(close, ProtocolError.forbidden("only the poll's owner")))
                .completion(),
            owner
                .eventBus()
                .localConsumer(
                    "test.polls.shard", vote -> vote.reply(ProtocolFailure.of(BUSY, 422)))
                .completion(),
            owner
                .eventBus()
                .consumer(
                    "test.polls.relay",
                    vote ->
                        owner
                            .eventBus()
                            .request("test.polls.shard", vote.body())
                            .onFailure(
                                failure -> BusErrors.forward(vote, (ReplyException) failure)))
                .completion())
        .await(30, TimeUnit.SECONDS);
  }

  @AfterAll
  static void stopMembers() throws Exception {
    for (Vertx member : new Vertx[] {asker, owner}) {
      if (member != null) {
        member.close().await(30, TimeUnit.SECONDS);
      }
    }
  }

  @Test
  void aPluginsRetryableCodeCrossesTypedWhateverTheStatus() {
    Throwable failure = failureOf(asker, "test.polls.vote", new DeliveryOptions());

    assertThat(failure).isInstanceOf(ProtocolFailure.class);
    ProtocolFailure typed = (ProtocolFailure) failure;
    assertThat(typed.error()).isEqualTo(BUSY);
    assertThat(typed.error().code()).isEqualTo(PluginErrorCode.of("polls", "busy", true));
    assertThat(typed.error().retryable()).isTrue();
    assertThat(typed.error().message()).isEqualTo(BUSY.message());
    assertThat(typed.failureCode()).isEqualTo(422);
    assertThat(typed.failureType()).isEqualTo(ReplyFailure.RECIPIENT_FAILURE);
    assertThat(BusErrors.protocolError(failure)).contains(BUSY);
    // The same text and status, read as text, would have lost the flag: the error was not parsed.
    assertThat(
            BusErrors.protocolError(
                new ReplyException(ReplyFailure.RECIPIENT_FAILURE, 422, failure.getMessage())))
        .map(ProtocolError::retryable)
        .contains(false);
  }

  @Test
  void anErrorFailedWithBusErrorsCrossesTypedWithItsCodesStatus() {
    Throwable failure = failureOf(asker, "test.polls.close", new DeliveryOptions());

    assertThat(failure).isInstanceOf(ProtocolFailure.class);
    assertThat(((ProtocolFailure) failure).error())
        .isEqualTo(ProtocolError.of(ErrorCode.FORBIDDEN, "only the poll's owner"));
    assertThat(((ProtocolFailure) failure).failureCode()).isEqualTo(403);
    assertThat(failure.getMessage()).isEqualTo("forbidden: only the poll's owner");
  }

  @Test
  void aFailureRelayedByTheOwnerCrossesTyped() {
    Throwable failure = failureOf(asker, "test.polls.relay", new DeliveryOptions());

    assertThat(failure).isInstanceOf(ProtocolFailure.class);
    assertThat(BusErrors.protocolError(failure)).contains(BUSY);
    assertThat(((ProtocolFailure) failure).failureCode()).isEqualTo(422);
  }

  @Test
  void aMemberWithoutTheCodecNeverHearsATypedFailure() throws Exception {
    Vertx bare = member(2);
    try {
      Throwable failure =
          failureOf(bare, "test.polls.vote", new DeliveryOptions().setSendTimeout(2_000));

      // Vert.x drops a reply it cannot decode: the request times out, as the README warns.
      assertThat(failure).isInstanceOf(ReplyException.class);
      assertThat(((ReplyException) failure).failureType()).isEqualTo(ReplyFailure.TIMEOUT);
      assertThat(BusErrors.protocolError(failure)).isEmpty();

      BusErrors.registerCodec(bare.eventBus());
      assertThat(
              BusErrors.protocolError(
                  failureOf(bare, "test.polls.vote", new DeliveryOptions().setSendTimeout(2_000))))
          .contains(BUSY);
    } finally {
      bare.close().await(30, TimeUnit.SECONDS);
    }
  }

  @Test
  void aSwitchboardNodesRefusalReachesAServiceOfTheClusterTyped() throws Exception {
    SwitchboardServer node =
        SwitchboardServer.start(SwitchboardConfig.fromJson(nodeConfig(3)))
            .await(60, TimeUnit.SECONDS);
    try {
      // The node answers with the codec it registered at start-up: had it not, the asker (which
      // has it) would get the text form, not a ProtocolFailure.
      Throwable failure =
          Await.failure(
              asker
                  .eventBus()
                  .request(
                      Addresses.BROADCAST,
                      new JsonObject()
                          .put("channel", "$telemetry")
                          .put("type", "NOTICE")
                          .put("data", 1)));

      assertThat(failure).isInstanceOf(ProtocolFailure.class);
      assertThat(((ProtocolFailure) failure).error())
          .isEqualTo(
              ProtocolError.forbidden(
                  "broadcasts may not target '$' channels; '$telemetry' belongs to the server"));
      assertThat(((ProtocolFailure) failure).failureCode()).isEqualTo(403);
    } finally {
      node.stop().await(30, TimeUnit.SECONDS);
    }
  }

  /** A clustered Vert.x instance on the i-th Hazelcast port of this test's run. */
  private static Vertx member(int i) throws Exception {
    ClusterConfig cluster =
        new ClusterConfig(true, "", "127.0.0.1", basePort + i, members, 0, 2_000);
    Config hazelcast = HazelcastSetup.load(cluster);
    // A service of the cluster, not a node: the node in the last test must not wait for it.
    hazelcast.getMemberAttributeConfig().removeAttribute(HazelcastSetup.NODE_ATTRIBUTE);
    VertxOptions options = new VertxOptions();
    options.getEventBusOptions().setHost("127.0.0.1").setPort(0);
    return Vertx.builder()
        .with(options)
        .withClusterManager(new HazelcastClusterManager(hazelcast))
        .buildClustered()
        .await(60, TimeUnit.SECONDS);
  }

  /** A Switchboard node on the i-th Hazelcast port, its listeners on free loopback ports. */
  private static JsonObject nodeConfig(int i) {
    return new JsonObject()
        .put("ws", new JsonObject().put("host", "127.0.0.1").put("port", 0).put("instances", 1))
        .put("admin", new JsonObject().put("host", "127.0.0.1").put("port", 0))
        .put("vertx", new JsonObject().put("eventLoopPoolSize", 2))
        .put(
            "plugins",
            new JsonObject().put("directory", "target/no-plugins-here").put("scanClasspath", false))
        .put(
            "cluster",
            new JsonObject()
                .put("enabled", true)
                .put("host", "127.0.0.1")
                .put("port", basePort + i)
                .put("members", new JsonArray(members)));
  }

  /**
   * The failure of a request from {@code from}, asked again while the other member's consumer is
   * not yet known to it (the cluster's registrations spread asynchronously).
   */
  private static Throwable failureOf(Vertx from, String address, DeliveryOptions options) {
    AtomicReference<Throwable> answered = new AtomicReference<>();
    Await.until(
        "a member's consumer of " + address + " answers",
        Duration.ofSeconds(30),
        () -> {
          Throwable failure = Await.failure(from.eventBus().request(address, "yes", options));
          if (failure instanceof ReplyException reply
              && reply.failureType() == ReplyFailure.NO_HANDLERS) {
            return false;
          }
          answered.set(failure);
          return true;
        });
    return answered.get();
  }
}

package io.switchboard.server.connection;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.embedded.EmbeddedChannel;
import io.switchboard.server.bus.Audience;
import io.switchboard.server.bus.Delivery;
import io.switchboard.server.bus.InternalAddresses;
import io.switchboard.server.bus.LocalCodec;
import io.switchboard.server.config.FlushPolicy;
import io.switchboard.server.metrics.SwitchboardMetrics;
import io.switchboard.server.testing.Await;
import io.vertx.core.Context;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * One connection instance's channel index over a Vert.x event bus of its own (no server): members
 * are plain test objects that record what they are handed. The index is used on one event loop, as
 * in the server; deliveries are published to the channel addresses from outside, as routing does. A
 * marker delivery proves that everything published before it has been handed out, since one
 * channel's deliveries arrive in order and each reaches all its members in one pass.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LocalChannelsTest {

  private Vertx vertx;
  private Context loop;
  private SwitchboardMetrics metrics;
  private LocalChannels channels;

  @BeforeAll
  void startVertx() {
    vertx = Vertx.vertx();
    LocalCodec.registerAll(vertx.eventBus());
  }

  @AfterAll
  void closeVertx() {
    Await.result(vertx.close());
  }

  @BeforeEach
  void newIndex() {
    loop = vertx.getOrCreateContext();
    metrics = SwitchboardMetrics.standalone();
    // Per message: the writer has nothing to flush later, so its event loop is never used.
    Outbound outbound = new Outbound(FlushPolicy.PER_MESSAGE, 0, new EmbeddedChannel().eventLoop());
    channels = callOnLoop(() -> new LocalChannels(vertx.eventBus(), outbound, metrics));
  }

  @Test
  void aChannelIsConsumedOnceWhateverItsMembers() {
    Member a = new Member("a");
    Member b = new Member("b");
    String room = channelName();
    onLoop(
        () -> {
          channels.add(room, a);
          channels.add(room, b);
          channels.add(room, a);
        });

    publish(room, "x");
    settle(room, a, b);

    assertThat(a.received).containsExactly("x", "marker");
    assertThat(b.received).containsExactly("x", "marker");
    assertThat(metrics.messagesOutTotal()).isEqualTo(4);
    assertThat(callOnLoop(channels::size)).isEqualTo(1);
  }

  @Test
  void theLastMemberToLeaveReleasesTheChannelsAddress() {
    Member a = new Member("a");
    Member b = new Member("b");
    String room = channelName();
    onLoop(
        () -> {
          channels.add(room, a);
          channels.add(room, b);
          channels.remove(room, a);
        });
    publish(room, "after a left");
    settle(room, b);
    assertThat(a.received).isEmpty();
    assertThat(b.received).containsExactly("after a left", "marker");

    onLoop(() -> channels.remove(room, b));

    assertThat(callOnLoop(channels::size)).isZero();
    assertThat(failureOfSendingTo(room)).isEqualTo(ReplyFailure.NO_HANDLERS);
    // A new member consumes the address again.
    onLoop(() -> channels.add(room, a));
    publish(room, "back");
    settle(room, a);
    assertThat(a.received).containsExactly("back", "marker");
  }

  @Test
  void removingAnyMemberKeepsEveryOtherOneExactlyOnce() {
    String room = channelName();
    Member stays = new Member("stays");
    List<Member> members = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      members.add(new Member("m" + i));
    }
    List<Member> leavingOrder = new ArrayList<>(members);
    Collections.shuffle(leavingOrder, new Random(17));
    onLoop(
        () -> {
          channels.add(room, stays);
          members.forEach(member -> channels.add(room, member));
        });

    // Delivery s goes out, then the s-th member in the shuffled order leaves.
    for (int s = 0; s < leavingOrder.size(); s++) {
      publish(room, "d" + s);
      Member leaving = leavingOrder.get(s);
      onLoop(() -> channels.remove(room, leaving));
    }
    settle(room, stays);

    for (int s = 0; s < leavingOrder.size(); s++) {
      List<String> upToItsLeave = new ArrayList<>();
      for (int d = 0; d <= s; d++) {
        upToItsLeave.add("d" + d);
      }
      assertThat(leavingOrder.get(s).received)
          .as("member %s, the %d-th to leave", leavingOrder.get(s).id, s)
          .isEqualTo(upToItsLeave);
    }
    assertThat(stays.received).hasSize(51).endsWith("d49", "marker");
  }

  @Test
  void aTargetedDeliveryReachesOnlyTheMembersOfTheChannelItsAudienceMatches() {
    Member a = new Member("a", "alice");
    Member b = new Member("b", "bob");
    Member bobElsewhere = new Member("c", "bob");
    String room = channelName();
    onLoop(
        () -> {
          channels.add(room, a);
          channels.add(room, b);
          channels.add(channelName(), bobElsewhere);
        });

    int toListed =
        callOnLoop(
            () ->
                channels.deliver(
                    room,
                    Delivery.to(json("only b"), new Audience(room, null, null, Set.of("b", "c")))));
    int toBob =
        callOnLoop(
            () ->
                channels.deliver(
                    room, Delivery.to(json("bob here"), new Audience(room, "bob", null, null))));
    int toNobody =
        callOnLoop(
            () ->
                channels.deliver(
                    channelName(),
                    Delivery.to(json("none"), new Audience(room, "bob", null, null))));
    settle(room, a, b);

    assertThat(List.of(toListed, toBob, toNobody)).containsExactly(1, 1, 0);
    assertThat(a.received).containsExactly("marker");
    assertThat(b.received).containsExactly("only b", "bob here", "marker");
    assertThat(bobElsewhere.received).isEmpty();
    assertThat(metrics.messagesOutTotal()).as("b twice, then the marker to both").isEqualTo(4);
  }

  @Test
  void onlyWhatMembersWroteIsCounted() {
    Member writes = new Member("writes");
    Member closing = new Member("closing");
    closing.accepts = false;
    String room = channelName();
    onLoop(
        () -> {
          channels.add(room, writes);
          channels.add(room, closing);
        });

    publish(room, "x");
    settle(room, writes, closing);

    assertThat(closing.received).containsExactly("x", "marker");
    assertThat(metrics.messagesOutTotal()).isEqualTo(2);
  }

  @Test
  void everyMemberIsHandedTheOneFrameMadeForTheDeliveryWhichIsThenReleased() {
    Member a = new Member("a");
    Member b = new Member("b");
    String room = channelName();
    onLoop(
        () -> {
          channels.add(room, a);
          channels.add(room, b);
        });

    publish(room, "x");
    settle(room, a);

    ByteBuf frame = a.frames.get(0);
    assertThat(b.frames.get(0)).as("the same buffer for both").isSameAs(frame);
    byte[] payload = json("x").getBytes();
    byte[] expected = new byte[2 + payload.length];
    expected[0] = (byte) 0x81; // final text frame
    expected[1] = (byte) payload.length; // unmasked, short length
    System.arraycopy(payload, 0, expected, 2, payload.length);
    assertThat(a.frameBytes.get(0)).isEqualTo(expected);
    assertThat(frame.refCnt()).as("released once handed out").isZero();
  }

  @Test
  void removingWhatIsNotThereChangesNothing() {
    Member a = new Member("a");
    Member stranger = new Member("stranger");
    String room = channelName();
    onLoop(
        () -> {
          channels.add(room, a);
          channels.remove(room, stranger);
          channels.remove(channelName(), a);
        });

    publish(room, "x");
    settle(room, a);

    assertThat(a.received).containsExactly("x", "marker");
    assertThat(callOnLoop(channels::size)).isEqualTo(1);
  }

  @Test
  void clearReleasesEveryChannel() {
    String one = channelName();
    String two = channelName();
    onLoop(
        () -> {
          channels.add(one, new Member("a"));
          channels.add(two, new Member("a"));
          channels.clear();
        });

    assertThat(callOnLoop(channels::size)).isZero();
    assertThat(failureOfSendingTo(one)).isEqualTo(ReplyFailure.NO_HANDLERS);
    assertThat(failureOfSendingTo(two)).isEqualTo(ReplyFailure.NO_HANDLERS);
  }

  /** A socket as the index sees it: records the messages and frames it is handed. */
  private static final class Member implements LocalChannels.Member {
    final String id;
    final List<String> received = new CopyOnWriteArrayList<>();
    final List<ByteBuf> frames = new CopyOnWriteArrayList<>();
    final List<byte[]> frameBytes = new CopyOnWriteArrayList<>();
    final String userId;
    volatile boolean accepts = true;

    Member(String id) {
      this(id, null);
    }

    Member(String id, String userId) {
      this.id = id;
      this.userId = userId;
    }

    @Override
    public String id() {
      return id;
    }

    @Override
    public String userId() {
      return userId;
    }

    @Override
    public boolean deliver(Buffer json, ByteBuf frame, String channel, long offset, long now) {
      frames.add(frame);
      frameBytes.add(ByteBufUtil.getBytes(frame));
      received.add(new String(json.getBytes(), StandardCharsets.UTF_8).replaceAll("^\"|\"$", ""));
      return accepts;
    }
  }

  private static final AtomicInteger NAMES = new AtomicInteger();

  private static String channelName() {
    return "room-" + NAMES.incrementAndGet();
  }

  private void publish(String channel, String text) {
    vertx.eventBus().publish(InternalAddresses.channel(channel), Delivery.toChannel(json(text)));
  }

  /**
   * Publishes a marker and waits until each of {@code members} has it: all before it has been
   * handed out to them (the test thread must not read a member the loop is still writing to).
   */
  private void settle(String channel, Member... members) {
    publish(channel, "marker");
    for (Member member : members) {
      Await.until("the marker reached " + member.id, () -> member.received.contains("marker"));
    }
  }

  private ReplyFailure failureOfSendingTo(String channel) {
    Throwable failure =
        Await.failure(
            vertx
                .eventBus()
                .request(
                    InternalAddresses.channel(channel),
                    Delivery.toChannel(json("probe")),
                    new DeliveryOptions().setSendTimeout(2_000)));
    return ((ReplyException) failure).failureType();
  }

  /** A message as routing encodes it: here a JSON string. */
  private static Buffer json(String text) {
    return Buffer.buffer("\"" + text + "\"");
  }

  /** Runs on the index's event loop, as the connection instance does, and waits. */
  private void onLoop(Runnable action) {
    callOnLoop(
        () -> {
          action.run();
          return null;
        });
  }

  private <T> T callOnLoop(Supplier<T> action) {
    Promise<T> done = Promise.promise();
    loop.runOnContext(
        v -> {
          try {
            done.complete(action.get());
          } catch (RuntimeException e) {
            done.fail(e);
          }
        });
    return Await.result(done.future());
  }
}

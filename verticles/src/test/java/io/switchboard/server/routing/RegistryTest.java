package io.switchboard.server.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.switchboard.protocol.ErrorCode;
import io.switchboard.protocol.ProtocolError;
import io.switchboard.protocol.ProtocolException;
import io.switchboard.server.routing.Registry.Membership;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Routing's rules of membership and targeting, without a server. */
class RegistryTest {

  private final Registry registry = new Registry();

  @Test
  void theFirstJoinOpensAChannelAndLaterOnesCountSubscribers() {
    registry.connected("a", "i1", null, null);
    registry.connected("b", "i2", null, null);

    assertThat(registry.join("a", "room")).isEqualTo(new Membership(1, true, false));
    assertThat(registry.join("b", "room")).isEqualTo(new Membership(2, false, false));
    assertThat(registry.subscribers("room")).containsExactly("a", "b");
    assertThat(registry.channelExists("room")).isTrue();
    assertThat(registry.channelCount()).isEqualTo(1);
  }

  @Test
  void theLastLeaveClosesTheChannel() {
    registry.connected("a", "i1", null, null);
    registry.connected("b", "i1", null, null);
    registry.join("a", "room");
    registry.join("b", "room");

    assertThat(registry.leave("a", "room")).isEqualTo(new Membership(1, false, false));
    assertThat(registry.subscribers("room")).containsExactly("b");
    assertThat(registry.leave("b", "room")).isEqualTo(new Membership(0, false, true));

    assertThat(registry.channelExists("room")).isFalse();
    assertThat(registry.subscribers("room")).isEmpty();
    assertThat(registry.channels()).isEmpty();
    assertThat(registry.connection("a").channels()).isEmpty();
  }

  @Test
  void aChannelOpensAgainAfterItClosedAndListsAfterTheOthers() {
    registry.connected("a", "i1", null, null);
    registry.join("a", "first");
    registry.join("a", "second");
    registry.leave("a", "first");

    assertThat(registry.join("a", "first")).isEqualTo(new Membership(1, true, false));
    assertThat(registry.channels().keySet()).containsExactly("second", "first");
  }

  @Test
  void joiningTwiceIsRefusedAndChangesNothing() {
    registry.connected("a", "i1", null, null);
    registry.join("a", "room");

    assertThatThrownBy(() -> registry.join("a", "room"))
        .isInstanceOf(ProtocolException.class)
        .extracting(e -> ((ProtocolException) e).error())
        .isEqualTo(
            new ProtocolError(
                ErrorCode.ALREADY_SUBSCRIBED, "already subscribed to channel 'room'"));
    assertThat(registry.subscribers("room")).containsExactly("a");
    assertThat(registry.connection("a").channels()).containsExactly("room");
  }

  @Test
  void leavingAChannelNotJoinedIsRefusedWhetherOrNotItExists() {
    registry.connected("a", "i1", null, null);
    registry.connected("b", "i1", null, null);
    registry.join("b", "busy");
    ProtocolError notInBusy =
        new ProtocolError(
            ErrorCode.NOT_SUBSCRIBED, "not subscribed to channel 'busy'; join it first");
    ProtocolError notInEmpty =
        new ProtocolError(
            ErrorCode.NOT_SUBSCRIBED, "not subscribed to channel 'empty'; join it first");

    assertThatThrownBy(() -> registry.leave("a", "busy"))
        .extracting(e -> ((ProtocolException) e).error())
        .isEqualTo(notInBusy);
    assertThatThrownBy(() -> registry.leave("a", "empty"))
        .extracting(e -> ((ProtocolException) e).error())
        .isEqualTo(notInEmpty);
    assertThat(registry.subscribers("busy")).containsExactly("b");
    assertThat(registry.channelExists("empty")).isFalse();
  }

  @Test
  void anUnknownConnectionCanNeitherJoinNorLeave() {
    ProtocolError unknown =
        new ProtocolError(ErrorCode.INTERNAL, "connection ghost is not registered");

    assertThatThrownBy(() -> registry.join("ghost", "room"))
        .extracting(e -> ((ProtocolException) e).error())
        .isEqualTo(unknown);
    assertThatThrownBy(() -> registry.leave("ghost", "room"))
        .extracting(e -> ((ProtocolException) e).error())
        .isEqualTo(unknown);
    assertThat(registry.channelExists("room")).isFalse();
  }

  @Test
  void aDisconnectLeavesEveryChannelAndClosesThoseItWasTheLastIn() {
    registry.connected("a", "i1", "alice", "acme");
    registry.connected("b", "i2", "bob", "acme");
    registry.join("a", "shared");
    registry.join("a", "alone");
    registry.join("b", "shared");

    Registry.Connection gone = registry.disconnected("a");

    assertThat(gone.id()).isEqualTo("a");
    assertThat(gone.instance()).isEqualTo("i1");
    assertThat(gone.userId()).isEqualTo("alice");
    assertThat(gone.organizationId()).isEqualTo("acme");
    assertThat(gone.channels()).as("in join order").containsExactly("shared", "alone");
    assertThat(registry.subscribers("shared")).containsExactly("b");
    assertThat(registry.channelExists("alone")).isFalse();
    assertThat(registry.connection("a")).isNull();
    assertThat(registry.connectionCount()).isEqualTo(1);
    assertThat(registry.targets(null, "alice", null)).isEmpty();
    assertThat(registry.targets(null, null, "acme")).containsExactly("b");
  }

  @Test
  void disconnectingAnUnknownOrGoneConnectionReturnsNull() {
    registry.connected("a", "i1", null, null);
    registry.disconnected("a");

    assertThat(registry.disconnected("a")).isNull();
    assertThat(registry.disconnected("never")).isNull();
    assertThat(registry.connectionCount()).isZero();
  }

  @Test
  void targetsAreTheConnectionsMatchingEveryTargetGiven() {
    registry.connected("alice-1", "i1", "alice", "acme");
    registry.connected("alice-2", "i2", "alice", "acme");
    registry.connected("bob", "i1", "bob", "acme");
    registry.connected("eve", "i2", "eve", "globex");
    registry.connected("anonymous", "i1", null, null);
    for (String id : List.of("alice-1", "bob", "eve", "anonymous")) {
      registry.join(id, "jobs");
    }

    assertThat(registry.targets("jobs", null, null))
        .containsExactlyInAnyOrder("alice-1", "bob", "eve", "anonymous");
    assertThat(registry.targets(null, "alice", null))
        .containsExactlyInAnyOrder("alice-1", "alice-2");
    assertThat(registry.targets(null, null, "acme"))
        .containsExactlyInAnyOrder("alice-1", "alice-2", "bob");
    assertThat(registry.targets("jobs", null, "acme")).containsExactlyInAnyOrder("alice-1", "bob");
    assertThat(registry.targets("jobs", "alice", null)).containsExactly("alice-1");
    assertThat(registry.targets(null, "alice", "globex")).isEmpty();
    assertThat(registry.targets("jobs", "alice", "acme")).containsExactly("alice-1");
    assertThat(registry.targets("nowhere", null, null)).isEmpty();
    assertThat(registry.targets(null, "nobody", null)).isEmpty();
    assertThat(registry.targets(null, null, null)).as("no target at all").isEmpty();
  }

  @Test
  void narrowingTargetsLeavesTheChannelAndTheIndexesAsTheyWere() {
    registry.connected("a", "i1", "alice", "acme");
    registry.connected("b", "i1", "bob", "acme");
    registry.join("a", "room");
    registry.join("b", "room");

    Set<String> narrowed = registry.targets("room", "alice", "acme");
    narrowed.clear();

    assertThat(registry.subscribers("room")).containsExactly("a", "b");
    assertThat(registry.targets(null, null, "acme")).containsExactlyInAnyOrder("a", "b");
    assertThat(registry.targets(null, "alice", null)).containsExactly("a");
  }

  @Test
  void instancesComeAndGoInTheOrderTheyCameUp() {
    registry.instanceUp("i1");
    registry.instanceUp("i2");
    registry.instanceUp("i3");
    registry.instanceUp("i1");
    registry.instanceDown("i2");

    assertThat(registry.instances()).containsExactly("i1", "i3");
  }
}

package io.switchboard.server.routing;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.server.routing.ChannelIndex.Membership;
import org.junit.jupiter.api.Test;

/** A routing shard's counts of its channels' subscribers, per connection instance. */
class ChannelIndexTest {

  private final ChannelIndex index = new ChannelIndex();

  @Test
  void theFirstJoinOpensAChannelAndLaterOnesCountSubscribersPerInstance() {
    assertThat(index.join("room", "i1")).isEqualTo(new Membership(1, true, false));
    assertThat(index.join("room", "i2")).isEqualTo(new Membership(2, false, false));
    assertThat(index.join("room", "i2")).isEqualTo(new Membership(3, false, false));

    assertThat(index.subscribers("room")).isEqualTo(3);
    assertThat(index.instancesOf("room")).containsExactlyInAnyOrder("i1", "i2");
    assertThat(index.exists("room")).isTrue();
    assertThat(index.channelCount()).isEqualTo(1);
  }

  @Test
  void theLastLeaveClosesTheChannelAndAnInstanceGoesWithItsLastSubscriber() {
    index.join("room", "i1");
    index.join("room", "i2");
    index.join("room", "i2");

    assertThat(index.leave("room", "i2")).isEqualTo(new Membership(2, false, false));
    assertThat(index.instancesOf("room")).containsExactlyInAnyOrder("i1", "i2");
    assertThat(index.leave("room", "i1")).isEqualTo(new Membership(1, false, false));
    assertThat(index.instancesOf("room")).containsExactly("i2");
    assertThat(index.leave("room", "i2")).isEqualTo(new Membership(0, false, true));

    assertThat(index.exists("room")).isFalse();
    assertThat(index.subscribers("room")).isZero();
    assertThat(index.instancesOf("room")).isEmpty();
    assertThat(index.names()).isEmpty();
  }

  @Test
  void aLeaveAnInstanceNeverCountedChangesNothing() {
    index.join("room", "i1");

    assertThat(index.leave("room", "i2")).isEqualTo(new Membership(1, false, false));
    assertThat(index.leave("empty", "i1")).isEqualTo(new Membership(0, false, false));
    assertThat(index.subscribers("room")).isEqualTo(1);
    assertThat(index.exists("empty")).isFalse();
  }

  @Test
  void aChannelOpensAgainAfterItClosedAndListsAfterTheOthers() {
    index.join("first", "i1");
    index.join("second", "i1");
    index.leave("first", "i1");

    assertThat(index.join("first", "i1")).isEqualTo(new Membership(1, true, false));
    assertThat(index.names()).containsExactly("second", "first");
  }

  @Test
  void anInstanceThatStopsTakesWhatItStillCountedAndClosesChannelsLeftEmpty() {
    index.instanceUp("i1");
    index.instanceUp("i2");
    index.join("shared", "i1");
    index.join("shared", "i2");
    index.join("alone", "i1");
    index.join("alone", "i1");

    assertThat(index.instanceDown("i1")).containsExactly("alone");

    assertThat(index.instances()).containsExactly("i2");
    assertThat(index.subscribers("shared")).isEqualTo(1);
    assertThat(index.instancesOf("shared")).containsExactly("i2");
    assertThat(index.exists("alone")).isFalse();
  }

  @Test
  void instancesComeAndGoInTheOrderTheyCameUp() {
    index.instanceUp("i1");
    index.instanceUp("i2");
    index.instanceUp("i3");
    index.instanceUp("i1");
    index.instanceDown("i2");

    assertThat(index.instances()).containsExactly("i1", "i3");
  }
}

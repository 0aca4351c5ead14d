package io.switchboard.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The ownership rule: deterministic, spread, and moving only what a membership change must. */
class ClusterViewTest {

  private static final List<String> THREE =
      List.of(
          "a74109b0-5480-445c-9056-c9d8289eed7b",
          "7d10b6fc-e988-431d-a554-97c65875a3d9",
          "05347144-ce0b-4dbe-933c-4c13effb6bfe");

  @Test
  void everyNodeComputesTheSameOwnerWhateverOrderItListsTheMembersIn() {
    ClusterView one = new ClusterView(THREE.get(0), THREE);
    ClusterView other =
        new ClusterView(THREE.get(2), List.of(THREE.get(2), THREE.get(1), THREE.get(0)));

    for (String channel : channels(500)) {
      assertThat(one.ownerOf(channel)).isEqualTo(other.ownerOf(channel));
      assertThat(one.ownsHere(channel)).isEqualTo(one.ownerOf(channel).equals(THREE.get(0)));
    }
  }

  @Test
  void channelsSpreadOverEveryMember() {
    ClusterView view = new ClusterView(THREE.get(0), THREE);
    Map<String, Integer> owned = new HashMap<>();

    channels(3000).forEach(channel -> owned.merge(view.ownerOf(channel), 1, Integer::sum));

    assertThat(owned).containsOnlyKeys(THREE);
    assertThat(owned.values()).allSatisfy(count -> assertThat(count).isBetween(800, 1200));
  }

  @Test
  void whenAMemberLeavesOnlyItsChannelsMove() {
    ClusterView view = new ClusterView(THREE.get(0), THREE);
    Map<String, String> before = new HashMap<>();
    channels(1000).forEach(channel -> before.put(channel, view.ownerOf(channel)));

    view.update(List.of(THREE.get(0), THREE.get(1)));

    before.forEach(
        (channel, owner) -> {
          if (!owner.equals(THREE.get(2))) {
            assertThat(view.ownerOf(channel)).as(channel).isEqualTo(owner);
          } else {
            assertThat(view.ownerOf(channel)).as(channel).isIn(THREE.get(0), THREE.get(1));
          }
        });
  }

  @Test
  void theListenersHearOfEveryChangeAndTheViewAlwaysHoldsItself() {
    ClusterView view = new ClusterView(THREE.get(0), THREE);
    List<List<String>> seen = new ArrayList<>();
    view.onChange(() -> seen.add(view.members()));

    view.update(List.of(THREE.get(1)));

    assertThat(seen)
        .containsExactly(List.of(THREE.get(1), THREE.get(0)).stream().sorted().toList());
    assertThat(view.isMember(THREE.get(2))).isFalse();
  }

  @Test
  void onlyReadyMembersOwnChannelsOnceAnyIs() {
    ClusterView view = new ClusterView(THREE.get(0), THREE);
    Map<String, String> allMembers = new HashMap<>();
    channels(300).forEach(channel -> allMembers.put(channel, view.ownerOf(channel)));

    view.markReady(THREE.get(1));

    assertThat(channels(300)).allSatisfy(c -> assertThat(view.ownerOf(c)).isEqualTo(THREE.get(1)));
    assertThat(view.ownsHere("chat:room-1")).isFalse();

    view.markReady(THREE.get(0));
    view.markReady(THREE.get(2));

    allMembers.forEach((channel, owner) -> assertThat(view.ownerOf(channel)).isEqualTo(owner));
    view.update(List.of(THREE.get(0), THREE.get(2)));
    assertThat(view.isReady(THREE.get(1))).isFalse();
  }

  @Test
  void theShortIdIsTheFirstEightHexDigitsAndFindsItsMember() {
    ClusterView view = new ClusterView(THREE.get(0), THREE);

    assertThat(ClusterView.shortId(THREE.get(1))).isEqualTo("7d10b6fc");
    assertThat(view.memberByShortId("7d10b6fc")).isEqualTo(THREE.get(1));
    assertThat(view.memberByShortId("00000000")).isNull();
  }

  private static List<String> channels(int count) {
    List<String> names = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      names.add("chat:room-" + i);
    }
    return names;
  }
}

package io.switchboard.server.bus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Set;
import org.junit.jupiter.api.Test;

/** Which connections a targeted delivery reaches: those matching every part it names. */
class AudienceTest {

  @Test
  void aConnectionMatchesWhenItFitsEveryPartGiven() {
    Audience alice = new Audience(null, "alice", null, null);
    Audience acme = new Audience(null, null, "acme", null);
    Audience aliceAtAcme = new Audience("jobs", "alice", "acme", null);
    Audience listed = new Audience(null, null, null, Set.of("c1", "c2"));

    assertThat(alice.matches("c1", "alice", "globex")).isTrue();
    assertThat(alice.matches("c1", "bob", "acme")).isFalse();
    assertThat(alice.matches("c1", null, null)).as("anonymous").isFalse();
    assertThat(acme.matches("c1", "bob", "acme")).isTrue();
    assertThat(acme.matches("c1", "bob", null)).isFalse();
    assertThat(aliceAtAcme.matches("c1", "alice", "acme")).isTrue();
    assertThat(aliceAtAcme.matches("c1", "alice", "globex")).isFalse();
    assertThat(listed.matches("c2", null, null)).isTrue();
    assertThat(listed.matches("c3", "alice", "acme")).isFalse();
    assertThat(Audience.connection("c9").matches("c9", null, null)).isTrue();
  }

  @Test
  void aChannelAloneLeavesTheMatchToTheChannelsMembersAndNothingAtAllIsRefused() {
    assertThat(new Audience("jobs", null, null, null).matches("any", null, null)).isTrue();
    assertThatThrownBy(() -> new Audience(null, null, null, null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("an audience names at least one part");
  }
}

package io.switchboard.sdk.impl;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SessionIdsTest {

  @Test
  void aSessionIdIsTwentyTwoUrlSafeCharactersAndNeverRepeats() {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 1_000; i++) {
      String id = SessionIds.next();
      assertThat(id).matches("[A-Za-z0-9_-]{22}");
      assertThat(seen.add(id)).as("id %s seen before", id).isTrue();
    }
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "ws://h:1/ws|ws://h:1/ws?session=S",
        "wss://h/ws?token=t|wss://h/ws?token=t&session=S",
        "ws://h/ws?|ws://h/ws?&session=S",
        "ws://h/ws#frag|ws://h/ws?session=S#frag",
        "ws://h/ws?session=mine|ws://h/ws?session=mine",
        "ws://h/ws?a=1&session=mine|ws://h/ws?a=1&session=mine",
        "ws://h/ws?sessions=2|ws://h/ws?sessions=2&session=S",
      })
  void theSessionIsAddedToTheQueryUnlessTheUrlNamesOne(String url, String expected) {
    assertThat(SessionIds.addTo(url, "S")).isEqualTo(expected);
  }
}

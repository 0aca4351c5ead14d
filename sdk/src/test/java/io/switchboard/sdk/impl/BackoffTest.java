package io.switchboard.sdk.impl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.switchboard.sdk.ClientOptions;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The reconnect delays, with the formula documented on {@link ClientOptions}. */
class BackoffTest {

  @Test
  void withoutJitterTheDelayDoublesFromTheInitialDelayUpToTheMaximum() {
    Backoff backoff = new Backoff(1000, 30_000, false, new Random(1));

    long[] delays = new long[8];
    for (int attempt = 1; attempt <= delays.length; attempt++) {
      delays[attempt - 1] = backoff.delayMs(attempt);
    }

    assertThat(delays).containsExactly(1000, 2000, 4000, 8000, 16_000, 30_000, 30_000, 30_000);
  }

  @Test
  void withJitterEveryDelayLiesWithinThreeQuartersAndAllOfItsBaseAndNeverAboveTheMaximum() {
    Backoff backoff = new Backoff(100, 5_000, true, new Random(42));

    for (int round = 0; round < 200; round++) {
      for (int attempt = 1; attempt <= 12; attempt++) {
        long base = Math.min(5_000, 100L << (attempt - 1));
        long delay = backoff.delayMs(attempt);
        assertThat(delay)
            .as("attempt %d (base %d)", attempt, base)
            .isGreaterThan(base * 3 / 4)
            .isLessThanOrEqualTo(base)
            .isLessThanOrEqualTo(5_000);
      }
    }
  }

  @Test
  void jitterSpreadsTheDelaysOfOneAttempt() {
    Backoff backoff = new Backoff(1000, 30_000, true, new Random(7));

    Set<Long> distinct = new HashSet<>();
    for (int i = 0; i < 50; i++) {
      distinct.add(backoff.delayMs(3));
    }

    assertThat(distinct).hasSizeGreaterThan(25);
  }

  @Test
  void theSameSeedGivesTheSameDelays() {
    Backoff first = new Backoff(200, 10_000, true, new Random(99));
    Backoff second = new Backoff(200, 10_000, true, new Random(99));

    for (int attempt = 1; attempt <= 10; attempt++) {
      assertThat(first.delayMs(attempt)).isEqualTo(second.delayMs(attempt));
    }
  }

  @Test
  void aHugeAttemptNumberDoesNotOverflow() {
    Backoff backoff = new Backoff(1000, Long.MAX_VALUE / 3, false, new Random(1));

    assertThat(backoff.delayMs(10_000)).isEqualTo(Long.MAX_VALUE / 3);
    assertThat(new Backoff(1, 30_000, false, new Random(1)).delayMs(Integer.MAX_VALUE))
        .isEqualTo(30_000);
  }

  @Test
  void aDelayOfOneMillisecondStaysOneWithJitter() {
    Backoff backoff = new Backoff(1, 1, true, new Random(3));

    assertThat(backoff.delayMs(1)).isEqualTo(1);
    assertThat(backoff.delayMs(5)).isEqualTo(1);
  }

  @Test
  void attemptsCountFromOne() {
    Backoff backoff = new Backoff(1000, 30_000, false, new Random(1));

    assertThatThrownBy(() -> backoff.delayMs(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("attempt must be >= 1, was 0");
  }
}

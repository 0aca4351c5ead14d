package io.switchboard.sdk.impl;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.sdk.ReconnectAttempt;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Which URL each attempt goes to and how long it waits: the rules of {@link FailoverSchedule}. */
class FailoverScheduleTest {

  private static final String A = "ws://a.example:8080/ws";
  private static final String B = "ws://b.example:8080/ws";
  private static final String C = "ws://c.example:8080/ws";

  /** Initial 100 ms, at most 1000 ms, no jitter, unlimited attempts. */
  private static FailoverSchedule schedule(String... urls) {
    return schedule(0, urls);
  }

  private static FailoverSchedule schedule(int maxAttempts, String... urls) {
    return new FailoverSchedule(
        List.of(urls), new Backoff(100, 1000, false, new Random(1)), maxAttempts, 1000);
  }

  private static List<ReconnectAttempt> next(FailoverSchedule schedule, int count) {
    List<ReconnectAttempt> attempts = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      attempts.add(schedule.next(0));
    }
    return attempts;
  }

  @Test
  void aSessionStartsOnTheFirstUrlAndEachFailureMovesToTheNextWrappingAround() {
    FailoverSchedule schedule = schedule(A, B, C);

    assertThat(schedule.current()).isEqualTo(A);
    assertThat(next(schedule, 7))
        .extracting(ReconnectAttempt::url)
        .containsExactly(B, C, A, B, C, A, B);
    assertThat(schedule.current()).isEqualTo(B);
  }

  @Test
  void theBackoffGrowsOncePerPassOverTheUrlsNotOncePerAttempt() {
    FailoverSchedule schedule = schedule(A, B, C);

    assertThat(next(schedule, 13))
        .extracting(ReconnectAttempt::delayMs)
        .containsExactly(
            100L, 100L, 100L, 200L, 200L, 200L, 400L, 400L, 400L, 800L, 800L, 800L, 1000L);
    assertThat(schedule.next(0).attempt()).as("attempts count across URLs").isEqualTo(14);
  }

  @Test
  void withOneUrlEveryAttemptGoesThereAndTheBackoffGrowsPerAttemptAsBefore() {
    FailoverSchedule schedule = schedule(A);

    assertThat(next(schedule, 6))
        .containsExactly(
            new ReconnectAttempt(1, 100, A),
            new ReconnectAttempt(2, 200, A),
            new ReconnectAttempt(3, 400, A),
            new ReconnectAttempt(4, 800, A),
            new ReconnectAttempt(5, 1000, A),
            new ReconnectAttempt(6, 1000, A));
  }

  @Test
  void jitterDrawsOncePerAttemptFromTheBackoffOfThePass() {
    Backoff reference = new Backoff(100, 1000, true, new Random(9));
    FailoverSchedule schedule =
        new FailoverSchedule(List.of(A, B), new Backoff(100, 1000, true, new Random(9)), 0, 1000);

    List<Long> expected = new ArrayList<>();
    for (int pass = 1; pass <= 4; pass++) {
      expected.add(reference.delayMs(pass));
      expected.add(reference.delayMs(pass));
    }

    assertThat(next(schedule, 8)).extracting(ReconnectAttempt::delayMs).isEqualTo(expected);
  }

  @Test
  void anOpenConnectionStaysOnItsUrlAndTheNextLossStartsAFreshPassAtTheUrlAfterIt() {
    FailoverSchedule schedule = schedule(A, B, C);
    next(schedule, 4); // B, C, A, B: the second pass has begun

    assertThat(schedule.opened()).as("landed on B, not on A where the session began").isTrue();
    assertThat(schedule.current()).isEqualTo(B);

    assertThat(next(schedule, 4))
        .containsExactly(
            new ReconnectAttempt(1, 100, C),
            new ReconnectAttempt(2, 100, A),
            new ReconnectAttempt(3, 100, B),
            new ReconnectAttempt(4, 200, C));
  }

  @Test
  void aConnectionCountsAsAFailoverOnlyWhenItOpensOnAnotherUrlThanTheLastOne() {
    FailoverSchedule schedule = schedule(A, B, C);

    assertThat(schedule.opened()).as("first connection on the first URL").isFalse();
    next(schedule, 3); // lost A; B and C fail; back on A
    assertThat(schedule.current()).isEqualTo(A);
    assertThat(schedule.opened()).as("back where it was").isFalse();
    next(schedule, 1); // lost A; B
    assertThat(schedule.opened()).as("moved from A to B").isTrue();

    schedule.startSession();
    assertThat(schedule.current()).as("a new session starts on the first URL again").isEqualTo(A);
    assertThat(schedule.opened()).isFalse();
  }

  @Test
  void theServersShutdownSuggestionReplacesTheFirstDelayOnly() {
    FailoverSchedule schedule = schedule(A, B);
    schedule.suggest(2500);

    assertThat(next(schedule, 3))
        .containsExactly(
            new ReconnectAttempt(1, 2500, B),
            new ReconnectAttempt(2, 100, A),
            new ReconnectAttempt(3, 200, B));
  }

  @Test
  void aUrlThatAnsweredRetryAfterIsNotTriedBeforeItHasPassedWhileTheOthersAre() {
    FailoverSchedule schedule = schedule(A, B);
    schedule.retryAfter(700, 10_000); // A refused at t = 10 s: not before 10.7 s

    ReconnectAttempt toB = schedule.next(10_000);
    assertThat(toB).as("B is not held back").isEqualTo(new ReconnectAttempt(1, 100, B));

    ReconnectAttempt toA = schedule.next(10_150);
    assertThat(toA).as("the rest of A's window").isEqualTo(new ReconnectAttempt(2, 550, A));

    schedule.next(10_800); // B
    assertThat(schedule.next(11_000))
        .as("the window has passed: plain backoff")
        .isEqualTo(new ReconnectAttempt(4, 200, A));
  }

  @Test
  void aRetryAfterShorterThanTheBackoffChangesNothing() {
    FailoverSchedule schedule = schedule(A);
    schedule.retryAfter(50, 0);

    assertThat(schedule.next(0)).isEqualTo(new ReconnectAttempt(1, 100, A));
  }

  @Test
  void aRetryAfterIsBoundedByTheMaximumDelay() {
    FailoverSchedule schedule = schedule(A);
    schedule.retryAfter(3_600_000, 0);

    assertThat(schedule.next(0)).isEqualTo(new ReconnectAttempt(1, 1000, A));
  }

  @Test
  void openingAndStartingASessionForgetRetryAfterWindows() {
    FailoverSchedule schedule = schedule(A);
    schedule.retryAfter(900, 0);
    schedule.opened();
    assertThat(schedule.next(0).delayMs()).as("after the connection opened").isEqualTo(100);

    schedule.retryAfter(900, 0);
    schedule.startSession();
    assertThat(schedule.next(0).delayMs()).as("in a new session").isEqualTo(100);
  }

  @Test
  void theAttemptLimitCountsAttemptsToEveryUrl() {
    FailoverSchedule schedule = schedule(4, A, B, C);

    assertThat(next(schedule, 4)).extracting(ReconnectAttempt::url).containsExactly(B, C, A, B);
    assertThat(schedule.next(0)).as("used up").isNull();

    schedule.opened();
    assertThat(schedule.next(0)).as("a connection restores them").isNotNull();
  }
}

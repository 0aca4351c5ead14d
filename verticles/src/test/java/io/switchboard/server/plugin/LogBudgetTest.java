package io.switchboard.server.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class LogBudgetTest {

  private final AtomicLong now = new AtomicLong(1_000);
  private final LogBudget budget = new LogBudget(3, 100, now::get);

  @Test
  void theFirstLinesOfAWindowAreLoggedAndTheRestCounted() {
    assertThat(budget.take()).isZero();
    assertThat(budget.take()).isZero();
    assertThat(budget.spent()).isFalse();
    assertThat(budget.take()).isZero();
    assertThat(budget.spent()).isTrue();

    assertThat(budget.take()).isEqualTo(LogBudget.OVER);
    now.addAndGet(99);
    assertThat(budget.take()).isEqualTo(LogBudget.OVER);
  }

  @Test
  void theNextWindowLogsAgainAndTellsHowManyWereNotLogged() {
    for (int i = 0; i < 10; i++) {
      budget.take();
    }
    now.addAndGet(100);

    assertThat(budget.spent()).isFalse();
    assertThat(budget.take()).as("7 over the budget").isEqualTo(7);
    assertThat(budget.take()).as("counted once only").isZero();
  }

  @Test
  void aWindowStartsWithTheFirstEventAfterTheLastEnded() {
    budget.take();
    now.addAndGet(1_000_000);
    budget.take();
    budget.take();
    budget.take();
    now.addAndGet(50);

    assertThat(budget.take()).isEqualTo(LogBudget.OVER);
  }

  @Test
  void aBudgetWithoutLinesOrWindowIsRefused() {
    assertThatThrownBy(() -> new LogBudget(0, 100, now::get))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new LogBudget(1, 0, now::get))
        .isInstanceOf(IllegalArgumentException.class);
  }
}

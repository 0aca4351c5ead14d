package io.switchboard.bench.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class FleetPlanTest {

  @Test
  void connectionsThatFitStayInThisProcess() {
    FleetPlan plan = FleetPlan.of(19_000, 19_000, 0);

    assertThat(plan.local()).isTrue();
    assertThat(plan.slices()).containsExactly(new int[] {0, 19_000});
    assertThat(plan.processes()).isEqualTo(1);
  }

  @Test
  void moreConnectionsAreSplitEvenlyOverWorkersNoneAboveTheLimit() {
    FleetPlan plan = FleetPlan.of(50_001, 19_000, 0);

    assertThat(plan.local()).isFalse();
    assertThat(plan.slices())
        .containsExactly(
            new int[] {0, 16_667}, new int[] {16_667, 16_667}, new int[] {33_334, 16_667});
    assertThat(plan.processes()).isEqualTo(4);
  }

  @Test
  void workersCanBeAskedForEvenWhenTheConnectionsFit() {
    FleetPlan plan = FleetPlan.of(200, 19_000, 2);

    assertThat(plan.slices()).containsExactly(new int[] {0, 100}, new int[] {100, 100});
  }

  @Test
  void neverMoreWorkersThanConnections() {
    assertThat(FleetPlan.of(2, 1, 5).slices()).hasSize(2);
  }

  @Test
  void aLimitBelowOneIsRefused() {
    assertThatThrownBy(() -> FleetPlan.of(10, 0, 0))
        .hasMessage("--max-sockets-per-process must be >= 1");
  }
}

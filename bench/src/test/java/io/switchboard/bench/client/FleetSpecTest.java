package io.switchboard.bench.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The latency sample takes one connection per block of {@code sample} and spreads over the event
 * loops a server deals connections out to in turn, and over the channels.
 */
class FleetSpecTest {

  private static FleetSpec spec(int channels, int sample) {
    return new FleetSpec(
        "127.0.0.1", List.of(8080), "switchboard", 0, 10_000, channels, "c", sample, 8, 1);
  }

  @Test
  void exactlyOneConnectionOfEveryBlockIsSampled() {
    FleetSpec spec = spec(1, 16);
    for (int block = 0; block < 10_000 / 16; block++) {
      int first = block * 16;
      long sampled = IntStream.range(first, first + 16).filter(spec::sampled).count();
      assertThat(sampled).as("block %d", block).isEqualTo(1);
    }
  }

  @Test
  void theSampleSpreadsOverEventLoopsDealtInTurn() {
    FleetSpec spec = spec(1, 16);
    for (int loops : new int[] {2, 4, 8}) {
      int[] perLoop = new int[loops];
      IntStream.range(0, 10_000).filter(spec::sampled).forEach(g -> perLoop[g % loops]++);
      int share = 625 / loops;
      for (int loop = 0; loop < loops; loop++) {
        assertThat(perLoop[loop])
            .as("sampled connections on loop %d of %d", loop, loops)
            .isBetween(share * 7 / 10, share * 13 / 10);
      }
    }
  }

  @Test
  void theSampleReachesAlmostEveryChannel() {
    FleetSpec spec = spec(100, 16);
    Set<String> channels = new HashSet<>();
    IntStream.range(0, 10_000).filter(spec::sampled).forEach(g -> channels.add(spec.channelOf(g)));
    assertThat(channels).hasSizeGreaterThanOrEqualTo(90);
  }

  @Test
  void connectionsTakeTheNodesPortsInTurnAndTheSampleSpreadsOverThem() {
    FleetSpec spec =
        new FleetSpec("127.0.0.1", List.of(8081, 8082), "switchboard", 0, 10_000, 1, "c", 16, 8, 1);

    assertThat(IntStream.range(0, 4).map(spec::portOf)).containsExactly(8081, 8082, 8081, 8082);
    long sampledOnFirst =
        IntStream.range(0, 10_000)
            .filter(spec::sampled)
            .filter(g -> spec.portOf(g) == 8081)
            .count();
    assertThat(sampledOnFirst).as("of 625 sampled").isBetween(625L * 7 / 20, 625L * 13 / 20);
  }

  @Test
  void aSliceAndItsJsonForAWorkerKeepThePorts() {
    FleetSpec slice =
        new FleetSpec("127.0.0.1", List.of(8081, 8082), "switchboard", 0, 10_000, 1, "c", 16, 8, 1)
            .slice(5_000, 10);

    assertThat(FleetSpec.fromJson(slice.toJson())).isEqualTo(slice);
    assertThat(slice.portOf(5_001)).isEqualTo(8082);
  }

  @Test
  void aFleetNeedsAPort() {
    assertThatThrownBy(
            () -> new FleetSpec("127.0.0.1", List.of(), "switchboard", 0, 1, 1, "c", 1, 1, 1))
        .hasMessage("ports must name at least one port");
  }

  @Test
  void aSampleOfOneMeasuresEveryConnection() {
    FleetSpec spec = spec(1, 1);
    assertThat(IntStream.range(0, 1_000).allMatch(spec::sampled)).isTrue();
  }
}

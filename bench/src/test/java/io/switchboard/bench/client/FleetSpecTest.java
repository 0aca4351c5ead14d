package io.switchboard.bench.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The latency sample takes one connection per block of {@code sample} and spreads over the event
 * loops a server deals connections out to in turn, and over the channels.
 */
class FleetSpecTest {

  private static FleetSpec spec(int channels, int sample) {
    return new FleetSpec("127.0.0.1", 8080, "switchboard", 0, 10_000, channels, "c", sample, 8, 1);
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
  void aSampleOfOneMeasuresEveryConnection() {
    FleetSpec spec = spec(1, 1);
    assertThat(IntStream.range(0, 1_000).allMatch(spec::sampled)).isTrue();
  }
}

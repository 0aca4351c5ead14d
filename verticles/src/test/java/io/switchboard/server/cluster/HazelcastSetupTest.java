package io.switchboard.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.hazelcast.config.Config;
import io.switchboard.server.config.ClusterConfig;
import io.switchboard.server.config.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Hazelcast configuration a clustered node starts with. */
class HazelcastSetupTest {

  @Test
  void theEmbeddedFileFindsMembersOnLoopbackAndDropsADeadOneAfterFiveSeconds() {
    Config config = HazelcastSetup.load(cluster("", 5701, List.of()));

    assertThat(config.getClusterName()).isEqualTo("switchboard");
    assertThat(config.getNetworkConfig().getPort()).isEqualTo(5701);
    assertThat(config.getNetworkConfig().getPortCount()).isEqualTo(10);
    assertThat(config.getNetworkConfig().getJoin().getMulticastConfig().isEnabled()).isFalse();
    assertThat(config.getNetworkConfig().getJoin().getTcpIpConfig().getMembers())
        .containsExactly("127.0.0.1");
    assertThat(config.getProperty("hazelcast.max.no.heartbeat.seconds")).isEqualTo("5");
    assertThat(config.getProperty("hazelcast.local.localAddress")).isEqualTo("127.0.0.1");
    assertThat(config.getMultiMapConfig("__vertx.subs").getBackupCount()).isEqualTo(1);
  }

  @Test
  void portAndMembersReplaceTheFiles() {
    Config config =
        HazelcastSetup.load(cluster("", 6100, List.of("127.0.0.1:6100", "127.0.0.1:6101")));

    assertThat(config.getNetworkConfig().getPort()).isEqualTo(6100);
    assertThat(config.getNetworkConfig().getJoin().getTcpIpConfig().getMembers())
        .containsExactly("127.0.0.1:6100", "127.0.0.1:6101");
  }

  @Test
  void aFileOfOneselfIsRead(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("cluster.xml");
    Files.writeString(
        file,
        "<hazelcast xmlns=\"http://www.hazelcast.com/schema/config\">"
            + "<cluster-name>mine</cluster-name></hazelcast>");

    Config config = HazelcastSetup.load(cluster(file.toString(), 0, List.of()));

    assertThat(config.getClusterName()).isEqualTo("mine");
    assertThat(config.getNetworkConfig().getPort()).isEqualTo(5701);
  }

  @Test
  void everyNodeCarriesTheSwitchboardAttributeWhateverItsFile(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("cluster.xml");
    Files.writeString(file, "<hazelcast xmlns=\"http://www.hazelcast.com/schema/config\"/>");

    for (String configFile : List.of("", file.toString())) {
      Config config = HazelcastSetup.load(cluster(configFile, 0, List.of()));

      assertThat(config.getMemberAttributeConfig().getAttributes())
          .as("attributes with configFile '%s'", configFile)
          .containsEntry(HazelcastSetup.NODE_ATTRIBUTE, "true");
    }
  }

  @Test
  void aMissingFileStopsStartUpNamingTheKey() {
    assertThatThrownBy(() -> HazelcastSetup.load(cluster("/no/such/cluster.xml", 0, List.of())))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "cluster.configFile must be a Hazelcast XML file, was /no/such/cluster.xml (no such"
                + " file)");
  }

  @Test
  void aFileThatIsNotHazelcastsStopsStartUpNamingTheKey(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("cluster.xml");
    Files.writeString(file, "<not-hazelcast/>");

    assertThatThrownBy(() -> HazelcastSetup.load(cluster(file.toString(), 0, List.of())))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("cluster.configFile must be a Hazelcast XML file, was " + file);
  }

  private static ClusterConfig cluster(String file, int port, List<String> members) {
    return new ClusterConfig(true, file, "127.0.0.1", port, members, 0, 2_000);
  }
}

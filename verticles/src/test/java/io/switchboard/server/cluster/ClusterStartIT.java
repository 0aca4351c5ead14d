package io.switchboard.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.server.testing.ServerProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How the jar starts clustered, or refuses to. */
class ClusterStartIT {

  @TempDir Path workDir;

  @Test
  void aMissingClusterFileStopsStartUpAsAConfigurationError() throws Exception {
    Files.createDirectories(workDir.resolve("plugins"));
    try (ServerProcess node =
        ServerProcess.start(
            workDir,
            new ServerProcess.Options()
                .onFreeLoopbackPorts()
                .arg("--cluster")
                .env("SWITCHBOARD_CLUSTER_CONFIG_FILE", "no-such-cluster.xml"))) {

      assertThat(node.awaitExit()).isEqualTo(2);
      assertThat(node.output())
          .contains(
              "switchboard: configuration error: cluster.configFile must be a Hazelcast XML"
                  + " file, was no-such-cluster.xml (no such file)");
    }
  }
}

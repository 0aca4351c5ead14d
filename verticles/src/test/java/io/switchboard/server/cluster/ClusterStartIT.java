package io.switchboard.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.server.testing.ClusterCertificates;
import io.switchboard.server.testing.ClusterNodes;
import io.switchboard.server.testing.ServerProcess;
import io.vertx.core.json.JsonArray;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;
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

  /**
   * Not loopback, and never bound: the refusal comes from the configuration, before Hazelcast or
   * the event bus would bind it.
   */
  private static final String NOT_LOOPBACK = "10.255.255.1";

  @Test
  void aClusterBeyondLoopbackWithAPlainEventBusIsRefused() throws Exception {
    Files.createDirectories(workDir.resolve("plugins"));
    try (ServerProcess node =
        ServerProcess.start(
            workDir,
            new ServerProcess.Options()
                .onFreeLoopbackPorts()
                .arg("--cluster")
                .env("SWITCHBOARD_CLUSTER_HOST", NOT_LOOPBACK))) {

      assertThat(node.awaitExit()).isEqualTo(2);
      assertThat(node.output())
          .contains(
              "switchboard: configuration error: cluster.tlsCertFile or cluster.tlsKeyStore must"
                  + " be set when cluster.host is not a loopback address, was empty with"
                  + " cluster.host 10.255.255.1: the clustered event bus would be plain TCP,"
                  + " readable and writable by anyone who reaches its port. Give every node a"
                  + " certificate and the cluster's authority (cluster.tlsCertFile,"
                  + " cluster.tlsKeyFile and cluster.tlsCaFile, or cluster.tlsKeyStore,"
                  + " cluster.tlsKeyStorePassword, cluster.tlsTrustStore and"
                  + " cluster.tlsTrustStorePassword), set cluster.allowPlaintext to true on a"
                  + " private network you trust, or bind cluster.host to 127.0.0.1");
    }
  }

  @Test
  void allowPlaintextLetsAClusterBeyondLoopbackStartWithAWarning() throws Exception {
    Files.createDirectories(workDir.resolve("plugins"));
    int port = ClusterNodes.freePortRun(1);
    try (ServerProcess node =
        ServerProcess.start(
            workDir,
            new ServerProcess.Options()
                .onFreeLoopbackPorts()
                .arg("--cluster")
                .env("SWITCHBOARD_CLUSTER_HOST", NOT_LOOPBACK)
                .env("SWITCHBOARD_CLUSTER_ALLOW_PLAINTEXT", "true")
                // A port and members of its own, should it ever get as far as looking for them.
                .env("SWITCHBOARD_CLUSTER_PORT", String.valueOf(port))
                .env(
                    "SWITCHBOARD_CLUSTER_MEMBERS",
                    new JsonArray().add(NOT_LOOPBACK + ":" + port).encode()))) {

      // Past the configuration: the warning comes just before Hazelcast starts, which then cannot
      // bind an address this machine does not have; the test stops there.
      node.awaitLine(
          Pattern.compile(
              "WARN .* cluster event bus is plain TCP beyond loopback \\[host: 10\\.255\\.255\\.1\\]:"
                  + " anyone who reaches its port can read and send the cluster's messages;"
                  + " cluster.allowPlaintext is true, so the network must be private"));
      assertThat(node.output()).noneMatch(line -> line.contains("configuration error"));
    }
  }

  @Test
  void eventBusKeyMaterialThatDoesNotLoadStopsStartUpBeforeHazelcast() throws Exception {
    Files.createDirectories(workDir.resolve("plugins"));
    ClusterCertificates certs = ClusterCertificates.get();
    Path notPem = Files.writeString(workDir.resolve("ca.pem"), "not a certificate\n");
    try (ServerProcess node =
        ServerProcess.start(
            workDir,
            new ServerProcess.Options()
                .onFreeLoopbackPorts()
                .arg("--cluster")
                .env("SWITCHBOARD_CLUSTER_TLS_CERT_FILE", certs.nodeCertPem().toString())
                .env("SWITCHBOARD_CLUSTER_TLS_KEY_FILE", certs.nodeKeyPem().toString())
                .env("SWITCHBOARD_CLUSTER_TLS_CA_FILE", notPem.toString()))) {

      assertThat(node.awaitExit()).isEqualTo(2);
      assertThat(node.output())
          .anyMatch(
              line ->
                  line.startsWith(
                      "switchboard: configuration error: cluster.tlsCaFile must be a PEM"
                          + " certificate chain, was "
                          + notPem));
      assertThat(node.output())
          .as("Hazelcast's member list, logged once a node is in a cluster")
          .noneMatch(line -> line.contains("Members {"));
    }
  }
}

package io.switchboard.server.cluster;

import com.hazelcast.config.ClasspathXmlConfig;
import com.hazelcast.config.Config;
import com.hazelcast.config.FileSystemXmlConfig;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import io.switchboard.server.config.ClusterConfig;
import io.switchboard.server.config.ConfigException;
import java.io.FileNotFoundException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Builds the Hazelcast configuration of a clustered node: the file named by {@code
 * cluster.configFile} or the embedded {@code conf/cluster.xml}, then {@code cluster.host}, {@code
 * cluster.port} and {@code cluster.members} over it, and the member attribute that tells the
 * Switchboard nodes apart from the other Vert.x members of the cluster.
 */
public final class HazelcastSetup {

  /** Where the embedded {@code conf/cluster.xml} lives on the class path. */
  public static final String EMBEDDED = "io/switchboard/server/cluster/cluster.xml";

  /**
   * The Hazelcast member attribute every Switchboard node carries. Other Vert.x services may join
   * the cluster to share the event bus; only the members with this attribute own channels, take
   * part in readiness and are asked by the admin API.
   */
  public static final String NODE_ATTRIBUTE = "switchboard.node";

  private HazelcastSetup() {}

  /**
   * @throws ConfigException when the file is missing or is not a Hazelcast configuration
   */
  public static Config load(ClusterConfig cluster) {
    Config config = read(cluster.configFile());
    config.getMemberAttributeConfig().setAttribute(NODE_ATTRIBUTE, "true");
    NetworkConfig network = config.getNetworkConfig();
    // The address the other members reach this one at, and the only one it binds.
    config.setProperty("hazelcast.local.localAddress", cluster.host());
    network.getInterfaces().setEnabled(false);
    if (cluster.port() > 0) {
      network.setPort(cluster.port());
    }
    if (!cluster.members().isEmpty()) {
      JoinConfig join = network.getJoin();
      join.getMulticastConfig().setEnabled(false);
      join.getAutoDetectionConfig().setEnabled(false);
      join.getTcpIpConfig().setEnabled(true).setMembers(cluster.members());
    }
    return config;
  }

  private static Config read(String file) {
    if (file.isEmpty()) {
      return new ClasspathXmlConfig(EMBEDDED);
    }
    Path path = Path.of(file);
    if (!Files.isRegularFile(path)) {
      throw new ConfigException(
          "cluster.configFile must be a Hazelcast XML file, was " + file + " (no such file)");
    }
    try {
      return new FileSystemXmlConfig(path.toFile());
    } catch (FileNotFoundException e) {
      throw new ConfigException(
          "cluster.configFile must be a Hazelcast XML file, was " + file + " (not readable)");
    } catch (RuntimeException e) {
      throw new ConfigException(
          "cluster.configFile must be a Hazelcast XML file, was " + file + ": " + e.getMessage());
    }
  }
}

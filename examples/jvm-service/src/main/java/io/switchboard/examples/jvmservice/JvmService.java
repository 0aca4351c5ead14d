package io.switchboard.examples.jvmservice;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.MultiMapConfig;
import com.hazelcast.config.NetworkConfig;
import io.switchboard.protocol.BusErrors;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A JVM service that joins a Switchboard cluster as a plain Vert.x member: it prints every client
 * connection and channel join of every node, adds its own figures to {@code metrics_update}, and
 * broadcasts each line it reads from stdin to a channel. Its only link to Switchboard is {@code
 * switchboard-protocol}: the address constants, and the codec of the nodes' typed failures ({@code
 * BusErrors.registerCodec}); the rest is vertx-core and vertx-hazelcast.
 *
 * <p>End of input (Ctrl-D) or Ctrl-C leaves the cluster and stops it.
 */
public final class JvmService {

  /** Held here: java.util.logging forgets a logger's level once nothing references the logger. */
  private static final Logger HAZELCAST_LOG = Logger.getLogger("com.hazelcast");

  private JvmService() {}

  public static void main(String[] args) throws Exception {
    ServiceOptions options;
    try {
      options = ServiceOptions.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.err.println(ServiceOptions.USAGE);
      System.exit(2);
      return;
    }
    // Hazelcast's warnings only: the output is this service's own lines.
    HAZELCAST_LOG.setLevel(Level.WARNING);

    VertxOptions vertxOptions = new VertxOptions();
    vertxOptions.getEventBusOptions().setHost(options.host()).setPort(0);
    Vertx vertx;
    try {
      vertx =
          Vertx.builder()
              .with(vertxOptions)
              .withClusterManager(new HazelcastClusterManager(hazelcast(options)))
              .buildClustered()
              .await(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      // A lite member alone cannot hold Vert.x's registrations: no node answered at members.
      System.err.printf(
          "could not join a Switchboard cluster at %s (start a node with --cluster first): %s%n",
          options.members(), e.getMessage());
      System.exit(1);
      return;
    }
    // The nodes answer a failed request (a refused broadcast, say) with a typed failure; without
    // its codec this member could not decode it, and the request would time out instead.
    BusErrors.registerCodec(vertx.eventBus());
    Runtime.getRuntime().addShutdownHook(new Thread(() -> leave(vertx), "jvm-service-shutdown"));

    ServiceVerticle service = new ServiceVerticle(options.channel(), options.name());
    vertx.deployVerticle(service).await(30, TimeUnit.SECONDS);
    System.out.printf(
        "jvm service joined the cluster [channel: %s, telemetry: %s]%n",
        options.channel(), options.name());

    BufferedReader stdin =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    try {
      for (String line = stdin.readLine(); line != null; line = stdin.readLine()) {
        if (!line.isBlank()) {
          service.publish(line);
        }
      }
    } catch (IOException e) {
      System.err.println("stdin failed: " + e.getMessage());
    }
    System.out.println("end of input, leaving the cluster");
    System.exit(0);
  }

  /**
   * The configuration the server's embedded {@code conf/cluster.xml} has, from this service's side:
   * same cluster name, same failure detection, same {@code __vertx} structures, and TCP-IP
   * discovery of {@code members}. The service is a lite member: it holds none of the cluster's
   * data, so it may come and go without moving any.
   */
  static Config hazelcast(ServiceOptions options) {
    Config config = new Config().setClusterName("switchboard").setLiteMember(true);
    config.setProperty("hazelcast.heartbeat.interval.seconds", "1");
    config.setProperty("hazelcast.max.no.heartbeat.seconds", "5");
    config.setProperty("hazelcast.wait.seconds.before.join", "0");
    config.setProperty("hazelcast.max.wait.seconds.before.join", "1");
    config.setProperty("hazelcast.shutdownhook.enabled", "false");
    config.setProperty("hazelcast.phone.home.enabled", "false");
    config.setProperty("hazelcast.logging.type", "jdk");
    config.setProperty("hazelcast.local.localAddress", options.host());

    NetworkConfig network = config.getNetworkConfig();
    network.setPort(options.port()).setPortAutoIncrement(true).setPortCount(10);
    network.getInterfaces().setEnabled(false);
    JoinConfig join = network.getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    join.getTcpIpConfig().setEnabled(true).setMembers(options.members());

    config.addMultiMapConfig(
        new MultiMapConfig("__vertx.subs")
            .setBackupCount(1)
            .setValueCollectionType(MultiMapConfig.ValueCollectionType.SET));
    config.getMapConfig("__vertx.haInfo").setBackupCount(1);
    config.getMapConfig("__vertx.nodeInfo").setBackupCount(1);
    return config;
  }

  private static void leave(Vertx vertx) {
    try {
      vertx.close().await(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      System.err.println("leaving the cluster failed: " + e.getMessage());
    }
  }
}

package io.switchboard.server.cluster;

import io.switchboard.server.config.ClusterConfig;
import io.switchboard.server.config.ConfigException;
import io.switchboard.server.config.TlsCheck;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sets up the clustered event bus of a node before it joins: {@code cluster.host} and {@code
 * cluster.eventBusPort}, and mutual TLS when the {@code cluster.tls*} keys give the node a
 * certificate and the cluster's authorities. The key material is loaded first, so that a wrong file
 * or password stops start-up as a configuration error before Hazelcast starts, instead of failing
 * inside the clustered start or in every connection between nodes.
 */
public final class EventBusSetup {

  private static final Logger log = LoggerFactory.getLogger(EventBusSetup.class);

  private EventBusSetup() {}

  /**
   * Checks the event bus's key material and completes {@code options}. Blocking (it reads the key
   * files): call it off the event loop.
   *
   * @throws ConfigException naming the key whose material cannot be used
   */
  public static EventBusOptions configure(ClusterConfig cluster, EventBusOptions options) {
    if (cluster.eventBusTls()) {
      // TlsCheck loads files the way Vert.x will, which takes a Vert.x instance; the node's own
      // does not exist before the cluster is joined.
      Vertx loader = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1));
      try {
        TlsCheck.verifyCluster(loader, cluster);
      } finally {
        loader.close();
      }
      log.info(
          "cluster event bus speaks mutual TLS [host: {}, authorities: {}]",
          cluster.host(),
          cluster.trust().fromTrustStore()
              ? cluster.trust().trustStore()
              : cluster.trust().caFile());
    } else if (cluster.plaintextBeyondLoopback()) {
      log.warn(
          "cluster event bus is plain TCP beyond loopback [host: {}]: anyone who reaches its port"
              + " can read and send the cluster's messages; cluster.allowPlaintext is true, so the"
              + " network must be private",
          cluster.host());
    }
    return cluster.applyTo(options);
  }
}

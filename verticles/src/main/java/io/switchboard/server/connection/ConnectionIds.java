package io.switchboard.server.connection;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Ids unique among the servers sharing an event bus: connection ids of the form {@code
 * ws_<node>_<counter>_<epoch ms>} (e.g. {@code ws_3f9a1c_42_1700000000000}), which name the node
 * that holds the connection (clustered, the first 8 hex digits of the cluster's node id, by which
 * the admin API finds the connection's node), and ConnectionVerticle instance ids. One instance is
 * shared by every ConnectionVerticle of a server, which is why the counters are atomic.
 */
public final class ConnectionIds {

  private final AtomicLong connections = new AtomicLong();
  private final AtomicLong instances = new AtomicLong();
  private final String serverId;

  /**
   * @param serverId distinguishes servers sharing one event bus (the node); part of every id
   */
  public ConnectionIds(String serverId) {
    this.serverId = serverId;
  }

  String nextConnectionId() {
    return "ws_"
        + serverId
        + "_"
        + connections.incrementAndGet()
        + "_"
        + System.currentTimeMillis();
  }

  /** The node these ids name. */
  public String node() {
    return serverId;
  }

  String nextInstanceId() {
    return serverId + "-" + instances.incrementAndGet();
  }
}

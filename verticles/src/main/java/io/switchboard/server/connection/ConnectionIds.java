package io.switchboard.server.connection;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Ids unique within one server: connection ids of the form {@code ws_<counter>_<epoch ms>} (e.g.
 * {@code ws_42_1700000000000}) and ConnectionVerticle instance ids. One instance is shared by every
 * ConnectionVerticle of a server, which is why the counters are atomic.
 */
public final class ConnectionIds {

  private final AtomicLong connections = new AtomicLong();
  private final AtomicLong instances = new AtomicLong();
  private final String serverId;

  /**
   * @param serverId distinguishes servers sharing one event bus; part of every instance id
   */
  public ConnectionIds(String serverId) {
    this.serverId = serverId;
  }

  String nextConnectionId() {
    return "ws_" + connections.incrementAndGet() + "_" + System.currentTimeMillis();
  }

  String nextInstanceId() {
    return serverId + "-" + instances.incrementAndGet();
  }
}

package io.switchboard.server.config;

import java.util.Arrays;

/**
 * Which network transport the server's Vert.x instance uses ({@code vertx.transport}). Netty's
 * native epoll transport ships in the fat jar for Linux on x86-64; elsewhere it cannot load.
 * io_uring is not offered: with the Netty that Vert.x 5.0.10 brings, a server on it answered no
 * client frame here (BENCHMARKS.md, "Transports").
 */
public enum TransportChoice {
  /** The transport measured best (see BENCHMARKS.md) where it loads, else NIO. The default. */
  AUTO("auto"),
  /** Java NIO: always available. */
  NIO("nio"),
  /** Netty's native epoll transport; start-up stops if it cannot load. */
  EPOLL("epoll");

  private final String configName;

  TransportChoice(String configName) {
    this.configName = configName;
  }

  /** The name used in the configuration. */
  public String configName() {
    return configName;
  }

  static TransportChoice fromConfig(String name) {
    return Arrays.stream(values())
        .filter(choice -> choice.configName.equals(name))
        .findFirst()
        .orElse(null);
  }
}

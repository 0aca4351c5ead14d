package io.switchboard.server.config;

import java.util.Arrays;

/** When frames written to a socket are flushed to the network ({@code ws.flushPolicy}). */
public enum FlushPolicy {
  /**
   * Every frame is flushed as it is written: one write system call per frame and socket. For
   * deployments that want each frame on the wire before the next delivery starts; several times
   * less throughput under load.
   */
  PER_MESSAGE("per-message"),
  /**
   * Frames are flushed once per event-loop turn, so a socket receiving several frames in one turn
   * costs one system call; a turn that runs longer than {@code ws.coalesceMaxDelayUs} flushes
   * early. The default: when load is light a turn delivers one frame and flushes it at once, so
   * latency is that of per-message flushing; under load the system calls are shared.
   */
  COALESCE("coalesce");

  private final String configName;

  FlushPolicy(String configName) {
    this.configName = configName;
  }

  /** The name used in the configuration. */
  public String configName() {
    return configName;
  }

  static FlushPolicy fromConfig(String name) {
    return Arrays.stream(values())
        .filter(policy -> policy.configName.equals(name))
        .findFirst()
        .orElse(null);
  }
}

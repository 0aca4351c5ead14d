package io.switchboard.bench.target;

import io.switchboard.bench.client.EngineIoWire;
import io.switchboard.bench.client.SwitchboardWire;
import io.switchboard.bench.client.Wire;
import java.util.Arrays;
import java.util.stream.Collectors;

/** The servers the bench can measure. */
public enum TargetKind {
  /** Switchboard's fat jar. */
  SWITCHBOARD("switchboard", SwitchboardWire.NAME),
  /** The bare Vert.x server of this module: the ceiling for our stack. */
  BARE("bare", SwitchboardWire.NAME),
  /** A Socket.IO 4 rooms server on Node: the peer. */
  SOCKETIO("socketio", EngineIoWire.NAME),
  /**
   * Several Switchboard fat jars clustered on loopback: the publishers on one node, the other
   * connections on the others, so that every delivery crosses between nodes.
   */
  SWITCHBOARD_CLUSTER("switchboard-cluster", SwitchboardWire.NAME);

  private final String id;
  private final String wire;

  TargetKind(String id, String wire) {
    this.id = id;
    this.wire = wire;
  }

  /** The name on the command line and in reports. */
  public String id() {
    return id;
  }

  public Wire wire() {
    return Wire.named(wire);
  }

  /**
   * The target of this name.
   *
   * @throws IllegalArgumentException naming the known targets
   */
  public static TargetKind of(String id) {
    for (TargetKind kind : values()) {
      if (kind.id.equals(id)) {
        return kind;
      }
    }
    throw new IllegalArgumentException(
        "unknown target '"
            + id
            + "'; known: "
            + Arrays.stream(values()).map(TargetKind::id).collect(Collectors.joining(", ")));
  }

  @Override
  public String toString() {
    return id;
  }
}

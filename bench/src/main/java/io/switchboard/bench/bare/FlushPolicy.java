package io.switchboard.bench.bare;

/** When the bare server flushes what it wrote to a socket. */
public enum FlushPolicy {
  /** Every frame is written and flushed on its own, through Vert.x's {@code writeFrame}. */
  PER_MESSAGE("per-message"),
  /**
   * Frames are written without a flush, and every socket written to is flushed once when the event
   * loop has finished its current batch of work: one system call per socket per turn, however many
   * messages the turn delivered. The latency bound is one event-loop turn.
   */
  COALESCE("coalesce");

  private final String id;

  FlushPolicy(String id) {
    this.id = id;
  }

  public String id() {
    return id;
  }

  /**
   * The policy of this name.
   *
   * @throws IllegalArgumentException naming the known policies
   */
  public static FlushPolicy of(String id) {
    for (FlushPolicy policy : values()) {
      if (policy.id.equals(id)) {
        return policy;
      }
    }
    throw new IllegalArgumentException(
        "unknown flush policy '" + id + "'; known: per-message, coalesce");
  }

  @Override
  public String toString() {
    return id;
  }
}

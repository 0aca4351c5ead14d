package io.switchboard.server.history;

/**
 * How much of a channel's stream is kept: the options {@code historySize} and {@code historyTtlMs}
 * of its namespace.
 *
 * @param size the most recent messages kept; 0 keeps none (the channel still gets offsets)
 * @param ttlMs how long a message is kept, in milliseconds
 */
public record HistoryPolicy(int size, long ttlMs) {

  /** Keeps nothing. */
  public static final HistoryPolicy NONE = new HistoryPolicy(0, 1);

  /** Whether any message is kept. */
  public boolean keeps() {
    return size > 0;
  }
}

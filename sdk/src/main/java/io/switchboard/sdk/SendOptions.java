package io.switchboard.sdk;

/**
 * How one {@link SwitchboardClient#send} or {@link SwitchboardClient#publish} behaves while the
 * client is not connected. A mutable options object with fluent setters; the client reads it when
 * the call is made, so reusing or changing it afterwards is safe.
 */
public class SendOptions {

  /** Queue the message while connecting or reconnecting: {@value}. */
  public static final boolean DEFAULT_QUEUE = true;

  /**
   * How long a queued group waits for the connection to open, and how long a publish waits for its
   * acknowledgement: {@value} ms.
   */
  public static final long DEFAULT_TIMEOUT_MS = 5000;

  private boolean queue = DEFAULT_QUEUE;
  private long timeoutMs = DEFAULT_TIMEOUT_MS;

  public SendOptions() {}

  public SendOptions(SendOptions other) {
    this.queue = other.queue;
    this.timeoutMs = other.timeoutMs;
  }

  /** Whether the message is queued while connecting or reconnecting. */
  public boolean isQueue() {
    return queue;
  }

  /**
   * Whether to queue the message while the client is {@code CONNECTING} or {@code RECONNECTING}
   * (default {@value #DEFAULT_QUEUE}); when false it is refused at once with {@code WebSocket is
   * CONNECTING and queuing is disabled}.
   */
  public SendOptions setQueue(boolean queue) {
    this.queue = queue;
    return this;
  }

  /** The timeout in milliseconds; see {@link #setTimeoutMs(long)}. */
  public long getTimeoutMs() {
    return timeoutMs;
  }

  /**
   * Milliseconds a queued message's group waits for the connection to open (the group's first
   * message starts the group's one timer), and that a publish waits for the server's {@code ack}
   * once written. Default {@value #DEFAULT_TIMEOUT_MS}.
   *
   * @throws IllegalArgumentException unless {@code timeoutMs > 0}
   */
  public SendOptions setTimeoutMs(long timeoutMs) {
    if (timeoutMs <= 0) {
      throw new IllegalArgumentException("timeoutMs must be > 0, was " + timeoutMs);
    }
    this.timeoutMs = timeoutMs;
    return this;
  }
}

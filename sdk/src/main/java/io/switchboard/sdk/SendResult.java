package io.switchboard.sdk;

import java.util.Objects;

/**
 * The outcome of {@link SwitchboardClient#send} or {@link SwitchboardClient#publish}. Every send's
 * future completes exactly once, always successfully, with one of these; applications match on
 * {@link #reason()}, so the texts below are part of the contract.
 *
 * <table>
 *   <caption>send results</caption>
 *   <tr><th>situation</th><th>success</th><th>reason</th></tr>
 *   <tr><td>{@code connect()} never called</td><td>false</td>
 *       <td>{@value #NOT_INITIALIZED}</td></tr>
 *   <tr><td>null or empty message</td><td>false</td><td>{@value #EMPTY_MESSAGE}</td></tr>
 *   <tr><td>CONNECTED, written to the socket</td><td>true</td><td>{@value #SENT}</td></tr>
 *   <tr><td>CONNECTING or RECONNECTING, queued, then flushed when the connection opened</td>
 *       <td>true</td><td>{@code Flushed N queued message(s)}, N the size of the group</td></tr>
 *   <tr><td>the same, when some messages of the group could not be written (e.g. not encodable
 *       as JSON)</td><td>false for those, true for the others</td>
 *       <td>{@code Flushed 2/3 messages (1 failed)}</td></tr>
 *   <tr><td>CONNECTING or RECONNECTING, queueing off ({@link SendOptions#setQueue} or {@link
 *       ClientOptions#setEnableMessageBuffering})</td><td>false</td>
 *       <td>{@code WebSocket is CONNECTING and queuing is disabled} (or {@code RECONNECTING})</td>
 *   </tr>
 *   <tr><td>the connection did not open within the group's timeout</td><td>false</td>
 *       <td>{@code Timeout waiting for WebSocket to open (5000ms)}, the configured value</td></tr>
 *   <tr><td>CLOSING, CLOSED or FAILED</td><td>false</td>
 *       <td>{@code WebSocket is CLOSING - cannot send message} ({@code CLOSED}, {@code FAILED})
 *       </td></tr>
 *   <tr><td>the queue already holds {@link ClientOptions#getMaxBufferedMessages()}</td>
 *       <td>false</td><td>{@code Message queue full (1000 messages)}</td></tr>
 *   <tr><td>CONNECTED, the message is not encodable as JSON</td><td>false</td>
 *       <td>{@code Message could not be encoded as JSON: <cause>}</td></tr>
 *   <tr><td>CONNECTED, the socket refused the write</td><td>false</td>
 *       <td>{@code Failed to send message: <cause>}</td></tr>
 * </table>
 *
 * <p>Messages queued together form a group: they share one timer (started by the first of them,
 * with its {@link SendOptions#getTimeoutMs()}) and are flushed, in the order they were sent, when
 * the next connection opens; a group that timed out is dropped and never sent later.
 *
 * <p>{@link SwitchboardClient#publish} waits for the server's {@code ack} instead of the write:
 * {@value #ACKNOWLEDGED} on the ack; {@code <code>: <message>} with the server's error code and
 * message when the server answered with an {@code error} (e.g. {@code forbidden: ...}); {@code
 * Timeout waiting for acknowledgement (5000ms)} when no answer came in time, counted from the first
 * write. A publish whose connection died after the write and before the ack, or whose write the
 * dying socket refused, is written again, with the same id, on the session's next connection (the
 * server recognises it if it had it already, and acknowledges it again without delivering it
 * twice); {@value #CONNECTION_LOST} only when the session ends before that ack (it may or may not
 * have been delivered). Before the write, the rows above apply.
 *
 * @param success whether the message was written (for {@code send}) or acknowledged (for {@code
 *     publish})
 * @param reason what happened, as listed above; never null
 */
public record SendResult(boolean success, String reason) {

  /** No {@code connect()} was ever called on the client. */
  public static final String NOT_INITIALIZED = "WebSocket client not initialized";

  /** The message was null or an empty JSON object. */
  public static final String EMPTY_MESSAGE = "Message is empty or null";

  /** Written at once to an open connection. */
  public static final String SENT = "Message sent successfully";

  /** A publish the server acknowledged. */
  public static final String ACKNOWLEDGED = "Message acknowledged";

  /**
   * A publish written to a connection that was lost before the server's acknowledgement, in a
   * session that then ended before another connection could acknowledge it.
   */
  public static final String CONNECTION_LOST = "Connection lost before acknowledgement";

  public SendResult {
    Objects.requireNonNull(reason, "reason");
  }
}

package io.switchboard.sdk.impl;

import io.switchboard.protocol.ProtocolError;
import io.switchboard.sdk.ConnectionState;

/**
 * The {@code SendResult} reasons that carry a number or a state. Their exact text is a contract
 * (applications match on it), which is why they are built in one place; the fixed ones are
 * constants on {@code SendResult}.
 */
public final class Reasons {

  private Reasons() {}

  /** Every message of a group was written. */
  public static String flushed(int count) {
    return "Flushed " + count + " queued message(s)";
  }

  /** Some messages of a group could not be written. */
  public static String partiallyFlushed(int written, int total) {
    return "Flushed " + written + "/" + total + " messages (" + (total - written) + " failed)";
  }

  public static String queueingDisabled(ConnectionState state) {
    return "WebSocket is " + state + " and queuing is disabled";
  }

  public static String openTimeout(long timeoutMs) {
    return "Timeout waiting for WebSocket to open (" + timeoutMs + "ms)";
  }

  public static String cannotSend(ConnectionState state) {
    return "WebSocket is " + state + " - cannot send message";
  }

  public static String queueFull(int maxSize) {
    return "Message queue full (" + maxSize + " messages)";
  }

  public static String ackTimeout(long timeoutMs) {
    return "Timeout waiting for acknowledgement (" + timeoutMs + "ms)";
  }

  public static String notEncodable(Throwable cause) {
    return "Message could not be encoded as JSON: " + cause.getMessage();
  }

  public static String writeFailed(Throwable cause) {
    return "Failed to send message: " + cause.getMessage();
  }

  /** The server refused the frame with an {@code error}. */
  public static String rejected(ProtocolError error) {
    return error.code().code() + ": " + error.message();
  }
}

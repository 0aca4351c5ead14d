package io.switchboard.sdk.impl;

import io.switchboard.protocol.ProtocolError;
import io.switchboard.sdk.ConnectionState;

/**
 * The {@code SendResult} reasons that carry a number or a state. Their exact text is a contract
 * (applications match on it), which is why they are built in one place; the fixed ones are
 * constants on {@code SendResult}.
 */
final class Reasons {

  private Reasons() {}

  /** Every message of a group was written. */
  static String flushed(int count) {
    return "Flushed " + count + " queued message(s)";
  }

  /** Some messages of a group could not be written. */
  static String partiallyFlushed(int written, int total) {
    return "Flushed " + written + "/" + total + " messages (" + (total - written) + " failed)";
  }

  static String queueingDisabled(ConnectionState state) {
    return "WebSocket is " + state + " and queuing is disabled";
  }

  static String openTimeout(long timeoutMs) {
    return "Timeout waiting for WebSocket to open (" + timeoutMs + "ms)";
  }

  static String cannotSend(ConnectionState state) {
    return "WebSocket is " + state + " - cannot send message";
  }

  static String queueFull(int maxSize) {
    return "Message queue full (" + maxSize + " messages)";
  }

  static String ackTimeout(long timeoutMs) {
    return "Timeout waiting for acknowledgement (" + timeoutMs + "ms)";
  }

  static String notEncodable(Throwable cause) {
    return "Message could not be encoded as JSON: " + cause.getMessage();
  }

  static String writeFailed(Throwable cause) {
    // A closed channel's exception has no message: its name says what happened.
    String why = cause.getMessage() != null ? cause.getMessage() : cause.getClass().getSimpleName();
    return "Failed to send message: " + why;
  }

  /** The server refused the frame with an {@code error}. */
  static String rejected(ProtocolError error) {
    return error.code().code() + ": " + error.message();
  }
}

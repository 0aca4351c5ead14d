/**
 * The reasons a send or publish result carries. Applications match on them, so their exact text
 * is a contract shared with the Java SDK (its `SendResult` constants and `Reasons` class): both
 * SDKs answer alike, which the conformance table in `sdk/conformance/cases.json` checks.
 */

import type { ConnectionState } from "./types.js";

/** `connect()` was never called. */
export const NOT_INITIALIZED = "WebSocket client not initialized";
/** The message was null, not an object, or an empty object. */
export const EMPTY_MESSAGE = "Message is empty or null";
/** Written at once to an open connection. */
export const SENT = "Message sent successfully";
/** A publish the server acknowledged. */
export const ACKNOWLEDGED = "Message acknowledged";
/** A publish written to a connection that was lost before its ack, in a session that then ended. */
export const CONNECTION_LOST = "Connection lost before acknowledgement";

/** The reasons that carry a number, a state or a cause. */
export const Reasons = {
  flushed: (count: number) => `Flushed ${count} queued message(s)`,
  partiallyFlushed: (written: number, total: number) =>
    `Flushed ${written}/${total} messages (${total - written} failed)`,
  queueingDisabled: (state: ConnectionState) => `WebSocket is ${state} and queuing is disabled`,
  openTimeout: (timeoutMs: number) => `Timeout waiting for WebSocket to open (${timeoutMs}ms)`,
  cannotSend: (state: ConnectionState) => `WebSocket is ${state} - cannot send message`,
  queueFull: (maxSize: number) => `Message queue full (${maxSize} messages)`,
  ackTimeout: (timeoutMs: number) => `Timeout waiting for acknowledgement (${timeoutMs}ms)`,
  notEncodable: (cause: string) => `Message could not be encoded as JSON: ${cause}`,
  writeFailed: (cause: string) => `Failed to send message: ${cause}`,
  /** The server refused the frame with an `error`. */
  rejected: (code: string, message: string) => `${code}: ${message}`,
} as const;

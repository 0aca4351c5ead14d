/** The public shapes of the client, named as in the Java SDK (`io.switchboard.sdk`). */

/**
 * `DISCONNECTED` (created) → `CONNECTING` → `CONNECTED` → `RECONNECTING` → `CONNECTED` ... →
 * `CLOSING` (`disconnect()`) → `CLOSED`; `FAILED` ends a session the application did not end.
 */
export type ConnectionState =
  | "DISCONNECTED"
  | "CONNECTING"
  | "CONNECTED"
  | "RECONNECTING"
  | "CLOSING"
  | "CLOSED"
  | "FAILED";

/** `STATEFUL` re-joins channels after a reconnect, `STATELESS` starts clean, `NONE` does not reconnect. */
export type ReconnectMode = "STATEFUL" | "STATELESS" | "NONE";

/** The outcome of `send` or `publish`: the promise always resolves with one, never rejects. */
export interface SendResult {
  success: boolean;
  reason: string;
}

/** How one `send` or `publish` behaves while the client is not connected. */
export interface SendOptions {
  /** Queue while `CONNECTING` or `RECONNECTING` (default true). */
  queue?: boolean;
  /** How long a queued group waits for the connection, and a publish for its ack (default 5000 ms). */
  timeoutMs?: number;
}

/** A message's place in its channel's stream. */
export interface StreamPosition {
  offset: number;
  epoch: string;
}

/** A `message` frame of a joined channel, as its handler gets it. */
export interface ChannelMessage {
  channel: string;
  data: unknown;
  /** The broadcast's type, for messages from REST and event-bus broadcasts. */
  event: string | null;
  ts: string | null;
  /** Null for a message without an offset (a broadcast narrowed to some subscribers). */
  position: StreamPosition | null;
  frame: Record<string, unknown>;
}

/** A channel's kept messages, as a `history` request answers them. */
export interface History {
  channel: string;
  /** Where the stream stands: the offset of its last message, and its epoch. */
  position: StreamPosition | null;
  /** Oldest first. */
  messages: ChannelMessage[];
}

/** One connection in a channel. */
export interface PresenceMember {
  connectionId: string;
  userId: string | null;
  organizationId: string | null;
  /** When it joined, ISO-8601. */
  joinedAt: string | null;
}

/** Who is in a channel, on every node. */
export interface Presence {
  channel: string;
  /** Every member, also those left out of `members`. */
  count: number;
  /** At most 100, the first by connection id. */
  members: PresenceMember[];
  /** Whether some members were left out. */
  more: boolean;
  /** Whether a node did not answer in time. */
  partial: boolean;
}

/** A joined channel. */
export interface Subscription {
  readonly channel: string;
  /** Subscribers when the join was confirmed. */
  readonly subscribers: number;
  /** The last position received on the channel (first set by the join's confirmation). */
  readonly position: StreamPosition | null;
  /** Whether the channel is still joined. */
  readonly active: boolean;
  leave(): Promise<void>;
}

/** A channel whose stream could not be kept whole; see the README's Recovery section. */
export interface Resync {
  channel: string;
  from: StreamPosition | null;
  to: StreamPosition | null;
  reason: "NOT_RECOVERED" | "GAP" | "NEW_EPOCH";
}

export interface StateChange {
  previous: ConnectionState;
  current: ConnectionState;
}

/** A reconnect attempt, announced before its delay. */
export interface ReconnectAttempt {
  attempt: number;
  delayMs: number;
  url: string;
}

/** A snapshot of the client's counters, which run for the client's whole life. */
export interface ClientMetrics {
  messagesSent: number;
  messagesReceived: number;
  bytesSent: number;
  bytesReceived: number;
  /** How long the current connection has been open; 0 when not connected. */
  connectionUptimeMs: number;
  /** When the last text frame was sent or received, in epoch milliseconds; null if none was. */
  lastMessageTime: number | null;
  /** The mean heartbeat round trip in milliseconds; null before the first pong. */
  averageLatencyMs: number | null;
  reconnectionCount: number;
  failoverCount: number;
  errorCount: number;
  queueDepth: number;
  resyncCount: number;
  duplicatesDropped: number;
}

/**
 * An error the server answered with (`error.code`, `error.message`, `error.retryable`), or that
 * the client raised itself with a protocol code (`bad_request` for a channel name it refuses).
 */
export class ProtocolError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly retryable = false,
  ) {
    super(message);
    this.name = "ProtocolError";
  }
}

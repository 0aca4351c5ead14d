import type { ClientMetrics } from "./types.js";

/** The client's counters; `snapshot()` copies them for the application. */
export class Metrics {
  messagesSent = 0;
  messagesReceived = 0;
  bytesSent = 0;
  bytesReceived = 0;
  lastMessageTime: number | null = null;
  reconnectionCount = 0;
  failoverCount = 0;
  errorCount = 0;
  resyncCount = 0;
  duplicatesDropped = 0;
  private connectedAt: number | null = null;
  private latencyTotal = 0;
  private latencySamples = 0;

  sent(text: string): void {
    this.messagesSent++;
    this.bytesSent += utf8Length(text);
    this.lastMessageTime = Date.now();
  }

  received(text: string): void {
    this.messagesReceived++;
    this.bytesReceived += utf8Length(text);
    this.lastMessageTime = Date.now();
  }

  roundTrip(ms: number): void {
    this.latencyTotal += ms;
    this.latencySamples++;
  }

  connected(isReconnect: boolean, isFailover: boolean): void {
    this.connectedAt = now();
    if (isReconnect) this.reconnectionCount++;
    if (isFailover) this.failoverCount++;
  }

  disconnected(): void {
    this.connectedAt = null;
  }

  snapshot(queueDepth: number): ClientMetrics {
    return {
      messagesSent: this.messagesSent,
      messagesReceived: this.messagesReceived,
      bytesSent: this.bytesSent,
      bytesReceived: this.bytesReceived,
      connectionUptimeMs: this.connectedAt === null ? 0 : now() - this.connectedAt,
      lastMessageTime: this.lastMessageTime,
      averageLatencyMs: this.latencySamples === 0 ? null : this.latencyTotal / this.latencySamples,
      reconnectionCount: this.reconnectionCount,
      failoverCount: this.failoverCount,
      errorCount: this.errorCount,
      queueDepth,
      resyncCount: this.resyncCount,
      duplicatesDropped: this.duplicatesDropped,
    };
  }
}

/** A monotonic clock in milliseconds where there is one. */
export const now = (): number =>
  typeof performance !== "undefined" ? performance.now() : Date.now();

/** The UTF-8 length of a string, without encoding it. */
function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      bytes += 4; // a surrogate pair is one code point of four bytes
      i++;
    } else bytes += 3;
  }
  return bytes;
}

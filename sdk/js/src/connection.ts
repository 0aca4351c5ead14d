import type { Metrics } from "./metrics.js";
import { now } from "./metrics.js";
import type { WebSocketConstructor, WebSocketLike } from "./options.js";

const OPEN = 1;

/** Why an attempt or a connection ended: the close code, and the HTTP status of a refused upgrade. */
export class ConnectionClosed extends Error {
  constructor(
    message: string,
    readonly code: number,
    readonly status: number | null = null,
  ) {
    super(message);
  }

  /** 4500–4999 must not reconnect; nor an upgrade refused with 400, 403, 404 or 426. */
  get final(): boolean {
    return (
      (this.code >= 4500 && this.code <= 4999) ||
      (this.status !== null && [400, 403, 404, 426].includes(this.status))
    );
  }
}

export interface ConnectionListener {
  onText(from: Connection, text: string, frame: Record<string, unknown> | null): void;
  onClosed(from: Connection, code: number, reason: string): void;
}

/** Close codes' meanings, for the errors that name them (as the Java SDK's `CloseCode`). */
const CLOSE_REASONS: Record<number, string> = {
  1000: "normal",
  1001: "server shutting down",
  1006: "abnormal closure",
  1008: "policy violation",
  1009: "message too big",
  1011: "internal error",
  4001: "heartbeat timeout",
  4002: "slow consumer",
  4003: "stale connection",
  4004: "token expired",
  4500: "unauthorized",
  4501: "forbidden",
  4502: "disconnected by an administrator",
};

export function describeClose(code: number, reason: string): string {
  return `${code} (${reason || CLOSE_REASONS[code] || "no reason given"})`;
}

/**
 * One WebSocket, from the upgrade to the close. It counts as open once the server's `welcome`
 * arrived; after that its text frames and its close go to the listener, until the client abandons
 * it.
 */
export class Connection {
  connectionId: string | null = null;
  welcome: Record<string, unknown> | null = null;
  lastFrameAt = now();
  abandoned = false;
  private readonly ws: WebSocketLike;
  private opened = false;
  private socketError = "";

  constructor(
    WebSocket: WebSocketConstructor,
    url: string,
    protocols: string[],
    headers: Record<string, string> | null,
    private readonly metrics: Metrics,
    private readonly listener: ConnectionListener,
    private readonly settle: (error: ConnectionClosed | null) => void,
  ) {
    this.ws = headers ? new WebSocket(url, protocols, { headers }) : new WebSocket(url, protocols);
    this.ws.onerror = (event) => {
      // Node's ws names the refused upgrade's status here; browsers say nothing.
      const message = (event as { message?: unknown }).message;
      this.socketError = typeof message === "string" ? message : "";
    };
    this.ws.onmessage = (event) => this.onMessage(event.data);
    this.ws.onclose = (event) => this.onClose(event.code, event.reason);
  }

  /** Writes a text frame; answers why it could not, or null. */
  write(text: string): string | null {
    if (this.abandoned || this.ws.readyState !== OPEN) {
      return "the connection is closed";
    }
    try {
      this.ws.send(text);
    } catch (e) {
      return e instanceof Error ? e.message : String(e);
    }
    this.metrics.sent(text);
    return null;
  }

  /** Sends a close frame; the close is reported to the listener when it completes. */
  close(code: number, reason: string): void {
    this.closeSocket(code, reason);
  }

  /** Stops reporting anything and closes the socket without waiting for anyone. */
  abandon(code: number, reason: string): void {
    this.abandoned = true;
    this.closeSocket(code, reason);
  }

  private closeSocket(code: number, reason: string): void {
    try {
      this.ws.close(code, reason);
    } catch {
      // a socket still connecting refuses some codes; it is dropped all the same
      try {
        this.ws.close();
      } catch {
        // already closed
      }
    }
  }

  private onMessage(data: unknown): void {
    if (typeof data !== "string") {
      return; // the protocol has text frames only
    }
    this.metrics.received(data);
    this.lastFrameAt = now();
    if (this.abandoned) {
      return;
    }
    let frame: Record<string, unknown> | null = null;
    try {
      const parsed: unknown = JSON.parse(data);
      if (parsed && typeof parsed === "object" && !Array.isArray(parsed)) {
        frame = parsed as Record<string, unknown>;
      }
    } catch {
      // reported by the listener as a frame that breaks the protocol
    }
    if (!this.opened) {
      const welcome = frame?.type === "welcome" ? (frame.data as Record<string, unknown>) : null;
      if (welcome && typeof welcome.connectionId === "string") {
        this.opened = true;
        this.connectionId = welcome.connectionId;
        this.welcome = frame;
        this.settle(null);
      } else {
        this.abandon(1002, "protocol error");
        this.settle(
          new ConnectionClosed(
            `the server's first frame must be 'welcome' with data.connectionId, was: ${data.slice(0, 200)}`,
            1002,
          ),
        );
      }
      return;
    }
    this.listener.onText(this, data, frame);
  }

  private onClose(code: number, reason: string): void {
    if (!this.opened) {
      const status = /\b(\d{3})\b/.exec(this.socketError);
      this.settle(
        new ConnectionClosed(
          `the connection closed before the server's welcome with ${describeClose(code, reason)}` +
            (this.socketError ? ": " + this.socketError : ""),
          code,
          status ? Number(status[1]) : null,
        ),
      );
      return;
    }
    if (!this.abandoned) {
      this.abandoned = true;
      this.listener.onClosed(this, code, reason);
    }
  }
}

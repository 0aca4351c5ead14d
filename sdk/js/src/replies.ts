import type { Connection } from "./connection.js";
import type { Written } from "./outbox.js";

/** How one request ends: exactly one of these is called, once. */
export interface Waiter {
  /** The answer: an ack, a confirmation, a `left`, or an `error`. */
  answered(frame: Record<string, unknown>): void;
  /** No answer within the timeout after the write. */
  timedOut(): void;
  /** Its connection is gone; answers true to keep waiting (it is written again), false if this ended it. */
  connectionLost(): boolean;
  /** The session ended. */
  closed(reason: string): void;
}

interface Pending {
  waiter: Waiter;
  written: boolean;
  timer: ReturnType<typeof setTimeout> | null;
}

/**
 * Requests waiting for the server's answer by correlation id: publishes for their `ack`, joins for
 * `subscription_confirmed`, leaves for `left`; an `error` echoing the id answers any of them. A
 * request is registered before its frame is written, and its timer starts with the first write.
 */
export class Replies {
  private readonly pending = new Map<string, Pending>();
  private sequence = 0;

  /** A fresh correlation id, e.g. `sb-pub-12`. */
  newId(kind: string): string {
    return `sb-${kind}-${++this.sequence}`;
  }

  register(id: string, waiter: Waiter): void {
    this.pending.set(id, { waiter, written: false, timer: null });
  }

  isWaiting(id: string): boolean {
    return this.pending.has(id);
  }

  get size(): number {
    return this.pending.size;
  }

  /** The request's frame was written: its answer is due within `timeoutMs` of the first write. */
  written(id: string, timeoutMs: number): void {
    const request = this.pending.get(id);
    if (!request) return;
    request.written = true;
    if (request.timer === null) {
      request.timer = setTimeout(() => {
        if (this.pending.get(id) === request) {
          this.pending.delete(id);
          request.waiter.timedOut();
        }
      }, timeoutMs);
    }
  }

  /** The write callback of a request: written, its answer is due; refused, it is forgotten. */
  onWrite(id: string, timeoutMs: number, refused: (reason: string) => void, then?: () => void): Written {
    return {
      done: (ok, reason) => {
        if (ok) {
          then?.();
          this.written(id, timeoutMs);
        } else {
          this.forget(id);
          refused(reason);
        }
      },
    };
  }

  /**
   * As `onWrite`, for a request written again on the next connection (a publish): a socket that
   * refused the write is going away, so the request counts as written and its connection as lost.
   */
  onWriteAgainIfLost(
    id: string,
    timeoutMs: number,
    refused: (reason: string) => void,
    then: () => void,
  ): Written {
    const plain = this.onWrite(id, timeoutMs, refused, then);
    return {
      done: plain.done,
      socketFailed: (reason) => {
        plain.done(true, reason);
        this.pending.get(id)?.waiter.connectionLost();
      },
    };
  }

  /** Forgets a request without telling its waiter. */
  forget(id: string): void {
    const request = this.pending.get(id);
    if (request) {
      this.pending.delete(id);
      if (request.timer !== null) clearTimeout(request.timer);
    }
  }

  /** Hands an answer to the request it names; answers whether one was waiting. */
  answer(frame: Record<string, unknown>): boolean {
    const id = frame.id;
    const request = typeof id === "string" ? this.pending.get(id) : undefined;
    if (!request) return false;
    this.forget(id as string);
    request.waiter.answered(frame);
    return true;
  }

  /** The connection is gone: every written request learns it; those not kept are forgotten. */
  connectionLost(): void {
    for (const [id, request] of [...this.pending]) {
      if (request.written && this.pending.get(id) === request) {
        request.written = false;
        if (!request.waiter.connectionLost()) this.forget(id);
      }
    }
  }

  /** The session ended: every request still waiting ends with this reason. */
  closeAll(reason: string): void {
    const all = [...this.pending.values()];
    [...this.pending.keys()].forEach((id) => this.forget(id));
    all.forEach((request) => request.waiter.closed(reason));
  }
}

/**
 * Publishes written to a connection lost before their `ack`: written again, with their ids, on the
 * session's next connection, in the order the application made them and before anything queued
 * meanwhile. The server knows the session and acknowledges a publish it had without delivering it
 * twice. One whose wait ended meanwhile (its timeout, the end of the session) is not written again.
 */
export class Resends {
  private readonly lost = new Map<number, { id: string; frame: string; timeoutMs: number }>();

  constructor(private readonly replies: Replies) {}

  add(order: number, id: string, frame: string, timeoutMs: number): void {
    this.lost.set(order, { id, frame, timeoutMs });
  }

  writeAll(connection: Connection): void {
    const again = [...this.lost.entries()].sort((a, b) => a[0] - b[0]);
    this.lost.clear();
    for (const [order, publish] of again) {
      if (!this.replies.isWaiting(publish.id)) continue;
      if (connection.write(publish.frame) === null) {
        this.replies.written(publish.id, publish.timeoutMs);
      } else {
        // This connection is dying too: keep the publish for the one after it.
        this.lost.set(order, publish);
      }
    }
  }

  clear(): void {
    this.lost.clear();
  }
}

import type { Connection } from "./connection.js";
import { Reasons, SENT } from "./reasons.js";

/** What a frame's sender learns, once: whether it was written, and the send-result reason. */
export interface Written {
  done(written: boolean, reason: string): void;
  /**
   * The socket refused the write: its connection is going away. A publish, which the server
   * recognises when re-sent, writes itself again on the next connection instead of failing.
   */
  socketFailed?(reason: string): void;
}

interface Queued {
  id: number;
  frame: object;
  callback: Written;
}

/**
 * Frames on their way to the server: written at once to an open connection, or queued while there
 * is none. Frames queued together form one group with one timer, whatever its size: the group is
 * flushed in order when the next connection opens, or failed whole when its timer (started by its
 * first frame, with that frame's timeout) fires first. The next frame queued starts a new group.
 */
export class Outbox {
  private group: Queued[] = [];
  private timer: ReturnType<typeof setTimeout> | null = null;
  private sequence = 0;

  constructor(private readonly maxQueued: number) {}

  /** Frames waiting for a connection. */
  get depth(): number {
    return this.group.length;
  }

  write(connection: Connection, frame: object, callback: Written): void {
    const outcome = encodeAndWrite(connection, frame);
    if (outcome === null) callback.done(true, SENT);
    else if (outcome.encoding) callback.done(false, outcome.reason);
    else (callback.socketFailed ?? callback.done.bind(callback, false))(outcome.reason);
  }

  /** Queues a frame in the current group; answers its queue id, or null when the queue was full. */
  enqueue(frame: object, timeoutMs: number, callback: Written): number | null {
    if (this.group.length >= this.maxQueued) {
      callback.done(false, Reasons.queueFull(this.maxQueued));
      return null;
    }
    const id = ++this.sequence;
    this.group.push({ id, frame, callback });
    if (this.timer === null) {
      this.timer = setTimeout(() => this.failAll(Reasons.openTimeout(timeoutMs)), timeoutMs);
    }
    return id;
  }

  /** Drops a queued frame without telling its sender; answers whether it was still queued. */
  cancel(id: number): boolean {
    const before = this.group.length;
    this.group = this.group.filter((queued) => queued.id !== id);
    if (this.group.length === 0) this.stopTimer();
    return this.group.length < before;
  }

  /** A connection opened: the waiting group is written to it, in order. */
  opened(connection: Connection): void {
    const group = this.detach();
    if (group.length === 0) return;
    const outcomes = group.map((queued) => encodeAndWrite(connection, queued.frame));
    const written = outcomes.filter((outcome) => outcome === null).length;
    const reason =
      written === group.length
        ? Reasons.flushed(group.length)
        : Reasons.partiallyFlushed(written, group.length);
    group.forEach(({ callback }, i) => {
      const outcome = outcomes[i];
      if (outcome !== null && !outcome.encoding && callback.socketFailed) {
        callback.socketFailed(reason);
      } else {
        callback.done(outcome === null, reason);
      }
    });
  }

  /** Fails the waiting group with this reason. */
  failAll(reason: string): void {
    this.detach().forEach(({ callback }) => callback.done(false, reason));
  }

  private detach(): Queued[] {
    const group = this.group;
    this.group = [];
    this.stopTimer();
    return group;
  }

  private stopTimer(): void {
    if (this.timer !== null) {
      clearTimeout(this.timer);
      this.timer = null;
    }
  }
}

/** Null when written; otherwise the reason, and whether it was the encoding that failed. */
function encodeAndWrite(
  connection: Connection,
  frame: object,
): { reason: string; encoding: boolean } | null {
  let text: string;
  try {
    text = JSON.stringify(frame);
  } catch (e) {
    return { reason: Reasons.notEncodable(e instanceof Error ? e.message : String(e)), encoding: true };
  }
  const refused = connection.write(text);
  return refused === null ? null : { reason: Reasons.writeFailed(refused), encoding: false };
}

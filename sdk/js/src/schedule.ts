import type { ReconnectAttempt } from "./types.js";

/**
 * Where each reconnect attempt goes and how long the client waits before it, by the Java SDK's
 * rules (`Backoff` and `FailoverSchedule`): attempt n since the last open connection waits
 * `base = min(max, initial × 2^(pass−1))` with `pass = ceil(n / urls)`, jittered to
 * `base − floor(base × 0.25 × r)`; every failed attempt or lost connection moves to the next URL;
 * the first attempt after a `server_shutdown` waits the server's `reconnectAfterMs` instead.
 */
export class Schedule {
  private index = 0;
  private home = 0;
  private attempt = 0;
  private suggested: number | null = null;

  constructor(
    private readonly urls: string[],
    private readonly initialMs: number,
    private readonly maxMs: number,
    private readonly jitter: boolean,
    private readonly random: () => number,
    readonly maxAttempts: number,
  ) {}

  /** A session starts on the first URL, at the first attempt. */
  startSession(): void {
    this.index = 0;
    this.home = 0;
    this.attempt = 0;
    this.suggested = null;
  }

  /** The URL of the attempt in flight or scheduled, or of the open connection. */
  current(): string {
    return this.urls[this.index];
  }

  /** A connection opened: the count starts again. Answers whether it moved to another URL. */
  opened(): boolean {
    this.attempt = 0;
    this.suggested = null;
    const moved = this.index !== this.home;
    this.home = this.index;
    return moved;
  }

  /** The server asked to wait this long before coming back: it replaces the next first delay. */
  suggest(delayMs: number): void {
    this.suggested = delayMs;
  }

  /** Counts the next attempt, picks its URL and delay; null when the attempts are used up. */
  next(): ReconnectAttempt | null {
    this.attempt++;
    if (this.maxAttempts > 0 && this.attempt > this.maxAttempts) {
      return null;
    }
    this.index = (this.index + 1) % this.urls.length;
    const pass = Math.floor((this.attempt - 1) / this.urls.length) + 1;
    const delayMs =
      this.attempt === 1 && this.suggested !== null ? this.suggested : this.delayMs(pass);
    this.suggested = null;
    return { attempt: this.attempt, delayMs, url: this.urls[this.index] };
  }

  /** The backoff before attempt (or pass) n, n >= 1. */
  delayMs(n: number): number {
    let base = this.initialMs;
    for (let i = 1; i < n && base < this.maxMs; i++) {
      base = Math.min(this.maxMs, base * 2);
    }
    base = Math.min(base, this.maxMs);
    return this.jitter ? base - Math.floor(base * 0.25 * this.random()) : base;
  }
}

import type { Connection } from "./connection.js";
import type { Metrics } from "./metrics.js";
import { now } from "./metrics.js";

/** Ids of the heartbeat's pings start with this, so that their pongs are told from the app's. */
export const HEARTBEAT_ID_PREFIX = "sb-hb-";

/**
 * Liveness of one open connection: a `ping` at once (a server closes a connection that sends
 * nothing soon after `welcome`), then one every interval, each followed `pongTimeoutMs` later by a
 * check that some frame arrived since; a silent server is reported once. Pongs give the latency.
 */
export class Heartbeat {
  private readonly outstanding = new Map<string, number>();
  private readonly timers = new Set<ReturnType<typeof setTimeout>>();
  private periodic: ReturnType<typeof setInterval> | null = null;
  private sequence = 0;
  private stopped = false;

  constructor(
    private readonly connection: Connection,
    intervalMs: number,
    private readonly pongTimeoutMs: number,
    private readonly metrics: Metrics,
    private readonly onDead: (connection: Connection) => void,
  ) {
    this.ping(false);
    if (intervalMs > 0) {
      this.periodic = setInterval(() => this.ping(true), intervalMs);
    }
  }

  /** Takes a pong; answers whether it was the heartbeat's (then it is not the application's). */
  onPong(id: unknown): boolean {
    if (typeof id !== "string") return false;
    const sentAt = this.outstanding.get(id);
    if (sentAt === undefined) return id.startsWith(HEARTBEAT_ID_PREFIX);
    this.outstanding.delete(id);
    this.metrics.roundTrip(now() - sentAt);
    return true;
  }

  stop(): void {
    this.stopped = true;
    if (this.periodic !== null) clearInterval(this.periodic);
    this.timers.forEach(clearTimeout);
    this.timers.clear();
    this.outstanding.clear();
  }

  private ping(checked: boolean): void {
    if (this.stopped) return;
    const id = HEARTBEAT_ID_PREFIX + ++this.sequence;
    const sentAt = now();
    this.outstanding.set(id, sentAt);
    this.connection.write(JSON.stringify({ type: "ping", id }));
    if (!checked) return;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      this.outstanding.delete(id);
      if (!this.stopped && this.connection.lastFrameAt < sentAt) {
        this.stop();
        this.onDead(this.connection);
      }
    }, this.pongTimeoutMs);
    this.timers.add(timer);
  }
}

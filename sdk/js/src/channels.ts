import type { Metrics } from "./metrics.js";
import type { ChannelMessage, Resync, StreamPosition, Subscription } from "./types.js";

export type MessageHandler = (message: ChannelMessage) => void;

/** A joined channel: its handler, its join's progress, and the last position received on it. */
export class SubscriptionImpl implements Subscription {
  subscribers = 0;
  position: StreamPosition | null = null;
  active = true;
  confirmed = false;
  /** The id of the join waiting for its confirmation, or null. */
  joinId: string | null = null;
  /** The outbox id while the join frame is still queued, or null. */
  queuedId: number | null = null;
  readonly joined: Promise<Subscription>;
  private resolve!: (subscription: Subscription) => void;
  private reject!: (cause: Error) => void;

  constructor(
    readonly channel: string,
    readonly handler: MessageHandler,
    private readonly leaver: (channel: string) => Promise<void>,
  ) {
    this.joined = new Promise((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
    });
  }

  leave(): Promise<void> {
    return this.leaver(this.channel);
  }

  confirm(subscribers: number): void {
    this.subscribers = subscribers;
    this.confirmed = true;
    this.joinId = null;
    this.resolve(this);
  }

  /** Ends the subscription; a join still waiting fails with the cause. */
  end(cause: Error): void {
    this.active = false;
    this.reject(cause);
  }
}

/** The position a frame or a confirmation's data carries, or null. */
export function positionOf(source: unknown): StreamPosition | null {
  const o = source as { offset?: unknown; epoch?: unknown } | null;
  return o && typeof o.offset === "number" && typeof o.epoch === "string"
    ? { offset: o.offset, epoch: o.epoch }
    : null;
}

/**
 * The channels this client has joined, in join order, and the delivery of their messages, keeping
 * each channel's stream whole: a message at or before the last offset received is a duplicate and
 * dropped; one beyond the next offset, or of another epoch, is reported as a resync first.
 */
export class Channels {
  private readonly subscriptions = new Map<string, SubscriptionImpl>();

  constructor(
    private readonly metrics: Metrics,
    private readonly resync: (event: Resync) => void,
    private readonly run: (handler: MessageHandler, message: ChannelMessage) => void,
  ) {}

  get(channel: string): SubscriptionImpl | undefined {
    return this.subscriptions.get(channel);
  }

  add(subscription: SubscriptionImpl): void {
    this.subscriptions.set(subscription.channel, subscription);
  }

  all(): SubscriptionImpl[] {
    return [...this.subscriptions.values()];
  }

  /** Ends a subscription and forgets it, if it is still the one held for its channel. */
  remove(subscription: SubscriptionImpl, cause: Error): void {
    if (this.subscriptions.get(subscription.channel) === subscription) {
      this.subscriptions.delete(subscription.channel);
    }
    subscription.end(cause);
  }

  deliver(frame: Record<string, unknown>): void {
    const channel = frame.channel;
    const subscription = typeof channel === "string" ? this.get(channel) : undefined;
    if (!subscription || !subscription.active) return;
    const at = positionOf(frame);
    if (at) {
      const last = subscription.position;
      if (last && last.epoch === at.epoch) {
        if (at.offset <= last.offset) {
          this.metrics.duplicatesDropped++;
          return;
        }
        if (at.offset > last.offset + 1) {
          this.resync({ channel: subscription.channel, from: last, to: at, reason: "GAP" });
        }
      } else if (last) {
        this.resync({ channel: subscription.channel, from: last, to: at, reason: "NEW_EPOCH" });
      }
      subscription.position = at;
    }
    this.run(subscription.handler, {
      channel: subscription.channel,
      data: frame.data,
      event: typeof frame.event === "string" ? frame.event : null,
      ts: typeof frame.ts === "string" ? frame.ts : null,
      position: at,
      frame,
    });
  }

  /**
   * A join's confirmation. After a re-join `since` a position, a recovered stream stays there (the
   * missed messages follow); one that was not recovered is reported and starts again from the
   * confirmation's position.
   */
  confirmed(subscription: SubscriptionImpl, frame: Record<string, unknown>, since: StreamPosition | null): void {
    const data = (frame.data ?? null) as Record<string, unknown> | null;
    const at = positionOf(data);
    if (since === null) {
      subscription.position = at;
    } else if (data?.recovered !== true) {
      subscription.position = at;
      this.resync({ channel: subscription.channel, from: since, to: at, reason: "NOT_RECOVERED" });
    }
    subscription.confirm(typeof data?.subscribers === "number" ? data.subscribers : 0);
  }

  /** Ends every confirmed subscription (a lost connection in STATELESS mode). */
  endConfirmed(cause: Error): void {
    this.all().filter((s) => s.confirmed).forEach((s) => this.remove(s, cause));
  }

  endAll(cause: Error): void {
    this.all().forEach((s) => this.remove(s, cause));
  }
}

/** A join frame, with `since` to recover what came after it. */
export function joinFrame(id: string, channel: string, since: StreamPosition | null): object {
  return since ? { type: "join", id, channel, since } : { type: "join", id, channel };
}

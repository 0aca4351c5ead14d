import type { Waiter } from "./replies.js";
import type { ChannelMessage, History, Presence, PresenceMember } from "./types.js";

/**
 * Questions about a channel that the server answers with a frame of the same type (`history`,
 * `presence`), as the Java SDK's `Questions`: asked only while connected (an answer about the past
 * is of no use later), so never queued and never written again after a reconnect.
 */

/** The waiter of one question: the answer is read by `answered`, every other end is an `Error`. */
export function questionWaiter(
  channel: string,
  timeoutMs: number,
  answered: (frame: Record<string, unknown>) => void,
  failed: (cause: Error) => void,
): Waiter {
  return {
    answered,
    timedOut: () =>
      failed(new Error(`Timeout waiting for the server's answer about '${channel}' (${timeoutMs}ms)`)),
    connectionLost: () => {
      failed(new Error(`Connection lost before the server answered about '${channel}'`));
      return false;
    },
    closed: (reason) => failed(new Error(reason)),
  };
}

/** A `history` answer's `data`: the stream's position and the kept messages, oldest first. */
export function readHistory(channel: string, data: Record<string, unknown>): History {
  const epoch = typeof data.epoch === "string" ? data.epoch : null;
  const position =
    typeof data.offset === "number" && epoch !== null ? { offset: data.offset, epoch } : null;
  const messages: ChannelMessage[] = [];
  for (const item of Array.isArray(data.messages) ? data.messages : []) {
    if (item === null || typeof item !== "object") continue;
    // Each item names its offset; the epoch, the stream's, is named once for them all.
    const kept = item as Record<string, unknown>;
    const frame = "epoch" in kept ? kept : { ...kept, epoch };
    messages.push({
      channel,
      data: frame.data,
      event: typeof frame.event === "string" ? frame.event : null,
      ts: typeof frame.ts === "string" ? frame.ts : null,
      position:
        typeof frame.offset === "number" && typeof frame.epoch === "string"
          ? { offset: frame.offset, epoch: frame.epoch }
          : null,
      frame,
    });
  }
  return { channel, position, messages };
}

/** A `presence` answer's `data`: who is in the channel, on every node. */
export function readPresence(channel: string, data: Record<string, unknown>): Presence {
  const members: PresenceMember[] = [];
  for (const item of Array.isArray(data.members) ? data.members : []) {
    if (item === null || typeof item !== "object") continue;
    const m = item as Record<string, unknown>;
    const text = (value: unknown) => (typeof value === "string" ? value : null);
    members.push({
      connectionId: String(m.connectionId),
      userId: text(m.userId),
      organizationId: text(m.organizationId),
      joinedAt: text(m.joinedAt),
    });
  }
  return {
    channel,
    count: typeof data.count === "number" ? data.count : members.length,
    members,
    more: data.more === true,
    partial: data.partial === true,
  };
}

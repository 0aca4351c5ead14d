import { Channels, joinFrame, type MessageHandler, SubscriptionImpl } from "./channels.js";
import { Connection, ConnectionClosed, describeClose } from "./connection.js";
import { Heartbeat } from "./heartbeat.js";
import { Metrics } from "./metrics.js";
import { type ClientOptions, DEFAULTS, type Settings, settle } from "./options.js";
import { Outbox, type Written } from "./outbox.js";
import { questionWaiter, readHistory, readPresence } from "./questions.js";
import { ACKNOWLEDGED, CONNECTION_LOST, EMPTY_MESSAGE, NOT_INITIALIZED, Reasons } from "./reasons.js";
import { Replies, Resends, type Waiter } from "./replies.js";
import { Schedule } from "./schedule.js";
import {
  type ChannelMessage,
  type ClientMetrics,
  type ConnectionState,
  type History,
  type Presence,
  ProtocolError,
  type ReconnectAttempt,
  type Resync,
  type SendOptions,
  type SendResult,
  type StateChange,
  type StreamPosition,
  type Subscription,
} from "./types.js";
import { newSessionId, withParameter } from "./urls.js";

/** The client; see the package README for the contract of each method. */
export interface SwitchboardClient {
  /** Starts a session; resolves when `CONNECTED`, rejects when the session ends first. */
  connect(): Promise<void>;
  /** Fails what is queued, stops reconnecting, closes (1000) and waits at most `closeTimeoutMs`. */
  disconnect(): Promise<void>;
  /** Writes any frame; resolves with a `SendResult`, never rejects. */
  send(message: object, options?: SendOptions): Promise<SendResult>;
  /** Publishes with an id of its own and resolves on the server's `ack`; never rejects. */
  publish(channel: string, data: unknown, options?: SendOptions): Promise<SendResult>;
  /** Joins; resolves on `subscription_confirmed`, rejects with a `ProtocolError` or an `Error`. */
  join(channel: string, handler: (message: ChannelMessage) => void): Promise<Subscription>;
  /** Leaves; the handler gets nothing more. */
  leave(channel: string): Promise<void>;
  /**
   * The channel's kept messages: the last `limit`, or the first `limit` after `since`, oldest
   * first. Rejects with the server's `ProtocolError` (`history_unavailable`, `forbidden`, ...), or
   * an `Error` when not connected, on a timeout or a lost connection. Not queued.
   */
  history(channel: string, limit: number, since?: StreamPosition | null): Promise<History>;
  /** Who is in a channel this client joined, on every node; rejects as `history` does. */
  presence(channel: string): Promise<Presence>;
  readonly state: ConnectionState;
  /** The server's id of the open connection, or null. */
  readonly connectionId: string | null;
  /** The URL of the open connection, or of the attempt in flight or next; null before `connect()`. */
  readonly currentUrl: string | null;
  metrics(): ClientMetrics;
  onStateChange(handler: ((change: StateChange) => void) | null): this;
  onMessage(handler: ((frame: Record<string, unknown>) => void) | null): this;
  onError(handler: ((error: Error) => void) | null): this;
  onConnected(handler: (() => void) | null): this;
  onReconnect(handler: ((attempt: ReconnectAttempt) => void) | null): this;
  onResync(handler: ((resync: Resync) => void) | null): this;
}

/** Creates a client; nothing happens until `connect()`. Throws when an option breaks its rule. */
export function createClient(options: ClientOptions = {}): SwitchboardClient {
  return new Client(settle(options));
}

const CHANNEL = /^[A-Za-z0-9_:.@$-]*$/;
const JOIN_TIMEOUT_MS = DEFAULTS.sendTimeoutMs;

/** The channel-name rule of the protocol, as a `bad_request`, or null when the name is fine. */
function channelRefusal(channel: unknown): ProtocolError | null {
  if (typeof channel !== "string") return new ProtocolError("bad_request", "field 'channel' is required");
  if (channel.length === 0) return new ProtocolError("bad_request", "field 'channel' must not be empty");
  if (channel.length > 200)
    return new ProtocolError("bad_request", `field 'channel' must be at most 200 characters, was '${channel}'`);
  if (!CHANNEL.test(channel)) {
    const i = [...channel].findIndex((c) => !CHANNEL.test(c));
    return new ProtocolError(
      "bad_request",
      `field 'channel' may only contain A-Z a-z 0-9 _ : . @ $ -, found '${[...channel][i]}' at index ${i}`,
    );
  }
  return null;
}

function errorOf(frame: Record<string, unknown>): ProtocolError | null {
  if (frame.type !== "error" && frame.type !== "ERROR") return null;
  const e = (frame.error ?? {}) as { code?: unknown; message?: unknown; retryable?: unknown };
  return new ProtocolError(String(e.code ?? "internal"), String(e.message ?? ""), e.retryable === true);
}

const format = (p: StreamPosition | null) => (p ? `${p.offset}@${p.epoch}` : "none");

class Client implements SwitchboardClient {
  private current: ConnectionState = "DISCONNECTED";
  private connection: Connection | null = null;
  private attempt: Connection | null = null;
  private attemptTimer: ReturnType<typeof setTimeout> | null = null;
  private reconnectTimer: ReturnType<typeof setTimeout> | null = null;
  private closeTimer: ReturnType<typeof setTimeout> | null = null;
  private heartbeat: Heartbeat | null = null;
  private everOpened = false;
  private sessionId = "";
  private url: string | null = null;
  private connecting: Deferred | null = null;
  private closing: Deferred | null = null;
  private published = 0;
  private refreshes = 0;
  private readonly stats = new Metrics();
  private readonly outbox: Outbox;
  private readonly replies = new Replies();
  private readonly resends = new Resends(this.replies);
  private readonly channels: Channels;
  private readonly schedule: Schedule;
  private readonly handlers: {
    state?: ((change: StateChange) => void) | null;
    message?: ((frame: Record<string, unknown>) => void) | null;
    error?: ((error: Error) => void) | null;
    connected?: (() => void) | null;
    reconnect?: ((attempt: ReconnectAttempt) => void) | null;
    resync?: ((resync: Resync) => void) | null;
  } = {};

  constructor(private readonly settings: Settings) {
    this.outbox = new Outbox(settings.maxBufferedMessages);
    this.channels = new Channels(
      this.stats,
      (event) => this.resync(event),
      (handler: MessageHandler, message) => this.emit(handler, message),
    );
    this.schedule = new Schedule(
      settings.urls,
      settings.reconnectInitialDelayMs,
      settings.reconnectMaxDelayMs,
      settings.jitter,
      settings.random,
      settings.maxReconnectAttempts,
    );
  }

  get state(): ConnectionState {
    return this.current;
  }

  get connectionId(): string | null {
    return this.current === "CONNECTED" && this.connection ? this.connection.connectionId : null;
  }

  get currentUrl(): string | null {
    return this.url;
  }

  metrics(): ClientMetrics {
    return this.stats.snapshot(this.outbox.depth);
  }

  onStateChange(handler: ((change: StateChange) => void) | null): this {
    this.handlers.state = handler;
    return this;
  }

  onMessage(handler: ((frame: Record<string, unknown>) => void) | null): this {
    this.handlers.message = handler;
    return this;
  }

  onError(handler: ((error: Error) => void) | null): this {
    this.handlers.error = handler;
    return this;
  }

  onConnected(handler: (() => void) | null): this {
    this.handlers.connected = handler;
    return this;
  }

  onReconnect(handler: ((attempt: ReconnectAttempt) => void) | null): this {
    this.handlers.reconnect = handler;
    return this;
  }

  onResync(handler: ((resync: Resync) => void) | null): this {
    this.handlers.resync = handler;
    return this;
  }

  // ---- the session ----------------------------------------------------------------------------

  connect(): Promise<void> {
    switch (this.current) {
      case "CONNECTED":
        return Promise.resolve();
      case "CONNECTING":
      case "RECONNECTING":
        return (this.connecting ??= deferred()).promise;
      case "CLOSING":
        return Promise.reject(
          new Error("WebSocket is CLOSING - cannot connect before disconnect() has completed"),
        );
    }
    this.everOpened = false;
    this.sessionId = newSessionId();
    this.schedule.startSession();
    this.url = this.schedule.current();
    const connecting = (this.connecting = deferred());
    this.setState("CONNECTING");
    // A state handler may have ended the session already.
    if ((this.current as ConnectionState) === "CONNECTING") this.start(this.url);
    return connecting.promise;
  }

  disconnect(): Promise<void> {
    switch (this.current) {
      case "CLOSING":
        return this.closing!.promise;
      case "DISCONNECTED":
        this.setState("CLOSED");
        return Promise.resolve();
      case "CLOSED":
      case "FAILED":
        return Promise.resolve();
    }
    const closing = (this.closing = deferred());
    this.cancelAttempts();
    this.setState("CLOSING");
    this.outbox.failAll(Reasons.cannotSend("CLOSING"));
    this.failConnecting(new Error("disconnect() was called before the connection opened"));
    const open = this.connection;
    if (!open) {
      this.finishClose();
    } else {
      this.stopHeartbeat();
      this.closeTimer = setTimeout(() => this.finishClose(), this.settings.closeTimeoutMs);
      open.close(1000, "client disconnect");
    }
    return closing.promise;
  }

  /** One attempt: the token, the upgrade and the `welcome`, within `connectionTimeoutMs`. */
  private start(url: string): void {
    this.cancelAttempts();
    const timeoutMs = this.settings.connectionTimeoutMs;
    const marker = {};
    let attempt: Connection | object = marker;
    this.attempt = marker as Connection;
    this.attemptTimer = setTimeout(() => {
      if (this.attempt !== attempt) return;
      this.attempt = null;
      if (attempt instanceof Connection) attempt.abandon(1000, "connect timeout");
      this.attemptFailed(new Error(`the connection did not open within ${timeoutMs} ms`));
    }, timeoutMs);
    this.token().then(
      (token) => {
        if (this.attempt !== attempt) return;
        let target = withParameter(url, "session", this.sessionId);
        let headers: Record<string, string> | null = { ...this.settings.headers };
        if (token != null && this.settings.tokenIn === "query") {
          target = withParameter(target, "token", token);
        } else if (token != null) {
          headers.Authorization = "Bearer " + token;
        }
        if (this.settings.tokenIn === "query" && Object.keys(headers).length === 0) headers = null;
        try {
          const connection: Connection = new Connection(
            this.settings.WebSocket,
            target,
            this.settings.subprotocols,
            headers,
            this.stats,
            {
              onText: (from, text, frame) => this.onText(from, text, frame),
              onClosed: (from, code, reason) => this.onClosed(from, code, reason),
            },
            (failure) => this.attemptSettled(connection, failure),
          );
          this.attempt = attempt = connection;
        } catch (e) {
          this.attemptSettled(attempt, e as Error);
        }
      },
      (failure) => this.attemptSettled(attempt, failure instanceof Error ? failure : new Error(String(failure))),
    );
  }

  private token(): Promise<string | null | undefined> {
    const supplier = this.settings.authToken;
    if (!supplier) return Promise.resolve(null);
    try {
      return Promise.resolve(supplier());
    } catch (e) {
      return Promise.reject(e);
    }
  }

  private attemptSettled(attempt: unknown, failure: Error | null): void {
    if (this.attempt !== attempt) return;
    this.attempt = null;
    this.clearTimer("attemptTimer");
    if (failure) {
      if (attempt instanceof Connection) attempt.abandon(1000, "connect attempt failed");
      this.attemptFailed(failure);
    } else {
      this.opened(attempt as Connection);
    }
  }

  private attemptFailed(cause: Error): void {
    if (cause instanceof ConnectionClosed && cause.final) {
      this.fail(new Error(`the server refused the connection: ${cause.message}; not reconnecting`));
    } else if (this.settings.reconnectMode === "NONE") {
      this.fail(new Error(`connect failed: ${cause.message}`));
    } else {
      this.error(new Error(`connect attempt to ${this.url} failed: ${cause.message}`));
      this.scheduleReconnect(cause);
    }
  }

  private scheduleReconnect(last: Error): void {
    const next = this.schedule.next();
    if (!next) {
      this.fail(
        new Error(
          `gave up after ${this.schedule.maxAttempts} reconnect attempt(s); the last failure: ${last.message}`,
        ),
      );
      return;
    }
    this.url = next.url;
    this.emit(this.handlers.reconnect, next);
    if (this.current === "CONNECTING" || this.current === "RECONNECTING") {
      this.reconnectTimer = setTimeout(() => {
        this.reconnectTimer = null;
        this.start(next.url);
      }, Math.max(1, next.delayMs));
    }
  }

  /** The connection is open: re-join, re-send, heartbeat, flush, then `CONNECTED`. */
  private opened(connection: Connection): void {
    const isReconnect = this.everOpened;
    this.everOpened = true;
    const failover = this.schedule.opened();
    this.connection = connection;
    this.stats.connected(isReconnect, failover);
    if (this.settings.reconnectMode === "STATEFUL") this.rejoinAll(connection);
    this.resends.writeAll(connection);
    this.heartbeat = new Heartbeat(
      connection,
      this.settings.heartbeatIntervalMs,
      this.settings.pongTimeoutMs,
      this.stats,
      (from) => this.dead(from),
    );
    // Flushed before CONNECTED is announced: what a handler sends then comes after the queue.
    this.outbox.opened(connection);
    this.setState("CONNECTED");
    if (this.current === "CONNECTED") this.emit(this.handlers.message, connection.welcome!);
    if (this.current === "CONNECTED") this.emit(this.handlers.connected, undefined);
    if (this.connecting && this.current === "CONNECTED") {
      const done = this.connecting;
      this.connecting = null;
      done.resolve();
    }
  }

  // ---- an open connection ---------------------------------------------------------------------

  private onText(from: Connection, text: string, frame: Record<string, unknown> | null): void {
    if (from !== this.connection) return;
    if (!frame || typeof frame.type !== "string") {
      this.error(new Error(`the server sent a frame that breaks the protocol: ${text.slice(0, 200)}`));
      return;
    }
    let forApplication = true;
    switch (frame.type) {
      case "pong":
        forApplication = !this.heartbeat?.onPong(frame.id);
        break;
      case "ack":
      case "subscription_confirmed":
      case "left":
      case "history":
      case "presence":
        this.replies.answer(frame);
        break;
      case "error":
      case "ERROR":
        if (!this.replies.answer(frame)) this.error(errorOf(frame)!);
        break;
      case "message":
        this.channels.deliver(frame);
        break;
    }
    if (forApplication) this.emit(this.handlers.message, frame);
    if (from !== this.connection) return;
    if (frame.type === "server_shutdown") this.onServerShutdown(from, frame);
    else if (frame.type === "token_expiring") this.refreshToken(from);
  }

  private onServerShutdown(from: Connection, frame: Record<string, unknown>): void {
    const suggested = (frame.data as { reconnectAfterMs?: unknown } | null)?.reconnectAfterMs;
    const after = typeof suggested === "number" && suggested >= 0 ? suggested : null;
    if (after !== null) this.schedule.suggest(after);
    // The server reads nothing more from this socket: stop using it now rather than at its close.
    from.abandon(1001, "server shutting down");
    this.lost(
      new ConnectionClosed(
        "connection lost: the server is shutting down" + (after !== null ? ` (reconnect after ${after} ms)` : ""),
        1001,
      ),
    );
  }

  private refreshToken(from: Connection): void {
    if (!this.settings.authToken) {
      this.error(
        new Error(
          "the server says the connection's token expires soon, and no authToken supplier is set to refresh it; the server will close the connection with 4004",
        ),
      );
      return;
    }
    this.token().then(
      (token) => {
        if (from.abandoned) return;
        if (token == null) {
          this.error(new Error("token refresh failed: the authToken supplier answered no token"));
          return;
        }
        from.write(JSON.stringify({ type: "refresh", id: "sb-refresh-" + ++this.refreshes, data: { token } }));
      },
      (e) => this.error(new Error(`token refresh failed: ${e instanceof Error ? e.message : String(e)}`)),
    );
  }

  private onClosed(from: Connection, code: number, reason: string): void {
    if (from !== this.connection) return;
    this.lost(new ConnectionClosed(`connection lost: closed with ${describeClose(code, reason)}`, code));
  }

  /** The heartbeat found the server silent: drop the connection and treat it as lost. */
  private dead(from: Connection): void {
    if (from !== this.connection) return;
    from.abandon(4001, "heartbeat timeout");
    this.lost(
      new ConnectionClosed(
        `connection lost: no frame from the server within ${this.settings.pongTimeoutMs} ms of a heartbeat ping`,
        1006,
      ),
    );
  }

  private lost(cause: ConnectionClosed): void {
    this.connection = null;
    this.stopHeartbeat();
    this.stats.disconnected();
    if (this.current === "CLOSING") {
      this.finishClose();
    } else if (cause.final) {
      this.fail(
        new Error(`the server closed the connection: ${cause.message.replace("connection lost: ", "")}; not reconnecting`),
      );
    } else if (this.settings.reconnectMode === "NONE") {
      this.end("CLOSED", cause);
    } else {
      // The state changes before any waiter hears of the loss: what they send must be queued.
      this.setState("RECONNECTING");
      this.replies.connectionLost();
      if (this.settings.reconnectMode === "STATELESS") {
        this.channels.endConfirmed(new Error("the connection was lost (STATELESS mode)"));
      }
      this.error(cause);
      if (this.current === "RECONNECTING") this.scheduleReconnect(cause);
    }
  }

  // ---- ends of a session ----------------------------------------------------------------------

  private finishClose(): void {
    if (this.current !== "CLOSING") return;
    const done = this.closing!;
    this.end("CLOSED", null);
    done.resolve();
  }

  private fail(cause: Error): void {
    this.end("FAILED", cause);
  }

  /** Ends the session: stops every timer, drops the connection, fails what waits, ends channels. */
  private end(final: "CLOSED" | "FAILED", cause: Error | null): void {
    this.cancelAttempts();
    this.clearTimer("closeTimer");
    const open = this.connection;
    this.connection = null;
    this.stopHeartbeat();
    if (open) {
      open.abandon(1000, "client closed");
      this.stats.disconnected();
    }
    this.setState(final);
    const reason = Reasons.cannotSend(final);
    this.outbox.failAll(reason);
    this.resends.clear();
    this.replies.closeAll(reason);
    this.channels.endAll(new Error(reason));
    if (cause) this.error(cause);
    this.failConnecting(cause ?? new Error(reason));
  }

  private failConnecting(cause: Error): void {
    const pending = this.connecting;
    this.connecting = null;
    pending?.reject(cause);
  }

  private cancelAttempts(): void {
    this.clearTimer("reconnectTimer");
    this.clearTimer("attemptTimer");
    const attempt = this.attempt;
    this.attempt = null;
    if (attempt instanceof Connection) attempt.abandon(1000, "connect attempt cancelled");
  }

  private clearTimer(name: "reconnectTimer" | "attemptTimer" | "closeTimer"): void {
    const timer = this[name];
    if (timer !== null) clearTimeout(timer);
    this[name] = null;
  }

  private stopHeartbeat(): void {
    this.heartbeat?.stop();
    this.heartbeat = null;
  }

  private setState(next: ConnectionState): void {
    const previous = this.current;
    if (previous === next) return;
    this.current = next;
    this.emit(this.handlers.state, { previous, current: next });
  }

  // ---- sending --------------------------------------------------------------------------------

  /** Why a frame cannot go out now (the send table), or null when it is written or queued. */
  private refusal(options: SendOptions): string | null {
    switch (this.current) {
      case "DISCONNECTED":
        return NOT_INITIALIZED;
      case "CONNECTED":
        return null;
      case "CONNECTING":
      case "RECONNECTING":
        return (options.queue ?? true) && this.settings.enableMessageBuffering
          ? null
          : Reasons.queueingDisabled(this.current);
      default:
        return Reasons.cannotSend(this.current);
    }
  }

  /** Writes, queues or refuses a frame; answers its queue id when it was queued. */
  private submit(frame: object, options: SendOptions, callback: Written): number | null {
    const refused = this.refusal(options);
    if (refused !== null) {
      callback.done(false, refused);
      return null;
    }
    if (this.current === "CONNECTED" && this.connection) {
      this.outbox.write(this.connection, frame, callback);
      return null;
    }
    return this.outbox.enqueue(frame, timeoutOf(options), callback);
  }

  send(message: object, options: SendOptions = {}): Promise<SendResult> {
    return new Promise((resolve) => {
      if (this.current === "DISCONNECTED") {
        resolve({ success: false, reason: NOT_INITIALIZED });
      } else if (message === null || typeof message !== "object" || Object.keys(message).length === 0) {
        resolve({ success: false, reason: EMPTY_MESSAGE });
      } else {
        this.submit(message, options, { done: (success, reason) => resolve({ success, reason }) });
      }
    });
  }

  publish(channel: string, data: unknown, options: SendOptions = {}): Promise<SendResult> {
    return new Promise((resolve) => {
      const done = (success: boolean, reason: string) => resolve({ success, reason });
      if (this.current === "DISCONNECTED") return done(false, NOT_INITIALIZED);
      const refused = channelRefusal(channel);
      if (refused) return done(false, Reasons.rejected(refused.code, refused.message));
      const timeoutMs = timeoutOf(options);
      const id = this.replies.newId("pub");
      const order = ++this.published;
      const frame = { type: "publish", id, channel, data: data === undefined ? null : data };
      let text = "";
      this.replies.register(id, {
        answered: (answer) => {
          const error = errorOf(answer);
          done(!error, error ? Reasons.rejected(error.code, error.message) : ACKNOWLEDGED);
        },
        timedOut: () => done(false, Reasons.ackTimeout(timeoutMs)),
        // Written again, with its id, on the session's next connection; its timeout still counts
        // from the first write.
        connectionLost: () => {
          this.resends.add(order, id, text, timeoutMs);
          return true;
        },
        closed: () => done(false, CONNECTION_LOST),
      });
      this.submit(
        frame,
        options,
        this.replies.onWriteAgainIfLost(
          id,
          timeoutMs,
          (reason) => done(false, reason),
          () => (text = JSON.stringify(frame)),
        ),
      );
    });
  }

  join(channel: string, handler: (message: ChannelMessage) => void): Promise<Subscription> {
    const invalid = channelRefusal(channel);
    if (invalid) return Promise.reject(invalid);
    if (this.channels.get(channel)) {
      return Promise.reject(
        new ProtocolError("already_subscribed", `already subscribed to channel '${channel}'`),
      );
    }
    const refused = this.refusal({});
    if (refused !== null) return Promise.reject(new Error(refused));
    const subscription = new SubscriptionImpl(channel, handler, (name) => this.leave(name));
    this.channels.add(subscription);
    const id = (subscription.joinId = this.replies.newId("join"));
    this.replies.register(id, this.joinWaiter(subscription));
    const queued = this.submit(
      joinFrame(id, channel, null),
      {},
      this.replies.onWrite(
        id,
        JOIN_TIMEOUT_MS,
        (reason) => {
          subscription.queuedId = null;
          this.channels.remove(subscription, new Error(reason));
        },
        () => (subscription.queuedId = null),
      ),
    );
    if (queued !== null) subscription.queuedId = queued;
    return subscription.joined;
  }

  private joinWaiter(subscription: SubscriptionImpl): Waiter {
    return {
      answered: (frame) => {
        const error = errorOf(frame);
        if (error) this.channels.remove(subscription, error);
        else this.channels.confirmed(subscription, frame, null);
      },
      timedOut: () =>
        this.channels.remove(
          subscription,
          new Error(
            `Timeout waiting for the server to confirm the join of '${subscription.channel}' (${JOIN_TIMEOUT_MS}ms)`,
          ),
        ),
      connectionLost: () => {
        if (this.settings.reconnectMode === "STATEFUL") return true; // written again on the next connection
        subscription.joinId = null;
        this.channels.remove(subscription, new Error("Connection lost before the join was confirmed"));
        return false;
      },
      closed: (reason) => this.channels.remove(subscription, new Error(reason)),
    };
  }

  /**
   * STATEFUL mode's first step on a new connection: every channel joined again, with the same
   * handler; a confirmed one `since` its last position, one still unconfirmed under its own id.
   */
  private rejoinAll(connection: Connection): void {
    for (const subscription of this.channels.all()) {
      if (subscription.queuedId !== null) continue; // the flush sends it
      let id = subscription.joinId;
      let since: StreamPosition | null = null;
      if (id === null || !this.replies.isWaiting(id)) {
        since = subscription.position;
        id = this.replies.newId("rejoin");
        this.replies.register(id, this.rejoinWaiter(subscription, since));
      }
      if (connection.write(JSON.stringify(joinFrame(id, subscription.channel, since))) === null) {
        this.replies.written(id, JOIN_TIMEOUT_MS);
      }
    }
  }

  private rejoinWaiter(subscription: SubscriptionImpl, since: StreamPosition | null): Waiter {
    return {
      answered: (frame) => {
        const error = errorOf(frame);
        if (!error) {
          this.channels.confirmed(subscription, frame, since);
          return;
        }
        this.channels.remove(subscription, error);
        this.error(
          new Error(
            `re-joining channel '${subscription.channel}' after a reconnect was refused: ${Reasons.rejected(error.code, error.message)}`,
          ),
        );
      },
      timedOut: () =>
        this.error(
          new Error(
            `re-joining channel '${subscription.channel}' after a reconnect was not confirmed within ${JOIN_TIMEOUT_MS} ms`,
          ),
        ),
      connectionLost: () => false, // the next connection re-joins it again
      closed: () => {},
    };
  }

  history(channel: string, limit: number, since: StreamPosition | null = null): Promise<History> {
    if (!Number.isInteger(limit) || limit < 1) {
      return Promise.reject(new RangeError(`limit must be at least 1, was ${limit}`));
    }
    const data = since ? { limit, since: { offset: since.offset, epoch: since.epoch } } : { limit };
    return this.ask("history", channel, data, (answer) => readHistory(channel, answer));
  }

  presence(channel: string): Promise<Presence> {
    return this.ask("presence", channel, null, (answer) => readPresence(channel, answer));
  }

  /** A question about a channel, written now if connected; resolves with its answer read. */
  private ask<T>(
    type: "history" | "presence",
    channel: string,
    data: object | null,
    read: (answer: Record<string, unknown>) => T,
  ): Promise<T> {
    const invalid = channelRefusal(channel);
    if (invalid) return Promise.reject(invalid);
    if (this.current !== "CONNECTED") {
      return Promise.reject(new Error(`${type} needs a connection; the client is ${this.current}`));
    }
    return new Promise((resolve, reject) => {
      const id = this.replies.newId(type);
      this.replies.register(
        id,
        questionWaiter(
          channel,
          JOIN_TIMEOUT_MS,
          (frame) => {
            const error = errorOf(frame);
            if (error) reject(error);
            else resolve(read((frame.data ?? {}) as Record<string, unknown>));
          },
          reject,
        ),
      );
      this.submit(
        data ? { type, id, channel, data } : { type, id, channel },
        { queue: false },
        this.replies.onWrite(id, JOIN_TIMEOUT_MS, (reason) => reject(new Error(reason))),
      );
    });
  }

  leave(channel: string): Promise<void> {
    const subscription = this.channels.get(channel);
    if (!subscription) {
      return Promise.reject(
        new ProtocolError("not_subscribed", `not subscribed to channel '${channel}'; join it first`),
      );
    }
    const left = new Error("the channel was left before the server confirmed the join");
    if (subscription.queuedId !== null) {
      // The join never went out: nothing to undo on the server.
      this.outbox.cancel(subscription.queuedId);
      this.replies.forget(subscription.joinId!);
      this.channels.remove(subscription, left);
      return Promise.resolve();
    }
    this.channels.remove(subscription, left);
    if (this.current !== "CONNECTED") {
      if (subscription.joinId !== null) this.replies.forget(subscription.joinId);
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => {
      const id = this.replies.newId("leave");
      this.replies.register(id, {
        answered: (frame) => {
          const error = errorOf(frame);
          if (error) reject(error);
          else resolve();
        },
        timedOut: () =>
          reject(new Error(`Timeout waiting for the server to confirm leaving '${channel}' (${JOIN_TIMEOUT_MS}ms)`)),
        connectionLost: () => {
          resolve(); // the next connection does not join the channel
          return false;
        },
        closed: () => resolve(),
      });
      this.submit(
        { type: "leave", id, channel },
        {},
        this.replies.onWrite(id, JOIN_TIMEOUT_MS, (reason) => reject(new Error(reason))),
      );
    });
  }

  // ---- events ---------------------------------------------------------------------------------

  private error(cause: Error): void {
    this.stats.errorCount++;
    try {
      this.handlers.error?.(cause);
    } catch {
      // an error handler that throws has nowhere else to report to
    }
  }

  private resync(event: Resync): void {
    this.stats.resyncCount++;
    if (this.handlers.resync) {
      this.emit(this.handlers.resync, event);
    } else {
      this.error(
        new Error(
          `channel '${event.channel}' needs a resync (${event.reason} from ${format(event.from)} to ${format(event.to)}) and no onResync handler is set`,
        ),
      );
    }
  }

  /** Calls an application handler, reporting what it throws as an error. */
  private emit<T>(handler: ((event: T) => void) | null | undefined, event: T): void {
    if (!handler) return;
    try {
      handler(event);
    } catch (e) {
      this.error(new Error(`a client handler threw: ${e instanceof Error ? e.message : String(e)}`));
    }
  }
}

function timeoutOf(options: SendOptions): number {
  const timeoutMs = options.timeoutMs ?? DEFAULTS.sendTimeoutMs;
  if (!(timeoutMs > 0)) throw new Error(`timeoutMs must be > 0, was ${timeoutMs}`);
  return timeoutMs;
}

interface Deferred {
  promise: Promise<void>;
  resolve(): void;
  reject(cause: Error): void;
}

function deferred(): Deferred {
  const d = {} as Deferred;
  d.promise = new Promise<void>((resolve, reject) => {
    d.resolve = resolve;
    d.reject = reject;
  });
  return d;
}

import type { ReconnectMode } from "./types.js";

/** What a WebSocket constructor must offer: the browser's global one, or `ws` in Node. */
export interface WebSocketLike {
  readonly readyState: number;
  onopen: ((event: unknown) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
  onerror: ((event: unknown) => void) | null;
  onclose: ((event: { code: number; reason: string }) => void) | null;
  send(data: string): void;
  close(code?: number, reason?: string): void;
}

export type WebSocketConstructor = new (
  url: string,
  protocols?: string[],
  options?: { headers?: Record<string, string> },
) => WebSocketLike;

/**
 * The client's options; every one is optional. Times in milliseconds. The defaults are those of
 * the Java SDK's `ClientOptions` (`DEFAULTS` below).
 */
export interface ClientOptions {
  /** The server's `ws://` or `wss://` URL; ignored when `urls` is given. */
  url?: string;
  /** Several servers, tried in order for failover; see the README's "Several servers". */
  urls?: string[];
  /** Attempts after a lost connection (or a failed first one) before `FAILED`; 0 is unlimited. */
  maxReconnectAttempts?: number;
  reconnectInitialDelayMs?: number;
  reconnectMaxDelayMs?: number;
  /** Spread the delays downwards by up to a quarter. */
  jitter?: boolean;
  /** Source of the jitter, a number in [0, 1) like `Math.random` (seed it in tests). */
  random?: () => number;
  reconnectMode?: ReconnectMode;
  /** Ping interval; 0 disables the periodic pings (one ping still follows each `welcome`). */
  heartbeatIntervalMs?: number;
  /** How long after a ping some frame must arrive before the connection is taken for dead. */
  pongTimeoutMs?: number;
  /** One attempt: token, upgrade and `welcome` together. */
  connectionTimeoutMs?: number;
  /** How long `disconnect()` waits for the server's close. */
  closeTimeoutMs?: number;
  /** Messages that may wait for a connection. */
  maxBufferedMessages?: number;
  /** Whether messages may wait for a connection at all. */
  enableMessageBuffering?: boolean;
  /** Offered in `Sec-WebSocket-Protocol`: `["switchboard.v1"]` or nothing. */
  subprotocols?: string[];
  /**
   * Called before every attempt and on `token_expiring` (the new token goes in a `refresh` frame);
   * null or undefined sends none.
   */
  authToken?: () => string | null | undefined | Promise<string | null | undefined>;
  /**
   * How the token travels: `header` (`Authorization: Bearer`, Node with an injected constructor)
   * or `query` (`?token=`, browsers, which cannot set headers on a WebSocket). Default: `header`
   * when `WebSocket` is given, else `query`.
   */
  tokenIn?: "header" | "query";
  /** Extra upgrade headers (Node with an injected constructor only; browsers cannot set them). */
  headers?: Record<string, string>;
  /** The WebSocket constructor, e.g. `ws`'s default export in Node; the global one otherwise. */
  WebSocket?: WebSocketConstructor;
}

/** The defaults, as the Java SDK's `ClientOptions.DEFAULT_*`. */
export const DEFAULTS = {
  url: "ws://localhost:8080/ws",
  maxReconnectAttempts: 0,
  reconnectInitialDelayMs: 1000,
  reconnectMaxDelayMs: 30000,
  jitter: true,
  reconnectMode: "STATEFUL" as ReconnectMode,
  heartbeatIntervalMs: 30000,
  pongTimeoutMs: 10000,
  connectionTimeoutMs: 10000,
  closeTimeoutMs: 5000,
  maxBufferedMessages: 1000,
  enableMessageBuffering: true,
  sendTimeoutMs: 5000,
};

/** Options with every default filled in and every rule checked. */
export interface Settings {
  urls: string[];
  maxReconnectAttempts: number;
  reconnectInitialDelayMs: number;
  reconnectMaxDelayMs: number;
  jitter: boolean;
  random: () => number;
  reconnectMode: ReconnectMode;
  heartbeatIntervalMs: number;
  pongTimeoutMs: number;
  connectionTimeoutMs: number;
  closeTimeoutMs: number;
  maxBufferedMessages: number;
  enableMessageBuffering: boolean;
  subprotocols: string[];
  authToken?: ClientOptions["authToken"];
  tokenIn: "header" | "query";
  headers: Record<string, string>;
  WebSocket: WebSocketConstructor;
}

/**
 * Fills in the defaults and checks the rules.
 *
 * @throws Error naming the option and the rule, as the Java SDK's `IllegalArgumentException`s do
 */
export function settle(options: ClientOptions): Settings {
  const number = (name: keyof typeof DEFAULTS, min: number): number => {
    const value = (options as Record<string, unknown>)[name] ?? DEFAULTS[name];
    if (typeof value !== "number" || !Number.isInteger(value) || value < min) {
      throw new Error(`${name} must be >= ${min}, was ${String(value)}`);
    }
    return value;
  };
  const ctor =
    options.WebSocket ?? (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket;
  if (!ctor) {
    throw new Error(
      "WebSocket must be given in options (e.g. the 'ws' package in Node), no global WebSocket was found",
    );
  }
  const settings: Settings = {
    urls: checkUrls(options.urls ?? [options.url ?? DEFAULTS.url]),
    maxReconnectAttempts: number("maxReconnectAttempts", 0),
    reconnectInitialDelayMs: number("reconnectInitialDelayMs", 1),
    reconnectMaxDelayMs: number("reconnectMaxDelayMs", 1),
    jitter: options.jitter ?? DEFAULTS.jitter,
    random: options.random ?? Math.random,
    reconnectMode: options.reconnectMode ?? DEFAULTS.reconnectMode,
    heartbeatIntervalMs: number("heartbeatIntervalMs", 0),
    pongTimeoutMs: number("pongTimeoutMs", 1),
    connectionTimeoutMs: number("connectionTimeoutMs", 1),
    closeTimeoutMs: number("closeTimeoutMs", 1),
    maxBufferedMessages: number("maxBufferedMessages", 1),
    enableMessageBuffering: options.enableMessageBuffering ?? DEFAULTS.enableMessageBuffering,
    subprotocols: options.subprotocols ?? [],
    authToken: options.authToken,
    tokenIn: options.tokenIn ?? (options.WebSocket ? "header" : "query"),
    headers: options.headers ?? {},
    WebSocket: ctor,
  };
  if (!["STATEFUL", "STATELESS", "NONE"].includes(settings.reconnectMode)) {
    throw new Error(
      `reconnectMode must be STATEFUL, STATELESS or NONE, was ${String(settings.reconnectMode)}`,
    );
  }
  if (settings.reconnectMaxDelayMs < settings.reconnectInitialDelayMs) {
    throw new Error(
      `reconnectMaxDelayMs must be >= reconnectInitialDelayMs (${settings.reconnectInitialDelayMs}), was ${settings.reconnectMaxDelayMs}`,
    );
  }
  return settings;
}

function checkUrls(urls: string[]): string[] {
  if (urls.length === 0) {
    throw new Error("urls must hold at least one URL, was []");
  }
  const seen: string[] = [];
  urls.forEach((url, i) => {
    let parsed: URL | null = null;
    try {
      parsed = new URL(url);
    } catch {
      // reported below
    }
    if (!parsed || (parsed.protocol !== "ws:" && parsed.protocol !== "wss:") || !parsed.hostname) {
      throw new Error(`urls[${i}] must be an absolute ws:// or wss:// URL with a host, was '${url}'`);
    }
    // URL normalises the host's case and drops the scheme's default port: ws://a/ws = ws://A:80/ws.
    const key = parsed.protocol + "//" + parsed.host + parsed.pathname + parsed.search;
    const other = seen.findIndex((s) => s === key);
    if (other >= 0) {
      throw new Error(
        `urls[${i}] must not repeat a URL, was '${url}', listed already as '${urls[other]}'`,
      );
    }
    seen.push(key);
  });
  return [...urls];
}

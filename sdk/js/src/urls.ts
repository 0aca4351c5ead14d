/**
 * Session names and the query parameters an attempt adds to its URL. A session is 128 random bits
 * in URL-safe base64 (22 characters), as the Java SDK's `SessionIds`: the same on every connection
 * of a session, so that the server recognises a publish re-sent after a reconnect.
 */

export function newSessionId(): string {
  const crypto = (globalThis as { crypto?: { getRandomValues(a: Uint8Array): Uint8Array } })
    .crypto;
  if (!crypto) {
    throw new Error(
      "a global crypto.getRandomValues is required for session ids (Node 18: run with --experimental-global-webcrypto)",
    );
  }
  const bits = crypto.getRandomValues(new Uint8Array(16));
  return btoa(String.fromCharCode(...bits))
    .replace(/\+/g, "-")
    .replace(/\//g, "_")
    .replace(/=+$/, "");
}

/** The URL with `name=value` added to its query, unless the URL names that parameter itself. */
export function withParameter(url: string, name: string, value: string): string {
  const hash = url.indexOf("#");
  const base = hash < 0 ? url : url.slice(0, hash);
  const rest = hash < 0 ? "" : url.slice(hash);
  const q = base.indexOf("?");
  if (q >= 0 && base.slice(q + 1).split("&").some((p) => p === name || p.startsWith(name + "="))) {
    return url;
  }
  return base + (q < 0 ? "?" : "&") + name + "=" + encodeURIComponent(value) + rest;
}

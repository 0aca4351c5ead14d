// The client's session against a real server that needs tokens: the token supplier before every
// attempt (a header in Node, the query parameter as browsers send it), its refresh on
// `token_expiring`, and a server shutdown whose `reconnectAfterMs` is the first delay.
import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { after, before, test } from "node:test";
import WebSocket from "ws";
import { createClient } from "../dist/index.js";
import { Server, waitUntil, within } from "./harness.mjs";

const SECRET = "a-test-secret-of-at-least-32-bytes!!";

/** An HS256 token for `sub`, valid for `seconds`. */
function token(sub, seconds) {
  const part = (o) => Buffer.from(JSON.stringify(o)).toString("base64url");
  const body = `${part({ alg: "HS256", typ: "JWT" })}.${part({ sub, exp: Math.floor(Date.now() / 1000) + seconds })}`;
  return `${body}.${createHmac("sha256", SECRET).update(body).digest("base64url")}`;
}

let server;
before(async () => {
  server = await Server.start({
    auth: { jwtSecret: SECRET, refreshNoticeMs: 59000 },
    shutdown: { reconnectAfterMs: 300 },
  });
});
after(() => server.stop());

test("the token supplier is asked before every attempt, and again to refresh on token_expiring", async () => {
  const supplied = [];
  const client = createClient({
    url: server.url,
    WebSocket,
    reconnectInitialDelayMs: 50,
    jitter: false,
    authToken: async () => {
      supplied.push(Date.now());
      return token("alice", 60); // expires within refreshNoticeMs: token_expiring comes at once
    },
  });
  const frames = [];
  const attempts = [];
  client.onMessage((f) => frames.push(f)).onReconnect((a) => attempts.push(a));
  await client.connect();
  assert.equal(frames[0].data.userId, "alice");
  await waitUntil(() => frames.some((f) => f.type === "refreshed"), "the server to take the refreshed token");
  assert.equal(supplied.length, 2, "one for the attempt, one for the refresh");

  // A server shutdown: its reconnectAfterMs is the first delay, and the next attempt asks for a token.
  await server.stop();
  await waitUntil(() => attempts.length === 1, "the reconnect to be scheduled");
  assert.ok(frames.some((f) => f.type === "server_shutdown" && f.data.reconnectAfterMs === 300));
  assert.deepEqual(attempts[0], { attempt: 1, delayMs: 300, url: server.url });
  await server.start();
  await waitUntil(() => client.state === "CONNECTED", "the reconnect", 20000);
  assert.ok(supplied.length >= 3, `the supplier was asked ${supplied.length} times`);
  await client.disconnect();
});

test("with tokenIn 'query' the token travels as the token query parameter, as from a browser", async () => {
  const client = createClient({ url: server.url, WebSocket, tokenIn: "query", authToken: () => token("bob", 600) });
  const frames = [];
  client.onMessage((f) => frames.push(f));
  await within(client.connect(), "connect");
  assert.equal(frames[0].data.userId, "bob");
  await client.disconnect();
});

test("an upgrade refused with 401 is retried, and the session fails once the attempts are used up", async () => {
  const client = createClient({ url: server.url, WebSocket, maxReconnectAttempts: 1, reconnectInitialDelayMs: 20, authToken: () => "not-a-token" });
  const errors = [];
  client.onError((e) => errors.push(e.message));
  await assert.rejects(within(client.connect(), "the session to fail"), /gave up after 1 reconnect attempt\(s\)/);
  assert.match(errors[0], /Unexpected server response: 401/);
});

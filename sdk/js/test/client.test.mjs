// The client against the real server (the fat jar): every send reason, the queue's flush order,
// reconnects after a kill and a restart, FAILED after the last attempt, the heartbeat finding a
// stopped server, failover between two servers.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import WebSocket from "ws";
import { createClient } from "../dist/index.js";
import { HISTORY_NAMESPACES, Server, freePort, waitUntil, within } from "./harness.mjs";

const FAST = { WebSocket, reconnectInitialDelayMs: 50, reconnectMaxDelayMs: 200, jitter: false };

/** A client recording its states, errors and channel messages. */
function recorded(options) {
  const client = createClient({ ...FAST, ...options });
  const seen = { states: [], errors: [], messages: [], resyncs: [], frames: [], attempts: [] };
  client
    .onStateChange((c) => seen.states.push(c.current))
    .onError((e) => seen.errors.push(e.message))
    .onResync((r) => seen.resyncs.push(r))
    .onReconnect((a) => seen.attempts.push(a))
    .onMessage((f) => seen.frames.push(f));
  const handler = (m) => seen.messages.push(m.data);
  return { client, seen, handler };
}

describe("against one server", () => {
  let server;
  before(async () => {
    server = await Server.start(HISTORY_NAMESPACES);
  });
  after(() => server.stop());

  test("history and presence answer as the Java SDK's do", async () => {
    const { client, handler } = recorded({ url: `${server.url}?userId=hana` });
    await client.connect();
    await client.join("room:asked", handler);
    for (const n of [1, 2, 3]) {
      assert.deepEqual(await client.publish("room:asked", n), { success: true, reason: "Message acknowledged" });
    }

    const last = await client.history("room:asked", 2);
    assert.deepEqual(last.messages.map((m) => m.data), [2, 3]);
    assert.deepEqual(last.messages.map((m) => m.position.offset), [2, 3]);
    assert.equal(last.position.offset, 3);
    assert.equal(last.messages[0].position.epoch, last.position.epoch);
    const after = await client.history("room:asked", 10, { offset: 1, epoch: last.position.epoch });
    assert.deepEqual(after.messages.map((m) => m.data), [2, 3]);
    await assert.rejects(client.history("room:asked", 10, { offset: 1, epoch: "0000000000000000" }), {
      name: "ProtocolError",
      code: "history_unavailable",
    });
    await assert.rejects(client.history("room:asked", 0), { name: "RangeError", message: "limit must be at least 1, was 0" });

    const presence = await client.presence("room:asked");
    assert.equal(presence.count, 1);
    assert.deepEqual(
      presence.members.map((m) => [m.connectionId, m.userId]),
      [[client.connectionId, "hana"]],
    );
    assert.equal(presence.more, false);
    await assert.rejects(client.presence("room:elsewhere"), { code: "not_subscribed" });

    await client.disconnect();
    await assert.rejects(client.history("room:asked", 1), { message: "history needs a connection; the client is CLOSED" });
  });

  test("every row of the send table answers with the Java SDK's reason", async () => {
    const { client } = recorded({ url: server.url, maxBufferedMessages: 2 });
    assert.deepEqual(await client.send({ type: "ping" }), { success: false, reason: "WebSocket client not initialized" });
    assert.deepEqual(await client.publish("room:a", 1), { success: false, reason: "WebSocket client not initialized" });

    const connected = client.connect(); // CONNECTING until the welcome arrives
    assert.equal(client.state, "CONNECTING");
    assert.deepEqual(await client.send({}), { success: false, reason: "Message is empty or null" });
    assert.deepEqual(await client.send({ type: "ping" }, { queue: false }), {
      success: false,
      reason: "WebSocket is CONNECTING and queuing is disabled",
    });
    const queued = [client.send({ type: "ping" }), client.send({ type: "ping" })];
    assert.deepEqual(await client.send({ type: "ping" }), { success: false, reason: "Message queue full (2 messages)" });
    await within(connected, "connect");
    for (const result of await Promise.all(queued)) {
      assert.deepEqual(result, { success: true, reason: "Flushed 2 queued message(s)" });
    }

    assert.deepEqual(await client.send({ type: "ping" }), { success: true, reason: "Message sent successfully" });
    assert.deepEqual(await client.send({ type: "ping", n: 1n }), {
      success: false,
      reason: "Message could not be encoded as JSON: Do not know how to serialize a BigInt",
    });
    assert.deepEqual(await client.publish("room:a", { text: "hi" }), { success: true, reason: "Message acknowledged" });
    const refused = await client.publish("$telemetry", 1);
    assert.equal(refused.success, false);
    assert.match(refused.reason, /^forbidden: /);
    assert.deepEqual(await client.publish("bad channel", 1), {
      success: false,
      reason: "bad_request: field 'channel' may only contain A-Z a-z 0-9 _ : . @ $ -, found ' ' at index 3",
    });

    const closing = client.disconnect();
    assert.deepEqual(await client.send({ type: "ping" }), { success: false, reason: "WebSocket is CLOSING - cannot send message" });
    await within(closing, "disconnect");
    assert.deepEqual(await client.send({ type: "ping" }), { success: false, reason: "WebSocket is CLOSED - cannot send message" });
    assert.deepEqual(await client.publish("room:a", 1), { success: false, reason: "WebSocket is CLOSED - cannot send message" });
  });

  test("a group that waits longer than its timeout fails whole and is never sent", async () => {
    const nowhere = `ws://127.0.0.1:${await freePort()}/ws`;
    const { client } = recorded({ url: nowhere, reconnectInitialDelayMs: 1000, reconnectMaxDelayMs: 1000 });
    client.connect().catch(() => {});
    const results = await Promise.all([client.send({ type: "ping" }, { timeoutMs: 100 }), client.send({ type: "ping" })]);
    for (const result of results) {
      assert.deepEqual(result, { success: false, reason: "Timeout waiting for WebSocket to open (100ms)" });
    }
    assert.equal(client.metrics().queueDepth, 0);
    await client.disconnect();
  });

  test("messages queued while connecting are flushed in order, before what is sent once CONNECTED", async () => {
    const { client: reader, handler, seen } = recorded({ url: server.url });
    await reader.connect();
    await reader.join("room:order", handler);
    const { client: writer } = recorded({ url: server.url });
    const connected = writer.connect();
    const queued = [1, 2, 3].map((n) => writer.send({ type: "publish", channel: "room:order", data: n }));
    writer.onConnected(() => writer.send({ type: "publish", channel: "room:order", data: 4 }));
    await connected;
    assert.deepEqual(
      (await Promise.all(queued)).map((r) => r.reason),
      ["Flushed 3 queued message(s)", "Flushed 3 queued message(s)", "Flushed 3 queued message(s)"],
    );
    await waitUntil(() => seen.messages.length >= 4, "four messages");
    assert.deepEqual(seen.messages, [1, 2, 3, 4]);
    await writer.disconnect();
    await reader.disconnect();
  });

  test("FAILED after the last reconnect attempt", async () => {
    const nowhere = `ws://127.0.0.1:${await freePort()}/ws`;
    const { client, seen } = recorded({ url: nowhere, maxReconnectAttempts: 2 });
    await assert.rejects(within(client.connect(), "the session to fail"), /^Error: gave up after 2 reconnect attempt\(s\); the last failure: /);
    assert.equal(client.state, "FAILED");
    assert.deepEqual(seen.attempts.map((a) => [a.attempt, a.delayMs]), [[1, 50], [2, 100]]);
    assert.deepEqual(await client.send({ type: "ping" }), { success: false, reason: "WebSocket is FAILED - cannot send message" });
  });
});

test("after the server is killed and restarted the client re-joins and delivers what it buffered", async () => {
  const server = await Server.start(HISTORY_NAMESPACES);
  try {
    const { client, seen, handler } = recorded({ url: server.url });
    await client.connect();
    await client.join("room:restart", handler);
    assert.deepEqual(await client.publish("room:restart", "before"), { success: true, reason: "Message acknowledged" });
    await waitUntil(() => seen.messages.length === 1, "the first message");

    await server.kill();
    await waitUntil(() => client.state === "RECONNECTING", "RECONNECTING");
    const buffered = client.send({ type: "publish", channel: "room:restart", data: "buffered" }, { timeoutMs: 30000 });
    const published = client.publish("room:restart", "published", { timeoutMs: 30000 });
    await server.start();

    assert.deepEqual(await within(buffered, "the buffered send", 30000), { success: true, reason: "Flushed 2 queued message(s)" });
    assert.deepEqual(await within(published, "the publish", 30000), { success: true, reason: "Message acknowledged" });
    await waitUntil(() => seen.messages.length === 3, "the buffered messages");
    assert.deepEqual(seen.messages, ["before", "buffered", "published"]);
    // The restarted server's stream has a new epoch: the re-join could not recover.
    assert.equal(seen.resyncs.length, 1);
    assert.equal(seen.resyncs[0].reason, "NOT_RECOVERED");
    assert.deepEqual(seen.resyncs[0].from.offset, 1);
    assert.equal(client.metrics().reconnectionCount, 1);
    assert.deepEqual(seen.states.slice(0, 4), ["CONNECTING", "CONNECTED", "RECONNECTING", "CONNECTED"]);
    await client.disconnect();
  } finally {
    await server.stop();
  }
});

test("the heartbeat finds a stopped server and the client reconnects once it runs again", async () => {
  const server = await Server.start({});
  try {
    const { client, seen } = recorded({ url: server.url, heartbeatIntervalMs: 200, pongTimeoutMs: 300 });
    await client.connect();
    await waitUntil(() => client.metrics().averageLatencyMs !== null, "a heartbeat round trip");
    server.pause();
    await waitUntil(() => client.state === "RECONNECTING", "the heartbeat to give up", 5000);
    assert.ok(
      seen.errors.includes("connection lost: no frame from the server within 300 ms of a heartbeat ping"),
      seen.errors.join("\n"),
    );
    server.resume();
    await waitUntil(() => client.state === "CONNECTED", "the reconnect", 20000);
    await client.disconnect();
  } finally {
    server.resume();
    await server.stop();
  }
});

test("failover: when the first server dies the client moves to the second and re-joins there", async () => {
  const [a, b] = await Promise.all([Server.start({}), Server.start({})]);
  try {
    const { client, seen, handler } = recorded({ urls: [a.url, b.url] });
    await client.connect();
    assert.equal(client.currentUrl, a.url);
    await client.join("news", handler);
    await a.kill();
    await waitUntil(() => client.state === "CONNECTED" && client.currentUrl === b.url, "the move to the second server");
    await waitUntil(() => seen.frames.some((f) => f.type === "subscription_confirmed" && String(f.id).startsWith("sb-rejoin-")), "the re-join");
    await b.broadcast({ channel: "news", type: "HELLO", data: "from b" });
    await waitUntil(() => seen.messages.includes("from b"), "the broadcast through the second server");
    assert.equal(client.metrics().failoverCount, 1);
    assert.equal(seen.attempts[0].url, b.url);
    await client.disconnect();
  } finally {
    await Promise.all([a.stop(), b.stop()]);
  }
});

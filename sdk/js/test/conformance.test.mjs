// The conformance table shared with the Java SDK (sdk/conformance/cases.json, run there by
// ConformanceIT): each case's steps drive this client and a scripted WebSocket server that plays
// the server's frames and checks the client's. See sdk/conformance/README.md for the steps.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import WebSocket, { WebSocketServer } from "ws";
import { createClient } from "../dist/index.js";
import { waitUntil, within } from "./harness.mjs";

const table = JSON.parse(readFileSync(new URL("../../conformance/cases.json", import.meta.url), "utf8"));

/** A WebSocket server on a free port that hands each connection, and its frames, to the script. */
class ScriptedServer {
  constructor() {
    this.connections = [];
    this.wss = new WebSocketServer({ host: "127.0.0.1", port: 0 });
    this.wss.on("connection", (socket, request) => {
      const connection = { socket, frames: [], session: new URL(request.url, "http://x").searchParams.get("session") };
      socket.on("message", (data) => connection.frames.push(JSON.parse(String(data))));
      this.connections.push(connection);
    });
    this.listening = new Promise((r) => this.wss.once("listening", r));
  }

  get url() {
    return `ws://127.0.0.1:${this.wss.address().port}/ws`;
  }

  close() {
    this.wss.clients.forEach((socket) => socket.terminate());
    return new Promise((r) => this.wss.close(r));
  }
}

/** Replaces "$name.field" strings by that field of the frame received as `name`. */
function resolve(value, saved) {
  if (typeof value === "string" && value.startsWith("$")) {
    const [name, field] = value.slice(1).split(".");
    return saved[name][field];
  }
  if (Array.isArray(value)) return value.map((v) => resolve(v, saved));
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolve(v, saved)]));
  }
  return value;
}

for (const kase of table.cases) {
  test(kase.name, async () => {
    const server = new ScriptedServer();
    await server.listening;
    const client = createClient({ ...table.clientOptions, ...kase.options, url: server.url, WebSocket });
    const delivered = {};
    const resyncs = [];
    const results = {};
    const joins = {};
    const saved = {};
    client.onResync((r) => resyncs.push(r));
    let connection = null;
    let read = 0;
    try {
      for (const step of kase.steps) {
        const what = JSON.stringify(step);
        if (step.call === "connect") client.connect().catch(() => {});
        else if (step.call === "disconnect") client.disconnect();
        else if (step.call === "send") results[step.as] = client.send(step.frame, step.options);
        else if (step.call === "publish") results[step.as] = client.publish(step.channel, step.data, step.options);
        else if (step.call === "join") {
          joins[step.as] = client.join(step.channel, (m) => (delivered[m.channel] ??= []).push(m.data));
          joins[step.as].catch(() => {});
        } else if (step.accept) {
          const index = Object.keys(saved).filter((k) => k.startsWith("connection:")).length;
          connection = await waitUntil(() => server.connections[index], what);
          read = 0;
          saved["connection:" + step.accept] = connection;
          if (step.sameSessionAs) {
            assert.ok(connection.session, "the connection names a session");
            assert.equal(connection.session, saved["connection:" + step.sameSessionAs].session, what);
          }
        } else if (step.welcome) connection.socket.send(JSON.stringify(table.welcome));
        else if (step.receive) {
          const frame = await waitUntil(() => {
            while (read < connection.frames.length) {
              const next = connection.frames[read++];
              const heartbeat = next.type === "ping" && String(next.id).startsWith("sb-hb-");
              if (!heartbeat) return next;
            }
            return null;
          }, what);
          for (const [key, expected] of Object.entries(resolve(step.receive, saved))) {
            assert.deepEqual(frame[key], expected, `${what}: field '${key}' of ${JSON.stringify(frame)}`);
          }
          if (step.as) saved[step.as] = frame;
        } else if (step.reply) connection.socket.send(JSON.stringify(resolve(step.reply, saved)));
        else if (step.close) connection.socket.close(step.close);
        else if (step.result) {
          const result = await within(results[step.result], what);
          assert.deepEqual(result, { success: step.success, reason: step.reason }, what);
        } else if (step.joined) await within(joins[step.joined], what);
        else if (step.state) await waitUntil(() => client.state === step.state, what);
        else if (step.delivered) {
          await waitUntil(() => (delivered[step.delivered] ?? []).length >= step.data.length, what);
          assert.deepEqual(delivered[step.delivered], step.data, what);
        } else if (step.resyncs) {
          await waitUntil(() => resyncs.length >= step.resyncs.length, what);
          assert.deepEqual(resyncs, step.resyncs, what);
        } else if (step.metrics) {
          const metrics = client.metrics();
          for (const [key, expected] of Object.entries(step.metrics)) assert.equal(metrics[key], expected, what);
        } else throw new Error(`unknown step ${what}`);
      }
    } finally {
      await client.disconnect();
      await server.close();
    }
  });
}

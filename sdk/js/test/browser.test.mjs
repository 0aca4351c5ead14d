// The client in a real page of headless Chromium (Debian's `chromium`; .ci/run installs it): the
// page loads the minified bundle the build made, connects to the real server, joins, receives a
// broadcast made through the admin API, and survives a server restart. The page reports each step
// to this test's HTTP server; the test waits for those reports, never for a fixed time.
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { Server, waitUntil } from "./harness.mjs";

const BUNDLE = new URL("../dist/switchboard.min.js", import.meta.url);

function chromiumPath() {
  for (const name of [process.env.CHROMIUM, "chromium", "chromium-browser", "google-chrome"]) {
    if (name && spawnSync(name, ["--version"], { stdio: "ignore" }).status === 0) return name;
  }
  throw new Error("no chromium found: install Debian's 'chromium' (.ci/run does) or set CHROMIUM to its path");
}

const page = (wsUrl) => `<!doctype html>
<html><body><script type="module">
import { createClient } from "/switchboard.min.js";
const report = (what, detail) =>
  fetch("/report", { method: "POST", body: JSON.stringify({ what, detail }) });
const client = createClient({
  url: ${JSON.stringify(wsUrl)},
  reconnectInitialDelayMs: 100,
  reconnectMaxDelayMs: 500,
  jitter: false,
});
client.onStateChange((change) => report("state", change.current));
client.onMessage((frame) => {
  if (frame.type === "subscription_confirmed") report("confirmed", frame.id);
});
try {
  await client.connect();
  await client.join("news", (message) => report("message", message.data));
} catch (e) {
  report("failure", String(e));
}
</script></body></html>`;

test("a page in headless Chromium connects, joins, receives a broadcast and survives a server restart", async () => {
  const chromium = chromiumPath();
  const reports = [];
  const http = createServer((request, response) => {
    if (request.url === "/switchboard.min.js") {
      response.writeHead(200, { "Content-Type": "text/javascript" }).end(readFileSync(BUNDLE));
    } else if (request.url === "/report") {
      let body = "";
      request.on("data", (chunk) => (body += chunk));
      request.on("end", () => {
        reports.push(JSON.parse(body));
        response.end();
      });
    } else if (request.url === "/") {
      response.writeHead(200, { "Content-Type": "text/html" }).end(page(server.url));
    } else {
      response.writeHead(404).end();
    }
  });
  await new Promise((r) => http.listen(0, "127.0.0.1", r));
  const origin = `http://127.0.0.1:${http.address().port}`;
  // A browser sends Origin: the server must list the page's.
  const server = await Server.start({ ws: { allowedOrigins: [origin] } });
  const profile = mkdtempSync(join(tmpdir(), "switchboard-chromium-"));
  const browser = spawn(
    chromium,
    ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", `--user-data-dir=${profile}`, `${origin}/`],
    // Its own process group, so that its helper processes go with it.
    { stdio: "ignore", detached: true },
  );
  const seen = (what, detail) => reports.some((r) => r.what === what && (detail === undefined || JSON.stringify(r.detail) === JSON.stringify(detail)));
  try {
    await waitUntil(() => seen("confirmed"), "the page to join 'news'", 30000);
    await server.broadcast({ channel: "news", type: "HELLO", data: { n: 1 } });
    await waitUntil(() => seen("message", { n: 1 }), "the first broadcast in the page");

    await server.stop();
    await waitUntil(() => seen("state", "RECONNECTING"), "the page to notice the restart");
    await server.start();
    await waitUntil(() => reports.filter((r) => r.what === "confirmed").length === 2, "the page to re-join", 30000);
    await server.broadcast({ channel: "news", type: "HELLO", data: { n: 2 } });
    await waitUntil(() => seen("message", { n: 2 }), "the second broadcast in the page");

    assert.deepEqual(
      reports.filter((r) => r.what === "state").map((r) => r.detail),
      ["CONNECTING", "CONNECTED", "RECONNECTING", "CONNECTED"],
    );
    assert.ok(!seen("failure"), JSON.stringify(reports));
  } finally {
    const exited = new Promise((r) => (browser.exitCode !== null ? r() : browser.once("exit", r)));
    process.kill(-browser.pid, "SIGKILL");
    await exited;
    rmSync(profile, { recursive: true, force: true, maxRetries: 20, retryDelay: 50 });
    await server.stop();
    await new Promise((r) => http.close(r));
  }
});

// Test helpers: the real server (the fat jar as a child process), waiting with deadlines, admin
// broadcasts. No fixed sleeps: every wait polls a condition or awaits a promise with a timeout.
import { spawn } from "node:child_process";
import { mkdtempSync, writeFileSync, existsSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
export const JAR = process.env.SWITCHBOARD_JAR ?? resolve(here, "../../../verticles/target/switchboard.jar");

/** Polls `condition` every 10 ms until it is truthy; fails naming `what` after `timeoutMs`. */
export async function waitUntil(condition, what, timeoutMs = 10000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = condition();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** The promise's outcome, or a failure naming `what` after `timeoutMs`. */
export function within(promise, what, timeoutMs = 10000) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)), timeoutMs);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** A TCP port nothing listens on (it was free a moment ago). */
export async function freePort() {
  const server = createServer();
  await new Promise((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address();
  await new Promise((r) => server.close(r));
  return port;
}

/**
 * One Switchboard server: the fat jar with `config` (a configuration file laid over the defaults)
 * on a free WebSocket port and admin port, which a restart keeps.
 */
export class Server {
  constructor(config = {}) {
    this.config = config;
    this.wsPort = 0;
    this.adminPort = 0;
    this.process = null;
    this.output = "";
  }

  static async start(config) {
    const server = new Server(config);
    await server.start();
    return server;
  }

  get url() {
    return `ws://127.0.0.1:${this.wsPort}/ws`;
  }

  get admin() {
    return `http://127.0.0.1:${this.adminPort}`;
  }

  async start() {
    if (!existsSync(JAR)) throw new Error(`${JAR} is missing: build the server first (mvn -B -DskipTests package)`);
    const config = structuredClone(this.config);
    config.ws = { ...config.ws, port: this.wsPort };
    config.admin = { ...config.admin, port: this.adminPort };
    const file = join(mkdtempSync(join(tmpdir(), "switchboard-js-")), "switchboard.json");
    writeFileSync(file, JSON.stringify(config));
    const child = spawn("java", ["-jar", JAR, "--conf", file], { stdio: ["ignore", "pipe", "pipe"] });
    this.process = child;
    this.exited = new Promise((r) => child.once("exit", (code, signal) => r(code ?? signal)));
    const started = new Promise((resolveStarted, reject) => {
      const read = (chunk) => {
        this.output += chunk;
        const m = /switchboard started \[ws: ws:\/\/[^:]+:(\d+)\/ws.*admin: http:\/\/[^:]+:(\d+)/.exec(this.output);
        if (m) {
          this.wsPort = Number(m[1]);
          this.adminPort = Number(m[2]);
          resolveStarted();
        }
      };
      child.stdout.setEncoding("utf8").on("data", read);
      child.stderr.setEncoding("utf8").on("data", read);
      this.exited.then((code) => reject(new Error(`the server exited with ${code}:\n${this.output.slice(-3000)}`)));
    });
    await within(started, "the server to start", 60000);
    this.output = "";
  }

  /** SIGTERM: the server sends `server_shutdown` to every client and exits. */
  async stop() {
    if (!this.process) return;
    this.process.kill("SIGTERM");
    await within(this.exited, "the server to stop", 30000);
    this.process = null;
  }

  /** SIGKILL: the server vanishes without a word. */
  async kill() {
    if (!this.process) return;
    this.process.kill("SIGKILL");
    await within(this.exited, "the server to die", 30000);
    this.process = null;
  }

  /** SIGSTOP / SIGCONT: the server stops answering, its sockets stay open. */
  pause() {
    this.process.kill("SIGSTOP");
  }

  resume() {
    this.process.kill("SIGCONT");
  }

  /** Broadcasts through the admin API; answers its JSON. */
  async broadcast(body) {
    const response = await fetch(`${this.admin}/v1/broadcast`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body),
    });
    const json = await response.json();
    if (!response.ok) throw new Error(`broadcast answered ${response.status}: ${JSON.stringify(json)}`);
    return json;
  }
}

/** A namespace that keeps history, so that a re-join can recover. */
export const HISTORY_NAMESPACES = {
  channels: {
    namespaces: {
      room: { join: "anyone", publish: "anyone", historySize: 100, historyTtlMs: 600000 },
    },
  },
};

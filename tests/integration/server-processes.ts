// Real server processes (`node server/index.ts`, as `npm start` runs it) for the tests of
// issue 14: they share the calling test file's PostgreSQL database and the machine's Redis
// (127.0.0.1:6379) under a prefix of the file's own (scale-out and live-cascade tests).
import { spawn } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { createClient } from "redis";
import { io as connectClient, type Socket as ClientSocket } from "socket.io-client";
import { expect } from "vitest";
import { cookieFor } from "./live-helpers";

const ROOT = path.resolve(import.meta.dirname, "../..");
export const REDIS_URL = "redis://127.0.0.1:6379";

export interface Proc {
  name: string;
  url: string;
  pid: number;
  stderr: () => string;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

export async function freePort(host = "127.0.0.1") {
  const srv = net.createServer();
  await new Promise<void>((r) => srv.listen(0, host, () => r()));
  const port = (srv.address() as net.AddressInfo).port;
  await new Promise((r) => srv.close(r));
  return port;
}

/** The processes, sockets and temporary directory of one test file. */
export function processFleet(opts: { tmpName: string; env: Record<string, string> }) {
  const prefix = `skillrelay-test-${crypto.randomBytes(4).toString("hex")}`;
  // The test process writes through Prisma too: its public-content changes are published like a server's.
  process.env.REDIS_URL = REDIS_URL;
  process.env.REDIS_PREFIX = prefix;
  const procs: Proc[] = [];
  const sockets: ClientSocket[] = [];
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), opts.tmpName));

  async function start(name: string, env: Record<string, string> = {}): Promise<Proc> {
    const host = env.HOST ?? "127.0.0.1";
    const port = await freePort(host);
    const dir = path.join(tmp, name);
    const child = spawn(process.execPath, ["--import", "tsx", "server/index.ts"], {
      cwd: ROOT,
      env: {
        ...process.env,
        PORT: String(port),
        HOST: host,
        // This file's database; no demo seeding (two processes would seed at once).
        DATABASE_URL: process.env.DATABASE_URL,
        SKILLRELAY_DEMO_DATA: "0",
        REDIS_URL,
        REDIS_PREFIX: prefix,
        STORAGE_DIR: path.join(dir, "uploads"),
        MAIL_OUTBOX_DIR: path.join(dir, "outbox"),
        RECORDINGS_DIR: path.join(dir, "recordings"),
        MEDIASOUP_NUM_WORKERS: "1",
        LIVE_LOG_LEVEL: "warn",
        LOG_LEVEL: "warn",
        ...opts.env,
        ...env,
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (d) => (stderr += d));
    child.stdout.on("data", (d) => (stderr += d));
    const exited = new Promise<void>((r) => child.on("exit", () => r()));
    const proc: Proc = {
      name,
      url: `http://${host}:${port}`,
      pid: child.pid!,
      stderr: () => stderr,
      async kill(signal = "SIGTERM") {
        if (child.exitCode === null && child.signalCode === null) child.kill(signal);
        await exited;
      },
    };
    procs.push(proc);
    const deadline = Date.now() + 90_000;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`${name} exited ${child.exitCode}: ${stderr}`);
      const body = await fetch(`${proc.url}/healthz`).then((r) => (r.ok ? r.json() : null), () => null);
      if (body?.redis === "ok") break;
      if (Date.now() > deadline) throw new Error(`${name} not healthy in 90 s: ${JSON.stringify(body)} ${stderr}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    return proc;
  }

  async function connect(proc: Proc, userId: string, cookie?: string): Promise<ClientSocket> {
    const socket = connectClient(proc.url, {
      transports: ["websocket"],
      forceNew: true,
      reconnection: false,
      extraHeaders: { cookie: cookie ?? (await cookieFor(userId)) },
    });
    sockets.push(socket);
    await new Promise<void>((resolve, reject) => {
      socket.once("connect", () => resolve());
      socket.once("connect_error", reject);
    });
    return socket;
  }

  /** Stops everything and deletes the file's Redis keys; a clean shutdown prints no unhandled rejection. */
  async function stop(): Promise<void> {
    for (const s of sockets) s.disconnect();
    await Promise.all(procs.map((p) => p.kill()));
    for (const p of procs) {
      expect(p.stderr(), p.name).not.toMatch(/unhandled|ClientClosedError|Disconnects client|TypeError/i);
    }
    const redis = createClient({ url: REDIS_URL });
    await redis.connect();
    for await (const keys of redis.scanIterator({ MATCH: `${prefix}*`, COUNT: 100 })) if (keys.length) await redis.del(keys);
    await redis.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  }

  return { prefix, procs, start, connect, stop };
}

export async function ok(socket: ClientSocket, event: string, payload?: unknown): Promise<any> {
  const res = (await socket.timeout(8_000).emitWithAck(event, payload)) as { data?: unknown; error?: unknown };
  expect(res.error, `${event}: ${JSON.stringify(res.error)}`).toBeUndefined();
  return res.data;
}

export async function until(check: () => Promise<boolean> | boolean, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 50));
  }
}

// Beyond one process (issue 14, docs/decisions/019-scale-out-redis.md): real server processes
// (`node server/index.ts`, as `npm start` runs it) sharing this file's PostgreSQL database and
// the machine's Redis (127.0.0.1:6379) under a prefix of their own.
//
// What crosses processes here: chat and the whiteboard in a live session, the end of a disabled account's
// sockets, log-in throttling, attendance recovery. A session's room is still per process:
// a host on A and a learner on B are in two rooms of the same session (see docs/operations.md).
import { spawn } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { createClient } from "redis";
import { io as connectClient, type Socket as ClientSocket } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prisma } from "~/domains/db.server";
import { closeRedisClients } from "~/domains/redis.server";
import { cookieFor, makeSession, makeUser } from "./live-helpers";

const ROOT = path.resolve(import.meta.dirname, "../..");
const PREFIX = `skillrelay-test-${crypto.randomBytes(4).toString("hex")}`;
const HEARTBEAT_MS = 400;
// Generous for a loaded two-core machine: a live process must never look dead here.
const STALE_MS = 4_000;
// This test process writes through Prisma too: its public-content changes are published like a server's.
process.env.REDIS_URL = "redis://127.0.0.1:6379";
process.env.REDIS_PREFIX = PREFIX;

interface Proc {
  name: string;
  url: string;
  pid: number;
  stderr: () => string;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

const procs: Proc[] = [];
const sockets: ClientSocket[] = [];
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "skillrelay-scaleout-"));

async function freePort() {
  const srv = net.createServer();
  await new Promise<void>((r) => srv.listen(0, "127.0.0.1", () => r()));
  const port = (srv.address() as net.AddressInfo).port;
  await new Promise((r) => srv.close(r));
  return port;
}

async function startProcess(name: string, env: Record<string, string> = {}): Promise<Proc> {
  const port = await freePort();
  const dir = path.join(tmp, name);
  const child = spawn(process.execPath, ["--import", "tsx", "server/index.ts"], {
    cwd: ROOT,
    env: {
      ...process.env,
      PORT: String(port),
      HOST: "127.0.0.1",
      // This file's database; no demo seeding (two processes would seed at once).
      DATABASE_URL: process.env.DATABASE_URL,
      SKILLRELAY_DEMO_DATA: "0",
      REDIS_URL: "redis://127.0.0.1:6379",
      REDIS_PREFIX: PREFIX,
      LIVE_PROCESS_HEARTBEAT_MS: String(HEARTBEAT_MS),
      LIVE_PROCESS_STALE_MS: String(STALE_MS),
      STORAGE_DIR: path.join(dir, "uploads"),
      MAIL_OUTBOX_DIR: path.join(dir, "outbox"),
      RECORDINGS_DIR: path.join(dir, "recordings"),
      MEDIASOUP_NUM_WORKERS: "1",
      LIVE_LOG_LEVEL: "warn",
      LOG_LEVEL: "warn",
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
    url: `http://127.0.0.1:${port}`,
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

async function ok(socket: ClientSocket, event: string, payload?: unknown): Promise<any> {
  const res = (await socket.timeout(8_000).emitWithAck(event, payload)) as { data?: unknown; error?: unknown };
  expect(res.error, `${event}: ${JSON.stringify(res.error)}`).toBeUndefined();
  return res.data;
}

function next<T = any>(socket: ClientSocket, event: string, timeoutMs = 6_000): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no "${event}" within ${timeoutMs} ms`)), timeoutMs);
    socket.once(event, (payload: T) => {
      clearTimeout(timer);
      resolve(payload);
    });
  });
}

async function until(check: () => Promise<boolean> | boolean, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 50));
  }
}

const openRow = (sessionId: string, userId: string) => prisma.attendance.findFirst({ where: { sessionId, userId, leftAt: null } });

let A: Proc;
let B: Proc;

beforeAll(async () => {
  // Two processes starting together.
  [A, B] = await Promise.all([startProcess("A"), startProcess("B")]);
}, 180_000);

afterAll(async () => {
  for (const s of sockets) s.disconnect();
  await Promise.all(procs.map((p) => p.kill()));
  for (const p of procs) {
    // A clean shutdown: no unhandled rejection or Redis error printed on the way out.
    expect(p.stderr(), p.name).not.toMatch(/unhandled|ClientClosedError|Disconnects client|TypeError/i);
  }
  await closeRedisClients();
  const redis = createClient({ url: "redis://127.0.0.1:6379" });
  await redis.connect();
  for await (const keys of redis.scanIterator({ MATCH: `${PREFIX}*`, COUNT: 100 })) if (keys.length) await redis.del(keys);
  await redis.close();
  fs.rmSync(tmp, { recursive: true, force: true });
}, 60_000);

describe("two processes on one Redis and one PostgreSQL", () => {
  it("both register a heartbeat; /healthz says redis ok", async () => {
    const rows = await prisma.liveProcess.findMany();
    expect(rows.length).toBeGreaterThanOrEqual(2);
    // (Polled: a health check on a loaded machine may miss one Redis ping.)
    for (const p of [A, B]) {
      let body: unknown;
      await until(async () => ((body = await (await fetch(`${p.url}/healthz`)).json()) as { status: string }).status === "ok");
      expect(body).toEqual({ status: "ok", database: "ok", media: "ok", redis: "ok" });
    }
  });

  it("chat sent on process A reaches a learner connected to process B, and back", async () => {
    const host = await makeUser("expert");
    const learner = await makeUser("learner");
    const session = await makeSession(host.id, { invite: [learner.id] });
    const hostSocket = await connect(A, host.id);
    const learnerSocket = await connect(B, learner.id);
    await ok(hostSocket, "room:join", { roomId: session.id });
    await ok(learnerSocket, "room:join", { roomId: session.id });

    const onB = next(learnerSocket, "chat:message");
    const sent = await ok(hostSocket, "chat:send", { body: "hello from A" });
    expect((await onB).message).toMatchObject({ id: sent.id, body: "hello from A" });

    const onA = next(hostSocket, "chat:message");
    await ok(learnerSocket, "chat:send", { body: "hello from B" });
    expect((await onA).message).toMatchObject({ body: "hello from B" });

    // Send on A → arrival on B (stored in PostgreSQL first, then through Redis); within the chat burst of 10.
    const ms: number[] = [];
    for (let i = 0; i < 8; i++) {
      const t0 = performance.now();
      const arrived = next(learnerSocket, "chat:message");
      await ok(hostSocket, "chat:send", { body: `m${i}` });
      await arrived;
      ms.push(performance.now() - t0);
    }
    ms.sort((a, b) => a - b);
    console.log(`[measured] chat A → B: median ${ms[4].toFixed(1)} ms, max ${ms[7].toFixed(1)} ms (8 messages)`);
  });

  it("the whiteboard crosses processes: state and ops drawn on A reach a learner on B; B's late joiner gets the board", async () => {
    const host = await makeUser("expert");
    const learner = await makeUser("learner");
    const late = await makeUser("learner");
    const session = await makeSession(host.id, { invite: [learner.id, late.id] });
    const hostSocket = await connect(A, host.id);
    const learnerSocket = await connect(B, learner.id);
    await ok(hostSocket, "room:join", { roomId: session.id });
    await ok(learnerSocket, "room:join", { roomId: session.id });

    const opened = next(learnerSocket, "board:state");
    await ok(hostSocket, "board:set", { open: true });
    expect((await opened).state.open).toBe(true);
    const ms: number[] = [];
    for (let i = 0; i < 8; i++) {
      const t0 = performance.now();
      const arrived = next(learnerSocket, "board:op");
      const { op } = await ok(hostSocket, "board:draw", { page: 0, op: { kind: "stroke", color: 0, width: 1, points: [i, i, 100 + i, 200 + i, 300, 400] } });
      expect((await arrived).op).toEqual(op);
      ms.push(performance.now() - t0);
    }
    ms.sort((a, b) => a - b);
    console.log(`[measured] board op A → B: median ${ms[4]!.toFixed(1)} ms, max ${ms[7]!.toFixed(1)} ms (8 ops)`);
    const laser = next(learnerSocket, "board:laser");
    await ok(hostSocket, "board:laser", { x: 5, y: 6 });
    expect(await laser).toEqual({ by: host.id, x: 5, y: 6 });

    const lateSocket = await connect(B, late.id);
    const joinedLate = await ok(lateSocket, "room:join", { roomId: session.id });
    expect(joinedLate.board.state.open).toBe(true);
    expect(joinedLate.board.ops).toHaveLength(8);
  });

  it("the host's removal and end of the session reach the session's room on the other process", async () => {
    const host = await makeUser("expert");
    const learner = await makeUser("learner");
    const other = await makeUser("learner");
    const session = await makeSession(host.id, { invite: [learner.id, other.id] });
    const hostSocket = await connect(A, host.id);
    await ok(hostSocket, "room:join", { roomId: session.id });
    const learnerOnA = await connect(A, learner.id);
    const learnerPeer = (await ok(learnerOnA, "room:join", { roomId: session.id })).peerId;
    // The same learner with a second tab on B (the session's room there is another one).
    const learnerOnB = await connect(B, learner.id);
    await ok(learnerOnB, "room:join", { roomId: session.id });
    const otherOnB = await connect(B, other.id);
    await ok(otherOnB, "room:join", { roomId: session.id });

    const removedOnB = next(learnerOnB, "room:removed");
    await ok(hostSocket, "host:remove", { peerId: learnerPeer });
    expect(await removedOnB).toEqual({ by: host.name });
    await until(async () => (await prisma.attendance.findFirst({ where: { sessionId: session.id, userId: learner.id, leftAt: null } })) === null, 3_000);
    expect((await prisma.attendance.findMany({ where: { sessionId: session.id, userId: learner.id } })).map((r) => r.closedBy)).toEqual(["removed", "removed"]);

    const endedOnB = next(otherOnB, "room:ended");
    await ok(hostSocket, "host:end", {});
    await endedOnB;
    await until(async () => (await openRow(session.id, other.id)) === null, 3_000);
  });

  it("a disabled account's sockets end on both processes", async () => {
    const admin = await makeUser("admin");
    const learner = await makeUser("learner");
    const other = await makeUser("learner");
    const session = await makeSession(admin.id, { invite: [learner.id, other.id] });
    const cookie = await cookieFor(learner.id);
    const onA = await connect(A, learner.id, cookie);
    const onB = await connect(B, learner.id, cookie);
    const bystander = await connect(B, other.id);
    await ok(onB, "room:join", { roomId: session.id });
    const endedA = next(onA, "session:ended");
    const endedB = next(onB, "session:ended");
    const goneA = next(onA, "disconnect");
    const goneB = next(onB, "disconnect");

    // The admin's request is served by process A.
    const res = await fetch(`${A.url}/admin/users`, {
      method: "POST",
      headers: { Origin: A.url, "Content-Type": "application/x-www-form-urlencoded", cookie: await cookieFor(admin.id) },
      body: new URLSearchParams({ intent: "disable", userId: learner.id, reason: "test" }),
      redirect: "manual",
    });
    expect(res.status).toBe(200);
    expect(await endedA).toEqual({ reason: "disabled" });
    expect(await endedB).toEqual({ reason: "disabled" });
    await Promise.all([goneA, goneB]);
    // B closed the learner's record at once (left), not after the reconnect grace.
    await until(async () => (await openRow(session.id, learner.id)) === null, 3_000);
    const row = await prisma.attendance.findFirst({ where: { sessionId: session.id, userId: learner.id } });
    expect(row?.closedBy).toBe("left");
    expect(bystander.connected).toBe(true);
  });

  it("a third process starting leaves A's and B's open records alone; a killed process's are closed at its last heartbeat", async () => {
    const host = await makeUser("expert");
    const onA = await makeUser("learner");
    const onB = await makeUser("learner");
    const onC = await makeUser("learner");
    const session = await makeSession(host.id, { invite: [onA.id, onB.id, onC.id] });
    await ok(await connect(A, onA.id), "room:join", { roomId: session.id });
    await ok(await connect(B, onB.id), "room:join", { roomId: session.id });
    await until(async () => !!(await openRow(session.id, onA.id)) && !!(await openRow(session.id, onB.id)));

    const C = await startProcess("C");
    await ok(await connect(C, onC.id), "room:join", { roomId: session.id });
    await until(async () => !!(await openRow(session.id, onC.id)));
    // Well past the stale time: heartbeats keep every live process's records open.
    await new Promise((r) => setTimeout(r, STALE_MS * 2));
    expect(await openRow(session.id, onA.id)).not.toBeNull();
    expect(await openRow(session.id, onB.id)).not.toBeNull();
    const cRow = (await openRow(session.id, onC.id))!;
    expect(cRow.processId).toEqual(expect.any(String));

    await C.kill("SIGKILL");
    const last = (await prisma.liveProcess.findUnique({ where: { id: cRow.processId! } }))!.heartbeatAt;
    await until(async () => (await openRow(session.id, onC.id)) === null, STALE_MS + 10 * HEARTBEAT_MS + 5_000);
    const closed = await prisma.attendance.findUnique({ where: { id: cRow.id } });
    expect(closed).toMatchObject({ closedBy: "server_restart" });
    // At C's last heartbeat (read after the kill: no later one can have happened).
    expect(closed!.leftAt!.getTime()).toBe(last.getTime());
    expect(await prisma.liveProcess.findUnique({ where: { id: cRow.processId! } })).toBeNull();
    // The others' records are still open.
    expect(await openRow(session.id, onA.id)).not.toBeNull();
    expect(await openRow(session.id, onB.id)).not.toBeNull();
  }, 120_000);

  it("a process taken for dead (records closed by another) opens new records for the people still present", async () => {
    const host = await makeUser("expert");
    const learner = await makeUser("learner");
    const session = await makeSession(host.id, { invite: [learner.id] });
    await ok(await connect(A, learner.id), "room:join", { roomId: session.id });
    await until(async () => !!(await openRow(session.id, learner.id)));
    const first = (await openRow(session.id, learner.id))!;
    // What another process's recovery does to a process it found silent, in one transaction.
    await prisma.$transaction([
      prisma.$executeRaw`DELETE FROM "LiveProcess" WHERE "id" = ${first.processId}`,
      prisma.$executeRaw`UPDATE "Attendance" SET "leftAt" = "lastSeenAt", "closedBy" = 'server_restart' WHERE "processId" = ${first.processId} AND "leftAt" IS NULL`,
    ]);
    await until(async () => {
      const open = await openRow(session.id, learner.id);
      return !!open && open.id !== first.id;
    }, 10 * HEARTBEAT_MS + 5_000);
    const rows = await prisma.attendance.findMany({ where: { sessionId: session.id, userId: learner.id }, orderBy: { joinedAt: "asc" } });
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatchObject({ id: first.id, closedBy: "server_restart" });
    expect(rows[1]).toMatchObject({ leftAt: null, processId: first.processId });
    expect(await prisma.liveProcess.findUnique({ where: { id: first.processId! } })).not.toBeNull();
  });

  it("log-in throttling is shared: failures on A and B count together (Redis store)", async () => {
    const email = `throttle-${Date.now()}@live.test`;
    await prisma.user.create({ data: { email, name: "Throttled", role: "learner", passwordHash: "x" } });
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) {
      const p = i % 2 ? B : A;
      const r = await fetch(`${p.url}/login`, {
        method: "POST",
        headers: { Origin: p.url, "Content-Type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ login: email, password: "wrong-password" }),
        redirect: "manual",
      });
      statuses.push(r.status);
    }
    // The (account, address) pair allows 10 failures in 15 minutes, whichever process counts them.
    expect(statuses.slice(0, 10)).toEqual(Array(10).fill(401));
    expect(statuses.slice(10)).toEqual([429, 429]);
    const redis = createClient({ url: "redis://127.0.0.1:6379" });
    await redis.connect();
    try {
      const keys: string[] = [];
      for await (const batch of redis.scanIterator({ MATCH: `${PREFIX}:limits:login_pair*`, COUNT: 100 })) keys.push(...batch);
      expect(keys.length).toBeGreaterThanOrEqual(1);
    } finally {
      await redis.close();
    }
  }, 60_000);

  it("a change of public content written elsewhere makes the cached pages of every process stale", async () => {
    const get = (p: Proc) => fetch(`${p.url}/`, { headers: { "Accept-Language": "en" } });
    const author = await makeUser("expert", "Before");
    await get(B);
    await until(async () => (await get(B)).headers.get("x-page-cache") === "hit");
    await new Promise((r) => setTimeout(r, 300));
    expect((await get(B)).headers.get("x-page-cache")).toBe("hit");
    // A name shown on public pages changes (written by this test process, published through Redis).
    await prisma.user.update({ where: { id: author.id }, data: { name: `After ${Date.now()}` } });
    await until(async () => (await get(B)).headers.get("x-page-cache") === null, 3_000);
  });
});

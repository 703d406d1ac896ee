// Beyond one process (issue 14, docs/decisions/019-scale-out-redis.md): real server processes
// (`node server/index.ts`, as `npm start` runs it) sharing this file's PostgreSQL database and
// the machine's Redis (127.0.0.1:6379) under a prefix of their own.
//
// What crosses processes here: chat and the whiteboard in a live session, the end of a disabled account's
// sockets, log-in throttling, attendance recovery. A session's room spans the processes since
// decision 033 (an origin room and edge rooms fed through pipe transports): live-cascade.test.ts.
import { createClient } from "redis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prisma } from "~/domains/db.server";
import { closeRedisClients } from "~/domains/redis.server";
import { cookieFor, makeSession, makeUser, next } from "./live-helpers";
import { ok, processFleet, until, type Proc } from "./server-processes";

const HEARTBEAT_MS = 400;
// Generous for a loaded two-core machine: a live process must never look dead here.
const STALE_MS = 4_000;
const fleet = processFleet({
  tmpName: "skillrelay-scaleout-",
  env: { LIVE_PROCESS_HEARTBEAT_MS: String(HEARTBEAT_MS), LIVE_PROCESS_STALE_MS: String(STALE_MS) },
});
const PREFIX = fleet.prefix;
const startProcess = fleet.start;
const connect = fleet.connect;

const openRow = (sessionId: string, userId: string) => prisma.attendance.findFirst({ where: { sessionId, userId, leftAt: null } });

let A: Proc;
let B: Proc;

beforeAll(async () => {
  // Two processes starting together.
  [A, B] = await Promise.all([startProcess("A"), startProcess("B")]);
}, 180_000);

afterAll(async () => {
  await fleet.stop();
  await closeRedisClients();
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
    // The dead process's row goes right after its records are closed (a separate statement).
    await until(async () => (await prisma.liveProcess.findUnique({ where: { id: cRow.processId! } })) === null, 5_000);
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

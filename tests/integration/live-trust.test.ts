/**
 * Holes of issue 8 in the live rooms, against the REAL server (Express + socket.io + Lucia
 * cookies + mediasoup workers) and this file's own database:
 *   - one person can't fill a room with sockets; concurrent joins can't overfill it;
 *   - sessions end at their scheduled end + grace and when empty for a while (also across
 *     a restart);
 *   - learners share their screen only when the host allows it; moderators stop it;
 *   - sockets end with their log-in (log-out over HTTP, expiry, role change);
 *   - fan-out requests are rate-limited per person, over all their sockets.
 *
 * Run: npx vitest run tests/integration/live-trust.test.ts
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { io as connectClient, type Socket as ClientSocket } from "socket.io-client";
import { prisma } from "~/domains/db.server";
import { announceAccessChange } from "~/domains/auth/events.server";
import { rateLimits } from "../../server/live/protocol.js";
import {
  FAKE_DTLS,
  connect,
  cookieFor,
  errorCode,
  joined,
  makeSession,
  makeUser,
  next,
  ok,
  send,
  startLiveServer,
  stopLiveServer,
  until,
  videoRtpParameters,
  type Harness,
} from "./live-helpers.js";

let h: Harness;

beforeAll(async () => {
  // Empty rooms end after 1.2 s here; the sweep is run by hand (live.sweep()).
  h = await startLiveServer({ LIVE_EMPTY_SESSION_END_MINUTES: "0.02", LIVE_SWEEP_INTERVAL_MS: "3600000", LIVE_SOCKET_RECHECK_MS: "3600000" });
}, 60_000);

afterAll(async () => {
  await stopLiveServer(h);
}, 30_000);

async function connectWithCookie(cookie: string): Promise<ClientSocket> {
  const socket = connectClient(h.url, { transports: ["websocket"], forceNew: true, reconnection: false, extraHeaders: { cookie } });
  h.sockets.push(socket);
  await new Promise<void>((resolve, reject) => {
    socket.once("connect", () => resolve());
    socket.once("connect_error", reject);
  });
  return socket;
}

function disconnected(socket: ClientSocket, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    if (!socket.connected) return resolve("already");
    const timer = setTimeout(() => reject(new Error(`still connected after ${timeoutMs} ms`)), timeoutMs);
    socket.once("disconnect", (reason) => {
      clearTimeout(timer);
      resolve(reason);
    });
  });
}

const peersOf = (roomId: string) => h.server.live.inspect().rooms.find((r) => r.id === roomId)?.peers ?? 0;

describe("room size counts people, not sockets", () => {
  it("48 sockets of one learner get at most the per-person limit; the host and another learner still join", async () => {
    const host = await makeUser("expert");
    const hog = await makeUser("learner");
    const other = await makeUser("learner");
    const session = await makeSession(host.id, { invite: [hog.id, other.id], capacity: 2 });
    const sockets = await Promise.all(Array.from({ length: 48 }, () => connect(h, hog.id)));
    const results = await Promise.all(sockets.map((s) => send(s, "room:join", { roomId: session.id })));
    const joinedCount = results.filter((r) => r.data).length;
    expect(joinedCount).toBe(3);
    for (const r of results.filter((r) => r.error)) expect(["limit", "rate_limited"]).toContain(r.error!.code);
    expect(results.filter((r) => r.error?.code === "limit").length).toBeGreaterThan(0);
    expect(peersOf(session.id)).toBe(3);

    await joined(h, host.id, session.id);
    await joined(h, other.id, session.id);
    expect(peersOf(session.id)).toBe(5);
    // The capacity (2 people) is reached: a third learner is refused, the host's second tab is not.
    const third = await makeUser("learner");
    await prisma.liveSessionInvite.create({ data: { sessionId: session.id, userId: third.id } });
    expect(await errorCode(await connect(h, third.id), "room:join", { roomId: session.id })).toBe("limit");
    await joined(h, host.id, session.id);
    for (const s of sockets) s.disconnect();
  });

  it("a reloaded tab replaces the person's peer that is still 'reconnecting'", async () => {
    const host = await makeUser("expert");
    const learner = await makeUser("learner");
    const session = await makeSession(host.id, { invite: [learner.id] });
    await joined(h, host.id, session.id);
    const tabs = await Promise.all([0, 1, 2].map(() => joined(h, learner.id, session.id)));
    // A network drop (not a clean leave): the peer stays "reconnecting" for the grace period.
    (tabs[0]!.socket.io.engine as unknown as { close(): void }).close();
    await until(() => h.server.live.inspect().rooms.find((r) => r.id === session.id) !== undefined && tabs[0]!.socket.disconnected);
    await new Promise((r) => setTimeout(r, 200));
    const fourth = await joined(h, learner.id, session.id);
    expect(fourth.data.peers.map((p: any) => p.id)).not.toContain(tabs[0]!.data.peerId);
    expect(peersOf(session.id)).toBe(4);
  });

  it("N concurrent joins of a capacity-C room admit exactly C people", async () => {
    const host = await makeUser("expert");
    const learners = await Promise.all(Array.from({ length: 8 }, () => makeUser("learner")));
    const session = await makeSession(host.id, { invite: learners.map((l) => l.id), capacity: 3 });
    const sockets = await Promise.all(learners.map((l) => connect(h, l.id)));
    const results = await Promise.all(sockets.map((s) => send(s, "room:join", { roomId: session.id })));
    expect(results.filter((r) => r.data).length).toBe(3);
    expect(results.filter((r) => r.error?.code === "limit").length).toBe(5);
    expect(peersOf(session.id)).toBe(3);
    // The host is never refused for the room's size.
    await joined(h, host.id, session.id);
    expect(peersOf(session.id)).toBe(4);
  });
});

describe("sessions end", () => {
  it("ends a session whose room stayed empty, closes its records, and the page says so", async () => {
    const host = await makeUser("expert");
    const learner = await makeUser("learner");
    const session = await makeSession(host.id, { invite: [learner.id] });
    const a = await joined(h, host.id, session.id);
    const b = await joined(h, learner.id, session.id);
    await ok(a.socket, "room:leave", {});
    await ok(b.socket, "room:leave", {});
    await until(async () => (await prisma.liveSession.findUnique({ where: { id: session.id } }))?.emptySince !== null);
    expect((await prisma.liveSession.findUnique({ where: { id: session.id } }))!.status).toBe("live");
    await h.server.live.sweep(); // empty for less than 1.2 s: stays
    expect((await prisma.liveSession.findUnique({ where: { id: session.id } }))!.status).toBe("live");
    await new Promise((r) => setTimeout(r, 1_400));
    expect(await h.server.live.sweep()).toBeGreaterThanOrEqual(1);
    expect((await prisma.liveSession.findUnique({ where: { id: session.id } }))!.status).toBe("ended");
    await h.server.live.flush();
    expect(await prisma.attendance.count({ where: { sessionId: session.id, leftAt: null } })).toBe(0);
    // The invited learner can't come back days later.
    expect(await errorCode(b.socket, "room:join", { roomId: session.id })).toBe("forbidden");
    const page = await fetch(`${h.url}/sessions/${session.id}`, { headers: { cookie: await cookieFor(learner.id) } });
    const html = await page.text();
    expect(html).toMatch(/data-testid="session-status"[^>]*>(Ended|已结束)</);
  });

  it("a rejoin within the empty period keeps the session live", async () => {
    const host = await makeUser("expert");
    const session = await makeSession(host.id);
    const a = await joined(h, host.id, session.id);
    await ok(a.socket, "room:leave", {});
    await new Promise((r) => setTimeout(r, 1_400));
    await ok(a.socket, "room:join", { roomId: session.id }); // the room opens again before any sweep
    await h.server.live.sweep();
    expect((await prisma.liveSession.findUnique({ where: { id: session.id } }))!.status).toBe("live");
  });

  it("ends a live room at its scheduled end plus the grace, for everyone in it", async () => {
    const host = await makeUser("expert");
    const learner = await makeUser("learner");
    const session = await makeSession(host.id, { invite: [learner.id] });
    const a = await joined(h, host.id, session.id);
    const b = await joined(h, learner.id, session.id);
    // The lesson ran long: its end was 61 minutes ago (grace: 60).
    await prisma.liveSession.update({ where: { id: session.id }, data: { endsAt: new Date(Date.now() - 61 * 60_000) } });
    const endedA = next(a.socket, "room:ended");
    const endedB = next(b.socket, "room:ended");
    await h.server.live.sweep();
    await Promise.all([endedA, endedB]);
    expect((await prisma.liveSession.findUnique({ where: { id: session.id } }))!.status).toBe("ended");
    await h.server.live.flush();
    const rows = await prisma.attendance.findMany({ where: { sessionId: session.id } });
    expect(rows).toHaveLength(2);
    for (const row of rows) expect(row).toMatchObject({ closedBy: "ended" });
    expect(rows.every((r) => r.leftAt !== null)).toBe(true);
  });

  it("refuses everyone, the host too, once a live session is past its end plus the grace", async () => {
    const host = await makeUser("expert");
    const learner = await makeUser("learner");
    const session = await makeSession(host.id, { invite: [learner.id], startsAt: new Date(Date.now() - 3 * 3600_000), minutes: 60 });
    await prisma.liveSession.update({ where: { id: session.id }, data: { status: "live", emptySince: null } });
    expect(await errorCode(await connect(h, learner.id), "room:join", { roomId: session.id })).toBe("forbidden");
    expect(await errorCode(await connect(h, host.id), "room:join", { roomId: session.id })).toBe("forbidden");
  });

  it("at start-up, ends what ended while the server was down and counts live sessions as empty", async () => {
    const host = await makeUser("expert");
    const learner = await makeUser("learner");
    const emptied = await makeSession(host.id, { invite: [learner.id] });
    const overdue = await makeSession(host.id, { invite: [learner.id], startsAt: new Date(Date.now() - 4 * 3600_000) });
    const crashed = await makeSession(host.id, { invite: [learner.id] });
    await prisma.liveSession.update({ where: { id: emptied.id }, data: { status: "live", emptySince: new Date(Date.now() - 3600_000) } });
    await prisma.liveSession.update({ where: { id: overdue.id }, data: { status: "live" } });
    await prisma.liveSession.update({ where: { id: crashed.id }, data: { status: "live", emptySince: null } });
    await prisma.attendance.create({ data: { sessionId: crashed.id, userId: learner.id, joinedAt: new Date(Date.now() - 60_000), lastSeenAt: new Date() } });

    // A second service over the same database stands for the restarted server.
    const { createLiveService } = await import("../../server/live/index.js");
    const restarted = await createLiveService({ numWorkers: 1 });
    try {
      const status = async (id: string) => (await prisma.liveSession.findUnique({ where: { id } }))!;
      expect((await status(emptied.id)).status).toBe("ended");
      expect((await status(overdue.id)).status).toBe("ended");
      expect((await status(crashed.id)).status).toBe("live");
      expect((await status(crashed.id)).emptySince).not.toBeNull();
      expect(await prisma.attendance.count({ where: { sessionId: crashed.id, leftAt: null } })).toBe(0);
    } finally {
      await restarted.close();
    }
  });
});

describe("screen sharing needs the host's permission", () => {
  it("refuses a learner's screen until the host allows it; the host stops it and can forbid it again", async () => {
    const host = await makeUser("expert");
    const learner = await makeUser("learner");
    const session = await makeSession(host.id, { invite: [learner.id] });
    const hostPeer = await joined(h, host.id, session.id);
    const learnerPeer = await joined(h, learner.id, session.id);
    const send_ = await ok(learnerPeer.socket, "transport:create", { direction: "send" });
    await ok(learnerPeer.socket, "transport:connect", { transportId: send_.id, dtlsParameters: FAKE_DTLS });
    const screen = (ssrc: number) => ({ transportId: send_.id, kind: "video", rtpParameters: videoRtpParameters(ssrc), appData: { source: "screen" } });

    expect(await errorCode(learnerPeer.socket, "produce", screen(7000))).toBe("forbidden");
    // Only moderators decide.
    expect(await errorCode(learnerPeer.socket, "host:allowScreenShare", { allowed: true })).toBe("forbidden");
    expect(await errorCode(hostPeer.socket, "host:allowScreenShare", { allowed: "yes" })).toBe("bad_request");

    const allowed = next(learnerPeer.socket, "room:state", 6_000, (p: any) => p.state.screenShareAllowed === true);
    await ok(hostPeer.socket, "host:allowScreenShare", { allowed: true });
    await allowed;
    const announced = next(hostPeer.socket, "producer:new", 6_000, (p: any) => p.source === "screen");
    const first = await ok(learnerPeer.socket, "produce", screen(7100));
    expect((await announced).producerId).toBe(first.id);

    // host:stopVideo stops a screen share too.
    const stopped = next(learnerPeer.socket, "moderation:applied", 6_000, (p: any) => p.action === "screen_stopped");
    const closed = next(hostPeer.socket, "producer:closed", 6_000, (p: any) => p.producerId === first.id);
    await ok(hostPeer.socket, "host:stopVideo", { peerId: learnerPeer.data.peerId });
    await Promise.all([stopped, closed]);

    // Forbidding again stops a running share and refuses new ones.
    const second = await ok(learnerPeer.socket, "produce", screen(7200));
    const revoked = next(learnerPeer.socket, "moderation:applied", 6_000, (p: any) => p.action === "screen_stopped");
    const closedAgain = next(hostPeer.socket, "producer:closed", 6_000, (p: any) => p.producerId === second.id);
    await ok(hostPeer.socket, "host:allowScreenShare", { allowed: false });
    await Promise.all([revoked, closedAgain]);
    expect(await errorCode(learnerPeer.socket, "produce", screen(7300))).toBe("forbidden");
    // The host shares whatever the setting.
    const hostSend = await ok(hostPeer.socket, "transport:create", { direction: "send" });
    await ok(hostPeer.socket, "transport:connect", { transportId: hostSend.id, dtlsParameters: FAKE_DTLS });
    await ok(hostPeer.socket, "produce", { ...screen(7400), transportId: hostSend.id });
  });
});

describe("sockets end with their log-in", () => {
  it("log-out over HTTP disconnects that session's socket within a second; another session of the user stays", async () => {
    const host = await makeUser("expert");
    const learner = await makeUser("learner");
    const session = await makeSession(host.id, { invite: [learner.id] });
    const hostPeer = await joined(h, host.id, session.id);
    const cookieA = await cookieFor(learner.id);
    const cookieB = await cookieFor(learner.id);
    const a = await connectWithCookie(cookieA);
    const b = await connectWithCookie(cookieB);
    const aJoin = await ok(a, "room:join", { roomId: session.id });
    await ok(b, "room:join", { roomId: session.id });

    const ended = next(a, "session:ended", 1_000);
    const gone = disconnected(a, 1_000);
    const left = next(hostPeer.socket, "peer:left", 1_000, (p: any) => p.peerId === aJoin.peerId);
    const res = await fetch(`${h.url}/logout`, { method: "POST", redirect: "manual", headers: { cookie: cookieA, origin: h.url } });
    expect(res.status).toBeGreaterThanOrEqual(300);
    expect(res.status).toBeLessThan(400);
    expect(await ended).toEqual({ reason: "logout" });
    await gone;
    await left;
    expect(b.connected).toBe(true);
    await ok(b, "hand:set", { raised: true });
  });

  it("an announced change without session ids ends every socket of the user", async () => {
    const user = await makeUser("learner");
    const sockets = await Promise.all([connect(h, user.id), connect(h, user.id)]);
    const endings = sockets.map((s) => next(s, "session:ended", 1_000));
    announceAccessChange({ userId: user.id, reason: "password_changed" });
    expect(await Promise.all(endings)).toEqual([{ reason: "password_changed" }, { reason: "password_changed" }]);
  });

  it("the periodic re-check ends sockets of expired log-ins and changed roles; room:join re-checks too", async () => {
    const host = await makeUser("expert");
    const learner = await makeUser("learner");
    const promoted = await makeUser("learner");
    const session = await makeSession(host.id, { invite: [learner.id, promoted.id] });
    const cookie = await cookieFor(learner.id);
    const s = await connectWithCookie(cookie);
    await ok(s, "room:join", { roomId: session.id });
    const p = await joined(h, promoted.id, session.id);
    const stays = await joined(h, host.id, session.id);

    await prisma.session.deleteMany({ where: { userId: learner.id } });
    await prisma.user.update({ where: { id: promoted.id }, data: { role: "expert" } });
    const expired = next(s, "session:ended");
    const changed = next(p.socket, "session:ended");
    await h.server.live.recheckSockets();
    expect(await expired).toEqual({ reason: "expired" });
    expect(await changed).toEqual({ reason: "role_changed" });
    expect(stays.socket.connected).toBe(true);

    // A log-out nobody announced is caught by room:join itself.
    const other = await makeUser("learner");
    await prisma.liveSessionInvite.create({ data: { sessionId: session.id, userId: other.id } });
    const o = await connect(h, other.id);
    await prisma.session.deleteMany({ where: { userId: other.id } });
    const ended = next(o, "session:ended");
    await expect(send(o, "room:join", { roomId: session.id })).rejects.toThrow(/disconnected/);
    expect(await ended).toEqual({ reason: "expired" });
    expect(peersOf(session.id)).toBe(1);
  });
});

describe("fan-out is rate-limited per person", () => {
  it("hand:set flooded from 5 sockets of one learner reaches the host at most as often as the limit", async () => {
    const host = await makeUser("expert");
    const learner = await makeUser("learner");
    const session = await makeSession(host.id, { invite: [learner.id] });
    const hostPeer = await joined(h, host.id, session.id);
    const sockets = await Promise.all(Array.from({ length: 5 }, () => connect(h, learner.id)));
    // Three may join (the per-person limit); the other two flood from outside the room.
    const joins = await Promise.all(sockets.map((s) => send(s, "room:join", { roomId: session.id })));
    expect(joins.filter((j) => j.data).length, JSON.stringify(joins.map((j) => j.error?.code ?? "ok"))).toBe(3);
    const learnerPeers = new Set(joins.filter((j) => j.data).map((j) => j.data.peerId));
    let updates = 0;
    hostPeer.socket.on("peer:updated", ({ peer }: any) => {
      if (learnerPeers.has(peer.id)) updates++;
    });
    const started = Date.now();
    // Round by round over the sockets: each socket's messages are read in one chunk, so a
    // concurrent flood could hand every first token to a socket outside the room.
    const acks: Awaited<ReturnType<typeof send>>[] = [];
    for (let k = 0; k < 200; k++) {
      acks.push(...(await Promise.all(sockets.map((s, i) => send(s, "hand:set", { raised: (k + i) % 2 === 0 })))));
    }
    const seconds = (Date.now() - started) / 1000;
    await new Promise((r) => setTimeout(r, 300));
    const rule = rateLimits["hand:set"];
    const allowed = rule.burst + Math.ceil(seconds * rule.perSecond) + 1;
    console.log(
      `hand:set flood: ${acks.length} requests from 5 sockets in ${seconds.toFixed(2)} s → ` +
        `${acks.filter((a) => a.data).length} accepted, the host got ${updates} updates`,
    );
    const codes = JSON.stringify(acks.reduce<Record<string, number>>((m, a) => ((m[a.error?.code ?? "ok"] = (m[a.error?.code ?? "ok"] ?? 0) + 1), m), {}));
    const why = `${codes} in ${seconds.toFixed(2)} s, ${updates} updates`;
    expect(acks.filter((a) => a.data).length, why).toBeLessThanOrEqual(allowed);
    expect(acks.filter((a) => a.error?.code === "rate_limited").length, why).toBeGreaterThan(900);
    expect(updates, why).toBeLessThanOrEqual(allowed);
    expect(updates, why).toBeGreaterThan(0);
  });

  it("chat from several sockets shares one budget", async () => {
    const host = await makeUser("expert");
    const learner = await makeUser("learner");
    const session = await makeSession(host.id, { invite: [learner.id] });
    await joined(h, host.id, session.id);
    const tabs = await Promise.all([0, 1, 2].map(() => joined(h, learner.id, session.id)));
    const acks = await Promise.all(tabs.flatMap((t) => Array.from({ length: 10 }, (_, k) => send(t.socket, "chat:send", { body: `hi ${k}` }))));
    const rule = rateLimits["chat:send"];
    expect(acks.filter((a) => a.data).length).toBeLessThanOrEqual(rule.burst + 2);
    expect(acks.filter((a) => a.error?.code === "rate_limited").length).toBeGreaterThanOrEqual(30 - rule.burst - 2);
    expect(await prisma.chatMessage.count({ where: { sessionId: session.id } })).toBeLessThanOrEqual(rule.burst + 2);
  });
});

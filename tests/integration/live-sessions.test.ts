/**
 * Session-bound live rooms on the REAL server: who may join (page rule and socket), the
 * attendance records across leaves, drops, resumes and restarts, persisted chat, raise hand
 * and the host's controls. Media objects use fake RTP parameters (no packets flow): the
 * browser tests (tests/e2e/live*.spec.ts) cover real media.
 *
 * Run: npx vitest run tests/integration/live-sessions.test.ts
 */
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prisma } from "~/domains/db.server";
import { decideAccess, decideView, JOIN_EARLY_MS } from "~/domains/live/access";
import { checkAccess, closeStaleAttendance } from "~/domains/live/sessions.server";
import { failInterruptedRecordings, recordingsDir } from "~/domains/live/recordings.server";
import {
  connect,
  errorOf,
  errorCode,
  joined,
  makeSession,
  makeUser,
  next,
  ok,
  produceFake,
  startLiveServer,
  stopLiveServer,
  until,
  type Harness,
} from "./live-helpers.js";

let h: Harness;
const GRACE_MS = 1_500;

beforeAll(async () => {
  h = await startLiveServer({ LIVE_RECONNECT_GRACE_MS: String(GRACE_MS) });
}, 60_000);

afterAll(async () => {
  await stopLiveServer(h);
}, 30_000);

async function attendanceOf(sessionId: string, userId?: string) {
  await (h.server.live as unknown as { flush(): Promise<void> }).flush();
  return prisma.attendance.findMany({ where: { sessionId, ...(userId ? { userId } : {}) }, orderBy: { joinedAt: "asc" } });
}

describe("access rule (pure)", () => {
  const base = {
    session: { hostId: "h", status: "scheduled" as const, startsAt: new Date("2030-01-01T10:00:00Z"), endsAt: new Date("2030-01-01T11:00:00Z") },
    user: { id: "u", role: "learner" },
    invite: null as { banned: boolean } | null,
    booked: false,
  };
  const at = (iso: string) => new Date(iso);

  it("lets the host in any time and admins while the session isn't over", () => {
    expect(decideAccess({ ...base, user: { id: "h", role: "expert" } }, at("2029-12-01T00:00:00Z"))).toEqual({ ok: true, role: "host" });
    expect(decideAccess({ ...base, user: { id: "a", role: "admin" } }, at("2029-12-01T00:00:00Z"))).toEqual({ ok: true, role: "admin" });
    expect(decideAccess({ ...base, session: { ...base.session, status: "ended" }, user: { id: "h", role: "expert" } })).toMatchObject({ ok: false, reason: "ended" });
  });

  it("lets invited and booked learners in from 10 minutes before the start", () => {
    const invited = { ...base, invite: { banned: false } };
    const early = decideAccess(invited, at("2030-01-01T09:49:00Z"));
    expect(early).toMatchObject({ ok: false, reason: "too_early" });
    expect(!early.ok && early.opensAt?.toISOString()).toBe(new Date(base.session.startsAt.getTime() - JOIN_EARLY_MS).toISOString());
    expect(decideAccess(invited, at("2030-01-01T09:51:00Z"))).toEqual({ ok: true, role: "participant" });
    expect(decideAccess({ ...base, booked: true }, at("2030-01-01T10:30:00Z"))).toEqual({ ok: true, role: "participant" });
    // A live session is open before its start; any session, live or forgotten, closes an hour
    // after its end — for the host too.
    expect(decideAccess({ ...invited, session: { ...base.session, status: "live" } }, at("2030-01-01T09:00:00Z"))).toMatchObject({ ok: true });
    expect(decideAccess(invited, at("2030-01-01T12:30:00Z"))).toMatchObject({ ok: false, reason: "ended" });
    expect(decideAccess({ ...invited, session: { ...base.session, status: "live" } }, at("2030-01-01T12:01:00Z"))).toMatchObject({ ok: false, reason: "ended" });
    expect(decideAccess({ ...base, user: { id: "h", role: "expert" }, session: { ...base.session, status: "live" } }, at("2030-01-01T12:01:00Z"))).toMatchObject({
      ok: false,
      reason: "ended",
    });
    expect(decideAccess({ ...invited, session: { ...base.session, status: "live" } }, at("2030-01-01T11:59:00Z"))).toMatchObject({ ok: true });
    // The grace is configurable (LIVE_SESSION_END_GRACE_MINUTES).
    expect(decideAccess(invited, at("2030-01-01T11:10:00Z"), 5 * 60_000)).toMatchObject({ ok: false, reason: "ended" });
  });

  it("refuses strangers, removed participants and cancelled sessions", () => {
    const now = at("2030-01-01T10:05:00Z");
    expect(decideAccess(base, now)).toMatchObject({ ok: false, reason: "not_invited" });
    expect(decideAccess({ ...base, invite: { banned: true }, booked: true }, now)).toMatchObject({ ok: false, reason: "removed" });
    expect(decideAccess({ ...base, booked: true, session: { ...base.session, status: "cancelled" } }, now)).toMatchObject({ ok: false, reason: "cancelled" });
    expect(decideAccess({ ...base, session: null }, now)).toMatchObject({ ok: false, reason: "not_found" });
    // The session page (and recordings) stay visible after the end, but not to strangers or removed people.
    expect(decideView({ ...base, booked: true, session: { ...base.session, status: "ended" } })).toEqual({ ok: true, role: "participant" });
    expect(decideView({ ...base, invite: { banned: true } })).toMatchObject({ ok: false, reason: "removed" });
    expect(decideView(base)).toMatchObject({ ok: false, reason: "not_invited" });
  });
});

describe("joining over the socket is authorised against the database", () => {
  it("admits host, invited, booked and admin; refuses strangers, the early and the removed", async () => {
    const expert = await makeUser("expert");
    const invited = await makeUser();
    const booked = await makeUser();
    const stranger = await makeUser();
    const admin = await makeUser("admin");
    const session = await makeSession(expert.id, { invite: [invited.id], book: [booked.id] });

    const hostPeer = await joined(h, expert.id, session.id);
    expect(hostPeer.data.role).toBe("host");
    expect((await joined(h, invited.id, session.id)).data.role).toBe("participant");
    expect((await joined(h, booked.id, session.id)).data.role).toBe("participant");
    expect((await joined(h, admin.id, session.id)).data.role).toBe("admin");
    expect(await prisma.liveSession.findUnique({ where: { id: session.id }, select: { status: true } })).toEqual({ status: "live" });

    const s = await connect(h, stranger.id);
    const refused = await errorOf(s, "room:join", { roomId: session.id });
    expect(refused.code).toBe("forbidden");
    expect(refused.message).toMatch(/^not_invited:/);
    // An unknown session and a well-formed but foreign id look the same: not found.
    expect(await errorCode(s, "room:join", { roomId: "cnosuchsession000000000000" })).toBe("not_found");

    // Too early for a participant (the host may open it any time).
    const later = await makeSession(expert.id, { invite: [invited.id], startsAt: new Date(Date.now() + 3 * 60 * 60_000) });
    const early = await connect(h, invited.id);
    const tooEarly = await errorOf(early, "room:join", { roomId: later.id });
    expect(tooEarly).toMatchObject({ code: "forbidden" });
    expect(tooEarly.message).toMatch(/^too_early:/);
    // The page loader uses the same rule.
    expect((await checkAccess(stranger, session.id)).decision).toMatchObject({ ok: false, reason: "not_invited" });
    expect((await checkAccess(invited, later.id)).decision).toMatchObject({ ok: false, reason: "too_early" });
    // Once the host has opened it (status "live"), invited learners may come in early.
    await ok(await connect(h, expert.id), "room:join", { roomId: later.id });
    await until(async () => (await checkAccess(invited, later.id)).decision.ok);
    await ok(early, "room:join", { roomId: later.id });
  });

  it("enforces the session's capacity on distinct participants", async () => {
    const expert = await makeUser("expert");
    const [a, b, c] = [await makeUser(), await makeUser(), await makeUser()];
    const session = await makeSession(expert.id, { invite: [a.id, b.id, c.id], capacity: 2 });
    await joined(h, a.id, session.id);
    await joined(h, b.id, session.id);
    // The same user in a second tab doesn't count twice.
    await joined(h, b.id, session.id);
    const full = await connect(h, c.id);
    expect(await errorCode(full, "room:join", { roomId: session.id })).toBe("limit");
    // The host always gets in.
    await joined(h, expert.id, session.id);
  });
});

describe("attendance", () => {
  it("records a join and a leave, one row per presence even with two tabs", async () => {
    const expert = await makeUser("expert");
    const learner = await makeUser();
    const session = await makeSession(expert.id, { invite: [learner.id] });
    const tab1 = await joined(h, learner.id, session.id);
    const tab2 = await joined(h, learner.id, session.id);
    await until(async () => (await attendanceOf(session.id, learner.id)).length === 1);
    await ok(tab1.socket, "room:leave", {});
    let rows = await attendanceOf(session.id, learner.id);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.leftAt).toBeNull(); // the second tab is still there
    await ok(tab2.socket, "room:leave", {});
    rows = await attendanceOf(session.id, learner.id);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.leftAt).not.toBeNull();
    expect(rows[0]!.closedBy).toBe("left");
    expect(rows[0]!.leftAt!.getTime()).toBeGreaterThanOrEqual(rows[0]!.joinedAt.getTime());
  });

  it("keeps one open record across a dropped connection that resumes within the grace period", async () => {
    const expert = await makeUser("expert");
    const learner = await makeUser();
    const session = await makeSession(expert.id, { invite: [learner.id] });
    const hostPeer = await joined(h, expert.id, session.id);
    const first = await joined(h, learner.id, session.id);
    await produceFake(first.socket, ["mic"], 7000);

    // A network drop (not a deliberate disconnect): the others see "reconnecting".
    const reconnecting = next(hostPeer.socket, "peer:updated", 5_000, (p: any) => p.peer.id === first.data.peerId && p.peer.status === "reconnecting");
    (first.socket.io.engine as { close(): void }).close();
    await reconnecting;

    // A new socket resumes the same peer; it lists no media (a reloaded tab): the old mic closes.
    const back = await connect(h, learner.id);
    const connected = next(hostPeer.socket, "peer:updated", 5_000, (p: any) => p.peer.id === first.data.peerId && p.peer.status === "connected");
    const micGone = next(hostPeer.socket, "producer:closed");
    const resumed = await ok(back, "room:join", { roomId: session.id, resume: first.data.peerId });
    expect(resumed).toMatchObject({ peerId: first.data.peerId, resumed: true, kept: { transports: [], producers: [], consumers: [] } });
    expect(resumed.peers.map((p: any) => p.id)).toEqual([hostPeer.data.peerId]);
    await connected;
    await micGone;
    await produceFake(back, ["mic"], 7100);

    // Well past the grace period: still one open record, nobody "left".
    await new Promise((r) => setTimeout(r, GRACE_MS + 500));
    const rows = await attendanceOf(session.id, learner.id);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.leftAt).toBeNull();

    // Someone else can't resume that peer.
    const intruder = await makeUser();
    await prisma.liveSessionInvite.create({ data: { sessionId: session.id, userId: intruder.id } });
    const other = await joined(h, intruder.id, session.id, { resume: first.data.peerId });
    expect(other.data.resumed).toBe(false);
    expect(other.data.peerId).not.toBe(first.data.peerId);
  });

  it("closes the record at the moment of the drop when the peer never comes back", async () => {
    const expert = await makeUser("expert");
    const learner = await makeUser();
    const session = await makeSession(expert.id, { invite: [learner.id] });
    const hostPeer = await joined(h, expert.id, session.id);
    const gone = await joined(h, learner.id, session.id);
    await until(async () => (await attendanceOf(session.id, learner.id)).length === 1);
    const left = next(hostPeer.socket, "peer:left", GRACE_MS + 4_000);
    const droppedAt = Date.now();
    (gone.socket.io.engine as { close(): void }).close();
    expect(await left).toEqual({ peerId: gone.data.peerId, reason: "disconnected" });
    const [row] = await attendanceOf(session.id, learner.id);
    expect(row!.closedBy).toBe("disconnected");
    // leftAt is the drop, not the end of the grace period.
    expect(Math.abs(row!.leftAt!.getTime() - droppedAt)).toBeLessThan(GRACE_MS / 2);
  });

  it("closes records a crash left open at start-up, at their last heartbeat", async () => {
    const expert = await makeUser("expert");
    const learner = await makeUser();
    const session = await makeSession(expert.id, { invite: [learner.id] });
    const joinedAt = new Date(Date.now() - 30 * 60_000);
    const lastSeenAt = new Date(Date.now() - 20 * 60_000);
    const open = await prisma.attendance.create({ data: { sessionId: session.id, userId: learner.id, joinedAt, lastSeenAt } });
    const neverSeen = await prisma.attendance.create({ data: { sessionId: session.id, userId: expert.id, joinedAt } });
    expect(await closeStaleAttendance()).toBeGreaterThanOrEqual(2);
    const rows = await prisma.attendance.findMany({ where: { id: { in: [open.id, neverSeen.id] } } });
    const byId = new Map(rows.map((r) => [r.id, r]));
    expect(byId.get(open.id)).toMatchObject({ closedBy: "server_restart", leftAt: lastSeenAt });
    expect(byId.get(neverSeen.id)).toMatchObject({ closedBy: "server_restart", leftAt: joinedAt });
    expect(await prisma.attendance.count({ where: { leftAt: null, sessionId: session.id } })).toBe(0);
  });
});

describe("chat, hand and moderation", () => {
  it("persists chat and shows it to late joiners", async () => {
    const expert = await makeUser("expert", "Coach Wang");
    const early = await makeUser("learner", "Early");
    const late = await makeUser("learner", "Late");
    const session = await makeSession(expert.id, { invite: [early.id, late.id] });
    const hostPeer = await joined(h, expert.id, session.id);
    const earlyPeer = await joined(h, early.id, session.id);
    const heard = next(hostPeer.socket, "chat:message");
    const sent = await ok(earlyPeer.socket, "chat:send", { body: "  Which electrode for 6 mm plate?  " });
    expect(sent).toMatchObject({ userId: early.id, name: "Early", body: "Which electrode for 6 mm plate?" });
    expect((await heard).message).toEqual(sent);
    await ok(hostPeer.socket, "chat:send", { body: "E7018, 3.2 mm" });
    expect(await errorCode(earlyPeer.socket, "chat:send", { body: "   " })).toBe("bad_request");
    expect(await errorCode(earlyPeer.socket, "chat:send", { body: "x".repeat(1001) })).toBe("bad_request");

    const latePeer = await joined(h, late.id, session.id);
    expect(latePeer.data.chat.map((m: any) => m.body)).toEqual(["Which electrode for 6 mm plate?", "E7018, 3.2 mm"]);
    expect(await prisma.chatMessage.count({ where: { sessionId: session.id } })).toBe(2);

    // Flooding is limited (per person: rateLimits["chat:send"]).
    const results = await Promise.all(Array.from({ length: 12 }, (_, i) => latePeer.socket.timeout(5000).emitWithAck("chat:send", { body: `m${i}` })));
    expect(results.some((r: any) => r.error?.code === "rate_limited")).toBe(true);
  });

  it("raises and lowers hands; only moderators use host controls", async () => {
    const expert = await makeUser("expert");
    const learner = await makeUser();
    const other = await makeUser();
    const session = await makeSession(expert.id, { invite: [learner.id, other.id] });
    const hostPeer = await joined(h, expert.id, session.id);
    const l = await joined(h, learner.id, session.id);
    const o = await joined(h, other.id, session.id);

    const raised = next(hostPeer.socket, "peer:updated", 5_000, (p: any) => p.peer.id === l.data.peerId);
    await ok(l.socket, "hand:set", { raised: true });
    expect((await raised).peer.handRaised).toBe(true);

    // A learner can't moderate.
    for (const [event, payload] of [
      ["host:mute", { peerId: o.data.peerId }],
      ["host:muteAll", {}],
      ["host:remove", { peerId: o.data.peerId }],
      ["host:spotlight", { spotlight: { peerId: o.data.peerId, source: "camera" } }],
      ["host:end", {}],
      ["recording:start", {}],
    ] as const) {
      expect(await errorCode(l.socket, event, payload), event).toBe("forbidden");
    }

    const lowered = next(l.socket, "moderation:applied");
    await ok(hostPeer.socket, "host:lowerHand", { peerId: l.data.peerId });
    expect(await lowered).toMatchObject({ action: "hand_lowered" });
  });

  it("mutes one or everyone, stops a camera, spotlights, removes for good and ends for all", async () => {
    const expert = await makeUser("expert", "Host");
    const [a, b] = [await makeUser("learner", "A"), await makeUser("learner", "B")];
    const session = await makeSession(expert.id, { invite: [a.id, b.id] });
    const hostPeer = await joined(h, expert.id, session.id);
    const pa = await joined(h, a.id, session.id);
    const pb = await joined(h, b.id, session.id);
    const ma = await produceFake(pa.socket, ["mic", "camera"], 8000);
    const mb = await produceFake(pb.socket, ["mic"], 8100);

    // Mute one: the producer is paused server-side, everyone is told, the target learns why.
    const told = next(pa.socket, "moderation:applied");
    const paused = next(pb.socket, "producer:paused", 5_000, (p: any) => p.producerId === ma.ids.mic);
    await ok(hostPeer.socket, "host:mute", { peerId: pa.data.peerId });
    expect(await told).toEqual({ action: "muted", by: "Host" });
    expect(await paused).toEqual({ peerId: pa.data.peerId, producerId: ma.ids.mic, paused: true });
    // The learner may unmute.
    await ok(pa.socket, "producer:resume", { producerId: ma.ids.mic });

    // Mute all.
    const bMuted = next(pb.socket, "moderation:applied");
    const aMuted = next(pa.socket, "moderation:applied");
    await ok(hostPeer.socket, "host:muteAll", {});
    await Promise.all([bMuted, aMuted]);
    expect(h.server.live.inspect().rooms.find((r) => r.id === session.id)).toBeTruthy();

    // Stop a camera: its producer closes for everyone.
    const camClosed = next(pb.socket, "producer:closed", 5_000, (p: any) => p.producerId === ma.ids.camera);
    const camTold = next(pa.socket, "moderation:applied");
    await ok(hostPeer.socket, "host:stopVideo", { peerId: pa.data.peerId });
    await camClosed;
    expect(await camTold).toMatchObject({ action: "video_stopped" });

    // Spotlight.
    const state = next(pb.socket, "room:state");
    await ok(hostPeer.socket, "host:spotlight", { spotlight: { peerId: pa.data.peerId, source: "camera" } });
    expect((await state).state.spotlight).toEqual({ peerId: pa.data.peerId, source: "camera" });

    // Remove B: B is told, the others see B leave, B can't come back (socket or page).
    const removed = next(pb.socket, "room:removed");
    const bLeft = next(hostPeer.socket, "peer:left", 5_000, (p: any) => p.peerId === pb.data.peerId);
    await ok(hostPeer.socket, "host:remove", { peerId: pb.data.peerId });
    expect(await removed).toEqual({ by: "Host" });
    expect(await bLeft).toEqual({ peerId: pb.data.peerId, reason: "removed" });
    expect(await errorCode(pb.socket, "producer:pause", { producerId: mb.ids.mic })).toBe("not_in_room");
    const refused = await errorOf(await connect(h, b.id), "room:join", { roomId: session.id });
    expect(refused.code).toBe("forbidden");
    expect(refused.message).toMatch(/^removed:/);
    expect((await checkAccess(b, session.id)).decision).toMatchObject({ ok: false, reason: "removed" });
    const [bRow] = await attendanceOf(session.id, b.id);
    expect(bRow!.closedBy).toBe("removed");
    // The host can't be removed.
    expect(await errorCode(hostPeer.socket, "host:remove", { peerId: hostPeer.data.peerId })).toBe("forbidden");

    // End for all.
    const ended = next(pa.socket, "room:ended");
    await ok(hostPeer.socket, "host:end", {});
    await ended;
    expect(await prisma.liveSession.findUnique({ where: { id: session.id }, select: { status: true } })).toEqual({ status: "ended" });
    const rows = await attendanceOf(session.id);
    expect(rows.every((r) => r.leftAt !== null)).toBe(true);
    expect(rows.filter((r) => r.userId !== b.id).every((r) => r.closedBy === "ended")).toBe(true);
    expect(await errorCode(await connect(h, a.id), "room:join", { roomId: session.id })).toBe("forbidden");
    expect(h.server.live.inspect().rooms.find((r) => r.id === session.id)).toBeUndefined();
  });

  it("the stage is the server's choice, sent in room:state whenever media moves it", async () => {
    const expert = await makeUser("expert", "Host");
    const a = await makeUser("learner", "A");
    const session = await makeSession(expert.id, { invite: [a.id] });
    const hostPeer = await joined(h, expert.id, session.id);
    const pa = await joined(h, a.id, session.id);
    expect((pa.data as any).state.stage).toBeNull();
    const stageIs = (want: unknown) => next(pa.socket, "room:state", 5_000, (p: any) => JSON.stringify(p.state.stage) === JSON.stringify(want));

    // A learner's camera is not the stage by itself; the host's camera is.
    await produceFake(pa.socket, ["camera"], 9200);
    const hostOnStage = stageIs({ peerId: hostPeer.data.peerId, source: "camera" });
    const hostMedia = await produceFake(hostPeer.socket, ["camera"], 9300);
    await hostOnStage;
    // The moderator's spotlight wins, and clearing it gives the stage back.
    const learnerOnStage = stageIs({ peerId: pa.data.peerId, source: "camera" });
    await ok(hostPeer.socket, "host:spotlight", { spotlight: { peerId: pa.data.peerId, source: "camera" } });
    await learnerOnStage;
    const back = stageIs({ peerId: hostPeer.data.peerId, source: "camera" });
    await ok(hostPeer.socket, "host:spotlight", { spotlight: null });
    await back;
    // The host's camera goes: nothing on stage.
    const empty = stageIs(null);
    await ok(hostPeer.socket, "producer:close", { producerId: hostMedia.ids.camera });
    await empty;
  });

  it("data saver pauses video consumers that aren't the spotlight", async () => {
    const expert = await makeUser("expert");
    const [a, saver] = [await makeUser(), await makeUser()];
    const session = await makeSession(expert.id, { invite: [a.id, saver.id] });
    const hostPeer = await joined(h, expert.id, session.id);
    const pa = await joined(h, a.id, session.id);
    const hostMedia = await produceFake(hostPeer.socket, ["camera"], 9000);
    const aMedia = await produceFake(pa.socket, ["camera"], 9100);
    const s = await joined(h, saver.id, session.id, { dataSaver: "low" });
    const recv = await ok(s.socket, "transport:create", { direction: "recv" });
    const caps = s.data.routerRtpCapabilities;
    const hostCam = await ok(s.socket, "consume", { producerId: hostMedia.ids.camera, rtpCapabilities: caps, transportId: recv.id });
    const aCam = await ok(s.socket, "consume", { producerId: aMedia.ids.camera, rtpCapabilities: caps, transportId: recv.id });
    await ok(s.socket, "consumer:resume", { consumerId: hostCam.id });
    await ok(s.socket, "consumer:resume", { consumerId: aCam.id });
    expect(hostCam.rtpParameters.encodings[0].scalabilityMode).toMatch(/^S3T3/);
    // Server-side state: only the spotlight (the host's camera) flows, at the lowest layer.
    const room = (h.server.live as any).rooms.get(session.id);
    const saverPeer = room.getPeer(s.data.peerId);
    await until(() => {
      const entries = saverPeer.consumerEntries();
      const host = entries.find((e: any) => e.producerId === hostMedia.ids.camera);
      const other = entries.find((e: any) => e.producerId === aMedia.ids.camera);
      return !host.consumer.paused && host.consumer.preferredLayers?.spatialLayer === 0 && other.consumer.paused;
    });
    // Audio only: everything video paused; back to normal: both flow.
    await ok(s.socket, "peer:dataSaver", { mode: "audio" });
    await until(() => saverPeer.consumerEntries().every((e: any) => e.consumer.paused));
    await ok(s.socket, "peer:dataSaver", { mode: "off" });
    await until(() => saverPeer.consumerEntries().every((e: any) => !e.consumer.paused));
    // A small tile gets the small layer.
    await ok(s.socket, "consumer:tile", { consumerId: aCam.id, width: 160, height: 90 });
    await until(() => saverPeer.consumerEntries().find((e: any) => e.producerId === aMedia.ids.camera).consumer.preferredLayers?.spatialLayer === 0);
  });
});

describe("recording failures", () => {
  it("a recording that captured nothing is marked failed with the reason, and no file is listed", async () => {
    const expert = await makeUser("expert");
    const session = await makeSession(expert.id);
    const hostPeer = await joined(h, expert.id, session.id);
    // Producers with fake parameters: no packet will ever flow.
    await produceFake(hostPeer.socket, ["mic", "camera"], 9900);
    const state = next(hostPeer.socket, "room:state");
    await ok(hostPeer.socket, "recording:start", {});
    expect((await state).state.recording.active).toBe(true);
    expect(await errorCode(hostPeer.socket, "recording:start", {})).toBe("bad_request");
    await new Promise((r) => setTimeout(r, 1_500));
    await ok(hostPeer.socket, "recording:stop", {});
    await (h.server.live as unknown as { flush(): Promise<void> }).flush();
    const [row] = await prisma.recording.findMany({ where: { sessionId: session.id } });
    expect(row).toMatchObject({ status: "failed", storageKey: null });
    expect(row!.error).toMatch(/nothing usable was recorded: segment-0: empty \(audio 0 packets, video 0 packets/);
    const dir = path.join(recordingsDir(), session.id);
    const leftovers = fs.existsSync(dir) ? fs.readdirSync(dir, { recursive: true }).filter((f) => String(f).endsWith(".webm")) : [];
    expect(leftovers).toEqual([]);
    expect(await errorCode(hostPeer.socket, "recording:stop", {})).toBe("bad_request");
  });

  it("recordings cut off by a crash are failed at start-up", async () => {
    const expert = await makeUser("expert");
    const session = await makeSession(expert.id);
    const interrupted = await prisma.recording.create({ data: { sessionId: session.id } });
    expect(await failInterruptedRecordings()).toBeGreaterThanOrEqual(1);
    expect(await prisma.recording.findUnique({ where: { id: interrupted.id } })).toMatchObject({
      status: "failed",
      error: "the server stopped while recording",
    });
  });
});

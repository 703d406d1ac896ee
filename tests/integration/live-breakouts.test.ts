/**
 * Breakout rooms against the REAL server (Express + socket.io + Lucia cookies + mediasoup)
 * and the real database: a partition of one room's peers — each group consumes only its own
 * producers, has its own chat and stage; host visit, broadcast, move, call-back (by hand and
 * by the timer), roles and foreign ids, and attendance untouched by the moves.
 *
 * One breakout "minute" lasts LIVE_BREAKOUT_MINUTE_MS = 400 ms in this file (config.ts).
 *
 * Run: npx vitest run tests/integration/live-breakouts.test.ts
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Socket as ClientSocket } from "socket.io-client";
import { prisma } from "~/domains/db.server";
import { classroom as makeClassroom, errorCode, FAKE_DTLS, joined, makeUser, next, ok, produceFake, send, startLiveServer, stopLiveServer, until, type Harness } from "./live-helpers.js";

let h: Harness;
const MINUTE_MS = 400;

beforeAll(async () => {
  h = await startLiveServer({ LIVE_BREAKOUT_MINUTE_MS: String(MINUTE_MS) });
}, 60_000);

afterAll(async () => {
  await stopLiveServer(h);
}, 30_000);

interface Side {
  socket: ClientSocket;
  peerId: string;
  caps: unknown;
  recv: string;
  mic: string;
  userId: string;
}

/** Host + `n` learners in one room, everyone producing a (fake) microphone, each with a recv transport. */
async function setUp(n: number) {
  const c = await makeClassroom(h, n, { hostName: "Breakout Host" });
  const sides: Side[] = [];
  const all = [{ side: c.hostSide, userId: c.host.id }, ...c.learnerSides.map((side, i) => ({ side, userId: c.people[i]!.id }))];
  for (const [i, { side, userId }] of all.entries()) {
    const { ids } = await produceFake(side.socket, ["mic"], 10_000 + i * 100);
    const recv = await ok(side.socket, "transport:create", { direction: "recv" });
    await ok(side.socket, "transport:connect", { transportId: recv.id, dtlsParameters: FAKE_DTLS });
    sides.push({ socket: side.socket, peerId: side.data.peerId, caps: side.data.routerRtpCapabilities, recv: recv.id, mic: ids.mic!, userId });
  }
  return { ...c, host: sides[0]!, learnerSide: sides.slice(1), hostUser: c.host };
}

function consume(from: Side, producer: Side) {
  return send(from.socket, "consume", { producerId: producer.mic, rtpCapabilities: from.caps, transportId: from.recv });
}

/** Every notification of `event` a socket gets from now on. */
function collect<T = any>(socket: ClientSocket, event: string): T[] {
  const got: T[] = [];
  socket.on(event, (payload: T) => got.push(payload));
  return got;
}

function peerMedia(sessionId: string, peerId: string) {
  const room = h.server.live.inspect().rooms.find((r) => r.id === sessionId);
  return room?.peerMedia.find((p) => p.id === peerId);
}

const openRows = (sessionId: string) => prisma.attendance.findMany({ where: { sessionId }, orderBy: { joinedAt: "asc" } });

describe("breakout rooms", () => {
  it("2 rooms, 4 learners: media, chat and stage per room; visit, broadcast, move, call back; attendance untouched", async () => {
    const { host, learnerSide, session } = await setUp(4);
    const [a, b, c, d] = learnerSide as [Side, Side, Side, Side];

    // Before: everyone consumes everyone.
    const before: Record<string, string> = {};
    for (const from of learnerSide) {
      for (const to of [host, ...learnerSide]) {
        if (to === from) continue;
        before[`${from.peerId}>${to.peerId}`] = (await ok(from.socket, "consume", { producerId: to.mic, rtpCapabilities: from.caps, transportId: from.recv })).id;
      }
    }
    await until(async () => (await prisma.attendance.count({ where: { sessionId: session.id, leftAt: null } })) === 5);
    const rowsBefore = await openRows(session.id);

    const closedA = collect(a.socket, "consumer:closed");
    const newA = collect(a.socket, "producer:new");
    const states = learnerSide.map((s) => next(s.socket, "breakout:state"));
    const hostState = next(host.socket, "breakout:state");
    const { breakout } = await ok(host.socket, "breakout:open", { count: 2, minutes: 240, assignment: "auto" });
    expect(breakout).toMatchObject({ count: 2, yourRoom: null });
    expect(Date.parse(breakout.endsAt) - Date.parse(breakout.startedAt)).toBe(240 * MINUTE_MS);
    // Round-robin in join order: A, C → room 1; B, D → room 2; the host stays in the main room.
    expect((await Promise.all(states)).map((s) => s.breakout.yourRoom)).toEqual([1, 2, 1, 2]);
    expect((await hostState).breakout.yourRoom).toBeNull();

    // The consumers that now cross rooms are closed, on the server and on the client.
    await until(() => closedA.length === 3); // A no longer receives the host, B, D
    expect(closedA.map((x) => x.consumerId).sort()).toEqual(
      [before[`${a.peerId}>${host.peerId}`], before[`${a.peerId}>${b.peerId}`], before[`${a.peerId}>${d.peerId}`]].sort(),
    );
    expect(peerMedia(session.id, a.peerId)!.consumers).toEqual([before[`${a.peerId}>${c.peerId}`]]);
    expect(newA).toEqual([]); // C was consumed already
    // Each learner consumes only its own room.
    expect((await consume(a, c)).error).toBeUndefined();
    expect((await consume(a, b)).error?.code).toBe("not_found");
    expect((await consume(a, host)).error?.code).toBe("not_found");
    expect((await consume(b, d)).error).toBeUndefined();
    expect((await consume(b, c)).error?.code).toBe("not_found");
    expect((await consume(host, a)).error?.code).toBe("not_found");
    // PeerInfo says who is where.
    const infoC = next(a.socket, "peer:updated", 6_000, (m: any) => m.peer.id === d.peerId);

    // Chat in room 1 is not seen in room 2 nor in the main room, and is not kept.
    const gotB = collect(b.socket, "chat:message");
    const gotHost = collect(host.socket, "chat:message");
    const toC = next(c.socket, "chat:message");
    const sent = await ok(a.socket, "chat:send", { body: "room one only" });
    expect(sent).toMatchObject({ body: "room one only", room: 1 });
    expect((await toC).message).toMatchObject({ body: "room one only", room: 1 });
    // The main room's chat while breakouts run: kept, main room only.
    const hostMsg = await ok(host.socket, "chat:send", { body: "main room note" });
    expect(hostMsg.room).toBeUndefined();
    await new Promise((r) => setTimeout(r, 300));
    expect(gotB).toEqual([]);
    expect(gotHost.map((m) => m.message.body)).toEqual(["main room note"]);
    expect(await prisma.chatMessage.count({ where: { sessionId: session.id, body: "room one only" } })).toBe(0);
    expect(await prisma.chatMessage.count({ where: { sessionId: session.id, body: "main room note" } })).toBe(1);

    // The host visits room 2: both sides are told to consume each other.
    const hostNew = collect(host.socket, "producer:new");
    const bNew = next(b.socket, "producer:new", 6_000, (m: any) => m.peerId === host.peerId);
    await ok(host.socket, "breakout:visit", { room: 2 });
    expect((await bNew).producerId).toBe(host.mic);
    await until(() => hostNew.length === 2);
    expect(hostNew.map((m) => m.peerId).sort()).toEqual([b.peerId, d.peerId].sort());
    expect((await consume(host, b)).error).toBeUndefined();
    expect((await consume(host, a)).error?.code).toBe("not_found");
    expect((await consume(d, host)).error).toBeUndefined();
    // The visiting host is room 2's stage... only with a camera; the main room has no stage now.
    await ok(host.socket, "breakout:visit", { room: null });
    await until(() => peerMedia(session.id, host.peerId)!.consumers.length === 0);

    // A broadcast reaches every room.
    const messages = [host, ...learnerSide].map((s) => next(s.socket, "breakout:message"));
    await ok(host.socket, "breakout:broadcast", { text: "  Five minutes left  " });
    for (const m of await Promise.all(messages)) expect(m).toMatchObject({ text: "Five minutes left", by: "Breakout Host" });

    // Move D to room 1: D and A/C now see each other, B no longer sees D.
    const dNew = collect(d.socket, "producer:new");
    const bClosed = next(b.socket, "consumer:closed");
    const dState = next(d.socket, "breakout:state");
    await ok(host.socket, "breakout:move", { peerId: d.peerId, room: 1 });
    expect((await dState).breakout.yourRoom).toBe(1);
    expect((await infoC).peer.group).toBe(1);
    expect((await bClosed).producerId).toBe(d.mic);
    await until(() => dNew.length === 2);
    expect(dNew.map((m) => m.peerId).sort()).toEqual([a.peerId, c.peerId].sort());
    expect((await consume(d, a)).error).toBeUndefined();
    expect((await consume(d, b)).error?.code).toBe("not_found");

    // Attendance: the moves opened and closed nothing.
    await h.server.live.flush();
    const rowsDuring = await openRows(session.id);
    expect(rowsDuring.map((r) => [r.id, r.leftAt])).toEqual(rowsBefore.map((r) => [r.id, null]));

    // Call everyone back: everyone may consume everyone again and gets the producers anew.
    const back = [host, ...learnerSide].map((s) => next(s.socket, "breakout:state"));
    const aNewBack = collect(a.socket, "producer:new");
    await ok(host.socket, "breakout:close", {});
    for (const s of await Promise.all(back)) expect(s.breakout).toBeNull();
    await until(() => aNewBack.length === 2); // the host and B (C and D shared room 1 with A: nothing new)
    expect(aNewBack.map((m) => m.peerId).sort()).toEqual([host.peerId, b.peerId].sort());
    expect((await consume(a, b)).error).toBeUndefined();
    expect((await consume(host, a)).error).toBeUndefined();
    expect(await errorCode(host.socket, "breakout:close", {})).toBe("bad_request");

    // One record per person over the whole session: hours count once.
    await h.server.live.flush();
    const rowsAfter = await openRows(session.id);
    expect(rowsAfter).toHaveLength(5);
    expect(rowsAfter.every((r) => r.leftAt === null)).toBe(true);
    expect(rowsAfter.map((r) => r.id)).toEqual(rowsBefore.map((r) => r.id));
  });

  it("the timer calls everyone back; a person rejoining lands in their room, a newcomer in the main room", async () => {
    const { host, learnerSide, session } = await setUp(2);
    const [a, b] = learnerSide as [Side, Side];
    const { breakout } = await ok(host.socket, "breakout:open", { count: 2, minutes: 8, assignment: { [a.peerId]: 2, [b.peerId]: null } });
    expect(breakout.count).toBe(2);

    // A leaves and comes back (a new peer): room 2 again. A newcomer lands in the main room.
    await ok(a.socket, "room:leave", {});
    const again = await joined(h, a.userId, session.id);
    expect(again.data.breakout).toMatchObject({ count: 2, yourRoom: 2 });
    expect(again.data.peers.find((p: any) => p.id === b.peerId).group).toBeNull();
    const late = await makeUser("learner", "Late Learner");
    await prisma.liveSessionInvite.create({ data: { sessionId: session.id, userId: late.id } });
    const lateSide = await joined(h, late.id, session.id);
    expect(lateSide.data.breakout).toMatchObject({ yourRoom: null });

    // 8 "minutes" of 400 ms: back in the main room by itself.
    const ended = next(again.socket, "breakout:state", 15_000, (m: any) => m.breakout === null);
    const endedHost = next(host.socket, "breakout:state", 15_000, (m: any) => m.breakout === null);
    await ended;
    await endedHost;
    expect(Date.now()).toBeGreaterThanOrEqual(Date.parse(breakout.endsAt) - 50);
    expect(await errorCode(host.socket, "breakout:broadcast", { text: "anyone?" })).toBe("bad_request");
  });

  it("refuses the wrong role, foreign and unknown ids, rooms out of range and bad payloads", async () => {
    const { host, learnerSide } = await setUp(2);
    const [a, b] = learnerSide as [Side, Side];
    const other = await setUp(1);
    const foreign = other.learnerSide[0]!.peerId;

    // Learners can't run breakouts.
    expect(await errorCode(a.socket, "breakout:open", { count: 2, minutes: 5, assignment: "auto" })).toBe("forbidden");
    // Nothing open yet.
    expect(await errorCode(host.socket, "breakout:move", { peerId: a.peerId, room: 1 })).toBe("bad_request");
    expect(await errorCode(host.socket, "breakout:visit", { room: 1 })).toBe("bad_request");
    expect(await errorCode(host.socket, "breakout:broadcast", { text: "hi" })).toBe("bad_request");
    // Bad payloads (from the other session's host: "breakout:open" allows 10 in a burst per person).
    for (const payload of [
      { count: 1, minutes: 5, assignment: "auto" },
      { count: 21, minutes: 5, assignment: "auto" },
      { count: 2, minutes: 0, assignment: "auto" },
      { count: 2, minutes: 1.5, assignment: "auto" },
      { count: 2, minutes: 5, assignment: "random" },
      { count: 2, minutes: 5, assignment: { "not-a-uuid": 1 } },
      { count: 2, minutes: 5, assignment: { [a.peerId]: 0 } },
      { count: 2, minutes: 5, assignment: "auto", extra: true },
    ]) {
      expect(await errorCode(other.host.socket, "breakout:open", payload), JSON.stringify(payload)).toBe("bad_request");
    }
    // Another session's peer, an unknown peer, a room past the count.
    expect(await errorCode(host.socket, "breakout:open", { count: 2, minutes: 5, assignment: { [foreign]: 1 } })).toBe("not_found");
    expect(await errorCode(host.socket, "breakout:open", { count: 2, minutes: 5, assignment: { [crypto.randomUUID()]: 1 } })).toBe("not_found");
    expect(await errorCode(host.socket, "breakout:open", { count: 2, minutes: 5, assignment: { [a.peerId]: 3 } })).toBe("bad_request");

    await ok(host.socket, "breakout:open", { count: 2, minutes: 5, assignment: { [a.peerId]: 1, [b.peerId]: 2 } });
    expect(await errorCode(host.socket, "breakout:open", { count: 2, minutes: 5, assignment: "auto" })).toBe("bad_request");
    expect(await errorCode(a.socket, "breakout:move", { peerId: b.peerId, room: 1 })).toBe("forbidden");
    expect(await errorCode(a.socket, "breakout:visit", { room: 2 })).toBe("forbidden");
    expect(await errorCode(a.socket, "breakout:broadcast", { text: "hi all" })).toBe("forbidden");
    expect(await errorCode(a.socket, "breakout:close", {})).toBe("forbidden");
    expect(await errorCode(host.socket, "breakout:move", { peerId: foreign, room: 1 })).toBe("not_found");
    expect(await errorCode(host.socket, "breakout:move", { peerId: b.peerId, room: 3 })).toBe("bad_request");
    expect(await errorCode(host.socket, "breakout:visit", { room: 3 })).toBe("bad_request");
    expect(await errorCode(host.socket, "breakout:broadcast", { text: "   " })).toBe("bad_request");
    expect(await errorCode(host.socket, "breakout:broadcast", { text: "x".repeat(301) })).toBe("bad_request");
    // Another session's host can't touch this room's breakouts (its own room has none).
    expect(await errorCode(other.host.socket, "breakout:move", { peerId: a.peerId, room: 1 })).toBe("not_found");
    // Rate-limited like the other host events; the room still works afterwards.
    let limited = false;
    for (let i = 0; i < 8 && !limited; i++) limited = (await send(host.socket, "breakout:broadcast", { text: `note ${i}` })).error?.code === "rate_limited";
    expect(limited).toBe(true);
    await ok(host.socket, "breakout:close", {});
    expect((await consume(a, b)).error).toBeUndefined();
  });
});

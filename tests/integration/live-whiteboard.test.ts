/**
 * The live whiteboard against the REAL server (Express + socket.io + Lucia cookies +
 * mediasoup) and the real database: draw → the others receive it; only moderators and the
 * participants they allow draw; undo; clear; late joiners and a restarted server get the
 * board; malformed and oversized ops refused; another session's board untouched; the PDF
 * (access rules; read back with pdftotext).
 *
 * Run: npx vitest run tests/integration/live-whiteboard.test.ts
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prisma } from "~/domains/db.server";
import { simplifyStroke } from "~/domains/live/board";
import { classroom as makeClassroom, cookieFor, errorCode, joined, makeSession, makeUser, next, ok, send, startLiveServer, stopLiveServer, type Harness } from "./live-helpers.js";

let h: Harness;

beforeAll(async () => {
  h = await startLiveServer();
}, 60_000);

afterAll(async () => {
  await stopLiveServer(h);
}, 30_000);

const classroom = (learners = 2) => makeClassroom(h, learners, { hostName: "Board Host", learnerName: "Drawer", title: "焊接 whiteboard class" });

const stroke = (n = 3) => ({ kind: "stroke", color: 1, width: 1, points: Array.from({ length: n * 2 }, (_, i) => (i * 37) % 4096) });
const text = (t: string) => ({ kind: "text", color: 2, size: 1, points: [400, 600], text: t });

describe("live whiteboard", () => {
  it("the host opens the board and draws; everyone else receives the op, small on the wire", async () => {
    const { hostSocket, learners, session, host } = await classroom(2);
    const [a, b] = learners as [any, any];
    expect((await ok(hostSocket, "board:set", { open: true, blank: true })).state).toMatchObject({ open: true, blank: true, page: 0, drawers: [] });

    const atA = next(a, "board:op");
    const atB = next(b, "board:op");
    let echoed = 0;
    hostSocket.on("board:op", () => echoed++);
    const { op } = await ok(hostSocket, "board:draw", { page: 0, op: stroke(20) });
    expect(op).toMatchObject({ kind: "stroke", page: 0, by: host.id, color: 1, width: 1 });
    expect(op.points).toHaveLength(40);
    const got = await atA;
    expect(got.op).toEqual(op);
    expect((await atB).op.id).toBe(op.id);
    // A 20-point stroke is a few hundred bytes on the wire.
    expect(JSON.stringify(got).length).toBeLessThan(400);

    const { op: written } = await ok(hostSocket, "board:draw", { page: 0, op: text("Bevel 30° 坡口") });
    expect(written.text).toBe("Bevel 30° 坡口");
    expect(Number(written.id)).toBeGreaterThan(Number(op.id));
    await new Promise((r) => setTimeout(r, 200));
    expect(echoed).toBe(0); // the drawer has its op in the ack, not twice

    const rows = await prisma.liveBoardOp.findMany({ where: { sessionId: session.id }, orderBy: { id: "asc" } });
    expect(rows.map((r) => r.userId)).toEqual([host.id, host.id]);
    expect(rows[1]!.data).toMatchObject({ kind: "text", text: "Bevel 30° 坡口" });
  });

  it("a participant may not draw until the host allows it; forbidding stops them again", async () => {
    const { hostSocket, learners, learnerSides, session, people } = await classroom(2);
    const [a, b] = learners as [any, any];
    await ok(hostSocket, "board:set", { open: true });
    expect(await errorCode(a, "board:draw", { page: 0, op: stroke() })).toBe("forbidden");
    expect(await errorCode(a, "board:laser", { x: 10, y: 10 })).toBe("forbidden");
    // Learners can't change the board or the permissions either.
    expect(await errorCode(a, "board:set", { open: false })).toBe("forbidden");
    expect(await errorCode(a, "board:allow", { peerId: learnerSides[1]!.data.peerId, allowed: true })).toBe("forbidden");
    expect(await errorCode(a, "board:clear", { page: 0 })).toBe("forbidden");
    expect(await prisma.liveBoardOp.count({ where: { sessionId: session.id } })).toBe(0);

    const stateAtB = next(b, "board:state", 6_000, (m: any) => m.state.drawers.length === 1);
    const { state } = await ok(hostSocket, "board:allow", { peerId: learnerSides[0]!.data.peerId, allowed: true });
    expect(state.drawers).toEqual([people[0]!.id]);
    expect((await stateAtB).state.drawers).toEqual([people[0]!.id]);

    const atHost = next(hostSocket, "board:op");
    const { op } = await ok(a, "board:draw", { page: 0, op: stroke() });
    expect(op.by).toBe(people[0]!.id);
    expect((await atHost).op.id).toBe(op.id);
    // The laser is relayed, never stored.
    const laser = next(b, "board:laser");
    await ok(a, "board:laser", { x: 2048, y: 1000 });
    expect(await laser).toEqual({ by: people[0]!.id, x: 2048, y: 1000 });
    expect(await prisma.liveBoardOp.count({ where: { sessionId: session.id } })).toBe(1);
    // The other learner still may not.
    expect(await errorCode(b, "board:draw", { page: 0, op: stroke() })).toBe("forbidden");

    await ok(hostSocket, "board:allow", { peerId: learnerSides[0]!.data.peerId, allowed: false });
    expect(await errorCode(a, "board:draw", { page: 0, op: stroke() })).toBe("forbidden");
    expect(await errorCode(a, "board:laser", { x: 1, y: 1 })).toBe("forbidden");
    // A closed board takes no drawing, not even the host's.
    await ok(hostSocket, "board:set", { open: false });
    expect(await errorCode(hostSocket, "board:draw", { page: 0, op: stroke() })).toBe("bad_request");
    expect(await prisma.liveBoardOp.count({ where: { sessionId: session.id } })).toBe(1);
  });

  it("undo takes back your own last op only; clear wipes a page; both reach the others", async () => {
    const { hostSocket, learners, learnerSides, session } = await classroom(1);
    const [a] = learners as [any];
    await ok(hostSocket, "board:set", { open: true });
    await ok(hostSocket, "board:allow", { peerId: learnerSides[0]!.data.peerId, allowed: true });
    const { op: hostOp } = await ok(hostSocket, "board:draw", { page: 0, op: stroke() });
    const { op: mine1 } = await ok(a, "board:draw", { page: 0, op: stroke() });
    const { op: mine2 } = await ok(a, "board:draw", { page: 0, op: text("second") });

    const removed = next(hostSocket, "board:removed");
    expect((await ok(a, "board:undo", {})).opId).toBe(mine2.id);
    expect((await removed).opIds).toEqual([mine2.id]);
    expect((await ok(a, "board:undo", {})).opId).toBe(mine1.id);
    // Nothing of mine is left: the host's op stays.
    expect((await ok(a, "board:undo", {})).opId).toBeNull();
    expect((await ok(a, "board:page", { page: 0 })).ops.map((o: any) => o.id)).toEqual([hostOp.id]);

    await ok(hostSocket, "board:draw", { page: 1, op: text("page two") });
    const cleared = next(a, "board:cleared");
    await ok(hostSocket, "board:clear", { page: 0 });
    expect((await cleared).page).toBe(0);
    expect((await ok(a, "board:page", { page: 0 })).ops).toEqual([]);
    expect((await ok(a, "board:page", { page: 1 })).ops.map((o: any) => o.text)).toEqual(["page two"]);
    // Undone and cleared ops stay in the table, marked.
    expect(await prisma.liveBoardOp.count({ where: { sessionId: session.id, removedAt: { not: null } } })).toBe(3);
  });

  it("a late joiner and a resumed peer get the current page in room:join; turning the page", async () => {
    const host = await makeUser("expert");
    const late = await makeUser("learner");
    const session = await makeSession(host.id, { invite: [late.id] });
    const hostSide = await joined(h, host.id, session.id);
    expect(hostSide.data.board).toEqual({ state: { open: false, blank: true, page: 0, drawers: [] }, ops: [] });
    await ok(hostSide.socket, "board:set", { open: true, blank: false });
    const { op: first } = await ok(hostSide.socket, "board:draw", { page: 0, op: stroke(5) });
    const { op: second } = await ok(hostSide.socket, "board:draw", { page: 0, op: { kind: "shape", shape: "arrow", color: 0, width: 2, points: [10, 10, 3000, 2000] } });

    const lateSide = await joined(h, late.id, session.id);
    expect(lateSide.data.board.state).toMatchObject({ open: true, blank: false, page: 0 });
    expect(lateSide.data.board.ops).toEqual([first, second]);

    const turned = next(lateSide.socket, "board:state", 6_000, (m: any) => m.state.page === 3);
    await ok(hostSide.socket, "board:set", { page: 3 });
    await turned;
    await ok(hostSide.socket, "board:draw", { page: 3, op: text("three") });
    lateSide.socket.disconnect();
    const again = await joined(h, late.id, session.id, { resume: lateSide.data.peerId });
    expect(again.data.board.state.page).toBe(3);
    expect(again.data.board.ops.map((o: any) => o.text)).toEqual(["three"]);
  });

  it("refuses malformed and oversized ops without crashing, and keeps serving", async () => {
    const { hostSocket, session } = await classroom(0);
    await ok(hostSocket, "board:set", { open: true });
    // Requests are rate-limited per person before parsing: spread the bad ones over admins.
    const admins = [];
    for (let i = 0; i < 3; i++) admins.push((await joined(h, (await makeUser("admin")).id, session.id)).socket);
    const bad: unknown[] = [
      undefined,
      null,
      "draw",
      [],
      {},
      { page: 0 },
      { page: 0, op: {} },
      { page: -1, op: stroke() },
      { page: 20, op: stroke() },
      { page: 0.5, op: stroke() },
      { page: 0, op: { ...stroke(), kind: "blob" } },
      { page: 0, op: { ...stroke(), points: [1] } },
      { page: 0, op: { ...stroke(), points: [1, 2, 3] } },
      { page: 0, op: { ...stroke(), points: [1, 4096] } },
      { page: 0, op: { ...stroke(), points: [1, -1] } },
      { page: 0, op: { ...stroke(), points: [1.5, 2] } },
      { page: 0, op: { ...stroke(), points: ["1", "2"] } },
      { page: 0, op: { ...stroke(401) } }, // 401 points: over the cap
      { page: 0, op: { ...stroke(), color: 99 } },
      { page: 0, op: { ...stroke(), width: 4 } },
      { page: 0, op: { ...stroke(), extra: true } },
      { page: 0, op: stroke(), extra: true },
      { page: 0, op: { kind: "shape", shape: "star", color: 0, width: 0, points: [1, 2, 3, 4] } },
      { page: 0, op: { kind: "shape", shape: "rect", color: 0, width: 0, points: [1, 2, 3] } },
      { page: 0, op: text("x".repeat(201)) },
      { page: 0, op: text("   ") },
      { page: 0, op: text("\u0000\u0001") },
      { page: 0, op: { ...text("a"), text: { toString: 1 } } },
      { page: 0, op: { ...text("a"), points: [1, 2, 3, 4] } },
    ];
    for (const [i, payload] of bad.entries()) expect(await errorCode(admins[i % 3]!, "board:draw", payload), JSON.stringify(payload)).toBe("bad_request");
    // A huge payload: refused (socket.io's buffer limit or the schema), never a crash.
    const huge = await send(admins[0]!, "board:draw", { page: 0, op: { ...stroke(), points: new Array(200_000).fill(1) } }).catch(() => ({ error: { code: "disconnected" } }));
    expect(huge.error?.code).toBeTruthy();
    expect(await errorCode(hostSocket, "board:laser", { x: 5000, y: 0 })).toBe("bad_request");
    expect(await errorCode(hostSocket, "board:set", { page: 99 })).toBe("bad_request");
    expect(await errorCode(hostSocket, "board:allow", { peerId: "not-a-peer", allowed: true })).toBe("bad_request");
    expect(await errorCode(hostSocket, "board:allow", { peerId: "00000000-0000-4000-8000-000000000000", allowed: true })).toBe("not_found");
    expect(await prisma.liveBoardOp.count({ where: { sessionId: session.id } })).toBe(0);
    // Control characters are dropped from text; the server still answers.
    const { op } = await ok(hostSocket, "board:draw", { page: 0, op: text("ok\u0000 then") });
    expect(op.text).toBe("ok then");
  });

  it("another session's board is untouched: peers, undo and clear act on the socket's own session only", async () => {
    const one = await classroom(1);
    const two = await classroom(1);
    await ok(one.hostSocket, "board:set", { open: true });
    await ok(two.hostSocket, "board:set", { open: true });
    await ok(one.hostSocket, "board:draw", { page: 0, op: text("room one") });
    // A peer of the other room can't be allowed from here.
    expect(await errorCode(two.hostSocket, "board:allow", { peerId: one.learnerSides[0]!.data.peerId, allowed: true })).toBe("not_found");
    let leaked = 0;
    two.learners[0]!.on("board:op", () => leaked++);
    await ok(one.hostSocket, "board:draw", { page: 0, op: text("room one again") });
    await ok(two.hostSocket, "board:clear", { page: 0 });
    expect((await ok(two.hostSocket, "board:undo", {})).opId).toBeNull();
    expect((await ok(one.learners[0]!, "board:page", { page: 0 })).ops.map((o: any) => o.text)).toEqual(["room one", "room one again"]);
    expect((await ok(two.learners[0]!, "board:page", { page: 0 })).ops).toEqual([]);
    expect(leaked).toBe(0);
  });

  it("rate-limits drawing and the laser per person", async () => {
    const { hostSocket } = await classroom(0);
    await ok(hostSocket, "board:set", { open: true });
    const lasers = await Promise.all(Array.from({ length: 40 }, (_, i) => send(hostSocket, "board:laser", { x: i, y: i })));
    expect(lasers.filter((r) => r.error?.code === "rate_limited").length).toBeGreaterThan(0);
    const draws = await Promise.all(Array.from({ length: 30 }, () => send(hostSocket, "board:draw", { page: 0, op: stroke() })));
    expect(draws.filter((r) => r.data).length).toBeGreaterThanOrEqual(20);
    expect(draws.filter((r) => r.error?.code === "rate_limited").length).toBeGreaterThan(0);
  });

  it("the board survives a server restart", async () => {
    const host = await makeUser("expert");
    const session = await makeSession(host.id);
    const hostSide = await joined(h, host.id, session.id);
    await ok(hostSide.socket, "board:set", { open: true });
    const { op } = await ok(hostSide.socket, "board:draw", { page: 0, op: text("kept") });
    hostSide.socket.disconnect();
    await stopLiveServer(h);
    h = await startLiveServer();
    const back = await joined(h, host.id, session.id);
    expect(back.data.board.state.open).toBe(true);
    expect(back.data.board.ops).toEqual([op]);
  }, 60_000);

  it("board.pdf: the session's host, participants and admins; the text op's text in the PDF", async () => {
    const { host, hostSocket, learners, learnerSides, session, people } = await classroom(1);
    await ok(hostSocket, "board:set", { open: true });
    await ok(hostSocket, "board:allow", { peerId: learnerSides[0]!.data.peerId, allowed: true });
    await ok(hostSocket, "board:draw", { page: 0, op: text("Root gap 2 mm 根部间隙") });
    await ok(hostSocket, "board:draw", { page: 0, op: { kind: "shape", shape: "ellipse", color: 1, width: 1, points: [100, 100, 900, 700] } });
    await ok(learners[0]!, "board:draw", { page: 0, op: { kind: "stroke", color: 3, width: 2, points: simplifyStroke([0, 0, 10, 10, 20, 20, 30, 31, 40, 40]) } });
    await ok(hostSocket, "board:draw", { page: 2, op: text("Third page") });
    await ok(hostSocket, "board:draw", { page: 2, op: text("Undone words") });
    await ok(hostSocket, "board:undo", {});

    const url = `${h.url}/sessions/${session.id}/board.pdf`;
    const get = async (userId: string | null) => fetch(url, { redirect: "manual", headers: userId ? { cookie: await cookieFor(userId) } : {} });
    const res = await get(host.id);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/pdf");
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "board-pdf-")), "board.pdf");
    fs.writeFileSync(file, Buffer.from(await res.arrayBuffer()));
    const info = execFileSync("pdfinfo", [file], { encoding: "utf8" });
    expect(info).toMatch(/Pages:\s+2/);
    const textOut = execFileSync("pdftotext", ["-layout", file, "-"], { encoding: "utf8" });
    expect(textOut).toContain("Root gap 2 mm 根部间隙");
    expect(textOut).toContain("Third page");
    expect(textOut).not.toContain("Undone words");
    expect(textOut).toContain("焊接 whiteboard class");

    expect((await get(people[0]!.id)).status).toBe(200);
    expect((await get((await makeUser("admin")).id)).status).toBe(200);
    // Someone else: a learner not in the session, another expert.
    expect((await get((await makeUser("learner")).id)).status).toBe(403);
    expect((await get((await makeUser("expert")).id)).status).toBe(403);
    // Removed from the session: refused.
    await prisma.liveSessionInvite.update({ where: { sessionId_userId: { sessionId: session.id, userId: people[0]!.id } }, data: { banned: true } });
    expect((await get(people[0]!.id)).status).toBe(403);
    const anonymous = await get(null);
    expect(anonymous.status).toBeGreaterThanOrEqual(300);
    expect(anonymous.status).toBeLessThan(400);
    expect(anonymous.headers.get("location")).toMatch(/\/login/);
    expect((await fetch(`${h.url}/sessions/nope!/board.pdf`, { redirect: "manual", headers: { cookie: await cookieFor(host.id) } })).status).toBe(404);
    expect((await fetch(`${h.url}/sessions/cnotasession000000000000/board.pdf`, { redirect: "manual", headers: { cookie: await cookieFor(host.id) } })).status).toBe(404);
  });
});

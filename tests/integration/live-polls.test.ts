/**
 * Live-room polls against the REAL server (Express + socket.io + Lucia cookies + mediasoup)
 * and the real database: create / answer / close / release, anonymity, roles, another
 * session's poll, malformed payloads, late joiners.
 *
 * Run: npx vitest run tests/integration/live-polls.test.ts
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prisma } from "~/domains/db.server";
import { classroom as makeClassroom, cookieFor, errorCode, joined, makeSession, makeUser, next, ok, send, startLiveServer, stopLiveServer, type Harness } from "./live-helpers.js";

let h: Harness;

beforeAll(async () => {
  h = await startLiveServer();
}, 60_000);

afterAll(async () => {
  await stopLiveServer(h);
}, 30_000);

const classroom = (learners = 2) => makeClassroom(h, learners, { hostName: "Poll Host" });

describe("live polls", () => {
  it("create → everyone sees it; answers → live counts to the host only; close; release → everyone", async () => {
    const { hostSocket, learners, session, people } = await classroom(2);
    const [a, b] = learners as [any, any];
    const opened = next(a, "poll:opened");
    const { poll } = await ok(hostSocket, "poll:create", { question: "Which gas?", kind: "single", options: ["Argon", "CO2", "Helium"] });
    expect(poll).toMatchObject({ question: "Which gas?", kind: "single", options: ["Argon", "CO2", "Helium"], anonymous: false, status: "open" });
    expect((await opened).poll.id).toBe(poll.id);

    // The learners never get live results.
    let learnerResults = 0;
    a.on("poll:results", () => learnerResults++);

    const live = next(hostSocket, "poll:results", 6_000, (m: any) => m.results.total === 2);
    await ok(a, "poll:answer", { pollId: poll.id, choices: [0] });
    await ok(b, "poll:answer", { pollId: poll.id, choices: [2] });
    expect((await live).results).toMatchObject({ pollId: poll.id, total: 2, counts: [1, 0, 1] });

    // Changing an answer replaces it (one answer per person).
    const changed = next(hostSocket, "poll:results", 6_000, (m: any) => m.results.counts[1] === 1);
    await ok(b, "poll:answer", { pollId: poll.id, choices: [1] });
    expect((await changed).results).toMatchObject({ total: 2, counts: [1, 1, 0] });
    expect(await prisma.livePollAnswer.count({ where: { pollId: poll.id } })).toBe(2);

    // Single choice takes one option; out-of-range options are refused.
    expect(await errorCode(a, "poll:answer", { pollId: poll.id, choices: [0, 1] })).toBe("bad_request");
    expect(await errorCode(a, "poll:answer", { pollId: poll.id, choices: [5] })).toBe("bad_request");
    expect(await errorCode(a, "poll:answer", { pollId: poll.id, text: "argon" })).toBe("bad_request");

    const closed = next(a, "poll:closed");
    await ok(hostSocket, "poll:close", { pollId: poll.id });
    expect((await closed).pollId).toBe(poll.id);
    expect(await errorCode(a, "poll:answer", { pollId: poll.id, choices: [1] })).toBe("bad_request");

    const released = next(b, "poll:released");
    const { poll: after } = await ok(hostSocket, "poll:release", { pollId: poll.id });
    expect(after.status).toBe("released");
    const r = await released;
    expect(r.poll.id).toBe(poll.id);
    expect(r.results).toMatchObject({ total: 2, counts: [1, 1, 0] });
    expect(learnerResults).toBe(0);

    const row = await prisma.livePoll.findUniqueOrThrow({ where: { id: poll.id } });
    expect(row.sessionId).toBe(session.id);
    expect(row.status).toBe("released");
    expect(row.closedAt).not.toBeNull();
    const answers = await prisma.livePollAnswer.findMany({ where: { pollId: poll.id } });
    expect(answers.map((x) => x.userId).sort()).toEqual(people.map((p) => p.id).sort());
  });

  it("multiple choice and true/false", async () => {
    const { hostSocket, learners } = await classroom(2);
    const [a, b] = learners as [any, any];
    const { poll } = await ok(hostSocket, "poll:create", { question: "Safety gear?", kind: "multiple", options: ["Gloves", "Mask", "Apron"] });
    const live = next(hostSocket, "poll:results", 6_000, (m: any) => m.results.total === 2);
    await ok(a, "poll:answer", { pollId: poll.id, choices: [0, 1, 1] });
    await ok(b, "poll:answer", { pollId: poll.id, choices: [1, 2] });
    expect((await live).results.counts).toEqual([1, 2, 1]);
    await ok(hostSocket, "poll:close", { pollId: poll.id });

    const { poll: tf } = await ok(hostSocket, "poll:create", { question: "Argon is inert", kind: "true_false" });
    expect(tf.options).toEqual([]);
    const tfLive = next(hostSocket, "poll:results", 6_000, (m: any) => m.results.pollId === tf.id && m.results.total === 2);
    await ok(a, "poll:answer", { pollId: tf.id, choices: [0] });
    await ok(b, "poll:answer", { pollId: tf.id, choices: [0] });
    expect(await errorCode(b, "poll:answer", { pollId: tf.id, choices: [2] })).toBe("bad_request");
    expect((await tfLive).results.counts).toEqual([2, 0]);
  });

  it("short answers: names to the host unless anonymous; released results never carry names", async () => {
    const { hostSocket, learners } = await classroom(2);
    const [a, b] = learners as [any, any];
    const { poll } = await ok(hostSocket, "poll:create", { question: "One word?", kind: "short" });
    const live = next(hostSocket, "poll:results", 6_000, (m: any) => m.results.total === 1);
    await ok(a, "poll:answer", { pollId: poll.id, text: "  sparks\u0000 " });
    const named = (await live).results;
    expect(named.answers).toEqual([{ name: "Learner 1", text: "sparks" }]);
    expect(await errorCode(b, "poll:answer", { pollId: poll.id, text: "x".repeat(201) })).toBe("bad_request");
    expect(await errorCode(b, "poll:answer", { pollId: poll.id, text: "   " })).toBe("bad_request");
    const released = next(b, "poll:released");
    await ok(hostSocket, "poll:release", { pollId: poll.id });
    expect((await released).results.answers).toEqual([{ name: null, text: "sparks" }]);

    const { poll: anon } = await ok(hostSocket, "poll:create", { question: "Honestly?", kind: "short", anonymous: true });
    expect(anon.anonymous).toBe(true);
    const anonLive = next(hostSocket, "poll:results", 6_000, (m: any) => m.results.pollId === anon.id && m.results.total === 2);
    await ok(a, "poll:answer", { pollId: anon.id, text: "too fast" });
    await ok(b, "poll:answer", { pollId: anon.id, text: "fine" });
    const anonResults = (await anonLive).results;
    expect(anonResults.answers.map((x: any) => x.name)).toEqual([null, null]);
    expect(JSON.stringify(anonResults)).not.toMatch(/Learner/);
  });

  it("only moderators create, close and release; learners may not", async () => {
    const { hostSocket, learners } = await classroom(1);
    const [a] = learners as [any];
    expect(await errorCode(a, "poll:create", { question: "Mine?", kind: "true_false" })).toBe("forbidden");
    const { poll } = await ok(hostSocket, "poll:create", { question: "Ready?", kind: "true_false" });
    expect(await errorCode(a, "poll:close", { pollId: poll.id })).toBe("forbidden");
    expect(await errorCode(a, "poll:release", { pollId: poll.id })).toBe("forbidden");
    // One open poll at a time.
    expect(await errorCode(hostSocket, "poll:create", { question: "Another?", kind: "true_false" })).toBe("bad_request");
    // Not joined: not_in_room.
    const outsider = await makeUser("learner");
    const { connect } = await import("./live-helpers.js");
    const lone = await connect(h, outsider.id);
    expect(await errorCode(lone, "poll:answer", { pollId: poll.id, choices: [0] })).toBe("not_in_room");
    expect(await prisma.livePoll.count({ where: { question: "Mine?" } })).toBe(0);
  });

  it("refuses another session's poll id (answer, close, release)", async () => {
    const one = await classroom(1);
    const two = await classroom(1);
    const { poll } = await ok(one.hostSocket, "poll:create", { question: "Room one only", kind: "true_false" });
    expect(await errorCode(two.learners[0]!, "poll:answer", { pollId: poll.id, choices: [0] })).toBe("not_found");
    expect(await errorCode(two.hostSocket, "poll:close", { pollId: poll.id })).toBe("not_found");
    expect(await errorCode(two.hostSocket, "poll:release", { pollId: poll.id })).toBe("not_found");
    expect(await prisma.livePollAnswer.count({ where: { pollId: poll.id } })).toBe(0);
    expect((await prisma.livePoll.findUniqueOrThrow({ where: { id: poll.id } })).status).toBe("open");
  });

  it("answers malformed payloads with bad_request and keeps serving", async () => {
    const { hostSocket, learners, session } = await classroom(2);
    const [a, b] = learners as [any, any];
    // Requests are rate-limited per person before parsing (5 poll:create): spread the bad ones over admins.
    const admins = [];
    for (let i = 0; i < 4; i++) admins.push((await joined(h, (await makeUser("admin")).id, session.id)).socket);
    const bad: unknown[] = [
      undefined,
      null,
      "poll",
      42,
      [],
      {},
      { question: "", kind: "single", options: ["a", "b"] },
      { question: "Q", kind: "single", options: ["a"] },
      { question: "Q", kind: "single", options: ["a", "a"] },
      { question: "Q", kind: "single", options: Array.from({ length: 11 }, (_, i) => `o${i}`) },
      { question: "Q", kind: "single", options: ["x".repeat(101), "b"] },
      { question: "Q", kind: "true_false", options: ["yes", "no"] },
      { question: "Q", kind: "essay" },
      { question: "Q", kind: "short", extra: 1 },
      { question: { toString: 1 }, kind: "short" },
      { question: "x".repeat(5_000), kind: "short" },
      { question: "Q", kind: "short", anonymous: "yes" },
    ];
    for (const [i, payload] of bad.entries()) expect(await errorCode(admins[i % 4]!, "poll:create", payload)).toBe("bad_request");
    const { poll } = await ok(hostSocket, "poll:create", { question: "Still works?", kind: "single", options: ["yes", "no"] });
    const badAnswers: unknown[] = [
      undefined,
      {},
      { pollId: poll.id },
      { pollId: poll.id, choices: [] },
      { pollId: poll.id, choices: [-1] },
      { pollId: poll.id, choices: [1.5] },
      { pollId: poll.id, choices: ["0"] },
      { pollId: poll.id, choices: [0], text: "both" },
      { pollId: "../etc", choices: [0] },
      { pollId: "x".repeat(65), choices: [0] },
      { pollId: poll.id, choices: Array.from({ length: 11 }, () => 0) },
    ];
    for (const [i, payload] of badAnswers.entries()) expect(await errorCode(i % 2 ? a : b, "poll:answer", payload)).toBe("bad_request");
    expect(await errorCode(a, "poll:answer", { pollId: "c0000000000000000000000000", choices: [0] })).toBe("not_found");
    expect(await errorCode(hostSocket, "poll:close", { pollId: 7 })).toBe("bad_request");
    await ok(a, "poll:answer", { pollId: poll.id, choices: [1] });
    await ok(hostSocket, "poll:close", { pollId: poll.id });
    expect(await errorCode(hostSocket, "poll:close", { pollId: poll.id })).toBe("bad_request");
  });

  it("a late joiner gets the open poll and their own answer in room:join; a moderator gets live results", async () => {
    const host = await makeUser("expert");
    const late = await makeUser("learner", "Late Learner");
    const early = await makeUser("learner", "Early Learner");
    const session = await makeSession(host.id, { invite: [late.id, early.id] });
    const hostSide = await joined(h, host.id, session.id);
    expect(hostSide.data.poll).toBeNull();
    const { poll } = await ok(hostSide.socket, "poll:create", { question: "Late?", kind: "single", options: ["a", "b"] });
    const earlySide = await joined(h, early.id, session.id);
    await ok(earlySide.socket, "poll:answer", { pollId: poll.id, choices: [1] });

    const lateSide = await joined(h, late.id, session.id);
    expect(lateSide.data.poll).toMatchObject({ poll: { id: poll.id, status: "open", question: "Late?" }, myAnswer: null, results: null });
    earlySide.socket.disconnect();
    const again = await joined(h, early.id, session.id);
    expect(again.data.poll).toMatchObject({ poll: { id: poll.id }, myAnswer: { choices: [1], text: null }, results: null });

    hostSide.socket.disconnect();
    const hostAgain = await joined(h, host.id, session.id);
    expect(hostAgain.data.poll.results).toMatchObject({ total: 1, counts: [0, 1] });

    await ok(hostAgain.socket, "poll:release", { pollId: poll.id });
    lateSide.socket.disconnect();
    const afterRelease = await joined(h, late.id, session.id);
    expect(afterRelease.data.poll).toMatchObject({ poll: { status: "released" }, results: { total: 1, counts: [0, 1] } });
  });

  it("two moderators creating at once: exactly one poll opens", async () => {
    const { hostSocket, session } = await classroom(0);
    const admin = await joined(h, (await makeUser("admin")).id, session.id);
    const results = await Promise.all([
      send(hostSocket, "poll:create", { question: "From the host", kind: "true_false" }),
      send(admin.socket, "poll:create", { question: "From the admin", kind: "true_false" }),
    ]);
    expect(results.filter((r) => r.data).length).toBe(1);
    expect(results.find((r) => r.error)?.error?.code).toBe("bad_request");
    expect(await prisma.livePoll.count({ where: { sessionId: session.id, status: "open" } })).toBe(1);
  });

  it("at most 20 polls per session", async () => {
    const { hostSocket } = await classroom(0);
    for (let i = 0; i < 20; i++) {
      // Straight into the database: the create rate limit (5 burst) would slow the test down.
      if (i === 0) {
        const { poll } = await ok(hostSocket, "poll:create", { question: "First", kind: "true_false" });
        await ok(hostSocket, "poll:close", { pollId: poll.id });
        continue;
      }
      const first = await prisma.livePoll.findFirstOrThrow({ where: { question: "First" }, orderBy: { createdAt: "desc" } });
      await prisma.livePoll.create({
        data: { sessionId: first.sessionId, createdBy: first.createdBy, question: `Q${i}`, kind: "true_false", status: "closed" },
      });
    }
    expect(await errorCode(hostSocket, "poll:create", { question: "Twenty-first", kind: "true_false" })).toBe("limit");
  });

  it("rate-limits poll requests per person", async () => {
    const { hostSocket, learners } = await classroom(1);
    const { poll } = await ok(hostSocket, "poll:create", { question: "Spam?", kind: "true_false" });
    const codes: string[] = [];
    for (let i = 0; i < 14; i++) {
      const res = await send(learners[0]!, "poll:answer", { pollId: poll.id, choices: [i % 2] });
      codes.push(res.error?.code ?? "ok");
    }
    expect(codes.filter((c) => c === "ok").length).toBeGreaterThanOrEqual(10);
    expect(codes).toContain("rate_limited");
  });

  it("the session's polls as CSV: host and admins only; anonymous polls without names", async () => {
    const { host, hostSocket, learners, session, people } = await classroom(1);
    const { poll } = await ok(hostSocket, "poll:create", { question: "=Named, \"quoted\"", kind: "single", options: ["Yes", "No"] });
    await ok(learners[0]!, "poll:answer", { pollId: poll.id, choices: [1] });
    await ok(hostSocket, "poll:release", { pollId: poll.id });
    const { poll: anon } = await ok(hostSocket, "poll:create", { question: "Secret", kind: "short", anonymous: true });
    await ok(learners[0]!, "poll:answer", { pollId: anon.id, text: "my secret" });
    const url = `${h.url}/sessions/${session.id}/polls.csv`;
    const get = async (userId: string | null) =>
      fetch(url, { redirect: "manual", headers: userId ? { cookie: await cookieFor(userId) } : {} });

    const res = await get(host.id);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/text\/csv/);
    const csv = await res.text();
    const lines = csv.replace(/^\uFEFF/, "").trim().split("\r\n");
    expect(lines).toHaveLength(3);
    // A leading "=" is neutralised (no spreadsheet formula); quotes doubled.
    expect(lines[1]).toContain(`"'=Named, ""quoted"""`);
    expect(lines[1]).toContain(`"Learner 1","No"`);
    expect(lines[2]).toContain(`"my secret"`);
    expect(lines[2]).not.toContain("Learner 1");

    const admin = await makeUser("admin");
    expect((await get(admin.id)).status).toBe(200);
    // The participant (invited, answered) and another expert may not download it.
    expect((await get(people[0]!.id)).status).toBe(403);
    expect((await get((await makeUser("expert")).id)).status).toBe(403);
    const anonymous = await get(null);
    expect(anonymous.status).toBeGreaterThanOrEqual(300);
    expect(anonymous.status).toBeLessThan(400);
    expect(anonymous.headers.get("location")).toMatch(/\/login/);
    expect((await fetch(`${h.url}/sessions/nope!/polls.csv`, { redirect: "manual", headers: { cookie: await cookieFor(host.id) } })).status).toBe(404);
  });
});

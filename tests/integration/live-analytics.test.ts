/**
 * Session analytics against the REAL server (Express + socket.io + Lucia cookies + mediasoup)
 * and the real database: two learners and the host join, hands are raised, the room's quality
 * tick reads the peers' producer scores, polls are answered; after they leave the LiveStat
 * rows hold the right figures, and the session page shows them to the host only.
 *
 * Fake RTP parameters carry no packets, so (as in live-link.test.ts) the score mediasoup
 * would compute is set on the producer's entry, and the AudioLevelObserver's "volumes" event
 * is emitted on the room's real observer with the real producers (no audio reaches the worker
 * from Node). The accumulator itself is unit-tested in tests/unit/live-stats.test.ts.
 *
 * Run: npx vitest run tests/integration/live-analytics.test.ts
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prisma } from "~/domains/db.server";
import { cookieFor, joined, makeSession, makeUser, ok, produceFake, startLiveServer, stopLiveServer, until, type Harness } from "./live-helpers.js";

let h: Harness;

beforeAll(async () => {
  // One quality sample per second (the tick reads every 2 s), writes every 0.5 s.
  h = await startLiveServer({ LIVE_STATS_SAMPLE_MS: "1000", LIVE_STATS_FLUSH_MS: "500" });
}, 60_000);

afterAll(async () => {
  await stopLiveServer(h);
}, 30_000);

async function page(sessionId: string, userId: string) {
  const res = await fetch(`${h.url}/sessions/${sessionId}`, { redirect: "manual", headers: { cookie: await cookieFor(userId), "accept-language": "en" } });
  return { status: res.status, html: await res.text() };
}

describe("session analytics", () => {
  it("records talk time, hands, quality samples and polls per person; the host sees them, a learner and another host don't", async () => {
    const host = await makeUser("expert", "Stats Host");
    const a = await makeUser("learner", "Ada Talker");
    const b = await makeUser("learner", "Bo Quiet");
    const session = await makeSession(host.id, { invite: [a.id, b.id] });
    const hostSide = await joined(h, host.id, session.id);
    const aSide = await joined(h, a.id, session.id);
    const bSide = await joined(h, b.id, session.id);
    const aMedia = await produceFake(aSide.socket, ["mic"], 51_000);
    const bMedia = await produceFake(bSide.socket, ["mic"], 52_000);

    const room = (h.server.live as any).rooms.get(session.id);
    const aPeer = room.getPeer(aSide.data.peerId);
    const bPeer = room.getPeer(bSide.data.peerId);
    // Ada's uplink is poor, Bo's good; the host produces nothing (quality "unknown").
    aPeer.getProducer(aMedia.ids.mic).score = 3;
    bPeer.getProducer(bMedia.ids.mic).score = 10;
    const observer = (room as any).audioObserver;
    await until(() => observer.listenerCount("volumes") > 0);
    const aMic = aPeer.getProducer(aMedia.ids.mic).producer;
    const bMic = bPeer.getProducer(bMedia.ids.mic).producer;
    // 3 intervals of Ada alone, 1 of both; a producer of no peer of this room counts for nobody.
    for (let i = 0; i < 3; i++) observer.emit("volumes", [{ producer: aMic, volume: -20 }]);
    observer.emit("volumes", [{ producer: aMic, volume: -25 }, { producer: bMic, volume: -30 }, { producer: { id: "elsewhere" }, volume: -10 }]);

    // Hands: Ada raises, raises again (no change), lowers, raises → 2; Bo once.
    await ok(aSide.socket, "hand:set", { raised: true });
    await ok(aSide.socket, "hand:set", { raised: true });
    await ok(aSide.socket, "hand:set", { raised: false });
    await ok(aSide.socket, "hand:set", { raised: true });
    await ok(bSide.socket, "hand:set", { raised: true });

    // Polls: two named (Ada answers both, Bo one), one anonymous (not counted per person).
    const { poll: p1 } = await ok(hostSide.socket, "poll:create", { question: "Ready?", kind: "true_false" });
    await ok(aSide.socket, "poll:answer", { pollId: p1.id, choices: [0] });
    await ok(bSide.socket, "poll:answer", { pollId: p1.id, choices: [1] });
    await ok(hostSide.socket, "poll:close", { pollId: p1.id });
    const { poll: p2 } = await ok(hostSide.socket, "poll:create", { question: "Honest?", kind: "true_false", anonymous: true });
    await ok(bSide.socket, "poll:answer", { pollId: p2.id, choices: [0] });
    await ok(hostSide.socket, "poll:close", { pollId: p2.id });
    const { poll: p3 } = await ok(hostSide.socket, "poll:create", { question: "Gas?", kind: "single", options: ["Argon", "CO2"] });
    await ok(aSide.socket, "poll:answer", { pollId: p3.id, choices: [0] });
    await ok(hostSide.socket, "poll:close", { pollId: p3.id });

    // Let the 2 s tick read qualities for a while: several 1 s windows.
    await new Promise((r) => setTimeout(r, 7_000));
    // Batches were written while they were in the room (flush every 0.5 s), not only at the end.
    const during = await prisma.liveStat.findUnique({ where: { sessionId_userId: { sessionId: session.id, userId: a.id } } });
    expect(during?.talkMs).toBe(3_200);

    aSide.socket.disconnect();
    bSide.socket.disconnect();
    await until(async () => (await prisma.attendance.count({ where: { sessionId: session.id, leftAt: null, userId: { in: [a.id, b.id] } } })) === 0);
    await (h.server.live as any).flush();

    const rows = await prisma.liveStat.findMany({ where: { sessionId: session.id } });
    const of = (id: string) => rows.find((r) => r.userId === id)!;
    expect(of(a.id)).toMatchObject({ talkMs: 3_200, hands: 2 });
    expect(of(b.id)).toMatchObject({ talkMs: 800, hands: 1 });
    const aSamples = of(a.id).quality as [number, string][];
    const bSamples = of(b.id).quality as [number, string][];
    expect(aSamples.length).toBeGreaterThanOrEqual(2);
    // (A tick between the join and the first score may have read "unknown".)
    expect(aSamples.filter((s) => s[1] === "poor").length).toBeGreaterThanOrEqual(2);
    expect(aSamples.filter((s) => s[1] !== "poor" && s[1] !== "unknown")).toEqual([]);
    expect(bSamples.filter((s) => s[1] === "good").length).toBeGreaterThanOrEqual(2);
    expect(bSamples.filter((s) => s[1] !== "good" && s[1] !== "unknown")).toEqual([]);
    // Oldest first, one per window, stamped within the test's time.
    const stamps = aSamples.map((s) => s[0]);
    expect([...stamps].sort((x, y) => x - y)).toEqual(stamps);
    expect(stamps[0]!).toBeGreaterThan(Date.now() / 1000 - 60);

    // The host's page: the table with every person's figures.
    const hostPage = await page(session.id, host.id);
    expect(hostPage.status).toBe(200);
    expect(hostPage.html).toContain('data-testid="session-analytics"');
    const row = (userId: string) => new RegExp(`data-testid="analytics-row" data-user-id="${userId}" data-talk-ms="(\\d+)" data-hands="(\\d+)" data-polls="(\\d+)"`).exec(hostPage.html);
    expect(row(a.id)?.slice(1)).toEqual(["3200", "2", "2"]);
    expect(row(b.id)?.slice(1)).toEqual(["800", "1", "1"]);
    expect(row(host.id)?.slice(1)).toEqual(["0", "0", "0"]);
    expect(hostPage.html).toMatch(/2 of 2/);
    expect(hostPage.html).toMatch(/good 0 % · fair 0 % · poor ([5-9]\d|100) %/);
    expect(hostPage.html).toContain("1 anonymous poll is not counted");
    expect(hostPage.html).toContain('data-testid="analytics-chart"');

    // A learner of the session: the page, but not the others' figures.
    const learnerPage = await page(session.id, a.id);
    expect(learnerPage.status).toBe(200);
    expect(learnerPage.html).toContain('data-testid="session-page"');
    expect(learnerPage.html).not.toContain("session-analytics");
    expect(learnerPage.html).not.toContain("analytics-row");
    expect(learnerPage.html).not.toContain("Bo Quiet");

    // Another session's host: refused, nothing shown.
    const otherHost = await makeUser("expert", "Other Host");
    await makeSession(otherHost.id);
    const other = await page(session.id, otherHost.id);
    expect(other.status).toBe(403);
    expect(other.html).not.toContain("analytics-row");
    expect(other.html).not.toContain("Ada Talker");

    // The same figures as CSV: the host gets them; the learner and the other host do not.
    expect(hostPage.html).toContain(`/sessions/${session.id}/analytics.csv`);
    const csv = async (userId: string) => fetch(`${h.url}/sessions/${session.id}/analytics.csv`, { redirect: "manual", headers: { cookie: await cookieFor(userId), "accept-language": "en" } });
    const hostCsv = await csv(host.id);
    expect(hostCsv.status).toBe(200);
    expect(hostCsv.headers.get("content-type")).toContain("text/csv");
    const lines = (await hostCsv.text()).replace(/^\uFEFF/, "").trim().split("\r\n").map((l) => l.split(","));
    expect(lines[0]).toEqual(["Name", "Minutes attended", "Talk time (s)", "Hands raised", "Polls answered", "Polls held", "Readings good", "Readings fair", "Readings poor", "No reading"]);
    const ada = lines.find((l) => l[0] === "Ada Talker")!;
    expect(ada.slice(2, 6)).toEqual(["3", "2", "2", "2"]);
    expect(lines.find((l) => l[0] === "Bo Quiet")!.slice(2, 6)).toEqual(["1", "1", "1", "2"]);
    expect((await csv(a.id)).status).toBe(403);
    expect((await csv(otherHost.id)).status).toBe(403);
    expect((await fetch(`${h.url}/sessions/${session.id}/analytics.csv`, { redirect: "manual" })).status).toBe(302);

    // Leaving: the host goes too; the figures stay.
    hostSide.socket.disconnect();
    await until(async () => (await prisma.attendance.count({ where: { sessionId: session.id, leftAt: null } })) === 0);
    await (h.server.live as any).flush();
    expect((await prisma.liveStat.findMany({ where: { sessionId: session.id, userId: a.id } }))[0]).toMatchObject({ talkMs: 3_200, hands: 2 });
  });

  it("a batch adds to an existing row (several processes write the same row)", async () => {
    const { addLiveStats } = await import("~/domains/live/stats.server");
    const host = await makeUser("expert");
    const session = await makeSession(host.id);
    await addLiveStats([{ sessionId: session.id, userId: host.id, talkMs: 1000, hands: 1, samples: [[10, "good"]] }]);
    await addLiveStats([{ sessionId: session.id, userId: host.id, talkMs: 500, hands: 2, samples: [[40, "poor"]] }]);
    // A person deleted meanwhile: skipped, not an error.
    await addLiveStats([{ sessionId: session.id, userId: "no-such-user", talkMs: 1, hands: 0, samples: [] }]);
    const row = await prisma.liveStat.findUniqueOrThrow({ where: { sessionId_userId: { sessionId: session.id, userId: host.id } } });
    expect(row).toMatchObject({ talkMs: 1500, hands: 3, quality: [[10, "good"], [40, "poor"]] });
  });
});

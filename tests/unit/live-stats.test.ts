/**
 * Session analytics accumulator (server/live/stats.ts): talk time from fake AudioLevelObserver
 * "volumes" events, hands, one quality sample per window (the worst), batches.
 *
 * Run: npx vitest run tests/unit/live-stats.test.ts
 */
import { describe, expect, it } from "vitest";
import { StatsAccumulator, talkCredit, worseQuality } from "../../server/live/stats";

const S = "session-1";

describe("talk time", () => {
  it("credits one interval to each distinct person listed in a volumes event", () => {
    expect([...talkCredit(["a", "b", "a"], 800)]).toEqual([["a", 800], ["b", 800]]);
    expect(talkCredit([], 800).size).toBe(0);
  });

  it("adds up over events; silence (no event) adds nothing; another session is separate", () => {
    const acc = new StatsAccumulator(30_000);
    for (let i = 0; i < 10; i++) acc.volumes(S, ["host"], 800); // 8 s of the host talking
    acc.volumes(S, ["host", "learner"], 800);
    acc.volumes(S, ["learner", "learner"], 800); // two microphones of one person: once
    acc.volumes("other", ["host"], 800);
    const rows = acc.take();
    expect(rows.find((r) => r.sessionId === S && r.userId === "host")!.talkMs).toBe(8_800);
    expect(rows.find((r) => r.sessionId === S && r.userId === "learner")!.talkMs).toBe(1_600);
    expect(rows.find((r) => r.sessionId === "other")!.talkMs).toBe(800);
    // Taken: the next batch has nothing.
    expect(acc.take()).toEqual([]);
  });
});

describe("hands and quality", () => {
  it("counts hands; a sample per window is the worst quality seen in it", () => {
    const acc = new StatsAccumulator(30_000);
    acc.handRaised(S, "a");
    acc.handRaised(S, "a");
    const t0 = 1_700_000_000_000;
    // Window 1: good, good, fair → fair.
    acc.quality(S, "a", "good", t0);
    acc.quality(S, "a", "good", t0 + 2_000);
    acc.quality(S, "a", "fair", t0 + 28_000);
    // Window 2 starts at the first reading 30 s later: unknown, poor, good → poor.
    acc.quality(S, "a", "unknown", t0 + 30_000);
    acc.quality(S, "a", "poor", t0 + 40_000);
    acc.quality(S, "a", "good", t0 + 50_000);
    // Window 3: only unknown → unknown; closed when the person leaves.
    acc.quality(S, "a", "unknown", t0 + 62_000);
    let rows = acc.take();
    expect(rows).toEqual([{ sessionId: S, userId: "a", talkMs: 0, hands: 2, samples: [[t0 / 1000, "fair"], [t0 / 1000 + 30, "poor"]] }]);
    acc.left(S, "a");
    rows = acc.take();
    expect(rows).toEqual([{ sessionId: S, userId: "a", talkMs: 0, hands: 0, samples: [[t0 / 1000 + 62, "unknown"]] }]);
    expect(acc.take()).toEqual([]);
  });

  it("take() of one person leaves the others' figures for the next batch", () => {
    const acc = new StatsAccumulator(30_000);
    acc.volumes(S, ["a", "b"], 800);
    acc.left(S, "a");
    expect(acc.take({ sessionId: S, userId: "a" }).map((r) => r.userId)).toEqual(["a"]);
    expect(acc.take().map((r) => [r.userId, r.talkMs])).toEqual([["b", 800]]);
  });

  it("tick() ends windows that are old enough, so a flush carries them", () => {
    const acc = new StatsAccumulator(30_000);
    acc.quality(S, "a", "good", 0);
    acc.tick(29_999);
    expect(acc.take()).toEqual([]);
    acc.tick(30_000);
    expect(acc.take()).toEqual([{ sessionId: S, userId: "a", talkMs: 0, hands: 0, samples: [[0, "good"]] }]);
  });

  it("worse of two: poor > fair > good > unknown", () => {
    expect(worseQuality("good", "poor")).toBe("poor");
    expect(worseQuality("fair", "good")).toBe("fair");
    expect(worseQuality("unknown", "good")).toBe("good");
    expect(worseQuality("good", "unknown")).toBe("good");
    expect(worseQuality("unknown", "unknown")).toBe("unknown");
  });
});

import { describe, expect, it } from "vitest";
import { addSample, ASK_AGAIN_AFTER_MS, prejoinAdvice, shouldSuggestDataSaver, worseQuality, type QualitySample } from "../../app/domains/live/client/advice";
import type { Quality } from "../../server/live/protocol";

/** One sample every 3 s (the room client's measurement interval), starting at t = 0. */
function series(qualities: Quality[], stepMs = 3_000): QualitySample[] {
  return qualities.map((quality, i) => ({ at: i * stepMs, quality }));
}
const opts = (now: number, extra: Partial<{ dataSaver: "off" | "low" | "audio"; dismissedAt: number | null }> = {}) => ({
  now,
  dataSaver: "off" as const,
  dismissedAt: null,
  ...extra,
});

describe("in-room data-saver suggestion", () => {
  it("suggests after ~10 s of a poor link, not before", () => {
    const s = series(["good", "poor", "poor", "poor", "poor"]); // poor from 3 s to 12 s
    expect(shouldSuggestDataSaver(s.slice(0, 4), opts(9_000))).toBe(false); // 6 s poor
    expect(shouldSuggestDataSaver(s, opts(12_000))).toBe(false); // 9 s poor
    expect(shouldSuggestDataSaver([...s, { at: 15_000, quality: "poor" }], opts(15_000))).toBe(true); // 12 s
  });

  it("a good or fair reading ends the run; an 'unknown' one neither counts nor breaks it", () => {
    expect(shouldSuggestDataSaver(series(["poor", "poor", "fair", "poor", "poor", "poor"]), opts(15_000))).toBe(false);
    expect(shouldSuggestDataSaver(series(["poor", "poor", "unknown", "poor", "unknown", "poor"]), opts(15_000))).toBe(true);
    // The link recovered at the last reading: no advice.
    expect(shouldSuggestDataSaver(series(["poor", "poor", "poor", "poor", "poor", "good"]), opts(15_000))).toBe(false);
    // Only unknown readings: nothing to go on.
    expect(shouldSuggestDataSaver(series(["unknown", "unknown", "unknown", "unknown", "unknown"]), opts(12_000))).toBe(false);
  });

  it("never while a data saver is on, and not again within 10 minutes of 'Not now'", () => {
    const poor = series(["poor", "poor", "poor", "poor", "poor", "poor"]);
    expect(shouldSuggestDataSaver(poor, opts(15_000, { dataSaver: "low" }))).toBe(false);
    expect(shouldSuggestDataSaver(poor, opts(15_000, { dataSaver: "audio" }))).toBe(false);
    expect(shouldSuggestDataSaver(poor, opts(15_000, { dismissedAt: 14_000 }))).toBe(false);
    const later = 14_000 + ASK_AGAIN_AFTER_MS;
    const stillPoor = series(Array<Quality>(20).fill("poor")).map((s) => ({ ...s, at: s.at + later - 57_000 }));
    expect(shouldSuggestDataSaver(stillPoor, opts(later, { dismissedAt: 14_000 }))).toBe(true);
  });

  it("keeps a bounded window of samples; the worse of the own and the server's reading counts", () => {
    let s: QualitySample[] = [];
    for (let i = 0; i < 100; i++) s = addSample(s, { at: i * 3_000, quality: "poor" });
    expect(s.length).toBeLessThanOrEqual(21);
    expect(s[s.length - 1]!.at).toBe(99 * 3_000);
    expect(worseQuality("good", "poor")).toBe("poor");
    expect(worseQuality("fair", "unknown")).toBe("fair");
    expect(worseQuality("unknown", "unknown")).toBe("unknown");
  });
});

describe("pre-join advice without a download test", () => {
  it("follows the browser's own hints: Save-Data, 2G, a slow or far link", () => {
    expect(prejoinAdvice({ saveData: true, effectiveType: "4g", downlink: 10, rtt: 50 })).toMatchObject({ suggest: "low", reason: "save_data" });
    expect(prejoinAdvice({ effectiveType: "2g", downlink: 0.2, rtt: 1800 })).toMatchObject({ quality: "poor", suggest: "audio" });
    expect(prejoinAdvice({ effectiveType: "slow-2g" })).toMatchObject({ suggest: "audio" });
    expect(prejoinAdvice({ effectiveType: "3g", downlink: 0.4, rtt: 400 })).toMatchObject({ quality: "poor", suggest: "low" });
    expect(prejoinAdvice({ effectiveType: "4g", downlink: 0.3, rtt: 100 })).toMatchObject({ quality: "poor", suggest: "low" });
    expect(prejoinAdvice({ effectiveType: "4g", downlink: 1.2, rtt: 100 })).toMatchObject({ quality: "fair", suggest: null });
    expect(prejoinAdvice({ effectiveType: "4g", downlink: 10, rtt: 50 })).toMatchObject({ quality: "good", suggest: null, reason: "ok" });
  });

  it("the measured round trip overrides the browser's estimate; no hints and no measurement → unknown, no advice", () => {
    expect(prejoinAdvice({ effectiveType: "4g", downlink: 10, rtt: 50 }, 700)).toMatchObject({ quality: "poor", suggest: "low" });
    expect(prejoinAdvice(null, 300)).toMatchObject({ quality: "fair", suggest: null });
    expect(prejoinAdvice(null, 20)).toMatchObject({ quality: "good", suggest: null });
    expect(prejoinAdvice(null, 650)).toMatchObject({ quality: "poor", suggest: "low" });
    expect(prejoinAdvice(undefined)).toEqual({ quality: "unknown", suggest: null, reason: "unknown" });
    expect(prejoinAdvice({})).toMatchObject({ quality: "unknown", suggest: null });
  });
});

/**
 * Pure data-saver advice, without a speed test:
 *  - before joining, from what the browser already knows (Network Information API:
 *    navigator.connection.saveData / effectiveType / downlink / rtt, where present) and the
 *    round trip of three one-byte requests (no download: a 200 KB test took 25–60 s on a
 *    300 kbit/s link and never finished on a 150 kbit/s one);
 *  - in the room, from the own link quality samples (every 3 s): poor for ≥ 10 s in a row →
 *    suggest the data saver once (again only 10 minutes after a dismissal).
 * Unit-tested in tests/unit/live-advice.test.ts.
 */
import type { DataSaverMode, Quality } from "../../../../server/live/protocol";

/** The fields of navigator.connection (NetworkInformation) read here; all optional. */
export interface ConnectionHints {
  saveData?: boolean;
  effectiveType?: string;
  /** Mbit/s (Chromium rounds to 25 kbit/s and caps at 10). */
  downlink?: number;
  /** ms. */
  rtt?: number;
}

export type PrejoinAdvice = { quality: Quality; suggest: DataSaverMode | null; reason: "save_data" | "slow" | "ok" | "unknown" };

/**
 * Before joining: the browser's connection hints and the round trip of a few one-byte
 * requests (null = not measured) → the link's likely quality and a suggested data-saver mode.
 */
export function prejoinAdvice(hints: ConnectionHints | null | undefined, measuredRttMs: number | null = null): PrejoinAdvice {
  const h: ConnectionHints = { ...(hints ?? {}) };
  // Our own measurement of the round trip beats the browser's estimate.
  if (measuredRttMs !== null && Number.isFinite(measuredRttMs)) h.rtt = measuredRttMs;
  const known = h.effectiveType !== undefined || h.downlink !== undefined || h.rtt !== undefined;
  const quality: Quality = known ? qualityOfHints(h) : "unknown";
  if (h.saveData) return { quality, suggest: "low", reason: "save_data" };
  if (!known) return { quality, suggest: null, reason: "unknown" };
  if (h.effectiveType === "slow-2g" || h.effectiveType === "2g") return { quality, suggest: "audio", reason: "slow" };
  if (quality === "poor") return { quality, suggest: "low", reason: "slow" };
  return { quality, suggest: null, reason: "ok" };
}

function qualityOfHints(h: ConnectionHints): Quality {
  const type = h.effectiveType;
  if (type === "slow-2g" || type === "2g") return "poor";
  if (h.rtt !== undefined && h.rtt >= 600) return "poor";
  if (h.downlink !== undefined && h.downlink > 0 && h.downlink < 0.5) return "poor";
  if (type === "3g") return h.downlink !== undefined && h.downlink >= 1.5 && (h.rtt ?? 0) < 300 ? "fair" : "poor";
  if ((h.downlink !== undefined && h.downlink > 0 && h.downlink < 1.5) || (h.rtt !== undefined && h.rtt >= 250)) return "fair";
  return "good";
}

// ---------------------------------------------------------------------------------------
// In the room

export interface QualitySample {
  at: number;
  quality: Quality;
}

export const POOR_FOR_MS = 10_000;
export const ASK_AGAIN_AFTER_MS = 10 * 60_000;
/** Samples older than this are never needed. */
export const KEEP_SAMPLES_MS = 60_000;

/** Keeps the recent samples only (the caller appends one every few seconds). */
export function addSample(samples: QualitySample[], sample: QualitySample): QualitySample[] {
  return [...samples.filter((s) => sample.at - s.at <= KEEP_SAMPLES_MS), sample];
}

/**
 * Whether to suggest the data saver now. "unknown" samples neither count nor break the run
 * (the measurement can miss a beat); a good or fair one ends it.
 */
export function shouldSuggestDataSaver(
  samples: QualitySample[],
  opts: { now: number; dataSaver: DataSaverMode; dismissedAt: number | null },
): boolean {
  if (opts.dataSaver !== "off") return false;
  if (opts.dismissedAt !== null && opts.now - opts.dismissedAt < ASK_AGAIN_AFTER_MS) return false;
  let runStart: number | null = null;
  let lastKnown: Quality | null = null;
  for (const s of [...samples].sort((a, b) => a.at - b.at)) {
    if (s.quality === "unknown") continue;
    lastKnown = s.quality;
    if (s.quality === "poor") runStart ??= s.at;
    else runStart = null;
  }
  return lastKnown === "poor" && runStart !== null && opts.now - runStart >= POOR_FOR_MS;
}

/** The worse of two quality readings ("unknown" only when both are). */
export function worseQuality(a: Quality, b: Quality): Quality {
  const rank: Record<Quality, number> = { unknown: -1, good: 0, fair: 1, poor: 2 };
  return rank[a] >= rank[b] ? a : b;
}

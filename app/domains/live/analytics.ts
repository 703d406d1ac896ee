/**
 * Session analytics as the session page shows them (pure: formatting and shares). The
 * figures come from stats.server.ts; docs/decisions/027-session-analytics.md.
 */
import type { DateOptions } from "~/utils/datetime";
import { formatTime } from "~/utils/datetime";
import { formatDuration } from "./format";
import type { SessionAnalytics } from "./stats.server";
import type { Quality } from "../../../server/live/protocol";

export const QUALITY_ORDER: Quality[] = ["good", "fair", "poor", "unknown"];

/** Whole percentages of `counts` that add up to 100 (largest remainder), or all 0. */
export function shares(counts: Record<Quality, number>): Record<Quality, number> {
  const total = QUALITY_ORDER.reduce((n, q) => n + counts[q], 0);
  const out: Record<Quality, number> = { good: 0, fair: 0, poor: 0, unknown: 0 };
  if (total === 0) return out;
  const exact = QUALITY_ORDER.map((q) => ({ q, v: (counts[q] * 100) / total }));
  for (const e of exact) out[e.q] = Math.floor(e.v);
  let left = 100 - QUALITY_ORDER.reduce((n, q) => n + out[q], 0);
  for (const e of [...exact].sort((a, b) => (b.v % 1) - (a.v % 1))) {
    if (left <= 0) break;
    out[e.q]++;
    left--;
  }
  return out;
}

export function analyticsView(a: SessionAnalytics, dates: DateOptions, sessionId: string) {
  return {
    sessionId,
    pollsHeld: a.pollsHeld,
    anonymousPolls: a.anonymousPolls,
    participants: a.participants.map((p) => ({
      userId: p.userId,
      name: p.name,
      attended: formatDuration(p.attendedMs),
      attendedMinutes: Math.round(p.attendedMs / 60_000),
      talk: formatDuration(p.talkMs),
      talkMs: p.talkMs,
      hands: p.hands,
      pollsAnswered: p.pollsAnswered,
      samples: p.samples.length,
      counts: p.quality,
      shares: shares(p.quality),
      // The series for the strip: one letter per sample ("g", "f", "p", "u"), first and last time.
      timeline: p.samples.map(([, q]) => q[0]).join(""),
      from: p.samples.length ? formatTime(new Date(p.samples[0]![0] * 1000), dates) : null,
      to: p.samples.length ? formatTime(new Date(p.samples[p.samples.length - 1]![0] * 1000), dates) : null,
    })),
  };
}
export type AnalyticsView = ReturnType<typeof analyticsView>;

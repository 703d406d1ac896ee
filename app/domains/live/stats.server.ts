/**
 * Session analytics (docs/decisions/027-session-analytics.md): the live service adds its
 * batches here (server/live/stats.ts), the session page reads the per-person figures.
 */
import { randomUUID } from "node:crypto";
import { prisma } from "~/domains/db.server";
import { coveredMs } from "./format";
import { QUALITIES, type Quality } from "../../../server/live/protocol";

/** A session of 3 hours at one sample per 30 s is 360; this keeps a runaway row small. */
export const MAX_QUALITY_SAMPLES = 2_000;

export interface LiveStatDelta {
  sessionId: string;
  userId: string;
  talkMs: number;
  hands: number;
  /** [epoch seconds, quality] */
  samples: [number, Quality][];
}

/**
 * Adds one batch: one statement per person (insert, or add to the row atomically — several
 * processes may write the same row). A person who is gone from the database is skipped.
 */
export async function addLiveStats(rows: LiveStatDelta[]): Promise<void> {
  for (const row of rows) {
    const talkMs = Math.max(0, Math.min(2_000_000_000, Math.round(row.talkMs)));
    const hands = Math.max(0, Math.min(100_000, Math.round(row.hands)));
    const samples = JSON.stringify(row.samples.slice(0, MAX_QUALITY_SAMPLES));
    try {
      await prisma.$executeRaw`
        INSERT INTO "LiveStat" ("id", "sessionId", "userId", "talkMs", "hands", "quality", "updatedAt")
        VALUES (${randomUUID()}, ${row.sessionId}, ${row.userId}, ${talkMs}, ${hands}, ${samples}::jsonb, now())
        ON CONFLICT ("sessionId", "userId") DO UPDATE SET
          "talkMs" = LEAST("LiveStat"."talkMs"::bigint + EXCLUDED."talkMs", 2000000000)::int,
          "hands" = LEAST("LiveStat"."hands" + EXCLUDED."hands", 100000),
          "quality" = CASE WHEN jsonb_array_length("LiveStat"."quality") + jsonb_array_length(EXCLUDED."quality") > ${MAX_QUALITY_SAMPLES}
                           THEN "LiveStat"."quality" ELSE "LiveStat"."quality" || EXCLUDED."quality" END,
          "updatedAt" = now()`;
    } catch (error) {
      // A foreign key: the session or the person was deleted meanwhile — nothing to keep.
      if (error instanceof Error && /foreign key|23503/i.test(error.message)) continue;
      throw error;
    }
  }
}

export type QualityCounts = Record<Quality, number>;

export interface ParticipantStats {
  userId: string;
  name: string;
  attendedMs: number;
  talkMs: number;
  hands: number;
  pollsAnswered: number;
  quality: QualityCounts;
  /** [epoch seconds, quality], oldest first */
  samples: [number, Quality][];
}

export interface SessionAnalytics {
  /** Polls that count for "answered": anonymous polls are left out (who answered them is not shown). */
  pollsHeld: number;
  anonymousPolls: number;
  participants: ParticipantStats[];
}

function parseSamples(value: unknown): [number, Quality][] {
  if (!Array.isArray(value)) return [];
  const out: [number, Quality][] = [];
  for (const item of value) {
    if (!Array.isArray(item) || typeof item[0] !== "number" || !(QUALITIES as readonly string[]).includes(item[1])) continue;
    out.push([item[0], item[1] as Quality]);
  }
  return out.sort((a, b) => a[0] - b[0]);
}

/**
 * Everyone who attended (or has figures) with their figures, longest attendance first. For
 * the host and moderators only — the caller checks the role.
 */
export async function sessionAnalytics(sessionId: string, now = new Date()): Promise<SessionAnalytics> {
  const [attendances, stats, polls] = await Promise.all([
    prisma.attendance.findMany({ where: { sessionId }, select: { userId: true, joinedAt: true, leftAt: true, user: { select: { name: true } } } }),
    prisma.liveStat.findMany({ where: { sessionId }, select: { userId: true, talkMs: true, hands: true, quality: true, user: { select: { name: true } } } }),
    prisma.livePoll.findMany({ where: { sessionId }, select: { anonymous: true, answers: { select: { userId: true } } } }),
  ]);
  const people = new Map<string, ParticipantStats & { intervals: { from: Date; to: Date }[] }>();
  const person = (userId: string, name: string) => {
    let p = people.get(userId);
    if (!p) {
      p = { userId, name, attendedMs: 0, talkMs: 0, hands: 0, pollsAnswered: 0, quality: { good: 0, fair: 0, poor: 0, unknown: 0 }, samples: [], intervals: [] };
      people.set(userId, p);
    }
    return p;
  };
  for (const a of attendances) person(a.userId, a.user.name).intervals.push({ from: a.joinedAt, to: a.leftAt ?? now });
  for (const s of stats) {
    const p = person(s.userId, s.user.name);
    p.talkMs = s.talkMs;
    p.hands = s.hands;
    p.samples = parseSamples(s.quality);
    for (const [, q] of p.samples) p.quality[q]++;
  }
  const named = polls.filter((p) => !p.anonymous);
  for (const poll of named) {
    for (const a of poll.answers) {
      const p = people.get(a.userId);
      if (p) p.pollsAnswered++;
    }
  }
  const participants = [...people.values()].map(({ intervals, ...p }) => ({ ...p, attendedMs: coveredMs(intervals) }));
  participants.sort((a, b) => b.attendedMs - a.attendedMs || a.name.localeCompare(b.name));
  return { pollsHeld: named.length, anonymousPolls: polls.length - named.length, participants };
}

/** The figures of sessionAnalytics as CSV rows (the session page's table, plus raw counts). */
export function analyticsCsvRows(a: SessionAnalytics, labels: { header: string[] }): Array<Array<string | number>> {
  const rows: Array<Array<string | number>> = [labels.header];
  for (const p of a.participants) {
    rows.push([p.name, Math.round(p.attendedMs / 60_000), Math.round(p.talkMs / 1000), p.hands, p.pollsAnswered, a.pollsHeld, p.quality.good, p.quality.fair, p.quality.poor, p.quality.unknown]);
  }
  return rows;
}

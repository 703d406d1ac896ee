// Mock competitions: the pure rules (no database), shared with the browser's countdown.
// The flow is described in docs/assessment.md ("Mock competitions"); the scale and medals in
// docs/assessment-scale.md (standing.ts).
import { MIN_JUDGES, round2, type SchemeInput } from "./scheme";

export type CompetitionPhase = "upcoming" | "open" | "closed";

export interface CompetitionWindow {
  startsAt: Date;
  endsAt: Date;
  /** Called off by its creator: nothing more is handed in or released. */
  cancelledAt?: Date | null;
}

/** Before the start: upcoming; from the start up to (not including) the end: open; then closed. */
export function competitionPhase(w: CompetitionWindow, now: Date = new Date()): CompetitionPhase {
  if (now.getTime() < w.startsAt.getTime()) return "upcoming";
  if (now.getTime() < w.endsAt.getTime()) return "open";
  return "closed";
}

/** Why a hand-in is refused at `now`, or null when it is accepted (a translation key otherwise). */
export function handInRefusal(w: CompetitionWindow, now: Date = new Date()) {
  if (w.cancelledAt) return "competitions.errors.cancelled" as const;
  const phase = competitionPhase(w, now);
  if (phase === "upcoming") return "competitions.errors.notStarted" as const;
  if (phase === "closed") return "competitions.errors.ended" as const;
  return null;
}

/** Whole seconds left until `target` (never negative). */
export function secondsUntil(target: Date | number, now: Date | number = Date.now()) {
  return Math.max(0, Math.floor((+target - +now) / 1000));
}

/** A countdown as days / hours / minutes / seconds, for "2 d 03:04:05". */
export function splitCountdown(totalSeconds: number) {
  const s = Math.max(0, Math.floor(totalSeconds));
  return { days: Math.floor(s / 86400), hours: Math.floor((s % 86400) / 3600), minutes: Math.floor((s % 3600) / 60), seconds: s % 60 };
}

export function formatCountdown(totalSeconds: number, dayUnit = "d") {
  const { days, hours, minutes, seconds } = splitCountdown(totalSeconds);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${days > 0 ? `${days} ${dayUnit} ` : ""}${pad(hours)}:${pad(minutes)}:${pad(seconds)}`;
}

/** Judgement aspects need at least MIN_JUDGES markers (each scores independently). */
export function requiredMarkers(scheme: Pick<SchemeInput, "sections">) {
  const judged = scheme.sections.some((s) => s.criteria.some((c) => c.aspects.some((a) => a.kind === "judgement")));
  return judged ? MIN_JUDGES : 1;
}

export interface ReleaseState {
  releasedAt: Date | null;
  cancelledAt?: Date | null;
  releaseAt: Date | null;
  endsAt: Date;
}

/**
 * Whether the results may be released now: never before the end of the window, never twice,
 * and only when every hand-in is fully marked with no flagged aspect. `auto`: the set release
 * time must also have come.
 */
export function releaseRefusal(c: ReleaseState, marking: { handIns: number; complete: number; flagged: number }, now: Date = new Date(), auto = false) {
  if (c.releasedAt) return "competitions.errors.alreadyReleased" as const;
  if (c.cancelledAt) return "competitions.errors.cancelled" as const;
  if (now.getTime() < c.endsAt.getTime()) return "competitions.errors.notEnded" as const;
  if (auto && (!c.releaseAt || now.getTime() < c.releaseAt.getTime())) return "competitions.errors.notYet" as const;
  if (marking.flagged > 0) return "competitions.errors.flagged" as const;
  if (marking.complete < marking.handIns) return "competitions.errors.notMarked" as const;
  return null;
}

/**
 * What the creator may still change: the start only before it (competitors plan for it), the end
 * until the window has closed (extending a running window is allowed), nothing once the results
 * are released or the competition is cancelled.
 */
export function editRefusal(c: CompetitionWindow & { releasedAt: Date | null }, change: { startsAt: Date; endsAt: Date }, now: Date = new Date()) {
  if (c.cancelledAt) return "competitions.errors.cancelled" as const;
  if (c.releasedAt) return "competitions.errors.alreadyReleased" as const;
  const phase = competitionPhase(c, now);
  const startMoves = !sameMinute(change.startsAt, c.startsAt);
  const endMoves = !sameMinute(change.endsAt, c.endsAt);
  if (startMoves && phase !== "upcoming") return "competitions.errors.startLocked" as const;
  if (endMoves && phase === "closed") return "competitions.errors.endLocked" as const;
  if (change.endsAt.getTime() <= change.startsAt.getTime()) return "competitions.errors.endBeforeStart" as const;
  if (endMoves && change.endsAt.getTime() <= now.getTime()) return "competitions.errors.endInPast" as const;
  return null;
}

/**
 * Whether the creator may remove a competitor now (decision 034): only while the competition is
 * upcoming — nothing has been handed in or marked yet, so removing deletes nothing of value.
 * From the start on the field is fixed (a competitor who drops out simply hands nothing in);
 * a competition that cannot go ahead is cancelled instead.
 */
export function removalRefusal(c: CompetitionWindow & { releasedAt: Date | null }, now: Date = new Date()) {
  if (c.cancelledAt) return "competitions.errors.cancelled" as const;
  if (c.releasedAt) return "competitions.errors.alreadyReleased" as const;
  if (competitionPhase(c, now) !== "upcoming") return "competitions.errors.removeStarted" as const;
  return null;
}

/** The edit form's datetime-local fields have minutes, not seconds: the same minute is no change. */
export function sameMinute(a: Date, b: Date) {
  return Math.floor(a.getTime() / 60_000) === Math.floor(b.getTime() / 60_000);
}

/** A briefing link: a live room of this site (/live/<id>) or an https address. */
export function isBriefingUrl(value: string) {
  if (value === "") return true;
  if (/^\/live\/[A-Za-z0-9_-]{1,40}$/.test(value)) return true;
  try {
    const u = new URL(value);
    return u.protocol === "https:" && u.hostname.length > 0;
  } catch {
    return false;
  }
}

/** The distribution of raw totals in bands of a tenth of the maximum (the last band includes the maximum), for the bar chart. */
export function distribution(raws: number[], max: number, bands = 10) {
  const width = max > 0 ? max / bands : 1;
  const counts = Array.from({ length: bands }, () => 0);
  for (const r of raws) counts[Math.min(bands - 1, Math.max(0, Math.floor(r / width)))] += 1;
  return counts.map((value, i) => ({ label: `${round2(i * width)}–${round2((i + 1) * width)}`, value }));
}

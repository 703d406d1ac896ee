// Training-hours ledger rules (issue 12). Pure: no database, no clock of its own. The
// server-side ledger (ledger.server.ts) feeds it rows and writes HoursEntry rows from what
// it returns. Days are calendar days in RECORDS_TIME_ZONE (a school's day in China).
import { addDays, zonedParts, zonedTimeToUtc } from "~/domains/scheduling/tz";

export const RECORDS_TIME_ZONE = "Asia/Shanghai";

/** A half-open span [from, to) of numbers (seconds of a video, or epoch milliseconds). */
export interface Span {
  from: number;
  to: number;
}

/** Sorted, non-overlapping spans covering the same points; empty and reversed spans dropped. */
export function mergeSpans(spans: Span[]): Span[] {
  const sorted = spans.filter((s) => Number.isFinite(s.from) && Number.isFinite(s.to) && s.to > s.from).sort((a, b) => a.from - b.from);
  const out: Span[] = [];
  for (const s of sorted) {
    const last = out[out.length - 1];
    if (last && s.from <= last.to) last.to = Math.max(last.to, s.to);
    else out.push({ from: s.from, to: s.to });
  }
  return out;
}

export function spanLength(spans: Span[]) {
  return spans.reduce((sum, s) => sum + (s.to - s.from), 0);
}

/** `spans` clipped to [from, to). */
export function clipSpans(spans: Span[], from: number, to: number): Span[] {
  return spans.map((s) => ({ from: Math.max(s.from, from), to: Math.min(s.to, to) })).filter((s) => s.to > s.from);
}

/** The parts of `span` that `covered` (merged) does not cover, in order. */
function uncovered(span: Span, covered: Span[]): Span[] {
  const out: Span[] = [];
  let cursor = span.from;
  for (const c of covered) {
    if (c.to <= cursor) continue;
    if (c.from >= span.to) break;
    if (c.from > cursor) out.push({ from: cursor, to: Math.min(c.from, span.to) });
    cursor = Math.max(cursor, c.to);
    if (cursor >= span.to) break;
  }
  if (cursor < span.to) out.push({ from: cursor, to: span.to });
  return out;
}

/** The calendar day (YYYY-MM-DD) of an instant in the records zone. */
export function dayOf(instant: Date | number, timeZone = RECORDS_TIME_ZONE) {
  return zonedParts(instant, timeZone).date;
}

function addTo(map: Map<string, number>, day: string, amount: number) {
  if (amount > 0) map.set(day, (map.get(day) ?? 0) + amount);
}

// ─────────────────────────── video ───────────────────────────

/** One played range as the lesson player reported it, stamped with the server's clock. */
export interface PlayedReport {
  from: number; // seconds into the video
  to: number;
  receivedAt: Date | number; // server time the report arrived
}

/**
 * Seconds of video credited per day. Reports are taken in arrival order; a report credits only
 * the parts of its range no earlier report covered (overlaps count once), inside [0, video
 * length], and at most the server time since the previous report (the first report credits
 * nothing: it only starts the clock). So the total never exceeds the wall-clock time between
 * the first and the last report, and a jump to the end credits nothing.
 */
export function creditVideoSeconds(reports: PlayedReport[], videoSeconds: number, timeZone = RECORDS_TIME_ZONE): Map<string, number> {
  const perDay = new Map<string, number>();
  const ordered = [...reports].map((r) => ({ ...r, at: +new Date(r.receivedAt) })).sort((a, b) => a.at - b.at);
  let covered: Span[] = [];
  let previousAt: number | null = null;
  for (const r of ordered) {
    let budget = previousAt === null ? 0 : Math.max(0, (r.at - previousAt) / 1000);
    previousAt = r.at;
    const range = clipSpans([{ from: Math.min(r.from, r.to), to: Math.max(r.from, r.to) }], 0, Math.max(0, videoSeconds));
    if (range.length === 0 || budget <= 0) continue;
    const credited: Span[] = [];
    for (const part of uncovered(range[0], covered)) {
      if (budget <= 0) break;
      const take = Math.min(part.to - part.from, budget);
      credited.push({ from: part.from, to: part.from + take });
      budget -= take;
    }
    if (credited.length === 0) continue;
    covered = mergeSpans([...covered, ...credited]);
    addTo(perDay, dayOf(r.at, timeZone), spanLength(credited));
  }
  return perDay;
}

// ─────────────────────────── text and material lessons ───────────────────────────

export interface LessonCompletion {
  lessonId: string;
  completedAt: Date | number;
}

/** Fixed minutes per completed lesson, once per lesson (its first completion), on that day. */
export function creditTextLessons(completions: LessonCompletion[], lessonMinutes: number, timeZone = RECORDS_TIME_ZONE) {
  const first = new Map<string, number>();
  for (const c of completions) {
    const at = +new Date(c.completedAt);
    const seen = first.get(c.lessonId);
    if (seen === undefined || at < seen) first.set(c.lessonId, at);
  }
  const perLesson = [...first].map(([lessonId, at]) => ({ lessonId, day: dayOf(at, timeZone), minutes: Math.max(0, Math.floor(lessonMinutes)) }));
  return perLesson.filter((l) => l.minutes > 0);
}

// ─────────────────────────── assessments ───────────────────────────

export interface HandIn {
  /** The assessed item: a task lesson, or a mock competition (then its id). */
  lessonId: string;
  submittedAt: Date | number;
}

export interface AssessedTask {
  /** The task's configured duration. */
  minutes: number;
  /** The hand-in deadline (the cohort's assignment of the course; a competition's end), if there is one. */
  dueAt?: Date | number | null;
}

/**
 * A task's configured duration, once per task, on the day of the learner's first hand-in
 * made in time (at or before the deadline, when the task has one). A late or repeated
 * hand-in credits nothing more.
 */
export function creditAssessments(handIns: HandIn[], tasks: Map<string, AssessedTask>, timeZone = RECORDS_TIME_ZONE) {
  const first = new Map<string, number>();
  for (const h of handIns) {
    const task = tasks.get(h.lessonId);
    if (!task) continue;
    const at = +new Date(h.submittedAt);
    if (task.dueAt != null && at > +new Date(task.dueAt)) continue;
    const seen = first.get(h.lessonId);
    if (seen === undefined || at < seen) first.set(h.lessonId, at);
  }
  return [...first]
    .map(([lessonId, at]) => ({ lessonId, day: dayOf(at, timeZone), minutes: Math.max(0, Math.floor(tasks.get(lessonId)!.minutes)) }))
    .filter((c) => c.minutes > 0);
}

// ─────────────────────────── live sessions ───────────────────────────

export interface AttendanceRow {
  joinedAt: Date | number;
  leftAt: Date | number | null;
  lastSeenAt?: Date | number | null;
}

/** Splits an instant span at each midnight of the zone: seconds per day. */
export function secondsByDay(spans: Span[], timeZone = RECORDS_TIME_ZONE): Map<string, number> {
  const perDay = new Map<string, number>();
  for (const s of spans) {
    let cursor = s.from;
    while (cursor < s.to) {
      const day = dayOf(cursor, timeZone);
      const nextMidnight = zonedTimeToUtc(addDays(day, 1), 0, timeZone).getTime();
      const end = Math.min(s.to, nextMidnight);
      addTo(perDay, day, (end - cursor) / 1000);
      cursor = end;
    }
  }
  return perDay;
}

/**
 * Seconds of a live session per day for one learner: attendance rows (reconnects, two tabs)
 * merged so that overlapping time counts once, clipped to the session's window (scheduled
 * start to its scheduled or actual end). An open row counts to its last heartbeat, or not at all.
 */
export function creditLiveSeconds(rows: AttendanceRow[], window: { start: Date | number; end: Date | number }, timeZone = RECORDS_TIME_ZONE) {
  const spans = rows.map((r) => {
    const end = r.leftAt ?? r.lastSeenAt ?? r.joinedAt;
    return { from: +new Date(r.joinedAt), to: +new Date(end) };
  });
  const merged = clipSpans(mergeSpans(spans), +new Date(window.start), +new Date(window.end));
  return secondsByDay(merged, timeZone);
}

// ─────────────────────────── days and subsidies ───────────────────────────

/** Whole minutes per day from seconds per day (rounded down per day and source). */
export function toMinutes(perDaySeconds: Map<string, number>) {
  const out = new Map<string, number>();
  for (const [day, seconds] of perDaySeconds) {
    const minutes = Math.floor(seconds / 60 + 1e-9);
    if (minutes > 0) out.set(day, minutes);
  }
  return out;
}

/** Days whose credited minutes (all sources) reach the programme's daily minimum (at least 1). */
export function daysAttended(minutesByDay: Map<string, number> | Record<string, number>, minMinutesPerDay: number) {
  const entries = minutesByDay instanceof Map ? [...minutesByDay] : Object.entries(minutesByDay);
  const threshold = Math.max(1, minMinutesPerDay);
  return entries.filter(([, minutes]) => minutes >= threshold).map(([day]) => day).sort();
}

export interface SubsidyRates {
  subsidyPerLearner: number; // fen (1/100 yuan)
  subsidyPerHour: number; // fen per full hour
  livingPerDay: number; // fen per day attended
}

export interface SubsidyAmounts {
  perLearner: number;
  hours: number;
  living: number;
  total: number;
}

/**
 * A learner's subsidy in fen: the per-learner amount once they have any credited time, the
 * hourly amount per full hour (minutes / 60, rounded down), and living expenses per day attended.
 */
export function subsidyFor(totalMinutes: number, days: number, rates: SubsidyRates): SubsidyAmounts {
  const perLearner = totalMinutes > 0 ? rates.subsidyPerLearner : 0;
  const hours = Math.floor(Math.max(0, totalMinutes) / 60) * rates.subsidyPerHour;
  const living = Math.max(0, days) * rates.livingPerDay;
  return { perLearner, hours, living, total: perLearner + hours + living };
}

/** "12.50" from 1250 fen. */
export function formatYuan(fen: number) {
  const sign = fen < 0 ? "-" : "";
  const abs = Math.abs(Math.round(fen));
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, "0")}`;
}

/** "1:05" (hours:minutes) */
export function formatHours(minutes: number) {
  return `${Math.floor(minutes / 60)}:${String(minutes % 60).padStart(2, "0")}`;
}

// Free-slot generation: pure, no I/O, unit-tested (tests/unit/scheduling-slots.test.ts).
//
// An expert's weekly windows and date overrides are wall-clock times in the expert's zone.
// Each local date's windows become real (UTC) intervals, and slots step through them in real
// time, so a window on a DST night is as long as the clock says it is (01:00–04:00 in New
// York lasts 2 h on the spring-forward night and 4 h on the fall-back night) and every slot
// lasts exactly its duration.
import { addDays, daysBetween, weekdayOf, zonedParts, zonedTimeToUtc } from "./tz";

export interface Window {
  startMinute: number;
  endMinute: number;
}

export interface WeeklyRule extends Window {
  /** 0 = Sunday … 6 = Saturday. */
  weekday: number;
}

export interface DateOverride {
  /** Local date in the expert's zone, YYYY-MM-DD. */
  date: string;
  /** "off" removes the weekly hours of that date; "extra" adds a window to it. */
  kind: "extra" | "off";
  startMinute: number | null;
  endMinute: number | null;
}

export interface Availability {
  timeZone: string;
  bufferMinutes: number;
  minNoticeMinutes: number;
  /** Sessions (of any type) per local day; 0 means no limit. */
  maxSessionsPerDay: number;
  rules: WeeklyRule[];
  overrides: DateOverride[];
}

export interface Busy {
  startsAt: Date;
  endsAt: Date;
}

export interface SlotQuery {
  durationMinutes: number;
  /** Slots starting in [from, to). */
  from: Date;
  to: Date;
  now: Date;
  /** The host's sessions that are not cancelled (any kind, booked or not). */
  busy: Busy[];
  /** Distance between slot starts; defaults to 30 minutes (or the duration when shorter). */
  stepMinutes?: number;
}

export interface Slot {
  start: Date;
  end: Date;
  /** The expert's local date of the start. */
  date: string;
}

const MINUTE = 60_000;
/** The furthest ahead anyone can book. */
export const BOOKING_HORIZON_DAYS = 90;

/** Merges overlapping or touching windows, sorted by start. */
export function mergeWindows(windows: Window[]): Window[] {
  const sorted = windows
    .filter((w) => w.endMinute > w.startMinute)
    .map((w) => ({ startMinute: w.startMinute, endMinute: w.endMinute }))
    .sort((a, b) => a.startMinute - b.startMinute);
  const out: Window[] = [];
  for (const w of sorted) {
    const last = out[out.length - 1];
    if (last && w.startMinute <= last.endMinute) last.endMinute = Math.max(last.endMinute, w.endMinute);
    else out.push(w);
  }
  return out;
}

/** The open windows of one local date: weekly hours (unless the date is off) plus extras. */
export function windowsForDate(av: Pick<Availability, "rules" | "overrides">, date: string): Window[] {
  const overrides = av.overrides.filter((o) => o.date === date);
  const off = overrides.some((o) => o.kind === "off");
  const weekday = weekdayOf(date);
  const weekly = off ? [] : av.rules.filter((r) => r.weekday === weekday);
  const extra = overrides
    .filter((o) => o.kind === "extra" && o.startMinute !== null && o.endMinute !== null)
    .map((o) => ({ startMinute: o.startMinute!, endMinute: o.endMinute! }));
  return mergeWindows([...weekly, ...extra]);
}

function overlapsWithBuffer(start: number, end: number, busy: Busy, bufferMs: number) {
  return start < busy.endsAt.getTime() + bufferMs && busy.startsAt.getTime() < end + bufferMs;
}

/** Every bookable start in [from, to), in time order. */
export function generateSlots(av: Availability, q: SlotQuery): Slot[] {
  const duration = q.durationMinutes * MINUTE;
  if (duration <= 0 || q.to <= q.from) return [];
  const step = (q.stepMinutes ?? Math.min(30, q.durationMinutes)) * MINUTE;
  const bufferMs = Math.max(0, av.bufferMinutes) * MINUTE;
  const earliest = Math.max(q.from.getTime(), q.now.getTime() + Math.max(0, av.minNoticeMinutes) * MINUTE);
  const latest = Math.min(q.to.getTime(), q.now.getTime() + BOOKING_HORIZON_DAYS * 86_400_000);
  if (latest <= earliest) return [];

  const perDay = new Map<string, number>();
  for (const b of q.busy) {
    const d = zonedParts(b.startsAt, av.timeZone).date;
    perDay.set(d, (perDay.get(d) ?? 0) + 1);
  }

  // Every local date whose windows can reach into [earliest, latest).
  const first = zonedParts(earliest, av.timeZone).date;
  const last = zonedParts(latest, av.timeZone).date;
  const days = daysBetween(first, last);
  const slots: Slot[] = [];
  for (let i = -1; i <= days; i++) {
    const date = addDays(first, i);
    if (av.maxSessionsPerDay > 0 && (perDay.get(date) ?? 0) >= av.maxSessionsPerDay) continue;
    for (const w of windowsForDate(av, date)) {
      const windowStart = zonedTimeToUtc(date, w.startMinute, av.timeZone).getTime();
      const windowEnd = zonedTimeToUtc(date, w.endMinute, av.timeZone).getTime();
      for (let start = windowStart; start + duration <= windowEnd; start += step) {
        if (start < earliest || start >= latest) continue;
        const end = start + duration;
        if (q.busy.some((b) => overlapsWithBuffer(start, end, b, bufferMs))) continue;
        slots.push({ start: new Date(start), end: new Date(end), date });
      }
    }
  }
  slots.sort((a, b) => a.start.getTime() - b.start.getTime());
  // Windows of neighbouring dates never overlap in practice, but a slot must appear once.
  return slots.filter((s, i) => i === 0 || s.start.getTime() !== slots[i - 1].start.getTime());
}

/** Whether `start` is one of the free slots (the booking transaction re-checks with this). */
export function isSlotFree(av: Availability, q: Omit<SlotQuery, "from" | "to">, start: Date): boolean {
  const from = new Date(start.getTime());
  const to = new Date(start.getTime() + MINUTE);
  return generateSlots(av, { ...q, from, to }).some((s) => s.start.getTime() === start.getTime());
}

// Time-zone arithmetic on the platform's own tz database (Intl, ICU in Node and browsers):
// no library to ship or update, and Node's ICU follows tzdata releases. Pure and shared by
// the server and the browser.
//
// A "local date" is a calendar date string YYYY-MM-DD in some zone; a "minute" counts from
// that date's local midnight (0–1440).

const MINUTE = 60_000;
const DAY = 86_400_000;

const formatters = new Map<string, Intl.DateTimeFormat>();

function partsFormatter(timeZone: string) {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** The canonical IANA name of a zone (case fixed, links resolved by ICU), or null if unknown. */
export function canonicalTimeZone(value: unknown): string | null {
  if (typeof value !== "string" || value.length === 0 || value.length > 64) return null;
  try {
    return new Intl.DateTimeFormat("en-US", { timeZone: value }).resolvedOptions().timeZone;
  } catch {
    return null;
  }
}

export function isValidTimeZone(value: unknown): value is string {
  return canonicalTimeZone(value) !== null;
}

interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

function wallClock(instant: Date | number, timeZone: string): WallClock {
  const out: Record<string, number> = {};
  for (const p of partsFormatter(timeZone).formatToParts(instant)) {
    if (p.type !== "literal") out[p.type] = Number(p.value);
  }
  return { year: out.year, month: out.month, day: out.day, hour: out.hour % 24, minute: out.minute, second: out.second };
}

/** The zone's offset from UTC at `instant`, in minutes (Asia/Shanghai: +480, Asia/Urumqi: +360). */
export function offsetMinutes(instant: Date | number, timeZone: string): number {
  const ms = typeof instant === "number" ? instant : instant.getTime();
  const w = wallClock(ms, timeZone);
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  return Math.round((asUtc - Math.floor(ms / 1000) * 1000) / MINUTE);
}

const pad = (n: number, width = 2) => String(n).padStart(width, "0");

export function dateString(year: number, month: number, day: number) {
  return `${pad(year, 4)}-${pad(month)}-${pad(day)}`;
}

export function isDateString(value: unknown): value is string {
  if (typeof value !== "string" || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const [y, m, d] = value.split("-").map(Number);
  const t = new Date(Date.UTC(y, m - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === m - 1 && t.getUTCDate() === d;
}

function dateMs(date: string) {
  const [y, m, d] = date.split("-").map(Number);
  return Date.UTC(y, m - 1, d);
}

/** The calendar date `days` after `date` (negative goes back). */
export function addDays(date: string, days: number): string {
  const t = new Date(dateMs(date) + days * DAY);
  return dateString(t.getUTCFullYear(), t.getUTCMonth() + 1, t.getUTCDate());
}

/** 0 = Sunday … 6 = Saturday, of the calendar date itself (no zone involved). */
export function weekdayOf(date: string): number {
  return new Date(dateMs(date)).getUTCDay();
}

/** Whole days from `a` to `b`. */
export function daysBetween(a: string, b: string): number {
  return Math.round((dateMs(b) - dateMs(a)) / DAY);
}

/** Where `instant` falls in `timeZone`: local date, minute of the day, weekday. */
export function zonedParts(instant: Date | number, timeZone: string) {
  const w = wallClock(instant, timeZone);
  const date = dateString(w.year, w.month, w.day);
  return { date, minute: w.hour * 60 + w.minute, weekday: weekdayOf(date) };
}

/**
 * The instant at which the wall clock in `timeZone` shows `date` + `minute` (1440 = the next
 * midnight). Like Temporal's "compatible" disambiguation: a time repeated when clocks go back
 * resolves to its first occurrence; a time skipped when clocks go forward resolves to the
 * same distance past the gap (02:30 on a spring-forward night in New York → 03:30 EDT).
 */
export function zonedTimeToUtc(date: string, minute: number, timeZone: string): Date {
  const local = dateMs(date) + minute * MINUTE; // the wall-clock reading as if it were UTC
  const before = offsetMinutes(local - DAY, timeZone);
  const after = offsetMinutes(local + DAY, timeZone);
  const candidates = [...new Set([before, after])]
    .map((off) => local - off * MINUTE)
    .filter((utc) => offsetMinutes(utc, timeZone) * MINUTE === local - utc)
    .sort((a, b) => a - b);
  if (candidates.length > 0) return new Date(candidates[0]);
  // In a gap: read the wall time with the offset in force before the transition.
  return new Date(local - before * MINUTE);
}

/** Today's date in a zone. */
export function todayIn(timeZone: string, now: Date = new Date()) {
  return zonedParts(now, timeZone).date;
}

/** "HH:MM" ↔ minutes; "24:00" and "00:00" as an end time mean the next midnight. */
export function parseClock(value: unknown): number | null {
  if (typeof value !== "string") return null;
  const m = /^(\d{1,2}):(\d{2})$/.exec(value.trim());
  if (!m) return null;
  const h = Number(m[1]);
  const min = Number(m[2]);
  if (min > 59 || h > 24 || (h === 24 && min !== 0)) return null;
  return h * 60 + min;
}

export function formatClock(minutes: number) {
  return `${pad(Math.floor(minutes / 60))}:${pad(minutes % 60)}`;
}

/** An instant as a datetime-local value ("YYYY-MM-DDTHH:mm:ss") in a zone: the editor's field. */
export function toLocalInput(at: Date | null, timeZone: string) {
  if (!at) return "";
  const p = zonedParts(at, timeZone);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${p.date}T${pad(Math.floor(p.minute / 60))}:${pad(p.minute % 60)}:${pad(at.getUTCSeconds())}`;
}

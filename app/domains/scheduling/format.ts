// Dates and times for people: always in a named zone and the page's language, 24-hour
// clock in both languages (no AM/PM ambiguity across zones). Loaders format on the server
// and send strings, so server and browser never disagree about a label.
import { offsetMinutes } from "./tz";

type Instant = Date | number;
const cache = new Map<string, Intl.DateTimeFormat>();

function fmt(locale: string, timeZone: string, options: Intl.DateTimeFormatOptions) {
  const key = `${locale}|${timeZone}|${JSON.stringify(options)}`;
  let f = cache.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(locale, { timeZone, ...options });
    cache.set(key, f);
  }
  return f;
}

/** "08:00" */
export function formatTime(instant: Instant, timeZone: string, locale: string) {
  return fmt(locale, timeZone, { hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).format(instant);
}

/** "Mon, Dec 7" / "12月7日周一" */
export function formatDay(instant: Instant, timeZone: string, locale: string) {
  return fmt(locale, timeZone, { weekday: "short", month: "short", day: "numeric" }).format(instant);
}

/** A local calendar date (YYYY-MM-DD) as "Monday, December 7" / "12月7日星期一". */
export function formatDateString(date: string, locale: string, long = true) {
  const [y, m, d] = date.split("-").map(Number);
  return fmt(locale, "UTC", long ? { weekday: "long", month: "long", day: "numeric" } : { weekday: "short", month: "short", day: "numeric" }).format(
    Date.UTC(y, m - 1, d, 12),
  );
}

/** "Mon, Dec 7, 2026, 08:00" */
export function formatDateTime(instant: Instant, timeZone: string, locale: string) {
  return fmt(locale, timeZone, {
    weekday: "short",
    year: "numeric",
    month: "short",
    day: "numeric",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  }).format(instant);
}

/** "Mon, Dec 7, 2026, 08:00–09:00 (UTC+6)" */
export function formatRange(start: Instant, end: Instant, timeZone: string, locale: string) {
  return `${formatDateTime(start, timeZone, locale)}–${formatTime(end, timeZone, locale)} (${offsetLabel(timeZone, start)})`;
}

/** "UTC+8", "UTC+5:30", "UTC−5" at a given instant. */
export function offsetLabel(timeZone: string, at: Instant = Date.now()) {
  const off = offsetMinutes(at, timeZone);
  if (off === 0) return "UTC";
  const sign = off > 0 ? "+" : "−";
  const abs = Math.abs(off);
  const h = Math.floor(abs / 60);
  const m = abs % 60;
  return `UTC${sign}${h}${m ? `:${String(m).padStart(2, "0")}` : ""}`;
}

export function weekdayName(weekday: number, locale: string, style: "long" | "short" = "long") {
  // 2023-01-01 was a Sunday.
  return fmt(locale, "UTC", { weekday: style }).format(Date.UTC(2023, 0, 1 + weekday, 12));
}

// The one date/time module: every page, e-mail, CSV and chat line formats an instant with
// (instant, { locale, timeZone }) — the page's language and the viewer's zone. 24-hour clock
// in both languages (no AM/PM ambiguity across zones). Pure, shared by server and browser;
// loaders usually format on the server and send strings, so the HTML and the hydrated page
// agree.
import { offsetMinutes } from "~/domains/scheduling/tz";

export const DEFAULT_TIME_ZONE = "Asia/Shanghai";

export type Instant = Date | number | string;
export type DateOptions = { locale: string; timeZone: string };

const cache = new Map<string, Intl.DateTimeFormat>();

/** A zone Intl knows, else the default (a stale or hand-edited zone must not throw). */
export function safeTimeZone(timeZone: string | null | undefined): string {
  if (!timeZone) return DEFAULT_TIME_ZONE;
  try {
    new Intl.DateTimeFormat("en", { timeZone });
    return timeZone;
  } catch {
    return DEFAULT_TIME_ZONE;
  }
}

function fmt({ locale, timeZone }: DateOptions, options: Intl.DateTimeFormatOptions) {
  const key = `${locale}|${timeZone}|${JSON.stringify(options)}`;
  let f = cache.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(locale, { timeZone: safeTimeZone(timeZone), ...options });
    cache.set(key, f);
  }
  return f;
}

const toDate = (instant: Instant) => (instant instanceof Date ? instant : new Date(instant));

/** "Dec 7, 2026" / "2026年12月7日" */
export function formatDate(instant: Instant, opts: DateOptions) {
  return fmt(opts, { year: "numeric", month: "short", day: "numeric" }).format(toDate(instant));
}

/** "08:00" */
export function formatTime(instant: Instant, opts: DateOptions) {
  return fmt(opts, { hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).format(toDate(instant));
}

/** "Mon, Dec 7" / "12月7日周一" */
export function formatDay(instant: Instant, opts: DateOptions) {
  return fmt(opts, { weekday: "short", month: "short", day: "numeric" }).format(toDate(instant));
}

/** "Mon, Dec 7, 2026, 08:00" / "2026年12月7日周一 08:00" */
export function formatDateTime(instant: Instant, opts: DateOptions) {
  return fmt(opts, {
    weekday: "short",
    year: "numeric",
    month: "short",
    day: "numeric",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  }).format(toDate(instant));
}

/** "Mon, Dec 7, 2026, 08:00–09:00 (UTC+6)" */
export function formatRange(start: Instant, end: Instant, opts: DateOptions) {
  return `${formatDateTime(start, opts)}–${formatTime(end, opts)} (${offsetLabel(opts.timeZone, start)})`;
}

/** A calendar date (YYYY-MM-DD, no zone) as "Monday, December 7" / "12月7日星期一". */
export function formatCalendarDate(date: string, locale: string, long = true) {
  const [y, m, d] = date.split("-").map(Number);
  const options: Intl.DateTimeFormatOptions = long ? { weekday: "long", month: "long", day: "numeric" } : { weekday: "short", month: "short", day: "numeric" };
  return fmt({ locale, timeZone: "UTC" }, options).format(Date.UTC(y, m - 1, d, 12));
}

/** "UTC+8", "UTC+5:30", "UTC−5" at a given instant. */
export function offsetLabel(timeZone: string, at: Instant = Date.now()) {
  const off = offsetMinutes(toDate(at).getTime(), safeTimeZone(timeZone));
  if (off === 0) return "UTC";
  const sign = off > 0 ? "+" : "−";
  const abs = Math.abs(off);
  const h = Math.floor(abs / 60);
  const m = abs % 60;
  return `UTC${sign}${h}${m ? `:${String(m).padStart(2, "0")}` : ""}`;
}

export function weekdayName(weekday: number, locale: string, style: "long" | "short" = "long") {
  // 2023-01-01 was a Sunday.
  return fmt({ locale, timeZone: "UTC" }, { weekday: style }).format(Date.UTC(2023, 0, 1 + weekday, 12));
}

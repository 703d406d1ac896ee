// Dates as school pages show them, formatted on the server (so the HTML and the hydrated
// page agree) in the school time zone.
import { SCHOOL_TIME_ZONE } from "./status";

export function formatDay(date: Date | null | undefined, locale: string) {
  if (!date) return "";
  return new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeZone: SCHOOL_TIME_ZONE }).format(date);
}

export function formatDateTime(date: Date | null | undefined, locale: string) {
  if (!date) return "";
  return new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "short", timeZone: SCHOOL_TIME_ZONE }).format(date);
}

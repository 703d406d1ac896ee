// iCalendar (RFC 5545) writer for the per-booking .ics file and the per-user feed. Pure;
// tests parse the output with ical.js. Times are written in UTC ("Z" form), so no VTIMEZONE
// is needed and every calendar shows them in its own zone.

export interface IcsEvent {
  uid: string;
  start: Date;
  end: Date;
  summary: string;
  description?: string;
  url?: string;
  location?: string;
  status: "CONFIRMED" | "CANCELLED" | "TENTATIVE";
  sequence?: number;
  organizer?: { name: string; email?: string | null };
  lastModified?: Date;
  /** A display alarm this many minutes before the start. */
  alarmMinutes?: number;
}

export interface IcsCalendar {
  name?: string;
  events: IcsEvent[];
  now?: Date;
}

const PRODID = "-//SkillRelay//Scheduling 1.0//EN";

/** 20261207T010000Z */
export function icsDateTime(d: Date) {
  return d.toISOString().replace(/[-:]/g, "").replace(/\.\d{3}/, "");
}

/** TEXT value escaping (RFC 5545 §3.3.11). */
export function escapeText(value: string) {
  return value.replace(/\\/g, "\\\\").replace(/;/g, "\\;").replace(/,/g, "\\,").replace(/\r\n|\r|\n/g, "\\n");
}

/** A parameter value: quoted, without the characters a quoted value cannot hold. */
function paramValue(value: string) {
  return `"${value.replace(/["\r\n]/g, "").replace(/[\x00-\x08\x0a-\x1f\x7f]/g, "")}"`;
}

/** Folds a content line at 75 octets without splitting a UTF-8 character (§3.1). */
export function foldLine(line: string) {
  const encoder = new TextEncoder();
  if (encoder.encode(line).length <= 75) return line;
  const parts: string[] = [];
  let current = "";
  let bytes = 0;
  let limit = 75;
  for (const ch of line) {
    const size = encoder.encode(ch).length;
    if (bytes + size > limit) {
      parts.push(current);
      current = "";
      bytes = 0;
      limit = 74; // the leading space of a continuation line counts
    }
    current += ch;
    bytes += size;
  }
  parts.push(current);
  return parts.join("\r\n ");
}

export function buildCalendar(cal: IcsCalendar): string {
  const stamp = icsDateTime(cal.now ?? new Date());
  const lines: string[] = ["BEGIN:VCALENDAR", "VERSION:2.0", `PRODID:${PRODID}`, "CALSCALE:GREGORIAN", "METHOD:PUBLISH"];
  if (cal.name) {
    lines.push(`X-WR-CALNAME:${escapeText(cal.name)}`, "REFRESH-INTERVAL;VALUE=DURATION:PT1H", "X-PUBLISHED-TTL:PT1H");
  }
  for (const e of cal.events) {
    lines.push(
      "BEGIN:VEVENT",
      `UID:${e.uid}`,
      `DTSTAMP:${stamp}`,
      `DTSTART:${icsDateTime(e.start)}`,
      `DTEND:${icsDateTime(e.end)}`,
      `SUMMARY:${escapeText(e.summary)}`,
    );
    if (e.description) lines.push(`DESCRIPTION:${escapeText(e.description)}`);
    if (e.location) lines.push(`LOCATION:${escapeText(e.location)}`);
    if (e.url) lines.push(`URL;VALUE=URI:${e.url}`);
    if (e.organizer?.email) lines.push(`ORGANIZER;CN=${paramValue(e.organizer.name)}:mailto:${e.organizer.email}`);
    lines.push(`STATUS:${e.status}`, `SEQUENCE:${e.sequence ?? 0}`, "TRANSP:OPAQUE");
    if (e.lastModified) lines.push(`LAST-MODIFIED:${icsDateTime(e.lastModified)}`);
    if (e.alarmMinutes && e.status !== "CANCELLED") {
      lines.push("BEGIN:VALARM", "ACTION:DISPLAY", `DESCRIPTION:${escapeText(e.summary)}`, `TRIGGER:-PT${e.alarmMinutes}M`, "END:VALARM");
    }
    lines.push("END:VEVENT");
  }
  lines.push("END:VCALENDAR");
  return lines.map(foldLine).join("\r\n") + "\r\n";
}

// Calendars: the .ics file of one session and the per-user iCalendar feed behind a secret,
// revocable token URL (/calendar/<token>.ics). Calendar apps fetch the feed without a
// cookie, so the token is the only credential: 32 random bytes, compared by exact lookup.
import crypto from "node:crypto";
import { prisma } from "~/domains/db.server";
import { publicUrl } from "~/domains/notifications/notify.server";
import { buildCalendar, type IcsEvent } from "./ics";

const DAY = 86_400_000;

export interface IcsSession {
  id: string;
  title: string;
  startsAt: Date;
  endsAt: Date;
  status: string;
  updatedAt?: Date;
  host: { name: string; email?: string | null };
}

function eventOf(s: IcsSession, cancelled: boolean, base: string): IcsEvent {
  const url = `${base}/sessions/${s.id}`;
  return {
    uid: `session-${s.id}@skillrelay`,
    start: s.startsAt,
    end: s.endsAt,
    summary: `${s.title} · ${s.host.name}`,
    description: `SkillRelay: ${s.title} — ${s.host.name}\n${url}`,
    url,
    location: url,
    status: cancelled ? "CANCELLED" : "CONFIRMED",
    sequence: cancelled ? 1 : 0,
    organizer: { name: s.host.name, email: s.host.email },
    lastModified: s.updatedAt,
    alarmMinutes: 15,
  };
}

/** The .ics file of one session (booking download, e-mail attachment). */
export function sessionIcs(s: IcsSession, options: { cancelled?: boolean; now?: Date } = {}) {
  const cancelled = options.cancelled ?? s.status === "cancelled";
  return buildCalendar({ events: [eventOf(s, cancelled, publicUrl())], now: options.now });
}

export async function activeCalendarToken(userId: string) {
  return prisma.calendarToken.findFirst({ where: { userId, revokedAt: null }, orderBy: { createdAt: "desc" } });
}

/** Revokes any current token and issues a new one. */
export async function issueCalendarToken(userId: string) {
  const token = crypto.randomBytes(32).toString("base64url");
  return prisma.$transaction(async (tx) => {
    await tx.calendarToken.updateMany({ where: { userId, revokedAt: null }, data: { revokedAt: new Date() } });
    return tx.calendarToken.create({ data: { userId, token } });
  });
}

export async function revokeCalendarTokens(userId: string) {
  await prisma.calendarToken.updateMany({ where: { userId, revokedAt: null }, data: { revokedAt: new Date() } });
}

/**
 * The feed of the token's owner: sessions they host and sessions they booked, from 60 days
 * back; ones cancelled in that time stay in as STATUS:CANCELLED so subscribed calendars
 * remove them. Null when the token is unknown or revoked.
 */
export async function feedForToken(token: string, now: Date = new Date()): Promise<string | null> {
  if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) return null;
  const row = await prisma.calendarToken.findUnique({ where: { token }, include: { user: { select: { id: true, name: true } } } });
  if (!row || row.revokedAt) return null;
  const since = new Date(now.getTime() - 60 * DAY);
  const hostSelect = { select: { name: true, email: true } };
  const [hosted, booked] = await Promise.all([
    prisma.liveSession.findMany({
      where: { hostId: row.userId, startsAt: { gte: since }, OR: [{ status: { not: "cancelled" } }, { sessionTypeId: { not: null } }] },
      include: { host: hostSelect },
      orderBy: { startsAt: "asc" },
    }),
    prisma.booking.findMany({
      where: { learnerId: row.userId, session: { startsAt: { gte: since } } },
      include: { session: { include: { host: hostSelect } } },
      orderBy: { session: { startsAt: "asc" } },
    }),
  ]);
  const base = publicUrl();
  const events = new Map<string, IcsEvent>();
  for (const s of hosted) events.set(s.id, eventOf(s, s.status === "cancelled", base));
  for (const b of booked) {
    if (events.has(b.sessionId)) continue;
    events.set(b.sessionId, eventOf(b.session, b.status === "cancelled" || b.session.status === "cancelled", base));
  }
  return buildCalendar({ name: `SkillRelay · ${row.user.name}`, events: [...events.values()], now });
}

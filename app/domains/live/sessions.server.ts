/**
 * Live sessions in the database: access facts, instant sessions, listings, the session
 * page, chat, attendance and moderation records. Used by the Remix routes AND by the
 * live service (server/live/store.ts), so both apply the same rules.
 */
import { Prisma } from "@prisma/client";
import { prisma } from "~/domains/db.server";
import { createNotices, deliver, type Db } from "~/domains/notifications/notify.server";
import { decideAccess, decideView, JOIN_LATE_MS, type AccessDecision, type ViewDecision } from "./access";
import type { InstantSessionInput } from "./validation";

export interface SessionUser {
  id: string;
  role: string;
}

/**
 * A session is over this long after its scheduled end (LIVE_SESSION_END_GRACE_MINUTES,
 * default 60): nobody enters any more and the live service ends it if it is still live.
 */
export function sessionEndGraceMs(env: NodeJS.ProcessEnv = process.env): number {
  const minutes = Number(env.LIVE_SESSION_END_GRACE_MINUTES);
  return env.LIVE_SESSION_END_GRACE_MINUTES?.trim() && Number.isFinite(minutes) && minutes >= 0
    ? Math.round(minutes * 60_000)
    : JOIN_LATE_MS;
}

/**
 * For a session's exports (polls, analytics): the host and platform admins only; an unknown or
 * malformed id is a 404, anyone else a 403 (thrown as Responses).
 */
export async function requireSessionModerator(user: SessionUser, sessionId: string) {
  if (!/^[a-z0-9]{1,64}$/i.test(sessionId)) throw new Response("Not found", { status: 404 });
  const { view } = await checkAccess(user, sessionId);
  if (!view.ok) throw new Response(view.reason === "not_found" ? "Not found" : "Forbidden", { status: view.reason === "not_found" ? 404 : 403 });
  if (view.role !== "host" && view.role !== "admin") throw new Response("Forbidden", { status: 403 });
}

export async function checkAccess(user: SessionUser, sessionId: string, now = new Date()) {
  const session = await prisma.liveSession.findUnique({
    where: { id: sessionId },
    select: { id: true, title: true, hostId: true, status: true, startsAt: true, endsAt: true, capacity: true, kind: true },
  });
  if (!session) {
    return {
      decision: { ok: false, reason: "not_found" } as AccessDecision,
      view: { ok: false, reason: "not_found" } as ViewDecision,
      session: null,
    };
  }
  const [invite, booking] = await Promise.all([
    prisma.liveSessionInvite.findUnique({
      where: { sessionId_userId: { sessionId, userId: user.id } },
      select: { banned: true },
    }),
    prisma.booking.findFirst({
      where: { sessionId, learnerId: user.id, status: "confirmed" },
      select: { id: true },
    }),
  ]);
  const facts = { session, user, invite, booked: booking !== null };
  return { decision: decideAccess(facts, now, sessionEndGraceMs()), view: decideView(facts) as ViewDecision, session };
}

export class UnknownInviteesError extends Error {
  constructor(readonly emails: string[]) {
    super(`unknown e-mail addresses: ${emails.join(", ")}`);
  }
}

async function usersByEmail(emails: string[], excludeId: string) {
  if (emails.length === 0) return [];
  const users = await prisma.user.findMany({ where: { email: { in: emails } }, select: { id: true, email: true } });
  const found = new Set(users.map((u) => u.email));
  const missing = emails.filter((e) => !found.has(e));
  if (missing.length) throw new UnknownInviteesError(missing);
  return users.filter((u) => u.id !== excludeId);
}

/** An ad-hoc session that starts now, with invitees by e-mail; each invitee is notified. */
export async function createInstantSession(hostId: string, input: InstantSessionInput, now = new Date()) {
  const invitees = await usersByEmail(input.invitees, hostId);
  const capacity = Math.max(input.capacity, 1);
  const { session, mails } = await prisma.$transaction(async (tx) => {
    const session = await tx.liveSession.create({
      data: {
        hostId,
        title: input.title,
        kind: capacity === 1 && invitees.length <= 1 ? "one_to_one" : "group",
        capacity,
        startsAt: now,
        endsAt: new Date(now.getTime() + input.durationMinutes * 60_000),
        invites: { create: invitees.map((u) => ({ userId: u.id })) },
      },
      select: { id: true },
    });
    return { session, mails: await inviteNotices(tx, session.id, invitees.map((u) => u.id)) };
  });
  deliver(mails);
  return session;
}

/** Adds invitees (by e-mail) to a session; a removed (banned) participant stays banned. Only the newly invited are notified. */
export async function inviteToSession(sessionId: string, hostId: string, emails: string[]) {
  const users = await usersByEmail(emails, hostId);
  const mails = await prisma.$transaction(async (tx) => {
    const before = new Set(
      (await tx.liveSessionInvite.findMany({ where: { sessionId, userId: { in: users.map((u) => u.id) } }, select: { userId: true } })).map((i) => i.userId),
    );
    const fresh = users.filter((u) => !before.has(u.id)).map((u) => u.id);
    await tx.liveSessionInvite.createMany({ data: fresh.map((userId) => ({ sessionId, userId })), skipDuplicates: true });
    return inviteNotices(tx, sessionId, fresh);
  });
  deliver(mails);
  return users.length;
}

async function inviteNotices(tx: Db, sessionId: string, userIds: string[]) {
  if (userIds.length === 0) return [];
  const s = await tx.liveSession.findUniqueOrThrow({ where: { id: sessionId }, select: { title: true, startsAt: true, endsAt: true, host: { select: { name: true } } } });
  return createNotices(
    tx,
    userIds.map((userId) => ({
      userId,
      kind: "liveInvite",
      url: `/sessions/${sessionId}`,
      params: { title: s.title, host: s.host.name },
      when: { start: s.startsAt, end: s.endsAt },
    })),
  );
}

/** Sessions I host, am invited to (not removed) or booked into that haven't ended. */
export async function listUpcomingSessions(user: SessionUser, now = new Date()) {
  const horizon = new Date(now.getTime() - 60 * 60_000);
  return prisma.liveSession.findMany({
    where: {
      status: { in: ["scheduled", "live"] },
      OR: [{ endsAt: { gte: horizon } }, { status: "live" }],
      AND: [
        {
          OR: [
            { hostId: user.id },
            { invites: { some: { userId: user.id, banned: false } } },
            { bookings: { some: { learnerId: user.id, status: "confirmed" } } },
          ],
        },
      ],
    },
    orderBy: { startsAt: "asc" },
    take: 50,
    select: {
      id: true,
      title: true,
      kind: true,
      status: true,
      startsAt: true,
      endsAt: true,
      hostId: true,
      host: { select: { name: true } },
    },
  });
}

/** Everything the session page shows; visibility is decided by the caller. */
export async function getSessionDetails(sessionId: string) {
  return prisma.liveSession.findUnique({
    where: { id: sessionId },
    select: {
      id: true,
      title: true,
      kind: true,
      status: true,
      capacity: true,
      startsAt: true,
      endsAt: true,
      hostId: true,
      host: { select: { id: true, name: true } },
      course: { select: { title: true, slug: true } },
      invites: { select: { banned: true, user: { select: { id: true, name: true, email: true } } }, orderBy: { createdAt: "asc" } },
      bookings: { where: { status: "confirmed" }, select: { learner: { select: { id: true, name: true } } } },
      attendances: {
        orderBy: { joinedAt: "asc" },
        select: { id: true, userId: true, joinedAt: true, leftAt: true, closedBy: true, user: { select: { name: true } } },
      },
      recordings: {
        orderBy: { startedAt: "asc" },
        select: { id: true, status: true, startedAt: true, endedAt: true, durationMs: true, error: true },
      },
    },
  });
}

// ---------------------------------------------------------------------------------------
// Status, moderation

/** The room opened: the session is live and not empty. */
export async function markSessionLive(sessionId: string) {
  await prisma.liveSession.updateMany({
    where: { id: sessionId, status: { in: ["scheduled", "live"] } },
    data: { status: "live", emptySince: null },
  });
}

/** The room closed because its last peer left: the session may end after a while (sweep). */
export async function markSessionEmpty(sessionId: string, at = new Date()) {
  await prisma.liveSession.updateMany({ where: { id: sessionId, status: "live" }, data: { emptySince: at } });
}

/**
 * Live sessions that are over: past their scheduled end plus the grace, or with a room
 * empty for `emptyMs` (sessions in `openRooms`, whose room is open in this process, are not
 * empty whatever the database says).
 */
export async function liveSessionsToEnd(now: Date, graceMs: number, emptyMs: number, openRooms: string[]) {
  const rows = await prisma.liveSession.findMany({
    where: {
      status: "live",
      OR: [
        { endsAt: { lt: new Date(now.getTime() - graceMs) } },
        // Open attendance: someone is in its room on some process (rows of dead processes
        // are closed by closeStaleAttendance).
        { emptySince: { lt: new Date(now.getTime() - emptyMs) }, id: { notIn: openRooms }, attendances: { none: { leftAt: null } } },
      ],
    },
    select: { id: true, endsAt: true },
    take: 500,
  });
  return rows.map((r) => ({ id: r.id, overdue: r.endsAt.getTime() < now.getTime() - graceMs }));
}

/**
 * Ends a session found over by the sweep, closing attendance rows still open (a room open in
 * this process closes its own rows when it closes). True when this call ended it.
 */
export async function endOverSession(sessionId: string, closeOpenAttendance: boolean, at = new Date()) {
  const { count } = await prisma.liveSession.updateMany({
    where: { id: sessionId, status: "live" },
    data: { status: "ended", emptySince: null },
  });
  if (count > 0 && closeOpenAttendance) {
    await prisma.attendance.updateMany({ where: { sessionId, leftAt: null }, data: { leftAt: at, closedBy: "ended" } });
  }
  return count > 0;
}

/** Start-up: nobody is in any room, so every live session is empty from now on. */
export async function markLiveSessionsEmpty(at = new Date()) {
  // A session with an open attendance record has someone in a room on another process.
  const { count } = await prisma.liveSession.updateMany({
    where: { status: "live", emptySince: null, attendances: { none: { leftAt: null } } },
    data: { emptySince: at },
  });
  return count;
}

export async function markSessionEnded(sessionId: string) {
  await prisma.liveSession.updateMany({
    where: { id: sessionId, status: { in: ["scheduled", "live"] } },
    data: { status: "ended" },
  });
}

/** A removed participant can't rejoin: the invite row carries the ban (created if needed). */
export async function banFromSession(sessionId: string, userId: string) {
  await prisma.liveSessionInvite.upsert({
    where: { sessionId_userId: { sessionId, userId } },
    create: { sessionId, userId, banned: true },
    update: { banned: true },
  });
}

// ---------------------------------------------------------------------------------------
// Chat

export const CHAT_HISTORY = 100;

export async function recentChat(sessionId: string, limit = CHAT_HISTORY) {
  const rows = await prisma.chatMessage.findMany({
    where: { sessionId },
    orderBy: { createdAt: "desc" },
    take: limit,
    select: { id: true, userId: true, body: true, createdAt: true, user: { select: { name: true } } },
  });
  return rows.reverse().map((m) => ({
    id: m.id,
    userId: m.userId,
    name: m.user.name,
    body: m.body,
    createdAt: m.createdAt.toISOString(),
  }));
}

export async function addChatMessage(sessionId: string, userId: string, body: string) {
  const m = await prisma.chatMessage.create({
    data: { sessionId, userId, body },
    select: { id: true, userId: true, body: true, createdAt: true, user: { select: { name: true } } },
  });
  return { id: m.id, userId: m.userId, name: m.user.name, body: m.body, createdAt: m.createdAt.toISOString() };
}

// ---------------------------------------------------------------------------------------
// Attendance (training-hour records): see server/live/attendance.ts for when rows open/close.

export async function openAttendance(sessionId: string, userId: string, at = new Date(), processId: string | null = null) {
  const row = await prisma.attendance.create({
    data: { sessionId, userId, joinedAt: at, lastSeenAt: at, processId },
    select: { id: true },
  });
  return row.id;
}

export async function closeAttendance(id: string, closedBy: string, at = new Date()) {
  await prisma.attendance.updateMany({ where: { id, leftAt: null }, data: { leftAt: at, closedBy } });
}

export async function touchAttendance(ids: string[], at = new Date()) {
  if (ids.length === 0) return;
  await prisma.attendance.updateMany({ where: { id: { in: ids }, leftAt: null }, data: { lastSeenAt: at } });
}

// ---------------------------------------------------------------------------------------
// Server processes and their heartbeats (docs/decisions/019-scale-out-redis.md)

// Heartbeats are written and judged by the DATABASE's clock (UTC, like every timestamp
// Prisma writes): processes on hosts whose clocks disagree still agree on who is alive.
const DB_NOW = Prisma.sql`(now() AT TIME ZONE 'UTC')`;

/**
 * This process is alive (first call: it registers). True when its row had to be created: the
 * first call, or another process had found it silent for too long and closed its records.
 */
export async function processHeartbeat(process: { id: string; host: string; pid: number }): Promise<boolean> {
  const rows = await prisma.$queryRaw<{ inserted: boolean }[]>`
    INSERT INTO "LiveProcess" ("id", "host", "pid", "startedAt", "heartbeatAt")
    VALUES (${process.id}, ${process.host}, ${process.pid}, ${DB_NOW}, ${DB_NOW})
    ON CONFLICT ("id") DO UPDATE SET "heartbeatAt" = ${DB_NOW}
    RETURNING (xmax = 0) AS inserted`;
  return rows[0]?.inserted === true;
}

/** Processes whose heartbeat is at least `staleMs` old (by the database's clock). */
async function deadProcesses(staleMs: number) {
  return prisma.$queryRaw<{ id: string; heartbeatAt: Date }[]>`
    SELECT "id", "heartbeatAt" FROM "LiveProcess"
     WHERE "heartbeatAt" < ${DB_NOW} - ${Math.round(staleMs)}::int * interval '1 millisecond'`;
}

/** Ids of the processes alive by that rule. */
export async function liveProcessIds(staleMs: number): Promise<string[]> {
  const rows = await prisma.$queryRaw<{ id: string }[]>`
    SELECT "id" FROM "LiveProcess"
     WHERE "heartbeatAt" >= ${DB_NOW} - ${Math.round(staleMs)}::int * interval '1 millisecond'`;
  return rows.map((r) => r.id);
}

/** A graceful stop: its records are closed already. */
export async function unregisterProcess(id: string) {
  await prisma.liveProcess.deleteMany({ where: { id } });
}

/**
 * Closes the open attendance records nobody holds any more, with closedBy "server_restart":
 * - those of a process whose heartbeat is older than `staleMs`, at that heartbeat (the
 *   process was alive then and the record open); the process row is then deleted;
 * - those of a process whose row is gone, at their own last heartbeat (lastSeenAt);
 * - those written before processes had ids (processId null: the single process of an earlier
 *   version, gone once this version runs), at their last heartbeat or join time.
 * The records of live processes, this one's included, are left alone. Returns how many closed.
 */
export async function closeStaleAttendance(opts: { staleMs?: number } = {}): Promise<number> {
  const staleMs = opts.staleMs ?? 30_000;
  const dead = await deadProcesses(staleMs);
  let closed = 0;
  for (const p of dead) {
    closed += await prisma.$executeRaw`
      UPDATE "Attendance" a
         SET "leftAt" = GREATEST(a."joinedAt", p."heartbeatAt"),
             "closedBy" = 'server_restart'
        FROM "LiveProcess" p
       WHERE p."id" = ${p.id} AND a."processId" = p."id" AND a."leftAt" IS NULL`;
    // Only if it stayed dead meanwhile (a paused process that came back keeps its row).
    await prisma.$executeRaw`
      DELETE FROM "LiveProcess"
       WHERE "id" = ${p.id} AND "heartbeatAt" < ${DB_NOW} - ${Math.round(staleMs)}::int * interval '1 millisecond'`;
  }
  closed += await prisma.$executeRaw`
    UPDATE "Attendance" a
       SET "leftAt" = GREATEST(a."joinedAt", COALESCE(a."lastSeenAt", a."joinedAt")),
           "closedBy" = 'server_restart'
     WHERE a."leftAt" IS NULL
       AND (a."processId" IS NULL OR NOT EXISTS (SELECT 1 FROM "LiveProcess" p WHERE p."id" = a."processId"))`;
  return closed;
}

export async function userTimeZone(userId: string): Promise<string> {
  const user = await prisma.user.findUnique({ where: { id: userId }, select: { timeZone: true } });
  return user?.timeZone ?? "Asia/Shanghai";
}

// Booking, cancelling and rescheduling. No double booking, ever:
//  - a new session (1:1 slot or a new group session) is created under a per-host advisory
//    lock, after re-checking the slot (availability, notice, buffers, daily limit) inside the
//    transaction; a database trigger refuses overlapping sessions of a host as a backstop;
//  - a seat is taken under the session row's lock, and a trigger refuses any confirmed
//    booking beyond the session's capacity.
// Racing requests therefore queue in PostgreSQL: one wins, the others get BookingError
// "taken" / "full", which the pages show as "just taken".
import { Prisma } from "@prisma/client";
import { prisma } from "~/domains/db.server";
import type { AuthUser } from "~/domains/auth/roles";
import { canAdministerOrg } from "~/domains/schools/permissions.server";
import { createNotices, deliver, type Notice } from "~/domains/notifications/notify.server";
import type { MailMessage } from "~/domains/notifications/mail.server";
import { loadAvailability } from "./profile.server";
import { isSlotFree } from "./slots";
import { dropReminders, scheduleReminders } from "./reminders.server";
import { sessionIcs } from "./feed.server";

type Db = Prisma.TransactionClient;
type Actor = Pick<AuthUser, "id" | "role" | "name">;

export type BookingErrorCode =
  | "taken"
  | "full"
  | "not_enough_seats"
  | "unavailable"
  | "already_booked"
  | "own_session"
  | "cutoff"
  | "started"
  | "not_found"
  | "forbidden";

export class BookingError extends Error {
  constructor(
    readonly code: BookingErrorCode,
    readonly detail: Record<string, number | string> = {},
  ) {
    super(`booking: ${code}`);
  }
}

/** The join button appears this long before the start. */
export const JOIN_OPENS_MINUTES = 10;
const MINUTE = 60_000;
const DAY = 86_400_000;
const TX_OPTIONS = { maxWait: 20_000, timeout: 30_000 };

function errorText(err: unknown): string {
  if (!err || typeof err !== "object") return String(err);
  const e = err as { message?: string; code?: string; meta?: unknown; cause?: unknown };
  let text = `${e.code ?? ""} ${e.message ?? ""}`;
  try {
    text += ` ${JSON.stringify(e.meta ?? "")}`;
  } catch {
    // circular meta: the message is enough
  }
  if (e.cause && e.cause !== err) text += ` ${errorText(e.cause)}`;
  return text;
}

/** Runs a booking transaction; retries deadlocks and maps the database's refusals. */
async function bookingTx<T>(fn: (tx: Db) => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await prisma.$transaction(fn, TX_OPTIONS);
    } catch (err) {
      if (err instanceof BookingError) throw err;
      const text = errorText(err);
      if (attempt < 3 && /40P01|40001|deadlock detected|could not serialize/i.test(text)) continue;
      if (/session_overlap|23P01/.test(text)) throw new BookingError("taken");
      if (/booking_capacity_exceeded/.test(text)) throw new BookingError("full");
      if (err instanceof Prisma.PrismaClientKnownRequestError && err.code === "P2002") throw new BookingError("already_booked");
      throw err;
    }
  }
}

/** Serialises everything that creates or moves a host's sessions (same key as the trigger). */
async function lockHost(tx: Db, hostId: string) {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`skillrelay:host:${hostId}`}, 0))`;
}

async function lockSession(tx: Db, sessionId: string) {
  const rows = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM "LiveSession" WHERE id = ${sessionId} FOR UPDATE`;
  return rows.length > 0;
}

/** The host's calendar at the week of an instant. */
export function calendarUrl(at: Date) {
  return `/schedule/calendar?at=${encodeURIComponent(at.toISOString())}`;
}

// ─────────────────────────────── creating ───────────────────────────────

interface NewBooking {
  bookingIds: string[];
  session: { id: string; title: string; hostId: string; startsAt: Date; endsAt: Date; kind: "one_to_one" | "group" };
}

async function insertSlotBooking(
  tx: Db,
  input: { sessionTypeId: string; startsAt: Date; learnerIds: string[]; bookedById: string; cohortId?: string | null },
  now: Date,
): Promise<NewBooking> {
  const type = await tx.sessionType.findUnique({ where: { id: input.sessionTypeId } });
  if (!type || !type.active) throw new BookingError("unavailable");
  const hostId = type.expertId;
  if (input.learnerIds.includes(hostId)) throw new BookingError("own_session");
  const capacity = type.kind === "one_to_one" ? 1 : type.capacity;
  if (input.learnerIds.length === 0) throw new BookingError("unavailable");
  if (input.learnerIds.length > capacity) throw new BookingError("not_enough_seats", { seatsLeft: capacity, needed: input.learnerIds.length });
  const startsAt = input.startsAt;
  const endsAt = new Date(startsAt.getTime() + type.durationMinutes * MINUTE);

  await lockHost(tx, hostId);
  const av = await loadAvailability(tx, hostId);
  if (!av) throw new BookingError("unavailable");
  const busy = await tx.liveSession.findMany({
    where: { hostId, status: { not: "cancelled" }, startsAt: { lt: new Date(startsAt.getTime() + 2 * DAY) }, endsAt: { gt: new Date(startsAt.getTime() - 2 * DAY) } },
    select: { startsAt: true, endsAt: true },
  });
  if (!isSlotFree(av, { durationMinutes: type.durationMinutes, now, busy }, startsAt)) {
    const buffer = av.bufferMinutes * MINUTE;
    const clash = busy.some((b) => startsAt.getTime() < b.endsAt.getTime() + buffer && b.startsAt.getTime() < endsAt.getTime() + buffer);
    throw new BookingError(clash ? "taken" : "unavailable");
  }
  const session = await tx.liveSession.create({
    data: {
      hostId,
      title: type.title,
      kind: type.kind,
      capacity,
      startsAt,
      endsAt,
      sessionTypeId: type.id,
      cohortId: input.cohortId ?? null,
    },
  });
  const bookingIds: string[] = [];
  for (const learnerId of input.learnerIds) {
    const b = await tx.booking.create({ data: { sessionId: session.id, learnerId, bookedById: input.bookedById } });
    bookingIds.push(b.id);
  }
  await scheduleReminders(tx, session, [hostId, ...input.learnerIds], now);
  return { bookingIds, session };
}

async function insertSeatBooking(
  tx: Db,
  input: { sessionId: string; learnerIds: string[]; bookedById: string },
  now: Date,
): Promise<NewBooking> {
  if (!(await lockSession(tx, input.sessionId))) throw new BookingError("not_found");
  const session = await tx.liveSession.findUniqueOrThrow({
    where: { id: input.sessionId },
    include: { bookings: { where: { status: "confirmed" }, select: { learnerId: true } } },
  });
  if (session.kind !== "group" || session.status !== "scheduled" || session.startsAt <= now) throw new BookingError("unavailable");
  if (input.learnerIds.length === 0) throw new BookingError("unavailable");
  if (session.cohortId) {
    // A cohort's session takes only that cohort's learners.
    const members = await tx.cohortMember.count({ where: { cohortId: session.cohortId, userId: { in: input.learnerIds } } });
    if (members !== new Set(input.learnerIds).size) throw new BookingError("unavailable");
  }
  if (input.learnerIds.includes(session.hostId)) throw new BookingError("own_session");
  const booked = new Set(session.bookings.map((b) => b.learnerId));
  if (input.learnerIds.some((id) => booked.has(id))) throw new BookingError("already_booked");
  const seatsLeft = session.capacity - session.bookings.length;
  if (seatsLeft <= 0) throw new BookingError("full");
  if (input.learnerIds.length > seatsLeft) throw new BookingError("not_enough_seats", { seatsLeft, needed: input.learnerIds.length });
  const bookingIds: string[] = [];
  for (const learnerId of input.learnerIds) {
    const b = await tx.booking.upsert({
      where: { sessionId_learnerId: { sessionId: session.id, learnerId } },
      create: { sessionId: session.id, learnerId, bookedById: input.bookedById },
      update: { status: "confirmed", cancelledAt: null, bookedById: input.bookedById },
    });
    bookingIds.push(b.id);
  }
  await scheduleReminders(tx, session, input.learnerIds, now);
  return { bookingIds, session };
}

async function bookedNotices(tx: Db, nb: NewBooking, learnerIds: string[], by: Actor, cohortName?: string): Promise<Notice[]> {
  const host = await tx.user.findUniqueOrThrow({ where: { id: nb.session.hostId }, select: { name: true, email: true } });
  const learners = await tx.user.findMany({ where: { id: { in: learnerIds } }, select: { id: true, name: true } });
  const when = { start: nb.session.startsAt, end: nb.session.endsAt };
  const ics = sessionIcs({ ...nb.session, status: "scheduled", host });
  const attachments = [{ filename: "skillrelay-session.ics", content: ics, contentType: "text/calendar; charset=utf-8; method=PUBLISH" }];
  const hostUrl = calendarUrl(nb.session.startsAt);
  const notices: Notice[] = learnerIds.map((learnerId, i) => ({
    userId: learnerId,
    kind: cohortName ? "cohortBooked" : "booked",
    url: `/schedule/bookings/${nb.bookingIds[i]}`,
    params: { title: nb.session.title, expert: host.name, by: by.name, cohort: cohortName ?? "" },
    when,
    attachments,
  }));
  notices.push(
    cohortName
      ? {
          userId: nb.session.hostId,
          kind: "cohortBookedHost",
          url: hostUrl,
          params: { title: nb.session.title, cohort: cohortName, count: learnerIds.length, by: by.name },
          when,
          attachments,
        }
      : {
          userId: nb.session.hostId,
          kind: "newBooking",
          url: hostUrl,
          params: { title: nb.session.title, learner: learners[0]?.name ?? by.name },
          when,
          attachments,
        },
  );
  return notices;
}

export type BookingTarget = { kind: "slot"; sessionTypeId: string; startsAt: Date } | { kind: "seat"; sessionId: string };

async function insertBooking(tx: Db, target: BookingTarget, learnerIds: string[], bookedById: string, now: Date, cohortId?: string | null) {
  return target.kind === "slot"
    ? insertSlotBooking(tx, { sessionTypeId: target.sessionTypeId, startsAt: target.startsAt, learnerIds, bookedById, cohortId }, now)
    : insertSeatBooking(tx, { sessionId: target.sessionId, learnerIds, bookedById }, now);
}

/** A user books a 1:1 slot, a new group session, or a seat in an existing group session, for themself. */
export async function bookForSelf(actor: Actor, target: BookingTarget, now: Date = new Date()) {
  let mails: MailMessage[] = [];
  const result = await bookingTx(async (tx) => {
    const nb = await insertBooking(tx, target, [actor.id], actor.id, now);
    mails = await createNotices(tx, await bookedNotices(tx, nb, [actor.id], actor));
    return { bookingId: nb.bookingIds[0], sessionId: nb.session.id };
  });
  deliver(mails);
  return result;
}

/** May this user book for the cohort? School admins of the cohort's organisation, and platform admins. */
export async function canBookForCohort(actor: Pick<AuthUser, "id" | "role">, cohortId: string) {
  const cohort = await prisma.cohort.findUnique({ where: { id: cohortId }, select: { orgId: true } });
  return !!cohort && (await canAdministerOrg(actor, cohort.orgId));
}

/** A school admin books seats for some (or all) learners of a cohort in one group session. */
export async function bookForCohort(actor: Actor, cohortId: string, learnerIds: string[], target: BookingTarget, now: Date = new Date()) {
  if (!(await canBookForCohort(actor, cohortId))) throw new BookingError("forbidden");
  const cohort = await prisma.cohort.findUniqueOrThrow({ where: { id: cohortId }, include: { members: { select: { userId: true } } } });
  const members = new Set(cohort.members.map((m) => m.userId));
  const chosen = [...new Set(learnerIds)];
  if (chosen.length === 0 || chosen.some((id) => !members.has(id))) throw new BookingError("forbidden");
  if (target.kind === "slot") {
    const type = await prisma.sessionType.findUnique({ where: { id: target.sessionTypeId }, select: { kind: true } });
    if (type?.kind !== "group") throw new BookingError("unavailable");
  }
  let mails: MailMessage[] = [];
  const result = await bookingTx(async (tx) => {
    const nb = await insertBooking(tx, target, chosen, actor.id, now, cohortId);
    mails = await createNotices(tx, await bookedNotices(tx, nb, chosen, actor, cohort.name));
    return { bookingIds: nb.bookingIds, sessionId: nb.session.id };
  });
  deliver(mails);
  return result;
}

// ─────────────────────────────── changing ───────────────────────────────

export type BookingRelation = "learner" | "host" | "booker" | "admin";

/** How the actor stands to a booking (null: not at all). */
export async function relationToBooking(
  actor: Pick<AuthUser, "id" | "role">,
  booking: { learnerId: string; bookedById: string | null; session: { hostId: string; cohortId: string | null } },
): Promise<BookingRelation | null> {
  if (booking.learnerId === actor.id) return "learner";
  if (booking.session.hostId === actor.id) return "host";
  if (booking.bookedById === actor.id) return "booker";
  if (booking.session.cohortId && actor.role !== "admin" && (await canBookForCohort(actor, booking.session.cohortId))) return "booker";
  if (actor.role === "admin") return "admin";
  return null;
}

/**
 * Cancelling and rescheduling rules: nobody changes a session that has begun; learners (and
 * the school that booked them) not later than the expert's cut-off before the start; the
 * host and platform admins until the start.
 */
export function changeRule(
  relation: BookingRelation,
  session: { startsAt: Date; status: string },
  cutoffMinutes: number,
  now: Date,
): { allowed: true } | { allowed: false; reason: "started" | "cutoff" } {
  if (session.status !== "scheduled" || session.startsAt <= now) return { allowed: false, reason: "started" };
  if ((relation === "learner" || relation === "booker") && session.startsAt.getTime() - now.getTime() < cutoffMinutes * MINUTE) {
    return { allowed: false, reason: "cutoff" };
  }
  return { allowed: true };
}

async function loadBookingForChange(tx: Db, bookingId: string) {
  const booking = await tx.booking.findUnique({
    where: { id: bookingId },
    include: {
      session: { include: { host: { select: { id: true, name: true, expertProfile: { select: { cancelCutoffMinutes: true } } } } } },
      learner: { select: { id: true, name: true } },
    },
  });
  if (!booking || booking.status !== "confirmed") throw new BookingError("not_found");
  return booking;
}

type LoadedBooking = Awaited<ReturnType<typeof loadBookingForChange>>;

async function checkChange(actor: Actor, booking: LoadedBooking, now: Date) {
  const relation = await relationToBooking(actor, booking);
  if (!relation) throw new BookingError("not_found");
  const rule = changeRule(relation, booking.session, booking.session.host.expertProfile?.cancelCutoffMinutes ?? 120, now);
  if (!rule.allowed) throw new BookingError(rule.reason);
  return relation;
}

/** Gives up one booking; a session left without bookings is cancelled, so its time is free again. */
async function releaseBooking(tx: Db, booking: LoadedBooking, now: Date) {
  await lockSession(tx, booking.sessionId);
  await tx.booking.update({ where: { id: booking.id }, data: { status: "cancelled", cancelledAt: now } });
  await dropReminders(tx, booking.sessionId, [booking.learnerId]);
  const remaining = await tx.booking.count({ where: { sessionId: booking.sessionId, status: "confirmed" } });
  if (remaining === 0) {
    await tx.liveSession.update({ where: { id: booking.sessionId }, data: { status: "cancelled" } });
    await dropReminders(tx, booking.sessionId);
  }
}

export async function cancelBooking(actor: Actor, bookingId: string, now: Date = new Date()) {
  let mails: MailMessage[] = [];
  await bookingTx(async (tx) => {
    const booking = await loadBookingForChange(tx, bookingId);
    const relation = await checkChange(actor, booking, now);
    await releaseBooking(tx, booking, now);
    const s = booking.session;
    const when = { start: s.startsAt, end: s.endsAt };
    const notices: Notice[] = [];
    if (relation !== "learner") {
      notices.push({ userId: booking.learnerId, kind: "cancelledForYou", url: `/schedule/bookings/${booking.id}`, params: { title: s.title, by: actor.name, expert: s.host.name }, when });
    }
    if (relation !== "host") {
      notices.push({
        userId: s.hostId,
        kind: "cancelledByLearner",
        url: calendarUrl(s.startsAt),
        params: { title: s.title, learner: booking.learner.name, by: actor.name },
        when,
      });
    }
    mails = await createNotices(tx, notices);
  });
  deliver(mails);
}

/** Moves a booking to another time of the same expert (a free slot or a group seat) in one transaction. */
export async function rescheduleBooking(actor: Actor, bookingId: string, target: BookingTarget, now: Date = new Date()) {
  let mails: MailMessage[] = [];
  const result = await bookingTx(async (tx) => {
    const booking = await loadBookingForChange(tx, bookingId);
    const relation = await checkChange(actor, booking, now);
    if (relation === "host") throw new BookingError("forbidden");
    const hostId = booking.session.hostId;
    if (target.kind === "slot") {
      const type = await tx.sessionType.findUnique({ where: { id: target.sessionTypeId }, select: { expertId: true } });
      if (type?.expertId !== hostId) throw new BookingError("unavailable");
    } else {
      const s = await tx.liveSession.findUnique({ where: { id: target.sessionId }, select: { hostId: true } });
      if (s?.hostId !== hostId) throw new BookingError("unavailable");
      if (target.sessionId === booking.sessionId) throw new BookingError("already_booked");
    }
    await lockHost(tx, hostId);
    await releaseBooking(tx, booking, now);
    const nb = await insertBooking(tx, target, [booking.learnerId], booking.bookedById ?? actor.id, now, booking.session.cohortId);
    const s = nb.session;
    const params = { title: s.title, learner: booking.learner.name, expert: booking.session.host.name, by: actor.name };
    const notices: Notice[] = [
      {
        userId: hostId,
        kind: "rescheduledHost",
        url: calendarUrl(s.startsAt),
        params,
        when: { start: s.startsAt, end: s.endsAt },
      },
    ];
    if (relation !== "learner") {
      notices.push({ userId: booking.learnerId, kind: "rescheduledForYou", url: `/schedule/bookings/${nb.bookingIds[0]}`, params, when: { start: s.startsAt, end: s.endsAt } });
    }
    mails = await createNotices(tx, notices);
    return { bookingId: nb.bookingIds[0], sessionId: s.id };
  });
  deliver(mails);
  return result;
}

/** The host (or a platform admin) calls off a whole session; every booked learner is told. */
export async function cancelSession(actor: Actor, sessionId: string, now: Date = new Date()) {
  let mails: MailMessage[] = [];
  await bookingTx(async (tx) => {
    if (!(await lockSession(tx, sessionId))) throw new BookingError("not_found");
    const s = await tx.liveSession.findUniqueOrThrow({
      where: { id: sessionId },
      include: { bookings: { where: { status: "confirmed" } }, host: { select: { name: true } } },
    });
    if (s.hostId !== actor.id && actor.role !== "admin") throw new BookingError("not_found");
    if (s.status !== "scheduled" || s.startsAt <= now) throw new BookingError("started");
    await tx.booking.updateMany({ where: { sessionId, status: "confirmed" }, data: { status: "cancelled", cancelledAt: now } });
    await tx.liveSession.update({ where: { id: sessionId }, data: { status: "cancelled" } });
    await dropReminders(tx, sessionId);
    mails = await createNotices(
      tx,
      s.bookings.map((b) => ({
        userId: b.learnerId,
        kind: "sessionCancelled",
        url: `/schedule/bookings/${b.id}`,
        params: { title: s.title, expert: s.host.name, by: actor.name },
        when: { start: s.startsAt, end: s.endsAt },
      })),
    );
  });
  deliver(mails);
}

// ─────────────────────────────── reading ───────────────────────────────

/** Sessions of a host overlapping [from, to) with their bookings, for the calendar. */
export async function hostSessions(hostId: string, from: Date, to: Date) {
  return prisma.liveSession.findMany({
    where: { hostId, startsAt: { lt: to }, endsAt: { gt: from } },
    include: {
      bookings: { where: { status: "confirmed" }, include: { learner: { select: { id: true, name: true } } }, orderBy: { createdAt: "asc" } },
      cohort: { select: { name: true } },
    },
    orderBy: { startsAt: "asc" },
  });
}

/** Open group sessions of a session type with seats left, for the booking pages. */
export async function openGroupSessions(sessionTypeId: string, from: Date, to: Date, now: Date = new Date(), cohortId: string | null = null) {
  const sessions = await prisma.liveSession.findMany({
    where: {
      sessionTypeId,
      kind: "group",
      status: "scheduled",
      startsAt: { gte: from > now ? from : now, lt: to },
      // A cohort's session is the school's class: offered only to that cohort.
      OR: [{ cohortId: null }, ...(cohortId ? [{ cohortId }] : [])],
    },
    include: { bookings: { where: { status: "confirmed" }, select: { learnerId: true } } },
    orderBy: { startsAt: "asc" },
  });
  return sessions.map((s) => ({
    id: s.id,
    startsAt: s.startsAt,
    endsAt: s.endsAt,
    capacity: s.capacity,
    seatsLeft: Math.max(0, s.capacity - s.bookings.length),
    learnerIds: s.bookings.map((b) => b.learnerId),
  }));
}

export async function learnerBookings(userId: string) {
  return prisma.booking.findMany({
    where: { learnerId: userId },
    include: { session: { include: { host: { select: { id: true, name: true } } } } },
    orderBy: { session: { startsAt: "asc" } },
  });
}

export async function bookingDetail(bookingId: string) {
  return prisma.booking.findUnique({
    where: { id: bookingId },
    include: {
      learner: { select: { id: true, name: true } },
      session: {
        include: {
          host: { select: { id: true, name: true, email: true, expertProfile: { select: { cancelCutoffMinutes: true, timeZone: true } } } },
          cohort: { select: { id: true, name: true } },
          sessionType: { select: { id: true, kind: true, durationMinutes: true } },
        },
      },
    },
  });
}

export function joinWindow(session: { startsAt: Date; endsAt: Date; status: string }, now: Date = new Date()) {
  const opens = session.startsAt.getTime() - JOIN_OPENS_MINUTES * MINUTE;
  if (session.status === "cancelled") return "cancelled" as const;
  if (session.status === "live") return "open" as const; // the host started early, or it runs over
  if (session.status === "ended" || now.getTime() >= session.endsAt.getTime()) return "ended" as const;
  return now.getTime() >= opens ? ("open" as const) : ("soon" as const);
}

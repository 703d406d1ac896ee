// Booking on a real PostgreSQL: concurrent races, the database's own guards, cancel and
// reschedule rules, cohort bookings, notifications and mail.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { prisma } from "~/domains/db.server";
import {
  BookingError,
  bookForCohort,
  bookForSelf,
  cancelBooking,
  cancelSession,
  changeRule,
  rescheduleBooking,
} from "~/domains/scheduling/booking.server";
import { mailIdle } from "~/domains/notifications/mail.server";

const outbox = fs.mkdtempSync(path.join(os.tmpdir(), "skillrelay-outbox-"));
process.env.MAIL_OUTBOX_DIR = outbox;
delete process.env.SMTP_URL;

// A fixed "now": Monday 4 January 2027, 08:00 in Beijing.
const NOW = new Date("2027-01-04T00:00:00Z");
const at = (iso: string) => new Date(iso);
let seq = 0;

async function user(role: "learner" | "expert" | "school_admin" | "admin" = "learner", extra: { timeZone?: string; locale?: string } = {}) {
  seq++;
  return prisma.user.create({
    data: { name: `${role} ${seq}`, email: `${role}${seq}@booking.test`, role, passwordHash: "x", locale: extra.locale ?? "en", timeZone: extra.timeZone ?? "Asia/Shanghai" },
  });
}

/** An expert on Beijing time with weekday hours 09:00–17:00, a 1:1 60-minute type and a group type. */
async function expert(opts: { buffer?: number; notice?: number; maxPerDay?: number; cutoff?: number; capacity?: number } = {}) {
  const u = await user("expert");
  await prisma.expertProfile.create({
    data: {
      userId: u.id,
      timeZone: "Asia/Shanghai",
      bufferMinutes: opts.buffer ?? 0,
      minNoticeMinutes: opts.notice ?? 60,
      maxSessionsPerDay: opts.maxPerDay ?? 0,
      cancelCutoffMinutes: opts.cutoff ?? 120,
      rules: { create: [1, 2, 3, 4, 5].map((weekday) => ({ weekday, startMinute: 9 * 60, endMinute: 17 * 60 })) },
    },
  });
  const oneToOne = await prisma.sessionType.create({ data: { expertId: u.id, title: "Welding 1:1", kind: "one_to_one", durationMinutes: 60 } });
  const group = await prisma.sessionType.create({
    data: { expertId: u.id, title: "TIG workshop", kind: "group", durationMinutes: 90, capacity: opts.capacity ?? 3 },
  });
  return { user: u, oneToOne, group };
}

async function expectCode(p: Promise<unknown>, code: string) {
  const err = await p.then(
    () => null,
    (e) => e,
  );
  expect(err, `expected BookingError ${code}`).toBeInstanceOf(BookingError);
  expect((err as BookingError).code).toBe(code);
}

const TUE_10 = at("2027-01-05T02:00:00Z"); // Tuesday 10:00 Beijing

beforeAll(async () => {
  await prisma.$queryRaw`SELECT 1`;
});

describe("no double booking under concurrency", () => {
  it("N learners racing for one 1:1 slot: exactly one wins, the rest hear 'taken'", async () => {
    const { oneToOne } = await expert();
    const learners = await Promise.all(Array.from({ length: 12 }, () => user()));
    const results = await Promise.allSettled(
      learners.map((l) => bookForSelf(l, { kind: "slot", sessionTypeId: oneToOne.id, startsAt: TUE_10 }, NOW)),
    );
    const ok = results.filter((r) => r.status === "fulfilled");
    const failed = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
    expect(ok).toHaveLength(1);
    expect(failed).toHaveLength(11);
    for (const f of failed) {
      expect(f.reason).toBeInstanceOf(BookingError);
      expect((f.reason as BookingError).code).toBe("taken");
    }
    expect(await prisma.liveSession.count({ where: { sessionTypeId: oneToOne.id, status: "scheduled" } })).toBe(1);
    expect(await prisma.booking.count({ where: { session: { sessionTypeId: oneToOne.id }, status: "confirmed" } })).toBe(1);
  });

  it("overlapping slots of different lengths race too: one session per host time", async () => {
    const { user: host, oneToOne } = await expert();
    const short = await prisma.sessionType.create({ data: { expertId: host.id, title: "Quick check", kind: "one_to_one", durationMinutes: 30 } });
    const learners = await Promise.all(Array.from({ length: 8 }, () => user()));
    const results = await Promise.allSettled(
      learners.map((l, i) =>
        bookForSelf(l, { kind: "slot", sessionTypeId: i % 2 ? short.id : oneToOne.id, startsAt: i % 2 ? at("2027-01-05T02:30:00Z") : TUE_10 }, NOW),
      ),
    );
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
  });

  it("N learners racing for the last seats of a group session: capacity holds", async () => {
    const { group } = await expert({ capacity: 4 });
    const first = await user();
    const { sessionId } = await bookForSelf(first, { kind: "slot", sessionTypeId: group.id, startsAt: TUE_10 }, NOW);
    const racers = await Promise.all(Array.from({ length: 10 }, () => user()));
    const results = await Promise.allSettled(racers.map((l) => bookForSelf(l, { kind: "seat", sessionId }, NOW)));
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(3);
    const codes = results.filter((r): r is PromiseRejectedResult => r.status === "rejected").map((r) => (r.reason as BookingError).code);
    expect(codes).toEqual(Array(7).fill("full"));
    expect(await prisma.booking.count({ where: { sessionId, status: "confirmed" } })).toBe(4);
  });

  it("the database itself refuses overlapping sessions of a host and bookings beyond capacity", async () => {
    const { user: host, oneToOne } = await expert();
    const base = { hostId: host.id, title: "x", kind: "one_to_one" as const, sessionTypeId: oneToOne.id };
    await prisma.liveSession.create({ data: { ...base, startsAt: at("2027-02-01T02:00:00Z"), endsAt: at("2027-02-01T03:00:00Z") } });
    await expect(
      prisma.liveSession.create({ data: { ...base, startsAt: at("2027-02-01T02:30:00Z"), endsAt: at("2027-02-01T03:30:00Z") } }),
    ).rejects.toThrow(/session_overlap/);
    // Back to back is fine; so is an overlapping cancelled one, or an ad-hoc room without a type.
    await prisma.liveSession.create({ data: { ...base, startsAt: at("2027-02-01T03:00:00Z"), endsAt: at("2027-02-01T04:00:00Z") } });
    await prisma.liveSession.create({ data: { ...base, status: "cancelled", startsAt: at("2027-02-01T02:00:00Z"), endsAt: at("2027-02-01T03:00:00Z") } });
    await prisma.liveSession.create({ data: { ...base, sessionTypeId: null, startsAt: at("2027-02-01T02:00:00Z"), endsAt: at("2027-02-01T03:00:00Z") } });

    const s = await prisma.liveSession.create({ data: { ...base, startsAt: at("2027-02-02T02:00:00Z"), endsAt: at("2027-02-02T03:00:00Z") } });
    const [a, b] = [await user(), await user()];
    await prisma.booking.create({ data: { sessionId: s.id, learnerId: a.id } });
    await expect(prisma.booking.create({ data: { sessionId: s.id, learnerId: b.id } })).rejects.toThrow(/booking_capacity_exceeded/);
  });
});

describe("booking rules", () => {
  it("refuses times outside availability, inside the notice, off the grid, and one's own session", async () => {
    const { user: host, oneToOne } = await expert({ notice: 240 });
    const l = await user();
    await expectCode(bookForSelf(l, { kind: "slot", sessionTypeId: oneToOne.id, startsAt: at("2027-01-05T12:00:00Z") }, NOW), "unavailable"); // 20:00
    await expectCode(bookForSelf(l, { kind: "slot", sessionTypeId: oneToOne.id, startsAt: at("2027-01-04T02:00:00Z") }, NOW), "unavailable"); // in 2 h
    await expectCode(bookForSelf(l, { kind: "slot", sessionTypeId: oneToOne.id, startsAt: at("2027-01-05T02:10:00Z") }, NOW), "unavailable");
    await expectCode(bookForSelf(host, { kind: "slot", sessionTypeId: oneToOne.id, startsAt: TUE_10 }, NOW), "own_session");
    await prisma.sessionType.update({ where: { id: oneToOne.id }, data: { active: false } });
    await expectCode(bookForSelf(l, { kind: "slot", sessionTypeId: oneToOne.id, startsAt: TUE_10 }, NOW), "unavailable");
  });

  it("keeps the buffer and the daily limit", async () => {
    const { oneToOne } = await expert({ buffer: 15, maxPerDay: 2 });
    const [a, b, c] = [await user(), await user(), await user()];
    await bookForSelf(a, { kind: "slot", sessionTypeId: oneToOne.id, startsAt: TUE_10 }, NOW);
    // 11:00 touches the end of 10:00–11:00: inside the 15-minute buffer.
    await expectCode(bookForSelf(b, { kind: "slot", sessionTypeId: oneToOne.id, startsAt: at("2027-01-05T03:00:00Z") }, NOW), "taken");
    await bookForSelf(b, { kind: "slot", sessionTypeId: oneToOne.id, startsAt: at("2027-01-05T03:30:00Z") }, NOW);
    await expectCode(bookForSelf(c, { kind: "slot", sessionTypeId: oneToOne.id, startsAt: at("2027-01-05T06:00:00Z") }, NOW), "unavailable");
    await bookForSelf(c, { kind: "slot", sessionTypeId: oneToOne.id, startsAt: at("2027-01-06T06:00:00Z") }, NOW);
  });

  it("one seat per learner per session", async () => {
    const { group } = await expert();
    const [a, b] = [await user(), await user()];
    const { sessionId } = await bookForSelf(a, { kind: "slot", sessionTypeId: group.id, startsAt: TUE_10 }, NOW);
    await expectCode(bookForSelf(a, { kind: "seat", sessionId }, NOW), "already_booked");
    await bookForSelf(b, { kind: "seat", sessionId }, NOW);
  });

  it("the change rule: cut-off for learners and schools, start for everyone", () => {
    const s = { startsAt: at("2027-01-05T02:00:00Z"), status: "scheduled" };
    expect(changeRule("learner", s, 120, at("2027-01-04T23:59:00Z"))).toEqual({ allowed: true });
    expect(changeRule("learner", s, 120, at("2027-01-05T00:01:00Z"))).toEqual({ allowed: false, reason: "cutoff" });
    expect(changeRule("booker", s, 120, at("2027-01-05T00:01:00Z"))).toEqual({ allowed: false, reason: "cutoff" });
    expect(changeRule("host", s, 120, at("2027-01-05T01:59:00Z"))).toEqual({ allowed: true });
    expect(changeRule("admin", s, 120, at("2027-01-05T02:00:00Z"))).toEqual({ allowed: false, reason: "started" });
    expect(changeRule("learner", { ...s, status: "cancelled" }, 0, NOW)).toEqual({ allowed: false, reason: "started" });
  });
});

describe("cancel and reschedule", () => {
  it("a learner cancels before the cut-off; the host is told and the slot is free again", async () => {
    const { user: host, oneToOne } = await expert({ cutoff: 120 });
    const [a, b] = [await user(), await user()];
    const { bookingId, sessionId } = await bookForSelf(a, { kind: "slot", sessionTypeId: oneToOne.id, startsAt: TUE_10 }, NOW);
    expect(await prisma.reminderJob.count({ where: { sessionId } })).toBe(4);
    await cancelBooking(a, bookingId, NOW);
    expect((await prisma.booking.findUniqueOrThrow({ where: { id: bookingId } })).status).toBe("cancelled");
    expect((await prisma.liveSession.findUniqueOrThrow({ where: { id: sessionId } })).status).toBe("cancelled");
    expect(await prisma.reminderJob.count({ where: { sessionId } })).toBe(0);
    const hostNotes = await prisma.notification.findMany({ where: { userId: host.id }, orderBy: { createdAt: "asc" } });
    expect(hostNotes.map((n) => n.kind)).toEqual(["newBooking", "cancelledByLearner"]);
    expect(hostNotes[1].title).toContain("cancelled");
    await bookForSelf(b, { kind: "slot", sessionTypeId: oneToOne.id, startsAt: TUE_10 }, NOW);
  });

  it("refuses a learner's cancel inside the cut-off but lets the host cancel; nobody after the start", async () => {
    const { user: host, oneToOne } = await expert({ cutoff: 180 });
    const [a, stranger] = [await user(), await user()];
    const { bookingId, sessionId } = await bookForSelf(a, { kind: "slot", sessionTypeId: oneToOne.id, startsAt: TUE_10 }, NOW);
    const late = at("2027-01-04T23:30:00Z"); // 2.5 h before
    await expectCode(cancelBooking(a, bookingId, late), "cutoff");
    await expectCode(cancelBooking(stranger, bookingId, late), "not_found");
    await expectCode(cancelBooking(host, bookingId, at("2027-01-05T02:00:00Z")), "started");
    await cancelSession(host, sessionId, late);
    expect((await prisma.booking.findUniqueOrThrow({ where: { id: bookingId } })).status).toBe("cancelled");
    const note = await prisma.notification.findFirstOrThrow({ where: { userId: a.id, kind: "sessionCancelled" } });
    expect(note.url).toBe(`/schedule/bookings/${bookingId}`);
  });

  it("a group seat given up frees one seat; the last one out frees the host's time", async () => {
    const { group } = await expert({ capacity: 2 });
    const [a, b, c] = [await user(), await user(), await user()];
    const first = await bookForSelf(a, { kind: "slot", sessionTypeId: group.id, startsAt: TUE_10 }, NOW);
    const second = await bookForSelf(b, { kind: "seat", sessionId: first.sessionId }, NOW);
    await expectCode(bookForSelf(c, { kind: "seat", sessionId: first.sessionId }, NOW), "full");
    await cancelBooking(b, second.bookingId, NOW);
    await bookForSelf(c, { kind: "seat", sessionId: first.sessionId }, NOW);
    // b comes back after c leaves: the old booking row is re-confirmed.
    const cBooking = await prisma.booking.findFirstOrThrow({ where: { sessionId: first.sessionId, learnerId: c.id } });
    await cancelBooking(c, cBooking.id, NOW);
    expect((await bookForSelf(b, { kind: "seat", sessionId: first.sessionId }, NOW)).bookingId).toBe(second.bookingId);
    await cancelBooking(a, first.bookingId, NOW);
    await cancelBooking(b, second.bookingId, NOW);
    expect((await prisma.liveSession.findUniqueOrThrow({ where: { id: first.sessionId } })).status).toBe("cancelled");
  });

  it("reschedules atomically to a new slot (even an overlapping one), moving the reminders", async () => {
    const { user: host, oneToOne } = await expert();
    const a = await user();
    const old = await bookForSelf(a, { kind: "slot", sessionTypeId: oneToOne.id, startsAt: TUE_10 }, NOW);
    const moved = await rescheduleBooking(a, old.bookingId, { kind: "slot", sessionTypeId: oneToOne.id, startsAt: at("2027-01-05T02:30:00Z") }, NOW);
    expect(moved.sessionId).not.toBe(old.sessionId);
    expect((await prisma.liveSession.findUniqueOrThrow({ where: { id: old.sessionId } })).status).toBe("cancelled");
    expect((await prisma.booking.findUniqueOrThrow({ where: { id: old.bookingId } })).status).toBe("cancelled");
    const s = await prisma.liveSession.findUniqueOrThrow({ where: { id: moved.sessionId } });
    expect(s.startsAt.toISOString()).toBe("2027-01-05T02:30:00.000Z");
    expect(await prisma.reminderJob.count({ where: { sessionId: old.sessionId } })).toBe(0);
    expect(await prisma.reminderJob.count({ where: { sessionId: moved.sessionId } })).toBe(4);
    expect(await prisma.notification.count({ where: { userId: host.id, kind: "rescheduledHost" } })).toBe(1);
  });

  it("a failed reschedule leaves the original booking untouched", async () => {
    const { oneToOne } = await expert();
    const [a, b] = [await user(), await user()];
    const mine = await bookForSelf(a, { kind: "slot", sessionTypeId: oneToOne.id, startsAt: TUE_10 }, NOW);
    await bookForSelf(b, { kind: "slot", sessionTypeId: oneToOne.id, startsAt: at("2027-01-05T05:00:00Z") }, NOW);
    await expectCode(rescheduleBooking(a, mine.bookingId, { kind: "slot", sessionTypeId: oneToOne.id, startsAt: at("2027-01-05T05:00:00Z") }, NOW), "taken");
    expect((await prisma.booking.findUniqueOrThrow({ where: { id: mine.bookingId } })).status).toBe("confirmed");
    // Another expert's type is not a reschedule target.
    const other = await expert();
    await expectCode(rescheduleBooking(a, mine.bookingId, { kind: "slot", sessionTypeId: other.oneToOne.id, startsAt: TUE_10 }, NOW), "unavailable");
  });
});

describe("cohort bookings by a school", () => {
  async function school(size: number) {
    const admin = await user("school_admin");
    const org = await prisma.organization.create({ data: { name: `School ${seq}`, verifiedAt: new Date(), memberships: { create: { userId: admin.id, role: "admin" } } } });
    const learners = await Promise.all(Array.from({ length: size }, () => user()));
    const cohort = await prisma.cohort.create({
      data: { orgId: org.id, name: `Class ${seq}`, members: { create: learners.map((l) => ({ userId: l.id })) } },
    });
    return { admin, org, cohort, learners };
  }

  it("books seats for the cohort's learners within capacity and tells everyone", async () => {
    const { user: host, group } = await expert({ capacity: 4 });
    const { admin, cohort, learners } = await school(6);
    const ids = learners.map((l) => l.id);
    await expectCode(bookForCohort(admin, cohort.id, ids, { kind: "slot", sessionTypeId: group.id, startsAt: TUE_10 }, NOW), "not_enough_seats");
    const res = await bookForCohort(admin, cohort.id, ids.slice(0, 3), { kind: "slot", sessionTypeId: group.id, startsAt: TUE_10 }, NOW);
    expect(res.bookingIds).toHaveLength(3);
    const s = await prisma.liveSession.findUniqueOrThrow({ where: { id: res.sessionId }, include: { bookings: true } });
    expect(s.cohortId).toBe(cohort.id);
    expect(s.bookings.every((b) => b.bookedById === admin.id)).toBe(true);
    await expectCode(bookForCohort(admin, cohort.id, ids.slice(3, 5), { kind: "seat", sessionId: res.sessionId }, NOW), "not_enough_seats");
    await bookForCohort(admin, cohort.id, ids.slice(3, 4), { kind: "seat", sessionId: res.sessionId }, NOW);
    expect(await prisma.notification.count({ where: { userId: { in: ids.slice(0, 4) }, kind: "cohortBooked" } })).toBe(4);
    expect(await prisma.notification.count({ where: { userId: host.id, kind: "cohortBookedHost" } })).toBe(2);
    // The school may cancel one of its learners' seats (before the cut-off).
    await cancelBooking(admin, res.bookingIds[0], NOW);
  });

  it("a cohort's group session is the school's class: outsiders cannot take its free seats", async () => {
    const { group } = await expert({ capacity: 6 });
    const { admin, cohort, learners } = await school(3);
    const { sessionId } = await bookForCohort(admin, cohort.id, [learners[0].id], { kind: "slot", sessionTypeId: group.id, startsAt: TUE_10 }, NOW);
    const outsider = await user();
    await expectCode(bookForSelf(outsider, { kind: "seat", sessionId }, NOW), "unavailable");
    // A member may take a seat on their own.
    await bookForSelf(learners[1], { kind: "seat", sessionId }, NOW);
  });

  it("refuses other schools, non-members and 1:1 types", async () => {
    const { oneToOne, group } = await expert({ capacity: 8 });
    const mine = await school(2);
    const theirs = await school(2);
    const target = { kind: "slot" as const, sessionTypeId: group.id, startsAt: TUE_10 };
    await expectCode(bookForCohort(theirs.admin, mine.cohort.id, mine.learners.map((l) => l.id), target, NOW), "forbidden");
    await expectCode(bookForCohort(mine.admin, mine.cohort.id, [theirs.learners[0].id], target, NOW), "forbidden");
    await expectCode(bookForCohort(mine.learners[0], mine.cohort.id, [mine.learners[1].id], target, NOW), "forbidden");
    await expectCode(
      bookForCohort(mine.admin, mine.cohort.id, [mine.learners[0].id], { kind: "slot", sessionTypeId: oneToOne.id, startsAt: TUE_10 }, NOW),
      "unavailable",
    );
    const platformAdmin = await user("admin");
    await bookForCohort(platformAdmin, mine.cohort.id, mine.learners.map((l) => l.id), target, NOW);
  });
});

describe("notifications and mail", () => {
  it("writes each recipient's mail, in their language and time zone, to the outbox with the .ics attached", async () => {
    const { user: host, oneToOne } = await expert();
    const learner = await user("learner", { timeZone: "Asia/Urumqi", locale: "zh-CN" });
    const before = new Set(fs.readdirSync(outbox));
    await bookForSelf(learner, { kind: "slot", sessionTypeId: oneToOne.id, startsAt: TUE_10 }, NOW);
    await mailIdle();
    // The outbox is shared with the other test files running at the same time: this booking's mails are the ones to its two people.
    const mails = fs
      .readdirSync(outbox)
      .filter((f) => !before.has(f))
      .map((f) => fs.readFileSync(path.join(outbox, f), "utf8"))
      .filter((m) => m.includes(`To: ${learner.email}`) || m.includes(`To: ${host.email}`));
    expect(mails).toHaveLength(2);
    const toLearner = mails.find((m) => m.includes(`To: ${learner.email}`))!;
    const toHost = mails.find((m) => m.includes(`To: ${host.email}`))!;
    expect(toLearner).toBeTruthy();
    expect(toHost).toBeTruthy();
    expect(toLearner).toMatch(/Content-Type: text\/calendar/);
    expect(toLearner).toContain("filename=skillrelay-session.ics");
    const attachment = /filename=skillrelay-session\.ics\r?\n\r?\n([A-Za-z0-9+/=\r\n]+?)\r?\n--/.exec(toLearner)![1];
    expect(Buffer.from(attachment.replace(/\s+/g, ""), "base64").toString("utf8")).toContain("BEGIN:VCALENDAR");
    const note = await prisma.notification.findFirstOrThrow({ where: { userId: learner.id } });
    expect(note.body).toContain("08:00"); // 10:00 Beijing = 08:00 on Xinjiang time
    const hostNote = await prisma.notification.findFirstOrThrow({ where: { userId: host.id } });
    expect(hostNote.body).toContain("10:00");
  });
});

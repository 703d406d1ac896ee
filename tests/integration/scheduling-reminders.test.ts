// Reminders are sent exactly once: by one of several schedulers running at once, and not
// again after a restart.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { beforeEach, describe, expect, it } from "vitest";
import { disconnectPrisma, prisma } from "~/domains/db.server";
import { bookForSelf, cancelBooking } from "~/domains/scheduling/booking.server";
import { runDueReminders, startReminderScheduler } from "~/domains/scheduling/reminders.server";
import { mailIdle } from "~/domains/notifications/mail.server";

process.env.MAIL_OUTBOX_DIR = fs.mkdtempSync(path.join(os.tmpdir(), "skillrelay-reminders-"));
delete process.env.SMTP_URL;

const NOW = new Date("2027-01-04T00:00:00Z");
const TUE_10 = new Date("2027-01-05T02:00:00Z");
let seq = 0;

async function user(role: "learner" | "expert" = "learner") {
  seq++;
  return prisma.user.create({ data: { name: `${role} ${seq}`, email: `${role}${seq}@reminders.test`, role, passwordHash: "x", locale: "en" } });
}

async function expertWithType() {
  const u = await user("expert");
  await prisma.expertProfile.create({
    data: {
      userId: u.id,
      minNoticeMinutes: 0,
      bufferMinutes: 0,
      rules: { create: [0, 1, 2, 3, 4, 5, 6].map((weekday) => ({ weekday, startMinute: 0, endMinute: 1440 })) },
    },
  });
  const type = await prisma.sessionType.create({ data: { expertId: u.id, title: "Wiring 1:1", kind: "one_to_one", durationMinutes: 60 } });
  return { host: u, type };
}

const reminderCount = (sessionUserIds: string[]) =>
  prisma.notification.count({ where: { userId: { in: sessionUserIds }, kind: { in: ["reminder24h", "reminder15m"] } } });

describe("reminder jobs", () => {
  // Each test counts its own sends: retire whatever earlier tests left pending.
  beforeEach(async () => {
    await prisma.reminderJob.updateMany({ where: { sentAt: null }, data: { sentAt: new Date() } });
  });

  it("are created with the booking, 24 h and 15 min before, for the learner and the host", async () => {
    const { host, type } = await expertWithType();
    const learner = await user();
    const { sessionId } = await bookForSelf(learner, { kind: "slot", sessionTypeId: type.id, startsAt: TUE_10 }, NOW);
    const jobs = await prisma.reminderJob.findMany({ where: { sessionId }, orderBy: [{ userId: "asc" }, { dueAt: "asc" }] });
    expect(jobs.map((j) => [j.userId === host.id ? "host" : "learner", j.kind, j.dueAt.toISOString()]).sort()).toEqual(
      [
        ["host", "reminder24h", "2027-01-04T02:00:00.000Z"],
        ["host", "reminder15m", "2027-01-05T01:45:00.000Z"],
        ["learner", "reminder24h", "2027-01-04T02:00:00.000Z"],
        ["learner", "reminder15m", "2027-01-05T01:45:00.000Z"],
      ].sort(),
    );
  });

  it("skips the 24-hour reminder of a session booked less than a day ahead", async () => {
    const { type } = await expertWithType();
    const learner = await user();
    const { sessionId } = await bookForSelf(learner, { kind: "slot", sessionTypeId: type.id, startsAt: new Date("2027-01-04T10:00:00Z") }, NOW);
    expect((await prisma.reminderJob.findMany({ where: { sessionId } })).map((j) => j.kind)).toEqual(["reminder15m", "reminder15m"]);
  });

  it("two schedulers at once, then a restart: each reminder is sent exactly once", async () => {
    const { host, type } = await expertWithType();
    const learner = await user();
    await bookForSelf(learner, { kind: "slot", sessionTypeId: type.id, startsAt: TUE_10 }, NOW);
    const ids = [host.id, learner.id];

    expect(await runDueReminders(new Date("2027-01-04T01:59:00Z"))).toBe(0);
    const dayBefore = new Date("2027-01-04T02:00:30Z");
    const [a, b, c] = await Promise.all([runDueReminders(dayBefore), runDueReminders(dayBefore), runDueReminders(dayBefore)]);
    expect(a + b + c).toBe(2);
    expect(await reminderCount(ids)).toBe(2);

    // "Restart": a new database client, as a new process would have.
    await disconnectPrisma();
    expect(await runDueReminders(dayBefore)).toBe(0);
    expect(await runDueReminders(new Date("2027-01-05T01:40:00Z"))).toBe(0);

    const soon = new Date("2027-01-05T01:45:10Z");
    const runs = await Promise.all([runDueReminders(soon), runDueReminders(soon)]);
    expect(runs[0] + runs[1]).toBe(2);
    await disconnectPrisma();
    expect(await runDueReminders(new Date("2027-01-05T01:50:00Z"))).toBe(0);

    const notes = await prisma.notification.findMany({ where: { userId: learner.id, kind: { startsWith: "reminder" } }, orderBy: { kind: "asc" } });
    expect(notes.map((n) => n.kind)).toEqual(["reminder15m", "reminder24h"]);
    expect(notes[0].title).toBe("Starting soon: Wiring 1:1");
    expect(notes[0].url).toMatch(/^\/schedule\/bookings\//);
    await mailIdle();
  });

  it("the scheduler started twice (two processes) and again after a stop sends each due job once", async () => {
    // Real clock: a session starting in 10 minutes, its jobs already due.
    const { host, type } = await expertWithType();
    const learner = await user();
    const startsAt = new Date(Date.now() + 10 * 60_000);
    const session = await prisma.liveSession.create({
      data: { hostId: host.id, title: "Real-time check", kind: "one_to_one", startsAt, endsAt: new Date(startsAt.getTime() + 3_600_000), sessionTypeId: type.id },
    });
    await prisma.booking.create({ data: { sessionId: session.id, learnerId: learner.id } });
    const dueAt = new Date(Date.now() - 1000);
    await prisma.reminderJob.createMany({
      data: [host.id, learner.id].map((userId) => ({ sessionId: session.id, userId, kind: "reminder15m", dueAt })),
    });
    const first = startReminderScheduler({ intervalMs: 20 });
    const second = startReminderScheduler({ intervalMs: 20 });
    await new Promise((r) => setTimeout(r, 600));
    first.stop();
    second.stop();
    const third = startReminderScheduler({ intervalMs: 20 });
    await new Promise((r) => setTimeout(r, 300));
    third.stop();
    await new Promise((r) => setTimeout(r, 200));
    expect(await reminderCount([host.id, learner.id])).toBe(2);
    expect(await prisma.reminderJob.count({ where: { sessionId: session.id, sentAt: null } })).toBe(0);
  });

  it("sends nothing for a cancelled booking, a cancelled session or one that already began", async () => {
    const { host, type } = await expertWithType();
    const [a, b] = [await user(), await user()];
    const one = await bookForSelf(a, { kind: "slot", sessionTypeId: type.id, startsAt: TUE_10 }, NOW);
    await cancelBooking(a, one.bookingId, NOW);
    expect(await prisma.reminderJob.count({ where: { sessionId: one.sessionId } })).toBe(0);

    const two = await bookForSelf(b, { kind: "slot", sessionTypeId: type.id, startsAt: new Date("2027-01-06T02:00:00Z") }, NOW);
    // A job left behind (e.g. written by an older version) for a session that is gone by now.
    await prisma.liveSession.update({ where: { id: two.sessionId }, data: { status: "cancelled" } });
    expect(await runDueReminders(new Date("2027-01-06T01:50:00Z"))).toBe(0);
    expect(await prisma.reminderJob.count({ where: { sessionId: two.sessionId, sentAt: null } })).toBe(0);
    expect(await reminderCount([host.id, a.id, b.id])).toBe(0);
  });
});

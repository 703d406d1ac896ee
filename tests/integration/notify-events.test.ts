// The one notification path on a real PostgreSQL: every event that concerns someone leaves a
// notification in their bell and an .eml in the outbox, in the language they use now.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { beforeEach, describe, expect, it } from "vitest";
import { prisma } from "~/domains/db.server";
import { mailIdle } from "~/domains/notifications/mail.server";
import { listNotifications } from "~/domains/notifications/inbox.server";
import { createInstantSession, inviteToSession } from "~/domains/live/sessions.server";
import { assignCourse } from "~/domains/schools/assignments.server";
import { addCohortMembers } from "~/domains/schools/cohorts.server";
import { applyImport, resolveImportTarget } from "~/domains/schools/import.server";
import { parseImportText } from "~/domains/schools/csv";
import { submitTask } from "~/domains/courses/lessons.server";
import { enrol } from "~/domains/courses/courses.server";
import { addLearner, makeCohort, makeCourse, makeOrg, makeUser } from "./schools-fixtures";

const outbox = fs.mkdtempSync(path.join(os.tmpdir(), "skillrelay-notify-"));
process.env.MAIL_OUTBOX_DIR = outbox;
delete process.env.SMTP_URL;

beforeEach(() => {
  for (const f of fs.readdirSync(outbox)) fs.rmSync(path.join(outbox, f));
});

/** The decoded text of every .eml sent to this address. */
async function mailsTo(email: string) {
  await mailIdle();
  const all = fs.readdirSync(outbox).map((f) => fs.readFileSync(path.join(outbox, f), "utf8"));
  const decoded = all.map((raw) => {
    // Bodies are quoted-printable (or base64 for long UTF-8 lines); decode both for matching.
    const qp = raw.replace(/=\r?\n/g, "").replace(/((?:=[0-9A-F]{2})+)/g, (m) => Buffer.from(m.replace(/=/g, ""), "hex").toString("utf8"));
    const b64 = [...raw.matchAll(/\r\n\r\n([A-Za-z0-9+/=\r\n]{40,})\r\n/g)].map((m) => Buffer.from(m[1].replace(/\r\n/g, ""), "base64").toString("utf8")).join("\n");
    return `${qp}\n${b64}`;
  });
  return decoded.filter((m) => m.toLowerCase().includes(`to: ${email.toLowerCase()}`));
}

/** Sets the language (and a plain address, since the fixtures' names hold spaces). */
async function setLocale(userId: string, locale: "en" | "zh-CN") {
  return prisma.user.update({ where: { id: userId }, data: { locale, timeZone: "Asia/Shanghai", email: `u-${userId}@notify.test` } });
}

describe("live-session invites", () => {
  it("an instant session's invitee and a later invitee each get a notification and an e-mail", async () => {
    const host = await makeUser("expert", "Master Li");
    const first = await setLocale((await makeUser("learner")).id, "en");
    const later = await setLocale((await makeUser("learner")).id, "zh-CN");
    const s = await createInstantSession(host.id, { title: "TIG practice", capacity: 4, durationMinutes: 30, invitees: [first.email!] });
    const [n1] = await prisma.notification.findMany({ where: { userId: first.id } });
    expect(n1).toMatchObject({ kind: "liveInvite", url: `/sessions/${s.id}` });
    expect(n1.title).toBe("Invitation: TIG practice");
    const m1 = await mailsTo(first.email!);
    expect(m1).toHaveLength(1);
    expect(m1[0]).toContain("Master Li invites you");
    expect(m1[0]).toContain("invited you to a live session");
    expect(m1[0]).not.toContain("because of a booking");

    expect(await inviteToSession(s.id, host.id, [first.email!, later.email!])).toBe(2);
    // The one already invited is not told twice.
    expect(await prisma.notification.count({ where: { userId: first.id } })).toBe(1);
    const [n2] = await prisma.notification.findMany({ where: { userId: later.id } });
    expect(n2.title).toBe("邀请：TIG practice");
    expect((await mailsTo(later.email!))[0]).toContain("邀请您参加直播课");
  });
});

describe("school assignments and enrolments", () => {
  it("assigning a course tells each cohort member, with the due date; members added later are told they were enrolled", async () => {
    const { org, admin } = await makeOrg("Lanzhou Tech");
    const cohort = await makeCohort(org.id, "Welding 2027");
    const a = await setLocale((await addLearner(org.id, cohort.id)).id, "en");
    const b = await setLocale((await addLearner(org.id, cohort.id)).id, "zh-CN");
    const course = await makeCourse({ title: "Pipe welding" });
    const res = await assignCourse(admin, { cohortId: cohort.id, courseId: course.id, dueAt: new Date("2027-03-01T09:00:00Z") });
    expect(res).toMatchObject({ ok: true, enrolled: 2 });
    for (const [u, title] of [
      [a, "New course from Lanzhou Tech: Pipe welding"],
      [b, "Lanzhou Tech 布置了新课程：Pipe welding"],
    ] as const) {
      const ns = await prisma.notification.findMany({ where: { userId: u.id } });
      expect(ns.map((n) => n.kind)).toEqual(["courseAssigned"]);
      expect(ns[0].title).toBe(title);
      expect(ns[0].url).toBe(`/courses/${course.slug}`);
      const mails = await mailsTo(u.email!);
      expect(mails).toHaveLength(1);
      expect(mails[0]).toMatch(/2027/);
      expect(mails[0]).not.toContain("because of a booking");
    }
    expect((await mailsTo(a.email!))[0]).toContain("a school on SkillRelay works with you");
    // Moving the due date is not a second assignment.
    await assignCourse(admin, { cohortId: cohort.id, courseId: course.id, dueAt: new Date("2027-04-01T09:00:00Z") });
    expect(await prisma.notification.count({ where: { userId: a.id } })).toBe(1);

    // A learner of the school added to the cohort later is enrolled by the school and told so.
    const c = await setLocale((await addLearner(org.id)).id, "en");
    await addCohortMembers(admin, cohort.id, [c.id]);
    const [nc] = await prisma.notification.findMany({ where: { userId: c.id } });
    expect(nc).toMatchObject({ kind: "schoolEnrolled", title: "Lanzhou Tech enrolled you in Pipe welding" });
    expect(nc.body).toContain("Welding 2027");
    expect(await mailsTo(c.email!)).toHaveLength(1);
    // Adding them again enrols nobody and notifies nobody.
    await addCohortMembers(admin, cohort.id, [c.id]);
    expect(await prisma.notification.count({ where: { userId: c.id } })).toBe(1);
  });

  it("a learner already enrolled on their own is told of the assignment but not 'enrolled' again", async () => {
    const { org, admin } = await makeOrg();
    const cohort = await makeCohort(org.id);
    const course = await makeCourse();
    await assignCourse(admin, { cohortId: cohort.id, courseId: course.id, dueAt: new Date("2027-03-01T09:00:00Z") });
    const self = await addLearner(org.id);
    await enrol(self, course.id);
    await addCohortMembers(admin, cohort.id, [self.id]);
    expect(await prisma.notification.count({ where: { userId: self.id } })).toBe(0);
  });

  it("a school import that puts learners in a cohort with an assigned course notifies their enrolment", async () => {
    const { org, admin } = await makeOrg("Gansu School");
    const cohort = await makeCohort(org.id, "Class A");
    const course = await makeCourse({ title: "Arc basics" });
    await assignCourse(admin, { cohortId: cohort.id, courseId: course.id, dueAt: new Date("2027-03-01T09:00:00Z") });
    const email = `import-${Date.now()}@skillrelay.test`;
    const r = await applyImport(await resolveImportTarget(admin, org.id, null), parseImportText(`name,email,cohort\nWang Fang,${email},Class A\n`));
    expect(r.ok).toBe(true);
    const user = await prisma.user.findUniqueOrThrow({ where: { email } });
    const kinds = (await prisma.notification.findMany({ where: { userId: user.id } })).map((n) => n.kind);
    expect(kinds).toContain("schoolEnrolled");
    expect((await mailsTo(email)).some((m) => m.includes("Arc basics"))).toBe(true);
  });
});

describe("practical-task hand-ins", () => {
  it("the course's authors are told, the learner is not", async () => {
    const owner = await setLocale((await makeUser("expert")).id, "en");
    const coauthor = await setLocale((await makeUser("expert")).id, "zh-CN");
    const learner = await makeUser("learner", "Zhang Wei");
    const course = await makeCourse({ title: "Bead on plate" });
    await prisma.courseAuthor.createMany({
      data: [
        { courseId: course.id, userId: owner.id, role: "owner" },
        { courseId: course.id, userId: coauthor.id, role: "coauthor" },
      ],
    });
    const task = await prisma.lesson.create({ data: { moduleId: course.modules[0].id, title: "Weld a bead", kind: "task", position: 9 } });
    await enrol(learner, course.id);
    await submitTask(learner.id, task.id, "Photo attached", null);
    const [n] = await prisma.notification.findMany({ where: { userId: owner.id } });
    expect(n).toMatchObject({ kind: "taskSubmitted", title: "New hand-in: Weld a bead", url: `/teach/courses/${course.id}/lessons/${task.id}` });
    expect(n.body).toContain("Zhang Wei");
    expect((await prisma.notification.findMany({ where: { userId: coauthor.id } }))[0].title).toBe("新提交：Weld a bead");
    expect(await prisma.notification.count({ where: { userId: learner.id } })).toBe(0);
    const mails = await mailsTo(owner.email!);
    expect(mails).toHaveLength(1);
    expect(mails[0]).toContain("you teach a course on SkillRelay");
  });
});

describe("the bell speaks the language the person uses now", () => {
  it("a notice sent in Chinese reads in English after the person switches", async () => {
    const host = await makeUser("expert", "Master Li");
    const u = await setLocale((await makeUser("learner")).id, "zh-CN");
    await createInstantSession(host.id, { title: "Brazing", capacity: 2, durationMinutes: 30, invitees: [u.email!] });
    expect((await listNotifications(u.id))[0].title).toBe("邀请：Brazing");
    await setLocale(u.id, "en");
    const [n] = await listNotifications(u.id);
    expect(n.title).toBe("Invitation: Brazing");
    expect(n.body).toContain("Master Li invites you");
    // The page's own language wins over the saved one.
    expect((await listNotifications(u.id, { locale: "zh-CN", timeZone: "UTC" }))[0].title).toBe("邀请：Brazing");
  });

  it("a school join request's e-mail explains it comes from a school, not a booking", async () => {
    const { org, admin } = await makeOrg("Tianshui School");
    const existing = await setLocale((await makeUser("learner", "Ma Lin")).id, "en");
    await prisma.user.update({ where: { id: existing.id }, data: { emailVerifiedAt: new Date() } });
    const r = await applyImport(await resolveImportTarget(admin, org.id, null), parseImportText(`name,email\n${existing.name},${existing.email}\n`));
    expect(r.ok ? r.outcome.requested : r.preview).toBe(1);
    const mails = await mailsTo(existing.email!);
    expect(mails).toHaveLength(1);
    expect(mails[0]).toContain("Tianshui School would like to add you");
    expect(mails[0]).toContain("a school on SkillRelay works with you");
    expect(mails[0]).not.toContain("because of a booking");
  });
});

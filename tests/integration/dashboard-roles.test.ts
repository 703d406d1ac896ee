// Each role's dashboard shows its own work, rendered by the real server from the real database.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startServer, type RunningServer } from "../../server/app";
import { prisma } from "~/domains/db.server";
import { createSessionCookie } from "~/domains/auth/session.server";
import { dashboardFor } from "~/domains/dashboard/dashboard.server";
import { addLearner, makeCohort, makeCourse, makeOrg, makeUser } from "./schools-fixtures";

let server: RunningServer;
beforeAll(async () => {
  server = await startServer({ port: 0, host: "127.0.0.1", log: () => {} });
}, 120_000);
afterAll(async () => {
  await server?.close();
});

async function page(userId: string, locale = "en") {
  const cookie = (await createSessionCookie(userId)).split(";")[0];
  await prisma.user.update({ where: { id: userId }, data: { locale } });
  const res = await fetch(`${server.url}/dashboard`, { headers: { Cookie: `${cookie}; lng=${locale}`, "Accept-Language": locale } });
  expect(res.status).toBe(200);
  // The markup only: the page's scripts carry every translation of the namespace.
  return (await res.text()).replace(/<script[\s\S]*?<\/script>/g, "");
}

const NOT_ENROLLED = "You are not enrolled in any course yet.";
const INSTANT = "Start an instant session";

describe("dashboard per role", () => {
  it("learner: courses with due dates and next sessions, no expert text", async () => {
    const { org, admin } = await makeOrg("Lanzhou Tech");
    const cohort = await makeCohort(org.id, "Class W");
    const learner = await addLearner(org.id, cohort.id, "Learner Wu");
    const course = await makeCourse({ title: "Pipe welding" });
    await prisma.assignment.create({ data: { cohortId: cohort.id, courseId: course.id, dueAt: new Date(Date.now() + 7 * 86400_000), createdById: admin.id } });
    await prisma.enrollment.create({ data: { userId: learner.id, courseId: course.id, source: "assignment" } });
    const host = await makeUser("expert", "Master Li");
    await prisma.liveSession.create({
      data: { hostId: host.id, title: "TIG clinic", kind: "group", capacity: 5, startsAt: new Date(Date.now() + 86400_000), endsAt: new Date(Date.now() + 90000_000), invites: { create: [{ userId: learner.id }] } },
    });
    const html = await page(learner.id);
    expect(html).toContain('data-testid="dashboard-learner"');
    expect(html).toContain("Pipe welding");
    expect(html).toContain("Due ");
    expect(html).toContain("TIG clinic");
    expect(html).not.toContain(INSTANT);
    expect(html).not.toContain('data-testid="hand-ins"');
  });

  it("expert: hand-ins to mark on their courses only, learners' progress, no 'not enrolled'", async () => {
    const expert = await makeUser("expert", "Master Zhao");
    const other = await makeUser("expert");
    const mine = await makeCourse({ title: "Brazing basics" });
    const theirs = await makeCourse({ title: "Someone else's course" });
    await prisma.courseAuthor.create({ data: { courseId: mine.id, userId: expert.id, role: "owner" } });
    await prisma.courseAuthor.create({ data: { courseId: theirs.id, userId: other.id, role: "owner" } });
    const learner = await makeUser("learner", "Learner Qian");
    const myTask = await prisma.lesson.create({ data: { moduleId: mine.modules[0].id, title: "Braze a joint", kind: "task", position: 9 } });
    const theirTask = await prisma.lesson.create({ data: { moduleId: theirs.modules[0].id, title: "Secret task", kind: "task", position: 9 } });
    await prisma.enrollment.createMany({ data: [{ userId: learner.id, courseId: mine.id, completedAt: new Date() }, { userId: learner.id, courseId: theirs.id }] });
    await prisma.taskSubmission.createMany({ data: [{ lessonId: myTask.id, userId: learner.id, body: "done" }, { lessonId: theirTask.id, userId: learner.id, body: "x" }] });

    const work = await dashboardFor(expert);
    expect(work.handIns.map((h) => h.lesson)).toEqual(["Braze a joint"]);
    expect(work.progress).toEqual([expect.objectContaining({ title: "Brazing basics", enrolled: 1, completed: 1 })]);

    const html = await page(expert.id);
    expect(html).toContain('data-testid="dashboard-expert"');
    expect(html).toContain("Learner Qian handed in “Braze a joint”");
    expect(html).not.toContain("Secret task");
    expect(html).toContain("1 of 1 learners finished");
    expect(html).toContain(INSTANT);
    expect(html).not.toContain(NOT_ENROLLED);
  });

  it("school admin: own cohorts, due assignments and lagging learners, not another school's", async () => {
    const { org, admin } = await makeOrg("Gansu School");
    const other = await makeOrg("Other School");
    const cohort = await makeCohort(org.id, "Electric 1");
    await makeCohort(other.org.id, "Foreign class");
    const late = await makeCourse({ title: "Wiring safety" });
    const soon = await makeCourse({ title: "Motor control" });
    const behind = await addLearner(org.id, cohort.id, "Learner Sun");
    await prisma.assignment.createMany({
      data: [
        { cohortId: cohort.id, courseId: late.id, dueAt: new Date(Date.now() - 2 * 86400_000), createdById: admin.id },
        { cohortId: cohort.id, courseId: soon.id, dueAt: new Date(Date.now() + 5 * 86400_000), createdById: admin.id },
      ],
    });
    await prisma.enrollment.createMany({ data: [late, soon].map((c) => ({ userId: behind.id, courseId: c.id, source: "assignment" as const })) });

    const html = await page(admin.id);
    expect(html).toContain('data-testid="dashboard-school_admin"');
    expect(html).toContain("Electric 1");
    expect(html).not.toContain("Foreign class");
    expect(html).toMatch(/Motor control · Electric 1 · due .* · 0\/1 finished/);
    expect(html).toMatch(/Learner Sun · Wiring safety \(Electric 1\) · was due/);
    expect(html).not.toContain(NOT_ENROLLED);
    expect(html).not.toContain(INSTANT);
  });

  it("admin: links to admin work, in Chinese too", async () => {
    const admin = await makeUser("admin");
    const html = await page(admin.id);
    expect(html).toContain('data-testid="admin-links"');
    expect(html).toContain('href="/school/learners"');
    expect(html).not.toContain(NOT_ENROLLED);
    const zh = await page(admin.id, "zh-CN");
    expect(zh).toContain("学校与班级");
  });

  it("keeps the verification banner for an unverified account", async () => {
    const u = await makeUser("learner");
    await prisma.user.update({ where: { id: u.id }, data: { emailVerifiedAt: null } });
    const work = await page(u.id);
    expect(work).toContain('data-testid="verify-banner"');
  });
});

// What each role's dashboard shows: the person's own work, read from the database.
// learner: courses, due dates, next sessions; expert: hand-ins to mark, next sessions, their
// learners' progress; school admin: cohorts, due assignments, lagging learners; admin: links.
import { prisma } from "~/domains/db.server";
import type { AuthUser } from "~/domains/auth/roles";
import { learnerCourses } from "~/domains/courses/courses.server";
import { listUpcomingSessions } from "~/domains/live/sessions.server";
import { cohortReport, schoolOverview } from "~/domains/schools/cohorts.server";

type Viewer = Pick<AuthUser, "id" | "role">;

const SESSIONS = 5;
const HAND_INS = 10;
const COHORTS_IN_DETAIL = 10;
const LAGGING = 20;

async function nextSessions(user: Viewer, now: Date) {
  const sessions = await listUpcomingSessions(user, now);
  return sessions.slice(0, SESSIONS).map((s) => ({ id: s.id, title: s.title, status: s.status, startsAt: s.startsAt, endsAt: s.endsAt, hosting: s.hostId === user.id }));
}

/** Recent hand-ins on courses the expert writes, newest first. */
export async function handInsToMark(userId: string) {
  const rows = await prisma.taskSubmission.findMany({
    where: { competitionId: null, lesson: { module: { course: { authors: { some: { userId } } } } }, userId: { not: userId } },
    orderBy: { createdAt: "desc" },
    take: HAND_INS,
    select: {
      id: true,
      createdAt: true,
      user: { select: { name: true } },
      lesson: { select: { id: true, title: true, module: { select: { course: { select: { id: true, title: true } } } } } },
    },
  });
  return rows.map((r) => ({
    id: r.id,
    at: r.createdAt,
    learner: r.user.name,
    lesson: r.lesson.title,
    course: r.lesson.module.course.title,
    url: `/teach/courses/${r.lesson.module.course.id}/lessons/${r.lesson.id}`,
  }));
}

/** Per course the expert writes: how many learners are enrolled and how many have finished. */
export async function learnersProgress(userId: string) {
  const courses = await prisma.course.findMany({
    where: { authors: { some: { userId } } },
    orderBy: { updatedAt: "desc" },
    take: 20,
    select: { id: true, title: true, status: true, _count: { select: { enrollments: true } } },
  });
  const finished = await prisma.enrollment.groupBy({
    by: ["courseId"],
    where: { courseId: { in: courses.map((c) => c.id) }, completedAt: { not: null } },
    _count: { _all: true },
  });
  const done = new Map(finished.map((f) => [f.courseId, f._count._all]));
  return courses.map((c) => ({ id: c.id, title: c.title, status: c.status, enrolled: c._count.enrollments, completed: done.get(c.id) ?? 0 }));
}

/** The schools the person administers: cohorts, assignments still due, learners past a due date. */
export async function schoolWork(user: Viewer, now: Date) {
  const orgs = await schoolOverview(user);
  const cohorts = orgs.flatMap((o) => o.cohorts.map((c) => ({ ...c, org: o.name })));
  const reports = await Promise.all(cohorts.slice(0, COHORTS_IN_DETAIL).map((c) => cohortReport(user, c.id, now)));
  const due = reports
    .flatMap((r) =>
      r.assignments
        .filter((a) => !a.pastDue)
        .map((a) => ({ cohortId: r.cohort.id, cohort: r.cohort.name, course: a.courseTitle, dueAt: a.dueAt, completed: a.counts.completed, learners: r.learners.length })),
    )
    .sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime());
  const lagging = reports
    .flatMap((r) =>
      r.learners.flatMap((l) =>
        l.cells.flatMap((cell, i) =>
          cell.status === "overdue"
            ? [{ cohortId: r.cohort.id, cohort: r.cohort.name, learner: l.name, course: r.assignments[i].courseTitle, dueAt: r.assignments[i].dueAt, percent: cell.percent }]
            : [],
        ),
      ),
    )
    .sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime())
    .slice(0, LAGGING);
  return { cohorts, due, lagging };
}

export type DashboardView = "learner" | "expert" | "school_admin" | "admin";

export async function dashboardFor(user: Viewer, now = new Date()) {
  const view: DashboardView = user.role;
  const [sessions, courses, handIns, progress, school] = await Promise.all([
    view === "admin" ? Promise.resolve([]) : nextSessions(user, now),
    view === "learner" ? learnerCourses(user.id) : Promise.resolve([]),
    view === "expert" ? handInsToMark(user.id) : Promise.resolve([]),
    view === "expert" ? learnersProgress(user.id) : Promise.resolve([]),
    view === "school_admin" ? schoolWork(user, now) : Promise.resolve(null),
  ]);
  return { view, sessions, courses, handIns, progress, school };
}

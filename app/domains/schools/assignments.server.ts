// Courses assigned to cohorts with a due date. Assigning enrols every member (Enrollment
// source "assignment"), and so does joining a cohort later; both are idempotent.
import type { Prisma } from "@prisma/client";
import { prisma } from "~/domains/db.server";
import { createNotices, deliver, type MailMessage, type Notice } from "~/domains/notifications/notify.server";
import type { AuthUser } from "~/domains/auth/roles";
import { requireCohortAdmin } from "./permissions.server";
import { isRecordId } from "./ids";

type Db = Prisma.TransactionClient;

/**
 * Enrols these members (all members when omitted) in every course assigned to the cohort.
 * Each new enrolment is notified ("schoolEnrolled"); the e-mails are pushed to `mails`, for
 * the caller to deliver once its transaction has committed.
 */
export async function enrollInCohortAssignments(db: Db, cohortId: string, userIds: string[] | undefined, mails: MailMessage[]) {
  const [assignments, members] = await Promise.all([
    db.assignment.findMany({ where: { cohortId }, select: { courseId: true, dueAt: true, course: { select: { slug: true, title: true } } } }),
    userIds ? Promise.resolve(userIds.map((userId) => ({ userId }))) : db.cohortMember.findMany({ where: { cohortId }, select: { userId: true } }),
  ]);
  if (assignments.length === 0 || members.length === 0) return 0;
  const existing = new Set(
    (
      await db.enrollment.findMany({
        where: { userId: { in: members.map((m) => m.userId) }, courseId: { in: assignments.map((a) => a.courseId) } },
        select: { userId: true, courseId: true },
      })
    ).map((e) => `${e.userId}:${e.courseId}`),
  );
  const fresh = members.flatMap((m) => assignments.filter((a) => !existing.has(`${m.userId}:${a.courseId}`)).map((a) => ({ userId: m.userId, a })));
  if (fresh.length === 0) return 0;
  // A learner who enrolled on their own keeps that enrolment (and its source).
  const count = (
    await db.enrollment.createMany({ data: fresh.map((f) => ({ userId: f.userId, courseId: f.a.courseId, source: "assignment" as const })), skipDuplicates: true })
  ).count;
  const cohort = await db.cohort.findUniqueOrThrow({ where: { id: cohortId }, select: { name: true, org: { select: { name: true } } } });
  const notices: Notice[] = fresh.map((f) => ({
    userId: f.userId,
    kind: "schoolEnrolled",
    url: `/courses/${f.a.course.slug}`,
    params: { org: cohort.org.name, cohort: cohort.name, course: f.a.course.title },
    due: f.a.dueAt,
  }));
  mails.push(...(await createNotices(db, notices)));
  return count;
}

export type AssignResult = { ok: true; assignmentId: string; enrolled: number } | { ok: false; error: "courseNotPublished" };

/**
 * Assigns a published course to the cohort, or moves the due date if it is already assigned.
 * Every member is told of a new assignment ("courseAssigned", with its due date), including
 * those already enrolled on their own.
 */
export async function assignCourse(
  actor: Pick<AuthUser, "id" | "role">,
  input: { cohortId: string; courseId: string; dueAt: Date },
): Promise<AssignResult> {
  const cohort = await requireCohortAdmin(actor, input.cohortId);
  const course = isRecordId(input.courseId)
    ? await prisma.course.findUnique({ where: { id: input.courseId }, select: { status: true, slug: true, title: true } })
    : null;
  if (!course || course.status !== "published") return { ok: false, error: "courseNotPublished" };
  const { result, mails } = await prisma.$transaction(async (tx) => {
    const before = await tx.assignment.findUnique({ where: { cohortId_courseId: { cohortId: cohort.id, courseId: input.courseId } }, select: { id: true } });
    const assignment = await tx.assignment.upsert({
      where: { cohortId_courseId: { cohortId: cohort.id, courseId: input.courseId } },
      create: { cohortId: cohort.id, courseId: input.courseId, dueAt: input.dueAt, createdById: actor.id },
      update: { dueAt: input.dueAt },
    });
    const members = await tx.cohortMember.findMany({ where: { cohortId: cohort.id }, select: { userId: true } });
    const existing = new Set(
      (await tx.enrollment.findMany({ where: { courseId: input.courseId, userId: { in: members.map((m) => m.userId) } }, select: { userId: true } })).map((e) => e.userId),
    );
    const newlyEnrolled = members.filter((m) => !existing.has(m.userId)).map((m) => m.userId);
    const enrolled = newlyEnrolled.length
      ? (await tx.enrollment.createMany({ data: newlyEnrolled.map((userId) => ({ userId, courseId: input.courseId, source: "assignment" as const })), skipDuplicates: true })).count
      : 0;
    // Other assigned courses a member may still lack (joined before they were assigned).
    const mails: MailMessage[] = [];
    const others = await enrollInCohortAssignments(tx, cohort.id, undefined, mails);
    if (!before) {
      const names = await tx.cohort.findUniqueOrThrow({ where: { id: cohort.id }, select: { name: true, org: { select: { name: true } } } });
      mails.push(
        ...(await createNotices(
          tx,
          members.map((m) => ({
            userId: m.userId,
            kind: "courseAssigned",
            url: `/courses/${course.slug}`,
            params: { org: names.org.name, cohort: names.name, course: course.title },
            due: input.dueAt,
          })),
        )),
      );
    }
    return { result: { ok: true as const, assignmentId: assignment.id, enrolled: enrolled + others }, mails };
  });
  deliver(mails);
  return result;
}

/** Removes the assignment; enrolments stay, so nobody loses the progress they made. */
export async function removeAssignment(actor: Pick<AuthUser, "id" | "role">, cohortId: string, assignmentId: string) {
  const cohort = await requireCohortAdmin(actor, cohortId);
  if (!isRecordId(assignmentId)) throw new Response("Not found", { status: 404 });
  const { count } = await prisma.assignment.deleteMany({ where: { id: assignmentId, cohortId: cohort.id } });
  if (count === 0) throw new Response("Not found", { status: 404 });
}

export interface LearnerAssignment {
  courseId: string;
  courseTitle: string;
  courseSlug: string;
  dueAt: Date;
  cohortName: string;
}

/**
 * The published courses assigned to the learner through their cohorts, soonest due first.
 * When two cohorts assign the same course, the earlier due date wins.
 */
export async function assignmentsForLearner(userId: string): Promise<LearnerAssignment[]> {
  const rows = await prisma.assignment.findMany({
    where: { cohort: { members: { some: { userId } } }, course: { status: "published" } },
    select: {
      dueAt: true,
      cohort: { select: { name: true } },
      course: { select: { id: true, title: true, slug: true } },
    },
    orderBy: [{ dueAt: "asc" }, { createdAt: "asc" }],
  });
  const byCourse = new Map<string, LearnerAssignment>();
  for (const r of rows) {
    if (byCourse.has(r.course.id)) continue;
    byCourse.set(r.course.id, {
      courseId: r.course.id,
      courseTitle: r.course.title,
      courseSlug: r.course.slug,
      dueAt: r.dueAt,
      cohortName: r.cohort.name,
    });
  }
  return [...byCourse.values()];
}

// Courses assigned to cohorts with a due date. Assigning enrols every member (Enrollment
// source "assignment"), and so does joining a cohort later; both are idempotent.
import type { Prisma } from "@prisma/client";
import { prisma } from "~/domains/db.server";
import type { AuthUser } from "~/domains/auth/roles";
import { requireCohortAdmin } from "./permissions.server";
import { isRecordId } from "./ids";

type Db = Prisma.TransactionClient;

/** Enrols these members (all members when omitted) in every course assigned to the cohort. */
export async function enrollInCohortAssignments(db: Db, cohortId: string, userIds?: string[]) {
  const [assignments, members] = await Promise.all([
    db.assignment.findMany({ where: { cohortId }, select: { courseId: true } }),
    userIds ? Promise.resolve(userIds.map((userId) => ({ userId }))) : db.cohortMember.findMany({ where: { cohortId }, select: { userId: true } }),
  ]);
  if (assignments.length === 0 || members.length === 0) return 0;
  const data = members.flatMap((m) => assignments.map((a) => ({ userId: m.userId, courseId: a.courseId, source: "assignment" as const })));
  // A learner who enrolled on their own keeps that enrolment (and its source).
  return (await db.enrollment.createMany({ data, skipDuplicates: true })).count;
}

export type AssignResult = { ok: true; assignmentId: string; enrolled: number } | { ok: false; error: "courseNotPublished" };

/** Assigns a published course to the cohort, or moves the due date if it is already assigned. */
export async function assignCourse(
  actor: Pick<AuthUser, "id" | "role">,
  input: { cohortId: string; courseId: string; dueAt: Date },
): Promise<AssignResult> {
  const cohort = await requireCohortAdmin(actor, input.cohortId);
  const course = isRecordId(input.courseId) ? await prisma.course.findUnique({ where: { id: input.courseId }, select: { status: true } }) : null;
  if (!course || course.status !== "published") return { ok: false, error: "courseNotPublished" };
  return prisma.$transaction(async (tx) => {
    const assignment = await tx.assignment.upsert({
      where: { cohortId_courseId: { cohortId: cohort.id, courseId: input.courseId } },
      create: { cohortId: cohort.id, courseId: input.courseId, dueAt: input.dueAt, createdById: actor.id },
      update: { dueAt: input.dueAt },
    });
    const enrolled = await enrollInCohortAssignments(tx, cohort.id);
    return { ok: true as const, assignmentId: assignment.id, enrolled };
  });
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

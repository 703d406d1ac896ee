// One function per rule. Each takes the acting user and resolves ownership from the
// database, never from ids the client claims.
import { prisma } from "~/domains/db.server";
import type { AuthUser } from "~/domains/auth/roles";

/** Owner or invited co-author of the course, or a platform admin. */
export async function canEditCourse(user: Pick<AuthUser, "id" | "role">, courseId: string) {
  if (user.role === "admin") return true;
  if (user.role !== "expert") return false;
  const author = await prisma.courseAuthor.findUnique({ where: { courseId_userId: { courseId, userId: user.id } } });
  return author !== null;
}

export async function requireCourseEditor(user: Pick<AuthUser, "id" | "role">, courseId: string) {
  if (!(await canEditCourse(user, courseId))) throw new Response("Forbidden", { status: 403 });
}

/** Only the owner (or an admin) may invite co-authors or delete the course. */
export async function isCourseOwner(user: Pick<AuthUser, "id" | "role">, courseId: string) {
  if (user.role === "admin") return true;
  const author = await prisma.courseAuthor.findUnique({ where: { courseId_userId: { courseId, userId: user.id } } });
  return author?.role === "owner";
}

/**
 * Lesson content is for enrolled learners, the course's authors and admins. A published
 * course's outline is public; its lessons are not.
 */
export async function canStudyCourse(user: Pick<AuthUser, "id" | "role">, courseId: string) {
  if (user.role === "admin") return true;
  const [enrolled, author] = await Promise.all([
    prisma.enrollment.findUnique({ where: { userId_courseId: { userId: user.id, courseId } }, select: { id: true } }),
    prisma.courseAuthor.findUnique({ where: { courseId_userId: { courseId, userId: user.id } }, select: { userId: true } }),
  ]);
  return enrolled !== null || author !== null;
}

/** Learner ids an expert may see: those enrolled in a course the expert authors. */
export async function learnersVisibleToExpert(expertId: string) {
  const rows = await prisma.enrollment.findMany({
    where: { course: { authors: { some: { userId: expertId } } } },
    select: { userId: true },
    distinct: ["userId"],
  });
  return rows.map((r) => r.userId);
}

import { prisma } from "~/domains/db.server";

export interface CourseProgress {
  courseId: string;
  userId: string;
  completed: number;
  total: number;
  percent: number;
  /** Planned minutes of the completed lessons (training-hour records build on this). */
  completedMinutes: number;
  lastActivityAt: Date | null;
}

/**
 * Progress of each (user, course) pair, in two queries whatever the number of pairs.
 * A lesson counts once it has completedAt: text read, video watched past 90 %, material
 * downloaded, task submitted (see completion rules in lessons.server.ts).
 */
export async function progressFor(userIds: string[], courseIds: string[]): Promise<Map<string, CourseProgress>> {
  const result = new Map<string, CourseProgress>();
  if (userIds.length === 0 || courseIds.length === 0) return result;
  const lessons = await prisma.lesson.findMany({
    where: { module: { courseId: { in: courseIds } } },
    select: { id: true, durationMinutes: true, module: { select: { courseId: true } } },
  });
  const courseOf = new Map(lessons.map((l) => [l.id, l.module.courseId]));
  const minutesOf = new Map(lessons.map((l) => [l.id, l.durationMinutes]));
  const totals = new Map<string, number>();
  for (const l of lessons) totals.set(l.module.courseId, (totals.get(l.module.courseId) ?? 0) + 1);

  for (const userId of userIds) {
    for (const courseId of courseIds) {
      const total = totals.get(courseId) ?? 0;
      result.set(key(userId, courseId), {
        courseId,
        userId,
        completed: 0,
        total,
        percent: 0,
        completedMinutes: 0,
        lastActivityAt: null,
      });
    }
  }
  const rows = await prisma.lessonProgress.findMany({
    where: { userId: { in: userIds }, lessonId: { in: lessons.map((l) => l.id) } },
    select: { userId: true, lessonId: true, completedAt: true, updatedAt: true },
  });
  for (const row of rows) {
    const p = result.get(key(row.userId, courseOf.get(row.lessonId)!));
    if (!p) continue;
    if (row.completedAt) {
      p.completed += 1;
      p.completedMinutes += minutesOf.get(row.lessonId) ?? 0;
    }
    if (!p.lastActivityAt || row.updatedAt > p.lastActivityAt) p.lastActivityAt = row.updatedAt;
  }
  for (const p of result.values()) p.percent = p.total ? Math.round((p.completed / p.total) * 100) : 0;
  return result;
}

export function key(userId: string, courseId: string) {
  return `${userId}:${courseId}`;
}

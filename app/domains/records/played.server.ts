// Played ranges of a video lesson, as the lesson player reports them ([from, to] seconds of
// the video), stamped with the server's clock. The ledger (ledger.ts creditVideoSeconds)
// credits them: overlaps once, capped by the video's length and by the server time between
// reports. Stored only for enrolled learners of a video lesson; rate-limited per learner.
import { prisma } from "~/domains/db.server";
import { Limit } from "~/domains/auth/limits.server";

/** A report every 10 s plus play/pause/seek events: 30 a minute is plenty for one learner. */
export const playedRangeLimiter = new Limit("played_range", 30, 60);

/** Stores one range; false when refused (not a video, not enrolled, too many reports). */
export async function recordPlayedRange(userId: string, lessonId: string, range: { from: number; to: number }, now = new Date()) {
  const lesson = await prisma.lesson.findUnique({ where: { id: lessonId }, select: { kind: true, module: { select: { courseId: true } }, asset: { select: { durationSeconds: true } } } });
  if (!lesson || lesson.kind !== "video") return false;
  const enrolled = await prisma.enrollment.count({ where: { userId, courseId: lesson.module.courseId } });
  if (!enrolled) return false;
  const limit = await playedRangeLimiter.consume(userId);
  if (!limit.ok) return false;
  const max = lesson.asset?.durationSeconds ?? 24 * 3600;
  const from = Math.min(Math.max(0, range.from), max);
  const to = Math.min(Math.max(from, range.to), max);
  await prisma.playedRange.create({ data: { userId, lessonId, fromSecond: from, toSecond: to, receivedAt: now } });
  return true;
}

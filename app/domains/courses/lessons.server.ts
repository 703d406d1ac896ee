import { prisma } from "~/domains/db.server";
import { issueCourseCertificateIfComplete } from "~/domains/certificates/certificates.server";
import { createNotices, deliver } from "~/domains/notifications/notify.server";
import type { AuthUser } from "~/domains/auth/roles";
import { canEditCourse, canStudyCourse } from "./permissions.server";
import { renderMarkdown } from "./markdown.server";
import { lessonImageIds } from "./media.server";
import { assertAttemptLeft, assertHandInFileSize, attemptsOf, claimUploads, filesOfSubmission, HandInError, kindOfAsset, lockLearnerTask, submissionFilesSelect } from "./hand-ins.server";
import { discardUpload, removeAssetIfUnused, storeUpload, type ReceivedFile } from "./uploads.server";
import { HAND_IN_LIMITS } from "./hand-in-rules";

/** Share of a video that must be watched for the lesson to count as done. */
export const VIDEO_DONE_RATIO = 0.9;

/**
 * A lesson for studying: for enrolled learners, the course's editors (preview) and admins.
 * Anyone else gets 403 (logged in, not enrolled) — the course page offers enrolment.
 */
export async function getLessonForStudy(user: Pick<AuthUser, "id" | "role">, slug: string, lessonId: string) {
  const course = await prisma.course.findUnique({
    where: { slug },
    select: {
      id: true,
      slug: true,
      title: true,
      status: true,
      modules: {
        orderBy: { position: "asc" },
        select: { id: true, title: true, lessons: { orderBy: { position: "asc" }, select: { id: true, title: true, kind: true } } },
      },
    },
  });
  if (!course) throw new Response("Not found", { status: 404 });
  const editor = await canEditCourse(user, course.id);
  if (course.status !== "published" && !editor) throw new Response("Not found", { status: 404 });
  if (!editor && !(await canStudyCourse(user, course.id))) throw new Response("Enrol first", { status: 403 });

  const flat = course.modules.flatMap((m) => m.lessons.map((l) => ({ ...l, moduleTitle: m.title })));
  const index = flat.findIndex((l) => l.id === lessonId);
  if (index < 0) throw new Response("Not found", { status: 404 });
  const lesson = await prisma.lesson.findUniqueOrThrow({
    where: { id: lessonId },
    select: {
      id: true,
      title: true,
      kind: true,
      body: true,
      taskHandIn: true,
      durationMinutes: true,
      asset: { select: { id: true, originalName: true, mimeType: true, sizeBytes: true, durationSeconds: true } },
    },
  });
  const [imageIds, progress, completed, submissions] = await Promise.all([
    lessonImageIds(course.id),
    prisma.lessonProgress.findUnique({ where: { userId_lessonId: { userId: user.id, lessonId } } }),
    prisma.lessonProgress.findMany({
      where: { userId: user.id, completedAt: { not: null }, lessonId: { in: flat.map((l) => l.id) } },
      select: { lessonId: true },
    }),
    lesson.kind === "task"
      ? prisma.taskSubmission.findMany({
          where: { userId: user.id, lessonId, competitionId: null },
          orderBy: { createdAt: "desc" },
          select: { id: true, body: true, createdAt: true, ...submissionFilesSelect },
        })
      : Promise.resolve([]),
  ]);
  const attempts = lesson.kind === "task" ? await attemptsOf(prisma, user.id, lessonId) : null;
  // "Continue where you left off" (no row is written when it already points here).
  await prisma.enrollment.updateMany({ where: { userId: user.id, courseId: course.id, OR: [{ lastLessonId: null }, { lastLessonId: { not: lessonId } }] }, data: { lastLessonId: lessonId } });
  return {
    course: { id: course.id, slug: course.slug, title: course.title, status: course.status },
    outline: course.modules,
    lesson: {
      ...lesson,
      html: renderMarkdown(lesson.body, { imageIds }),
      handInHtml: renderMarkdown(lesson.taskHandIn, { imageIds }),
      asset: lesson.asset ? { ...lesson.asset, sizeBytes: Number(lesson.asset.sizeBytes) } : null,
    },
    position: { index, total: flat.length, prev: flat[index - 1] ?? null, next: flat[index + 1] ?? null, moduleTitle: flat[index].moduleTitle },
    progress: progress ? { watchedSeconds: progress.watchedSeconds, completedAt: progress.completedAt, videoPosition: progress.videoPosition } : null,
    completedLessonIds: completed.map((c) => c.lessonId),
    submissions: submissions.map((s) => ({ id: s.id, body: s.body, createdAt: s.createdAt, files: filesOfSubmission(s) })),
    attempts,
    preview: editor,
  };
}

async function lessonOfCourse(userId: string, lessonId: string) {
  const lesson = await prisma.lesson.findUnique({
    where: { id: lessonId },
    select: {
      id: true,
      kind: true,
      assetId: true,
      module: { select: { courseId: true, course: { select: { slug: true } } } },
      asset: { select: { durationSeconds: true } },
    },
  });
  if (!lesson) throw new Response("Not found", { status: 404 });
  const enrolled = await prisma.enrollment.findUnique({
    where: { userId_courseId: { userId, courseId: lesson.module.courseId } },
    select: { id: true },
  });
  return { lesson, enrolled: enrolled !== null };
}

/** Marks a lesson complete (first time counts) and the course when every lesson is. */
export async function completeLesson(userId: string, lessonId: string, courseId: string) {
  return complete(userId, lessonId, courseId);
}

async function complete(userId: string, lessonId: string, courseId: string) {
  const now = new Date();
  await prisma.lessonProgress.upsert({
    where: { userId_lessonId: { userId, lessonId } },
    create: { userId, lessonId, completedAt: now },
    update: {},
  });
  // Only the first completion counts; repeating a lesson keeps the original time.
  await prisma.lessonProgress.updateMany({ where: { userId, lessonId, completedAt: null }, data: { completedAt: now } });
  const [total, done] = await Promise.all([
    prisma.lesson.count({ where: { module: { courseId } } }),
    prisma.lessonProgress.count({ where: { userId, completedAt: { not: null }, lesson: { module: { courseId } } } }),
  ]);
  if (total > 0 && done >= total) {
    await prisma.enrollment.updateMany({ where: { userId, courseId, completedAt: null }, data: { completedAt: now } });
    // Idempotent: one certificate per learner and course.
    await issueCourseCertificateIfComplete(userId, courseId);
  }
}

/** Text lessons count as read when the learner says so. Preview (not enrolled) records nothing. */
export async function markTextRead(userId: string, lessonId: string) {
  const { lesson, enrolled } = await lessonOfCourse(userId, lessonId);
  if (lesson.kind !== "text") throw new Response("Not a text lesson", { status: 400 });
  if (!enrolled) return false;
  const existing = await prisma.lessonProgress.findUnique({ where: { userId_lessonId: { userId, lessonId } } });
  if (!existing?.completedAt) await complete(userId, lessonId, lesson.module.courseId);
  return true;
}

/** The fastest playback the player offers; reports may not advance faster than this. */
export const MAX_PLAYBACK_RATE = 2;
/** Seconds of tolerance per report (rounding, request latency). */
const REPORT_SLACK_SECONDS = 2;
/** Longer gaps between reports (paused, tab asleep) count as this long at most. */
const MAX_REPORT_GAP_SECONDS = 60;

/**
 * Videos count once the seconds WATCHED, counted here, pass 90 % of the measured length.
 * The client reports the player's position; each report adds how far the position moved
 * since the previous report, but never more than the wall-clock time between the two
 * reports times MAX_PLAYBACK_RATE. The first report only sets the base, so reporting the
 * last second right away (or skipping ahead) earns nothing.
 */
export async function recordVideoPosition(userId: string, lessonId: string, position: number, now = new Date()) {
  const { lesson, enrolled } = await lessonOfCourse(userId, lessonId);
  if (lesson.kind !== "video") throw new Response("Not a video lesson", { status: 400 });
  if (!enrolled) return { completed: false, watchedSeconds: 0 };
  const duration = lesson.asset?.durationSeconds ?? null;
  const reported = duration ? Math.min(position, duration) : position;
  const where = { userId_lessonId: { userId, lessonId } };
  let row = await prisma.lessonProgress.upsert({
    where,
    create: { userId, lessonId, videoPosition: reported, videoReportedAt: now },
    update: {},
  });
  if (row.videoReportedAt && row.videoReportedAt.getTime() !== now.getTime() && row.videoPosition !== null) {
    const elapsed = Math.min(Math.max((now.getTime() - row.videoReportedAt.getTime()) / 1000, 0), MAX_REPORT_GAP_SECONDS);
    const moved = reported - row.videoPosition;
    const credit = moved > 0 ? Math.floor(Math.min(moved, elapsed * MAX_PLAYBACK_RATE + REPORT_SLACK_SECONDS)) : 0;
    const watchedSeconds = duration ? Math.min(duration, row.watchedSeconds + credit) : row.watchedSeconds + credit;
    // Conditional on the base this credit was computed from: two parallel reports cannot
    // both be credited for the same interval.
    const claimed = await prisma.lessonProgress.updateMany({
      where: { userId, lessonId, videoReportedAt: row.videoReportedAt },
      data: { videoPosition: reported, videoReportedAt: now, watchedSeconds },
    });
    if (claimed.count === 1) row = { ...row, watchedSeconds, videoPosition: reported, videoReportedAt: now };
  } else if (!row.videoReportedAt) {
    await prisma.lessonProgress.update({ where, data: { videoPosition: reported, videoReportedAt: now } });
  }
  const watchedSeconds = row.watchedSeconds;
  const done = duration !== null && watchedSeconds >= duration * VIDEO_DONE_RATIO;
  if (done && !row.completedAt) await complete(userId, lessonId, lesson.module.courseId);
  return { completed: done || row.completedAt !== null, watchedSeconds };
}

/**
 * Material lessons count when the lesson's own file is downloaded (the media route calls
 * this with the asset it served; another readable file does not count).
 */
export async function markMaterialDownloaded(userId: string, lessonId: string, assetId: string) {
  const { lesson, enrolled } = await lessonOfCourse(userId, lessonId);
  if (lesson.kind !== "material" || !enrolled || lesson.assetId !== assetId) return false;
  const existing = await prisma.lessonProgress.findUnique({ where: { userId_lessonId: { userId, lessonId } } });
  if (!existing?.completedAt) await complete(userId, lessonId, lesson.module.courseId);
  return true;
}

/** A task of the course `slug` that the user is enrolled in; otherwise the Response to send. */
export async function assertTaskSubmittable(userId: string, slug: string | null, lessonId: string) {
  const { lesson, enrolled } = await lessonOfCourse(userId, lessonId);
  if (slug !== null && lesson.module.course.slug !== slug) throw new Response("Not found", { status: 404 });
  if (lesson.kind !== "task") throw new Response("Not a task", { status: 400 });
  if (!enrolled) throw new Response("Enrol first", { status: 403 });
  return lesson;
}

/** Before reading a hand-in's body: a task of this course, enrolled, an attempt left. */
export async function checkHandInAllowed(userId: string, slug: string, lessonId: string) {
  await assertTaskSubmittable(userId, slug, lessonId);
  assertAttemptLeft(await attemptsOf(prisma, userId, lessonId));
}

/**
 * The lesson page's hand-in: a file sent with the form (no JavaScript) is checked for its
 * kind's size and stored first; if the hand-in is then refused, the stored file goes again.
 */
export async function submitHandIn(userId: string, lessonId: string, body: string, file: ReceivedFile | null, uploadIds: string[]) {
  if (file) {
    try {
      assertHandInFileSize(file.mimeType, file.sizeBytes);
    } catch (err) {
      await discardUpload(file);
      throw err;
    }
  }
  const asset = file ? await storeUpload(userId, "submission", file) : null;
  try {
    return await submitTask(userId, lessonId, body, asset?.id ?? null, uploadIds);
  } catch (err) {
    if (asset) await removeAssetIfUnused(asset.id);
    throw err;
  }
}

/**
 * A hand-in: the note and its files — finished resumable uploads of this learner for this
 * task (`uploadIds`, in order) or one file sent with the form (`assetId`, without
 * JavaScript). Refused once the task's attempts are used (a task with a marking scheme allows
 * MarkingScheme.attemptsAllowed; one without, any number), counted under a lock so two
 * hand-ins at once cannot both take the last attempt. Practical tasks without a marking
 * scheme count as complete when something is handed in.
 */
export async function submitTask(userId: string, lessonId: string, body: string, assetId: string | null, uploadIds: string[] = []) {
  const lesson = await assertTaskSubmittable(userId, null, lessonId);
  const courseId = lesson.module.courseId;
  if (uploadIds.length + (assetId ? 1 : 0) > HAND_IN_LIMITS.filesPerSubmission) {
    throw new HandInError("too_many_files", `at most ${HAND_IN_LIMITS.filesPerSubmission} files per hand-in`, { max: HAND_IN_LIMITS.filesPerSubmission });
  }
  // The course's authors are told of each hand-in, in the same transaction as the hand-in.
  const { submission, mails } = await prisma.$transaction(async (tx) => {
    await lockLearnerTask(tx, userId, lessonId);
    assertAttemptLeft(await attemptsOf(tx, userId, lessonId));
    const claimed = await claimUploads(tx, userId, lessonId, uploadIds);
    const single = assetId ? [await tx.asset.findUniqueOrThrow({ where: { id: assetId }, select: { id: true, mimeType: true } })] : [];
    const files = [...single, ...claimed];
    if (!body && files.length === 0) throw new HandInError("empty", "hand in a note or at least one file");
    const submission = await tx.taskSubmission.create({
      data: { lessonId, userId, body, files: { create: files.map((f, position) => ({ assetId: f.id, position, kind: kindOfAsset(f.mimeType) })) } },
    });
    const [about, learner, authors] = await Promise.all([
      tx.lesson.findUniqueOrThrow({ where: { id: lessonId }, select: { title: true, module: { select: { course: { select: { title: true } } } } } }),
      tx.user.findUniqueOrThrow({ where: { id: userId }, select: { name: true } }),
      tx.courseAuthor.findMany({ where: { courseId, userId: { not: userId } }, select: { userId: true } }),
    ]);
    const mails = await createNotices(
      tx,
      authors.map((a) => ({
        userId: a.userId,
        kind: "taskSubmitted",
        url: `/teach/courses/${courseId}/lessons/${lessonId}`,
        params: { learner: learner.name, lesson: about.title, course: about.module.course.title },
      })),
    );
    return { submission, mails };
  });
  deliver(mails);
  // A task with a marking scheme counts only once its released result reaches the pass mark
  // (app/domains/assessment/marking.server.ts releaseResult); other tasks count on hand-in.
  const marked = (await prisma.markingScheme.count({ where: { lessonId } })) > 0;
  if (!marked) await complete(userId, lessonId, courseId);
  return submission;
}

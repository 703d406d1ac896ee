import { rangedFileResponse } from "~/utils/http-range.server";
import type { Prisma } from "@prisma/client";
import { prisma } from "~/domains/db.server";
import type { AuthUser } from "~/domains/auth/roles";
import { canEditCourse, canStudyCourse } from "./permissions.server";
import { storage } from "./storage.server";
import { markMaterialDownloaded } from "./lessons.server";

/** Ids of the images uploaded for a course's lessons: the only images its Markdown shows. */
export async function lessonImageIds(courseId: string) {
  const rows = await prisma.asset.findMany({ where: { imageOfCourseId: courseId }, select: { id: true } });
  return rows.map((r) => r.id);
}


/** What decides who reads a hand-in's file: its learner, the course, the viewer among the task's markers. */
const handInReaders = (user: Pick<AuthUser, "id"> | null) =>
  ({
    userId: true,
    competition: { select: { createdById: true, markers: { where: { userId: user?.id ?? "" }, select: { userId: true } } } },
    lesson: { select: { module: { select: { courseId: true } }, markingScheme: { select: { markers: { where: { userId: user?.id ?? "" }, select: { userId: true } } } } } },
  }) satisfies Prisma.TaskSubmissionSelect;
/** Who may read a stored file: decided by what the file is attached to. */
export async function canReadAsset(user: Pick<AuthUser, "id" | "role"> | null, assetId: string) {
  const asset = await prisma.asset.findUnique({
    where: { id: assetId },
    select: {
      ownerId: true,
      lessons: { select: { module: { select: { courseId: true } } } },
      coverOf: { select: { id: true, status: true } },
      articleCovers: { select: { status: true, publishAt: true } },
      imageOfCourseId: true,
      // An article's body image: public while the article is (decision 029).
      imageOfArticle: { select: { status: true, publishAt: true } },
      // An expert application's certificate scan: the applicant (and platform admins).
      documentOfApplication: { select: { userId: true } },
      submissions: { select: handInReaders(user) },
      submissionFiles: { select: { submission: { select: handInReaders(user) } } },
      // A competition's test-project files: its creator, participants and markers.
      competitionFiles: { select: { competition: { select: { createdById: true, participants: { where: { userId: user?.id ?? "" }, select: { userId: true } }, markers: { where: { userId: user?.id ?? "" }, select: { userId: true } } } } } },
    },
  });
  if (!asset) return false;
  if (asset.coverOf.some((c) => c.status === "published")) return true;
  // The cover of a public article (issue 10: published, or scheduled and its time has come).
  const now = new Date();
  const isPublic = (a: { status: string; publishAt: Date | null }) => a.status !== "draft" && a.publishAt !== null && a.publishAt <= now;
  if (asset.articleCovers.some(isPublic)) return true;
  if (asset.imageOfArticle && isPublic(asset.imageOfArticle)) return true;
  if (!user) return false;
  if (user.role === "admin" || asset.ownerId === user.id) return true;
  if (asset.documentOfApplication) return asset.documentOfApplication.userId === user.id;
  for (const l of asset.lessons) if (await canStudyCourse(user, l.module.courseId)) return true;
  for (const c of asset.coverOf) if (await canEditCourse(user, c.id)) return true;
  if (asset.imageOfCourseId && ((await canStudyCourse(user, asset.imageOfCourseId)) || (await canEditCourse(user, asset.imageOfCourseId)))) {
    return true;
  }
  for (const s of [...asset.submissions, ...asset.submissionFiles.map((f) => f.submission)]) {
    if (s.userId === user.id) return true;
    // A competition hand-in: its creator and the competition's markers (not the course's).
    if (s.competition) {
      if (s.competition.createdById === user.id || s.competition.markers.length > 0) return true;
      continue;
    }
    // The course's authors and the task's assigned markers.
    if ((s.lesson.markingScheme?.markers.length ?? 0) > 0 || (await canEditCourse(user, s.lesson.module.courseId))) return true;
  }
  for (const f of asset.competitionFiles) {
    const c = f.competition;
    if (c.createdById === user.id || c.participants.length > 0 || c.markers.length > 0) return true;
  }
  return false;
}

/**
 * A hand-in file of a blind-marked task, fetched by anyone but its learner: the learner's own
 * file name (often their name) must not reach the marker in the download either.
 */
async function isBlindHandInFor(user: Pick<AuthUser, "id"> | null, asset: { id: string; ownerId: string }) {
  if (!user || asset.ownerId === user.id) return false;
  const blind = { lesson: { markingScheme: { blind: true } } } satisfies Prisma.TaskSubmissionWhereInput;
  const count = await prisma.taskSubmission.count({ where: { OR: [{ assetId: asset.id, ...blind }, { files: { some: { assetId: asset.id } }, ...blind }] } });
  return count > 0;
}

function neutralName(asset: { id: string; originalName: string; mimeType: string }) {
  const ext = /\.[a-z0-9]{1,8}$/i.exec(asset.originalName)?.[0].toLowerCase() ?? "";
  const kind = asset.mimeType.startsWith("image/") ? "photo" : asset.mimeType.startsWith("video/") ? "video" : "file";
  return `${kind}-${asset.id.slice(-6)}${ext}`;
}

/**
 * Streams an asset with HTTP range support, so video seeking works on slow links.
 * `lessonId` + download marks a material lesson as done when this is that lesson's file.
 */
export async function serveAsset(
  request: Request,
  user: Pick<AuthUser, "id" | "role"> | null,
  assetId: string,
  opts: { download: boolean; lessonId?: string },
) {
  if (!(await canReadAsset(user, assetId))) {
    return new Response(user ? "Forbidden" : "Log in first", { status: user ? 403 : 401 });
  }
  const asset = await prisma.asset.findUniqueOrThrow({ where: { id: assetId } });
  const size = await storage.size(asset.storageKey).catch(() => -1);
  const fileName = (await isBlindHandInFor(user, asset)) ? neutralName(asset) : asset.originalName;
  if (size < 0) return new Response("File missing", { status: 410 });

  if (opts.download && opts.lessonId && user) await markMaterialDownloaded(user.id, opts.lessonId, asset.id);

  const headers = new Headers({
    "Content-Type": asset.mimeType,
    "Cache-Control": "private, max-age=3600",
    ETag: `"${asset.id}"`,
    "X-Content-Type-Options": "nosniff",
    "Content-Disposition": `${opts.download ? "attachment" : "inline"}; filename*=UTF-8''${encodeURIComponent(fileName)}`,
  });
  // SVG can carry script: never render it inline from our origin.
  if (asset.mimeType === "image/svg+xml") headers.set("Content-Security-Policy", "script-src 'none'; sandbox");

  return rangedFileResponse(request, size, headers, (range) => storage.read(asset.storageKey, range));
}


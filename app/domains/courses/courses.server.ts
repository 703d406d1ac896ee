import { publicContentVersion } from "~/domains/public-content.server";
import crypto from "node:crypto";
import type { Prisma } from "@prisma/client";
import { prisma } from "~/domains/db.server";
import type { AuthUser } from "~/domains/auth/roles";
import { canEditCourse, requireCourseEditor } from "./permissions.server";
import { progressFor, key } from "./progress.server";
import type { courseSchema, lessonUpdateSchema } from "./validation";
import { imageMarkdown } from "./markdown.server";
import type { z } from "zod";

export const PAGE_SIZE = 12;

// Categories change a few times a year and every catalogue request lists them: kept until
// the next write to public content (public-content.server.ts).
let categories: { version: number; rows: ReturnType<typeof loadCategories> } | undefined;
const loadCategories = () => prisma.skillCategory.findMany({ orderBy: [{ sortOrder: "asc" }, { slug: "asc" }] });
export function listCategories() {
  const version = publicContentVersion();
  if (!categories || categories.version !== version) {
    const rows = loadCategories();
    categories = { version, rows };
    rows.catch(() => (categories = undefined));
  }
  return categories.rows;
}

/**
 * Published courses matching every word of `q` in title, summary or category name
 * (Chinese or English: ILIKE '%word%', served by the pg_trgm GIN indexes for words of 3+
 * characters, a scan of published courses otherwise), filtered by category and level.
 */
export async function searchCatalogue(params: { q: string; category: string; level: string; page: number }) {
  const words = params.q.split(/\s+/).filter(Boolean).slice(0, 8);
  const where: Prisma.CourseWhereInput = {
    status: "published",
    ...(params.category ? { category: { slug: params.category } } : {}),
    ...(params.level ? { level: params.level as Prisma.EnumCourseLevelFilter["equals"] } : {}),
    AND: words.map((word) => ({
      OR: [
        { title: { contains: word, mode: "insensitive" } },
        { summary: { contains: word, mode: "insensitive" } },
        { category: { nameEn: { contains: word, mode: "insensitive" } } },
        { category: { nameZh: { contains: word } } },
      ],
    })),
  };
  const [total, items] = await Promise.all([
    prisma.course.count({ where }),
    prisma.course.findMany({
      where,
      orderBy: [{ publishedAt: "desc" }, { id: "asc" }],
      skip: (params.page - 1) * PAGE_SIZE,
      take: PAGE_SIZE,
      select: {
        id: true,
        slug: true,
        title: true,
        summary: true,
        level: true,
        language: true,
        coverAssetId: true,
        category: { select: { slug: true, nameEn: true, nameZh: true } },
        authors: { where: { role: "owner" }, select: { user: { select: { name: true } } } },
        _count: { select: { enrollments: true } },
      },
    }),
  ]);
  return { total, items, page: params.page, pages: Math.max(1, Math.ceil(total / PAGE_SIZE)) };
}

const outlineSelect = {
  id: true,
  slug: true,
  title: true,
  summary: true,
  level: true,
  language: true,
  status: true,
  coverAssetId: true,
  category: { select: { slug: true, nameEn: true, nameZh: true } },
  authors: { orderBy: { createdAt: "asc" }, select: { role: true, user: { select: { id: true, name: true } } } },
  modules: {
    orderBy: { position: "asc" },
    select: {
      id: true,
      title: true,
      position: true,
      lessons: { orderBy: { position: "asc" }, select: { id: true, title: true, kind: true, durationMinutes: true, position: true } },
    },
  },
} satisfies Prisma.CourseSelect;

/** A course page: outline for everyone when published; drafts only for their editors (else 404). */
export async function getCoursePage(slug: string, user: Pick<AuthUser, "id" | "role"> | null) {
  const course = await prisma.course.findUnique({ where: { slug }, select: outlineSelect });
  if (!course) throw new Response("Not found", { status: 404 });
  const editor = user ? await canEditCourse(user, course.id) : false;
  if (course.status !== "published" && !editor) throw new Response("Not found", { status: 404 });
  let enrollment = null;
  let progress = null;
  let completedLessonIds: string[] = [];
  let assignment = null;
  if (user) {
    enrollment = await prisma.enrollment.findUnique({
      where: { userId_courseId: { userId: user.id, courseId: course.id } },
      select: { source: true, lastLessonId: true, createdAt: true, completedAt: true },
    });
    if (enrollment) {
      progress = (await progressFor([user.id], [course.id])).get(key(user.id, course.id)) ?? null;
      completedLessonIds = (
        await prisma.lessonProgress.findMany({
          where: { userId: user.id, completedAt: { not: null }, lesson: { module: { courseId: course.id } } },
          select: { lessonId: true },
        })
      ).map((r) => r.lessonId);
    }
    assignment = await prisma.assignment.findFirst({
      where: { courseId: course.id, cohort: { members: { some: { userId: user.id } } } },
      orderBy: { dueAt: "asc" },
      select: { dueAt: true, cohort: { select: { name: true } } },
    });
  }
  return { course, editor, enrollment, progress, completedLessonIds, assignment };
}

export async function enrol(user: Pick<AuthUser, "id">, courseId: string, source: "self" | "assignment" = "self") {
  const course = await prisma.course.findUnique({ where: { id: courseId }, select: { status: true } });
  if (!course || course.status !== "published") throw new Response("Not found", { status: 404 });
  const where = { userId_courseId: { userId: user.id, courseId } };
  try {
    return await prisma.enrollment.upsert({ where, create: { userId: user.id, courseId, source }, update: {} });
  } catch (err) {
    // Two enrolments at once (a double click): the other one created the row.
    if ((err as { code?: string }).code === "P2002") return prisma.enrollment.findUniqueOrThrow({ where });
    throw err;
  }
}

function slugFor(title: string) {
  const ascii = title
    .normalize("NFKD")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 48);
  return `${ascii || "course"}-${crypto.randomBytes(3).toString("hex")}`;
}

export async function createCourse(user: Pick<AuthUser, "id" | "role">, input: z.infer<typeof courseSchema>) {
  if (user.role !== "expert" && user.role !== "admin") throw new Response("Forbidden", { status: 403 });
  return prisma.course.create({
    data: {
      ...input,
      slug: slugFor(input.title),
      authors: { create: { userId: user.id, role: "owner" } },
      modules: { create: { title: input.language === "en" ? "Module 1" : "第 1 单元", position: 0 } },
    },
  });
}

export async function updateCourse(user: Pick<AuthUser, "id" | "role">, courseId: string, input: z.infer<typeof courseSchema>) {
  await requireCourseEditor(user, courseId);
  return prisma.course.update({ where: { id: courseId }, data: input });
}

export class PublishError extends Error {}

export async function setCourseStatus(user: Pick<AuthUser, "id" | "role">, courseId: string, status: "draft" | "published") {
  await requireCourseEditor(user, courseId);
  if (status === "published") {
    const lessons = await prisma.lesson.count({ where: { module: { courseId } } });
    if (lessons === 0) throw new PublishError("errors.publishEmpty");
  }
  return prisma.course.update({
    where: { id: courseId },
    data: { status, ...(status === "published" ? { publishedAt: new Date() } : {}) },
  });
}

export function getEditorCourse(courseId: string) {
  return prisma.course.findUnique({
    where: { id: courseId },
    select: { ...outlineSelect, categoryId: true, coverAsset: { select: { id: true, originalName: true } } },
  });
}

/** Swaps an item with its neighbour in `position` order, inside one transaction. */
async function swapWithNeighbour(
  items: { id: string; position: number }[],
  id: string,
  direction: "up" | "down",
  update: (tx: Prisma.TransactionClient, id: string, position: number) => Promise<unknown>,
) {
  const index = items.findIndex((i) => i.id === id);
  const other = direction === "up" ? index - 1 : index + 1;
  if (index < 0 || other < 0 || other >= items.length) return false;
  await prisma.$transaction(async (tx) => {
    // Renumber densely so gaps left by deletions never confuse the order.
    const ordered = [...items];
    [ordered[index], ordered[other]] = [ordered[other], ordered[index]];
    for (let i = 0; i < ordered.length; i++) await update(tx, ordered[i].id, i);
  });
  return true;
}

export async function addModule(user: Pick<AuthUser, "id" | "role">, courseId: string, title: string) {
  await requireCourseEditor(user, courseId);
  const last = await prisma.courseModule.findFirst({ where: { courseId }, orderBy: { position: "desc" } });
  return prisma.courseModule.create({ data: { courseId, title, position: (last?.position ?? -1) + 1 } });
}

/** The module if it belongs to the course the user may edit; 404 otherwise. */
async function editableModule(user: Pick<AuthUser, "id" | "role">, courseId: string, moduleId: string) {
  await requireCourseEditor(user, courseId);
  const mod = await prisma.courseModule.findUnique({ where: { id: moduleId } });
  if (!mod || mod.courseId !== courseId) throw new Response("Not found", { status: 404 });
  return mod;
}

export async function renameModule(user: Pick<AuthUser, "id" | "role">, courseId: string, moduleId: string, title: string) {
  await editableModule(user, courseId, moduleId);
  return prisma.courseModule.update({ where: { id: moduleId }, data: { title } });
}

/**
 * Deletes the module. One that still has lessons is deleted only when `confirmed`; otherwise
 * nothing happens and the answer says what would be lost, for the author to confirm.
 */
export async function deleteModule(user: Pick<AuthUser, "id" | "role">, courseId: string, moduleId: string, confirmed = false) {
  await editableModule(user, courseId, moduleId);
  const module = await prisma.courseModule.findUniqueOrThrow({ where: { id: moduleId }, select: { title: true, _count: { select: { lessons: true } } } });
  if (module._count.lessons > 0 && !confirmed) return { deleted: false as const, title: module.title, lessons: module._count.lessons };
  await prisma.courseModule.delete({ where: { id: moduleId } });
  return { deleted: true as const };
}

export async function moveModule(user: Pick<AuthUser, "id" | "role">, courseId: string, moduleId: string, direction: "up" | "down") {
  await editableModule(user, courseId, moduleId);
  const modules = await prisma.courseModule.findMany({ where: { courseId }, orderBy: { position: "asc" }, select: { id: true, position: true } });
  return swapWithNeighbour(modules, moduleId, direction, (tx, id, position) => tx.courseModule.update({ where: { id }, data: { position } }));
}

export async function addLesson(
  user: Pick<AuthUser, "id" | "role">,
  courseId: string,
  input: { moduleId: string; title: string; kind: "text" | "video" | "material" | "task" },
) {
  await editableModule(user, courseId, input.moduleId);
  const last = await prisma.lesson.findFirst({ where: { moduleId: input.moduleId }, orderBy: { position: "desc" } });
  return prisma.lesson.create({ data: { ...input, position: (last?.position ?? -1) + 1 } });
}

/** The lesson if it belongs to the course the user may edit; 404 otherwise. */
export async function editableLesson(user: Pick<AuthUser, "id" | "role">, courseId: string, lessonId: string) {
  await requireCourseEditor(user, courseId);
  const lesson = await prisma.lesson.findUnique({
    where: { id: lessonId },
    include: { module: { select: { courseId: true, title: true } }, asset: true },
  });
  if (!lesson || lesson.module.courseId !== courseId) throw new Response("Not found", { status: 404 });
  return lesson;
}

/** The lesson editor's data: the lesson, its course, and the course's images for Markdown. */
export async function getLessonEditor(user: Pick<AuthUser, "id" | "role">, courseId: string, lessonId: string) {
  const lesson = await editableLesson(user, courseId, lessonId);
  const course = await prisma.course.findUniqueOrThrow({ where: { id: courseId }, select: { id: true, title: true, slug: true } });
  const images = await prisma.asset.findMany({
    where: { imageOfCourseId: courseId },
    orderBy: { createdAt: "desc" },
    take: 50,
    select: { id: true, originalName: true },
  });
  return {
    course,
    images: images.map((i) => ({ id: i.id, name: i.originalName, markdown: imageMarkdown(i.id, i.originalName) })),
    lesson: {
      id: lesson.id,
      title: lesson.title,
      kind: lesson.kind,
      body: lesson.body,
      taskHandIn: lesson.taskHandIn,
      durationMinutes: lesson.durationMinutes,
      moduleTitle: lesson.module.title,
      asset: lesson.asset ? { id: lesson.asset.id, originalName: lesson.asset.originalName, sizeBytes: Number(lesson.asset.sizeBytes) } : null,
    },
  };
}

export async function updateLesson(user: Pick<AuthUser, "id" | "role">, courseId: string, lessonId: string, input: z.infer<typeof lessonUpdateSchema>) {
  await editableLesson(user, courseId, lessonId);
  return prisma.lesson.update({ where: { id: lessonId }, data: input });
}

export async function moveLesson(user: Pick<AuthUser, "id" | "role">, courseId: string, lessonId: string, direction: "up" | "down") {
  const lesson = await editableLesson(user, courseId, lessonId);
  const lessons = await prisma.lesson.findMany({
    where: { moduleId: lesson.moduleId },
    orderBy: { position: "asc" },
    select: { id: true, position: true },
  });
  return swapWithNeighbour(lessons, lessonId, direction, (tx, id, position) => tx.lesson.update({ where: { id }, data: { position } }));
}

export async function deleteLesson(user: Pick<AuthUser, "id" | "role">, courseId: string, lessonId: string) {
  await editableLesson(user, courseId, lessonId);
  return prisma.lesson.delete({ where: { id: lessonId } });
}

export class CoauthorError extends Error {}

export async function addCoauthor(user: Pick<AuthUser, "id" | "role">, courseId: string, email: string) {
  await requireCourseEditor(user, courseId);
  const owner = await prisma.courseAuthor.findUnique({ where: { courseId_userId: { courseId, userId: user.id } } });
  if (user.role !== "admin" && owner?.role !== "owner") throw new Response("Forbidden", { status: 403 });
  const invitee = await prisma.user.findUnique({ where: { email } });
  if (!invitee || (invitee.role !== "expert" && invitee.role !== "admin")) throw new CoauthorError("errors.coauthorNotExpert");
  await prisma.courseAuthor.upsert({
    where: { courseId_userId: { courseId, userId: invitee.id } },
    create: { courseId, userId: invitee.id, role: "coauthor" },
    update: {},
  });
  return invitee;
}

/** Courses the user authors, with enrolment counts, for the teaching dashboard. */
export function coursesAuthoredBy(userId: string) {
  return prisma.course.findMany({
    where: { authors: { some: { userId } } },
    orderBy: { updatedAt: "desc" },
    select: {
      id: true,
      slug: true,
      title: true,
      status: true,
      level: true,
      updatedAt: true,
      category: { select: { nameEn: true, nameZh: true } },
      _count: { select: { enrollments: true, modules: true } },
    },
  });
}

/** The learner's courses (enrolled or assigned), with progress and the nearest due date. */
export async function learnerCourses(userId: string) {
  const enrollments = await prisma.enrollment.findMany({
    where: { userId },
    orderBy: { createdAt: "desc" },
    select: {
      source: true,
      lastLessonId: true,
      completedAt: true,
      course: { select: { id: true, slug: true, title: true, category: { select: { nameEn: true, nameZh: true } } } },
    },
  });
  const courseIds = enrollments.map((e) => e.course.id);
  const [progress, assignments] = await Promise.all([
    progressFor([userId], courseIds),
    prisma.assignment.findMany({
      where: { courseId: { in: courseIds }, cohort: { members: { some: { userId } } } },
      select: { courseId: true, dueAt: true, cohort: { select: { name: true } } },
      orderBy: { dueAt: "asc" },
    }),
  ]);
  return enrollments.map((e) => {
    const a = assignments.find((x) => x.courseId === e.course.id);
    return {
      ...e,
      progress: progress.get(key(userId, e.course.id))!,
      dueAt: a?.dueAt ?? null,
      cohortName: a?.cohort.name ?? null,
    };
  });
}

/** A course's learners with their progress, for the course's own experts (caller checks). */
export async function courseLearners(courseId: string) {
  const enrollments = await prisma.enrollment.findMany({
    where: { courseId },
    orderBy: { createdAt: "asc" },
    take: 500,
    select: { source: true, createdAt: true, completedAt: true, user: { select: { id: true, name: true } } },
  });
  const progress = await progressFor(
    enrollments.map((e) => e.user.id),
    [courseId],
  );
  return enrollments.map((e) => ({ ...e, progress: progress.get(key(e.user.id, courseId))! }));
}

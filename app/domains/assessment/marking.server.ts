// Marking schemes in the database, marking and result release. Every change is one
// transaction with its audit entry (and MarkChange history for marks). Permissions come from
// the database: scheme editing and release = the course's authors; marking = assigned markers.
import type { Prisma } from "@prisma/client";
import { prisma } from "~/domains/db.server";
import type { AuthUser } from "~/domains/auth/roles";
import { recordAudit } from "~/domains/audit/audit.server";
import { canEditCourse } from "~/domains/courses/permissions.server";
import { completeLesson } from "~/domains/courses/lessons.server";
import { filesOfSubmission, submissionFilesSelect } from "~/domains/courses/hand-ins.server";
import type { HandInFile } from "~/domains/courses/hand-in-rules";
import { createNotices, deliver } from "~/domains/notifications/notify.server";
import {
  DEFAULT_TOTAL,
  judgementState,
  measurementMark,
  round2,
  totals,
  validateScheme,
  type AspectInput,
  type MeasurementConfig,
  type MeasurementEntry,
  type SchemeInput,
} from "./scheme";

type Actor = Pick<AuthUser, "id" | "role" | "name">;
const forbidden = () => new Response("Forbidden", { status: 403 });
const notFound = () => new Response("Not found", { status: 404 });

export const treeInclude = {
  sections: {
    orderBy: { position: "asc" },
    include: { criteria: { orderBy: { position: "asc" }, include: { aspects: { orderBy: { position: "asc" } } } } },
  },
} satisfies Prisma.MarkingSchemeInclude;

async function taskLesson(lessonId: string) {
  const lesson = await prisma.lesson.findUnique({ where: { id: lessonId }, select: { id: true, kind: true, title: true, module: { select: { courseId: true } } } });
  if (!lesson || lesson.kind !== "task") throw notFound();
  return lesson;
}

/** The scheme of a task lesson for its course's authors (null when none yet). */
export async function schemeForEditor(user: Actor, courseId: string, lessonId: string) {
  const lesson = await taskLesson(lessonId);
  if (lesson.module.courseId !== courseId) throw notFound();
  if (!(await canEditCourse(user, courseId))) throw forbidden();
  const scheme = await prisma.markingScheme.findUnique({ where: { lessonId }, include: { ...treeInclude, markers: { include: { user: { select: { id: true, name: true } } } } } });
  return { lesson, scheme, input: scheme ? toInput(scheme) : null, issues: scheme ? validateScheme(toInput(scheme)) : [] };
}

type SchemeTree = Prisma.MarkingSchemeGetPayload<{ include: typeof treeInclude }>;

export function toInput(scheme: SchemeTree): SchemeInput {
  return {
    total: scheme.total,
    tolerance: scheme.tolerance,
    sections: scheme.sections.map((s) => ({
      name: s.name,
      weighting: s.weighting,
      criteria: s.criteria.map((c) => ({
        code: c.code,
        name: c.name,
        aspects: c.aspects.map((a) => aspectInput(a)),
      })),
    })),
  };
}

function aspectInput(a: { kind: "measurement" | "judgement"; description: string; maxMark: number; descriptors: Prisma.JsonValue; measurement: Prisma.JsonValue }): AspectInput {
  return a.kind === "judgement"
    ? { kind: "judgement", description: a.description, maxMark: a.maxMark, descriptors: (a.descriptors as string[] | null) ?? [] }
    : { kind: "measurement", description: a.description, maxMark: a.maxMark, measurement: (a.measurement as MeasurementConfig | null) ?? undefined };
}

export type SchemeSettings = { passMark: number; blind: boolean; attemptsAllowed: number };

/** Rows that already exist keep their ids when the tree is rewritten (the editor passes them). */
const keptId = (x: object) => {
  const id = (x as { id?: unknown }).id;
  return typeof id === "string" ? { id } : {};
};

/** Replace the whole tree (editor save, XLSX import) in one transaction. */
export async function replaceScheme(user: Actor, lessonId: string, input: SchemeInput, settings?: Partial<SchemeSettings>, reason = "edit") {
  const lesson = await taskLesson(lessonId);
  if (!(await canEditCourse(user, lesson.module.courseId))) throw forbidden();
  return prisma.$transaction(async (tx) => {
    const before = await tx.markingScheme.findUnique({ where: { lessonId }, include: treeInclude });
    const scheme = before
      ? await tx.markingScheme.update({ where: { id: before.id }, data: { total: input.total, tolerance: input.tolerance, ...settings } })
      : await tx.markingScheme.create({ data: { lessonId, total: input.total ?? DEFAULT_TOTAL, tolerance: input.tolerance, ...settings } });
    if (before) {
      if (await tx.mark.count({ where: { aspect: { criterion: { section: { schemeId: scheme.id } } } } })) throw new Response("Marking has started; the scheme can no longer change", { status: 409 });
      await tx.schemeSection.deleteMany({ where: { schemeId: scheme.id } });
    }
    for (const [si, s] of input.sections.entries()) {
      await tx.schemeSection.create({
        data: {
          ...keptId(s),
          schemeId: scheme.id,
          name: s.name,
          weighting: s.weighting,
          position: si,
          criteria: {
            create: s.criteria.map((c, ci) => ({
              ...keptId(c),
              code: c.code,
              name: c.name,
              position: ci,
              aspects: {
                create: c.aspects.map((a, ai) => ({
                  ...keptId(a),
                  kind: a.kind,
                  description: a.description,
                  maxMark: a.maxMark,
                  descriptors: a.kind === "judgement" ? (a.descriptors ?? []) : undefined,
                  measurement: a.kind === "measurement" && a.measurement ? (a.measurement as Prisma.InputJsonValue) : undefined,
                  position: ai,
                })),
              },
            })),
          },
        },
      });
    }
    await recordAudit(tx, { actor: user, action: `assessment.scheme.${reason}`, subjectType: "MarkingScheme", subjectId: scheme.id, before: before ? toInput(before) : null, after: input });
    return scheme;
  });
}

export async function assignMarker(user: Actor, lessonId: string, markerId: string, assign = true) {
  const lesson = await taskLesson(lessonId);
  if (!(await canEditCourse(user, lesson.module.courseId))) throw forbidden();
  const scheme = await prisma.markingScheme.findUnique({ where: { lessonId } });
  if (!scheme) throw notFound();
  const marker = await prisma.user.findUnique({ where: { id: markerId }, select: { role: true } });
  if (!marker || marker.role !== "expert") throw new Response("Markers are experts", { status: 400 });
  await prisma.$transaction(async (tx) => {
    if (assign) await tx.schemeMarker.upsert({ where: { schemeId_userId: { schemeId: scheme.id, userId: markerId } }, create: { schemeId: scheme.id, userId: markerId }, update: {} });
    else await tx.schemeMarker.deleteMany({ where: { schemeId: scheme.id, userId: markerId } });
    await recordAudit(tx, { actor: user, action: assign ? "assessment.marker.assign" : "assessment.marker.remove", subjectType: "MarkingScheme", subjectId: scheme.id, after: { markerId } });
  });
}

/** "photo-1.jpg", "file-1.pdf": hand-in files without their learner-given names. */
function anonymousFiles(files: HandInFile[]) {
  const seen: Record<string, number> = {};
  return files.map((f) => {
    seen[f.kind] = (seen[f.kind] ?? 0) + 1;
    const ext = /\.[a-z0-9]{1,8}$/i.exec(f.name)?.[0].toLowerCase() ?? "";
    return { ...f, name: `${f.kind}-${seen[f.kind]}${ext}` };
  });
}

/** A short code shown instead of the learner's name under blind marking. */
export function submissionCode(submissionId: string) {
  let h = 0;
  for (const ch of submissionId) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  return `S-${(h % 1_000_000).toString().padStart(6, "0")}`;
}

/** The submissions assigned to this marker, only. */
export async function markingQueue(user: Actor) {
  const subs = await prisma.taskSubmission.findMany({
    // A course hand-in: the task's markers; a competition hand-in: the competition's markers only.
    where: {
      OR: [
        { competitionId: null, lesson: { markingScheme: { markers: { some: { userId: user.id } } } } },
        { competition: { markers: { some: { userId: user.id } } }, lesson: { markingScheme: { isNot: null } } },
      ],
    },
    orderBy: { createdAt: "asc" },
    include: {
      user: { select: { name: true } },
      competition: { select: { title: true } },
      lesson: { select: { title: true, markingScheme: { select: { blind: true } } } },
      release: { select: { releasedAt: true } },
      marks: { where: { markerId: user.id }, select: { id: true } },
    },
  });
  return subs.map((s) => ({
    id: s.id,
    lesson: s.competition ? s.competition.title : s.lesson.title,
    learner: s.lesson.markingScheme?.blind ? submissionCode(s.id) : s.user.name,
    createdAt: s.createdAt,
    released: s.release !== null,
    started: s.marks.length > 0,
  }));
}

const submissionInclude = {
  user: { select: { id: true, name: true } },
  ...submissionFilesSelect,
  lesson: { select: { id: true, title: true, module: { select: { courseId: true } }, markingScheme: { include: { ...treeInclude, markers: { select: { userId: true } } } } } },
  marks: { orderBy: [{ round: "asc" }, { createdAt: "asc" }] },
  release: true,
  competition: { select: { id: true, title: true, createdById: true, markers: { select: { userId: true } } } },
} satisfies Prisma.TaskSubmissionInclude;

async function submissionWithScheme(submissionId: string) {
  const sub = await prisma.taskSubmission.findUnique({ where: { id: submissionId }, include: submissionInclude });
  if (!sub || !sub.lesson.markingScheme) throw notFound();
  return { ...sub, scheme: sub.lesson.markingScheme };
}

/** Several hand-ins with their scheme and marks (a competition's), oldest first. */
export async function submissionsWithScheme(where: Prisma.TaskSubmissionWhereInput) {
  const subs = await prisma.taskSubmission.findMany({ where, include: submissionInclude, orderBy: { createdAt: "asc" } });
  return subs.flatMap((sub) => (sub.lesson.markingScheme ? [{ ...sub, scheme: sub.lesson.markingScheme }] : []));
}

type Loaded = Awaited<ReturnType<typeof submissionWithScheme>>;

/** Per-aspect state and totals of a submission from all markers' entries. */
export function resultOf(sub: Loaded) {
  const aspects = sub.scheme.sections.flatMap((s) => s.criteria.flatMap((c) => c.aspects.map((a) => ({ a, criterion: c.code }))));
  const rows = aspects.map(({ a, criterion }) => {
    const marks = sub.marks.filter((m) => m.aspectId === a.id);
    if (a.kind === "judgement") {
      const state = judgementState(a.maxMark, marks.map((m) => ({ markerId: m.markerId, round: m.round, score: m.score })));
      return { id: a.id, criterion, maxMark: a.maxMark, mark: state.mark, flagged: state.flagged, round: state.round, marks };
    }
    const latest = [...marks].sort((x, y) => +y.updatedAt - +x.updatedAt)[0];
    return { id: a.id, criterion, maxMark: a.maxMark, mark: latest?.value ?? null, flagged: false, round: 1, marks };
  });
  return { rows, ...totals(rows) };
}

async function requireMarker(user: Actor, submissionId: string) {
  const sub = await submissionWithScheme(submissionId);
  // A competition hand-in is marked by the competition's markers, not the task's.
  const markers = sub.competition ? sub.competition.markers : sub.scheme.markers;
  if (!markers.some((m) => m.userId === user.id)) throw forbidden();
  return sub;
}

/** The marking page: the submission beside the aspects; blind hides the name here, on the server. */
export async function markingView(user: Actor, submissionId: string) {
  const sub = await requireMarker(user, submissionId);
  const result = resultOf(sub);
  return {
    id: sub.id,
    learner: sub.scheme.blind ? submissionCode(sub.id) : sub.user.name,
    blind: sub.scheme.blind,
    lesson: sub.competition ? sub.competition.title : sub.lesson.title,
    competitionId: sub.competition?.id ?? null,
    body: sub.body,
    // Under blind marking file names are replaced too: a learner's name is often in them.
    files: sub.scheme.blind ? anonymousFiles(filesOfSubmission(sub)) : filesOfSubmission(sub),
    createdAt: sub.createdAt,
    released: sub.release !== null,
    sections: sub.scheme.sections.map((s) => ({
      id: s.id,
      name: s.name,
      weighting: s.weighting,
      criteria: s.criteria.map((c) => ({
        id: c.id,
        code: c.code,
        name: c.name,
        aspects: c.aspects.map((a) => {
          const row = result.rows.find((r) => r.id === a.id)!;
          const mine = row.marks.filter((m) => m.markerId === user.id && m.round === row.round)[0] ?? null;
          return { ...aspectInput(a), id: a.id, mark: row.mark, flagged: row.flagged, round: row.round, mine: mine && { score: mine.score, measured: mine.measured, faults: mine.faults, awarded: mine.awarded, feedback: mine.feedback } };
        }),
      })),
    })),
    total: result.total,
    max: result.max,
    complete: result.complete,
    flagged: result.flagged,
  };
}

/** What a printed marking form shows: the scheme, and whose work it is (never the name under blind marking). */
export type MarkingFormData = {
  course: string;
  lesson: string;
  /** null on a blank form and under blind marking */
  learner: string | null;
  /** the submission code; null on a blank form */
  code: string | null;
  blind: boolean;
  scheme: SchemeInput;
};

/** The form for one submission: only its assigned markers (the marking page's check). */
export async function markingFormForSubmission(user: Actor, submissionId: string): Promise<MarkingFormData> {
  const sub = await requireMarker(user, submissionId);
  const course = await prisma.course.findUniqueOrThrow({ where: { id: sub.lesson.module.courseId }, select: { title: true } });
  return { course: course.title, lesson: sub.lesson.title, learner: sub.scheme.blind ? null : sub.user.name, code: submissionCode(sub.id), blind: sub.scheme.blind, scheme: toInput(sub.scheme) };
}

/** A blank form of a task's scheme, for printing before a competition: the course's authors. */
export async function blankMarkingForm(user: Actor, courseId: string, lessonId: string): Promise<MarkingFormData> {
  const editor = await schemeForEditor(user, courseId, lessonId);
  if (!editor.scheme || !editor.input) throw notFound();
  const course = await prisma.course.findUniqueOrThrow({ where: { id: courseId }, select: { title: true } });
  return { course: course.title, lesson: editor.lesson.title, learner: null, code: null, blind: editor.scheme.blind, scheme: editor.input };
}

export type MarkInput = { score?: number; measured?: number; faults?: number; awarded?: boolean; feedback: string; reason?: string };

/** Save one marker's entry for one aspect (editing it in the current round, or re-scoring a flagged round into the next). */
export async function saveMark(user: Actor, submissionId: string, aspectId: string, input: MarkInput) {
  const sub = await requireMarker(user, submissionId);
  if (sub.release) throw new Response("Results are released", { status: 409 });
  const aspect = sub.scheme.sections.flatMap((s) => s.criteria.flatMap((c) => c.aspects)).find((a) => a.id === aspectId);
  if (!aspect) throw notFound();
  const row = resultOf(sub).rows.find((r) => r.id === aspectId)!;
  let data: { score?: number | null; measured?: number | null; faults?: number | null; awarded?: boolean | null; value: number | null };
  if (aspect.kind === "judgement") {
    if (input.score === undefined || !Number.isInteger(input.score) || input.score < 0 || input.score > 3) throw new Response("Score 0 to 3", { status: 400 });
    data = { score: input.score, value: null };
  } else {
    const config = aspect.measurement as MeasurementConfig | null;
    if (!config) throw new Response("Aspect has no measurement rule", { status: 409 });
    const entry: MeasurementEntry = { measured: input.measured, faults: input.faults, awarded: input.awarded };
    const value = measurementMark(aspect.maxMark, config, entry);
    if (value === null) throw new Response("Missing measured value, faults or award", { status: 400 });
    data = { measured: entry.measured ?? null, faults: entry.faults ?? null, awarded: entry.awarded ?? null, value };
  }
  // A marker who already scored a flagged round re-scores into the next one; the flagged round is kept.
  const scoredThisRound = row.marks.some((m) => m.markerId === user.id && m.round === row.round);
  const round = row.flagged && scoredThisRound ? row.round + 1 : row.round;
  return prisma.$transaction(async (tx) => {
    const key = { submissionId_aspectId_markerId_round: { submissionId, aspectId, markerId: user.id, round } };
    const before = await tx.mark.findUnique({ where: key });
    const mark = await tx.mark.upsert({ where: key, create: { submissionId, aspectId, markerId: user.id, round, feedback: input.feedback, ...data }, update: { feedback: input.feedback, ...data } });
    const snap = (m: typeof mark | null) => m && { round: m.round, score: m.score, measured: m.measured, faults: m.faults, awarded: m.awarded, value: m.value, feedback: m.feedback };
    await tx.markChange.create({ data: { markId: mark.id, changedById: user.id, before: snap(before) ?? undefined, after: snap(mark)!, reason: input.reason ?? "" } });
    await recordAudit(tx, { actor: user, action: "assessment.mark.save", subjectType: "Mark", subjectId: mark.id, before: snap(before), after: snap(mark) });
    return mark;
  });
}

async function requireLead(user: Actor, sub: Loaded) {
  // A competition's results are released with the competition (competitions.server.ts).
  if (sub.competition) throw new Response("A competition hand-in is released with its competition", { status: 409 });
  if (!(await canEditCourse(user, sub.lesson.module.courseId))) throw forbidden();
}

/** Submissions of a task lesson with their marking state, for the lead expert. */
export async function submissionsForLead(user: Actor, lessonId: string) {
  const lesson = await taskLesson(lessonId);
  if (!(await canEditCourse(user, lesson.module.courseId))) throw forbidden();
  const subs = await prisma.taskSubmission.findMany({ where: { lessonId, competitionId: null }, select: { id: true }, orderBy: { createdAt: "asc" } });
  return Promise.all(
    subs.map(async ({ id }) => {
      const sub = await submissionWithScheme(id);
      const r = resultOf(sub);
      return { id, learner: sub.user.name, total: r.total, max: r.max, complete: r.complete, flagged: r.flagged, released: sub.release !== null };
    }),
  );
}

/** The lead releases a finished result: learner notified; the task counts complete when total ≥ pass mark. */
export async function releaseResult(user: Actor, submissionId: string, feedback = "") {
  const sub = await submissionWithScheme(submissionId);
  await requireLead(user, sub);
  if (sub.release) throw new Response("Already released", { status: 409 });
  const result = resultOf(sub);
  if (result.flagged > 0) throw new Response("Flagged aspects must be re-scored first", { status: 409 });
  if (!result.complete) throw new Response("Not every aspect is marked", { status: 409 });
  const passed = result.total >= sub.scheme.passMark;
  const courseId = sub.lesson.module.courseId;
  const mails = await prisma.$transaction(async (tx) => {
    await tx.resultRelease.create({ data: { submissionId, total: round2(result.total), passed, feedback, releasedById: user.id } });
    await recordAudit(tx, { actor: user, action: "assessment.result.release", subjectType: "TaskSubmission", subjectId: submissionId, after: { total: result.total, passed } });
    const course = await tx.course.findUniqueOrThrow({ where: { id: courseId }, select: { slug: true, title: true } });
    return createNotices(tx, [
      { userId: sub.user.id, kind: "resultReleased", url: `/courses/${course.slug}/lessons/${sub.lesson.id}`, params: { lesson: sub.lesson.title, course: course.title, total: result.total, max: result.max } },
    ]);
  });
  deliver(mails);
  if (passed) await completeLesson(sub.user.id, sub.lesson.id, courseId);
  return { total: result.total, passed };
}

/** What the learner sees on the lesson page: "being marked" until release, then marks and feedback. */
export async function learnerResult(userId: string, lessonId: string) {
  const scheme = await prisma.markingScheme.findUnique({ where: { lessonId }, select: { id: true, passMark: true } });
  if (!scheme) return null;
  const latest = await prisma.taskSubmission.findFirst({ where: { lessonId, userId, competitionId: null }, orderBy: { createdAt: "desc" }, select: { id: true } });
  if (!latest) return { status: "none" as const };
  const sub = await submissionWithScheme(latest.id);
  if (!sub.release) return { status: "marking" as const };
  const result = resultOf(sub);
  return {
    status: "released" as const,
    total: sub.release.total,
    max: result.max,
    passMark: sub.scheme.passMark,
    passed: sub.release.passed,
    feedback: sub.release.feedback,
    criteria: result.criteria,
    aspects: sub.scheme.sections.flatMap((s) =>
      s.criteria.flatMap((c) =>
        c.aspects.map((a) => {
          const row = result.rows.find((r) => r.id === a.id)!;
          const current = row.marks.filter((m) => m.round === row.round);
          return {
            id: a.id,
            criterion: c.code,
            description: a.description,
            kind: a.kind,
            maxMark: a.maxMark,
            mark: row.mark,
            descriptors: a.kind === "judgement" ? ((a.descriptors as string[] | null) ?? []) : [],
            feedback: current.map((m) => m.feedback).filter(Boolean),
          };
        }),
      ),
    ),
  };
}

/** Does a task lesson wait for marking before it counts complete? */
export async function lessonHasScheme(lessonId: string) {
  return (await prisma.markingScheme.count({ where: { lessonId } })) > 0;
}

// Training programmes and their hours ledger (issue 12). Who may see a programme: the admins
// of its school (and platform admins), resolved from the database. The ledger (HoursEntry) is
// append-only: rebuildLedger appends the difference between what the rules credit now and
// what the ledger holds; corrections are entries of their own with a reason.
import type { Prisma } from "@prisma/client";
import { prisma } from "~/domains/db.server";
import type { AuthUser } from "~/domains/auth/roles";
import { recordAudit } from "~/domains/audit/audit.server";
import { administeredOrgIds, canAdministerOrg, isVerifiedOrg } from "~/domains/schools/permissions.server";
import { isRecordId } from "~/domains/schools/ids";
import {
  creditLiveSeconds,
  creditAssessments,
  creditTextLessons,
  creditVideoSeconds,
  daysAttended,
  subsidyFor,
  toMinutes,
  type SubsidyAmounts,
} from "./ledger";
import type { ProgrammeInput } from "./validation";

type Actor = Pick<AuthUser, "id" | "role" | "name">;
const notFound = () => new Response("Not found", { status: 404 });

export async function listProgrammes(user: Actor) {
  const orgIds = await administeredOrgIds(user);
  return prisma.trainingProgramme.findMany({
    where: { orgId: { in: orgIds } },
    orderBy: { createdAt: "desc" },
    include: { org: { select: { name: true } }, cohort: { select: { name: true, _count: { select: { members: true } } } } },
  });
}

/** The programme if the user administers its school; otherwise 404 (its existence stays hidden). */
export async function requireProgrammeAdmin(user: Actor, programmeId: string) {
  const programme = isRecordId(programmeId)
    ? await prisma.trainingProgramme.findUnique({
        where: { id: programmeId },
        include: { org: { select: { name: true, verifiedAt: true } }, cohort: { select: { name: true } }, courses: { include: { course: { select: { id: true, title: true } } } } },
      })
    : null;
  if (!programme || !(await canAdministerOrg(user, programme.orgId))) throw notFound();
  return programme;
}

/** Classes and courses a school admin may choose from when creating a programme. */
export async function programmeChoices(user: Actor) {
  const orgIds = await administeredOrgIds(user);
  const [cohorts, courses] = await Promise.all([
    prisma.cohort.findMany({ where: { orgId: { in: orgIds } }, orderBy: { name: "asc" }, select: { id: true, name: true, org: { select: { name: true } } } }),
    prisma.course.findMany({ where: { status: "published" }, orderBy: { title: "asc" }, select: { id: true, title: true }, take: 500 }),
  ]);
  return { cohorts, courses };
}

export async function createProgramme(user: Actor, input: ProgrammeInput) {
  const cohort = isRecordId(input.cohortId) ? await prisma.cohort.findUnique({ where: { id: input.cohortId } }) : null;
  if (!cohort || !(await canAdministerOrg(user, cohort.orgId))) return { error: "errors.cohort" as const };
  // Subsidy programmes only for a verified organisation (issue 10, decision 021).
  if (!(await isVerifiedOrg(cohort.orgId))) return { error: "errors.orgUnverified" as const };
  const courseIds = [...new Set(input.courseIds)].filter(isRecordId);
  const courses = await prisma.course.findMany({ where: { id: { in: courseIds }, status: "published" }, select: { id: true } });
  if (courses.length !== courseIds.length) return { error: "errors.courses" as const };
  const { courseIds: _c, cohortId: _h, ...fields } = input;
  const programme = await prisma.$transaction(async (tx) => {
    const created = await tx.trainingProgramme.create({
      data: { ...fields, orgId: cohort.orgId, cohortId: cohort.id, courses: { create: courses.map((c) => ({ courseId: c.id })) } },
    });
    await recordAudit(tx, {
      actor: { id: user.id, name: user.name },
      orgId: cohort.orgId,
      action: "records.programme_create",
      subjectType: "TrainingProgramme",
      subjectId: created.id,
      after: { ...fields, cohortId: cohort.id, courseIds: courses.map((c) => c.id) },
    });
    return created;
  });
  return { programme };
}

// ─────────────────────────── the ledger ───────────────────────────

type Source = "lesson" | "live" | "assessment";
const keyOf = (userId: string, source: string, sourceId: string, day: string) => `${userId}|${source}|${sourceId}|${day}`;

/** What the rules credit now for every learner of the programme: key → minutes. */
async function creditedNow(db: Prisma.TransactionClient, programmeId: string) {
  const programme = await db.trainingProgramme.findUniqueOrThrow({ where: { id: programmeId }, include: { courses: true, cohort: { include: { members: true } } } });
  const userIds = programme.cohort.members.map((m) => m.userId);
  const courseIds = programme.courses.map((c) => c.courseId);
  const inRange = (day: string) => day >= programme.startDate && day <= programme.endDate;
  const target = new Map<string, { userId: string; source: Source; sourceId: string; day: string; minutes: number }>();
  const put = (userId: string, source: Source, sourceId: string, day: string, minutes: number) => {
    if (!inRange(day) || minutes <= 0) return;
    const key = keyOf(userId, source, sourceId, day);
    const prev = target.get(key);
    target.set(key, { userId, source, sourceId, day, minutes: (prev?.minutes ?? 0) + minutes });
  };
  if (userIds.length === 0) return { programme, target };

  const lessons = await db.lesson.findMany({
    where: { module: { courseId: { in: courseIds } } },
    select: { id: true, kind: true, asset: { select: { durationSeconds: true } } },
  });
  const textLessons = lessons.filter((l) => l.kind === "text" || l.kind === "material").map((l) => l.id);
  const videoLessons = new Map(lessons.filter((l) => l.kind === "video").map((l) => [l.id, l.asset?.durationSeconds ?? 0]));

  const completions = await db.lessonProgress.findMany({
    where: { userId: { in: userIds }, lessonId: { in: textLessons }, completedAt: { not: null } },
    select: { userId: true, lessonId: true, completedAt: true },
  });
  for (const userId of userIds) {
    const mine = completions.filter((c) => c.userId === userId).map((c) => ({ lessonId: c.lessonId, completedAt: c.completedAt! }));
    for (const c of creditTextLessons(mine, programme.lessonMinutes)) put(userId, "lesson", c.lessonId, c.day, c.minutes);
  }

  const ranges = await db.playedRange.findMany({
    where: { userId: { in: userIds }, lessonId: { in: [...videoLessons.keys()] } },
    orderBy: { receivedAt: "asc" },
  });
  const byLearnerLesson = new Map<string, typeof ranges>();
  for (const r of ranges) {
    const k = `${r.userId}|${r.lessonId}`;
    byLearnerLesson.set(k, [...(byLearnerLesson.get(k) ?? []), r]);
  }
  for (const [k, rows] of byLearnerLesson) {
    const [userId, lessonId] = k.split("|");
    const perDay = creditVideoSeconds(
      rows.map((r) => ({ from: r.fromSecond, to: r.toSecond, receivedAt: r.receivedAt })),
      videoLessons.get(lessonId) ?? 0,
    );
    for (const [day, minutes] of toMinutes(perDay)) put(userId, "lesson", lessonId, day, minutes);
  }

  // Practical tasks: their configured duration when the hand-in came in time (the cohort's
  // assignment of the course sets the deadline).
  const taskLessons = await db.lesson.findMany({
    where: { kind: "task", module: { courseId: { in: courseIds } } },
    select: { id: true, durationMinutes: true, module: { select: { courseId: true } } },
  });
  if (taskLessons.length) {
    const deadlines = new Map(
      (await db.assignment.findMany({ where: { cohortId: programme.cohortId, courseId: { in: courseIds } }, select: { courseId: true, dueAt: true } })).map((a) => [a.courseId, a.dueAt]),
    );
    const tasks = new Map(taskLessons.map((l) => [l.id, { minutes: l.durationMinutes, dueAt: deadlines.get(l.module.courseId) ?? null }]));
    const handIns = await db.taskSubmission.findMany({
      where: { userId: { in: userIds }, lessonId: { in: [...tasks.keys()] }, competitionId: null },
      select: { userId: true, lessonId: true, createdAt: true },
    });
    for (const userId of userIds) {
      const mine = handIns.filter((h) => h.userId === userId).map((h) => ({ lessonId: h.lessonId, submittedAt: h.createdAt }));
      for (const c of creditAssessments(mine, tasks)) put(userId, "assessment", c.lessonId, c.day, c.minutes);
    }
  }

  // Mock competitions on a task of the programme's courses: the competition's duration (its
  // modules', else the task's) for a hand-in within its window, once per competition.
  const competitions = await db.competition.findMany({
    where: { lesson: { module: { courseId: { in: courseIds } } }, cancelledAt: null, participants: { some: { userId: { in: userIds } } } },
    select: {
      id: true,
      endsAt: true,
      lesson: { select: { durationMinutes: true } },
      modules: { select: { durationMinutes: true } },
      submissions: { where: { userId: { in: userIds } }, select: { userId: true, createdAt: true } },
    },
  });
  for (const c of competitions) {
    const minutes = c.modules.reduce((n, m) => n + m.durationMinutes, 0) || c.lesson.durationMinutes;
    const window = new Map([[c.id, { minutes, dueAt: c.endsAt }]]);
    for (const userId of new Set(c.submissions.map((h) => h.userId))) {
      const mine = c.submissions.filter((h) => h.userId === userId).map((h) => ({ lessonId: c.id, submittedAt: h.createdAt }));
      for (const credit of creditAssessments(mine, window)) put(userId, "assessment", c.id, credit.day, credit.minutes);
    }
  }

  const sessions = await db.liveSession.findMany({
    where: { OR: [{ cohortId: programme.cohortId }, { courseId: { in: courseIds } }], status: { not: "cancelled" } },
    select: { id: true, startsAt: true, endsAt: true, attendances: { where: { userId: { in: userIds } } } },
  });
  for (const s of sessions) {
    for (const userId of new Set(s.attendances.map((a) => a.userId))) {
      const perDay = creditLiveSeconds(s.attendances.filter((a) => a.userId === userId), { start: s.startsAt, end: s.endsAt });
      for (const [day, minutes] of toMinutes(perDay)) put(userId, "live", s.id, day, minutes);
    }
  }
  return { programme, target };
}

/**
 * Brings the ledger up to date: for every (learner, source, item, day) appends the difference
 * between what the rules credit now and the sum already in the ledger. Idempotent; returns the
 * number of entries appended.
 */
export async function rebuildLedger(programmeId: string) {
  return prisma.$transaction(
    async (tx) => {
      // One rebuild of a programme at a time.
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${"ledger:" + programmeId}))`;
      const { target } = await creditedNow(tx, programmeId);
      const existing = await tx.hoursEntry.groupBy({
        by: ["userId", "source", "sourceId", "day"],
        where: { programmeId, source: { not: "correction" } },
        _sum: { minutes: true },
      });
      const held = new Map(existing.map((e) => [keyOf(e.userId, e.source, e.sourceId, e.day), { ...e, minutes: e._sum.minutes ?? 0 }]));
      const rows: Prisma.HoursEntryCreateManyInput[] = [];
      for (const [key, t] of target) {
        const diff = t.minutes - (held.get(key)?.minutes ?? 0);
        if (diff !== 0) rows.push({ programmeId, userId: t.userId, source: t.source, sourceId: t.sourceId, day: t.day, minutes: diff });
      }
      for (const [key, h] of held) {
        if (!target.has(key) && h.minutes !== 0) {
          rows.push({ programmeId, userId: h.userId, source: h.source, sourceId: h.sourceId, day: h.day, minutes: -h.minutes, reason: "rebuild: no longer credited" });
        }
      }
      if (rows.length) await tx.hoursEntry.createMany({ data: rows });
      return rows.length;
    },
    { timeout: 60_000 },
  );
}

/** A correction by a school admin: a new entry with a reason, audited. */
export async function addCorrection(user: Actor, programmeId: string, input: { userId: string; day: string; minutes: number; reason: string }) {
  const programme = await requireProgrammeAdmin(user, programmeId);
  const member = isRecordId(input.userId)
    ? await prisma.cohortMember.findUnique({ where: { cohortId_userId: { cohortId: programme.cohortId, userId: input.userId } } })
    : null;
  if (!member) return { error: "errors.learner" as const };
  await prisma.$transaction(async (tx) => {
    const entry = await tx.hoursEntry.create({
      data: { programmeId, userId: input.userId, source: "correction", sourceId: user.id, day: input.day, minutes: input.minutes, reason: input.reason, createdById: user.id },
    });
    await recordAudit(tx, {
      actor: { id: user.id, name: user.name },
      orgId: programme.orgId,
      action: "records.hours_correction",
      subjectType: "HoursEntry",
      subjectId: entry.id,
      after: { userId: input.userId, day: input.day, minutes: input.minutes },
      reason: input.reason,
    });
  });
  return { ok: true as const };
}

// ─────────────────────────── totals ───────────────────────────

export interface LearnerTotals {
  userId: string;
  name: string;
  lesson: number;
  live: number;
  assessment: number;
  correction: number;
  total: number;
  days: number;
  subsidy: SubsidyAmounts;
}

/** Per learner of the programme's class: minutes by source, days attended, subsidy (fen). */
/** Each learner's minutes by source, days attended and subsidy; only the days of `period` when given. */
export async function programmeTotals(programmeId: string, period: { from?: string; to?: string } = {}) {
  const programme = await prisma.trainingProgramme.findUniqueOrThrow({
    where: { id: programmeId },
    include: { cohort: { include: { members: { include: { user: { select: { id: true, name: true } } } } } } },
  });
  const day = period.from || period.to ? { ...(period.from ? { gte: period.from } : {}), ...(period.to ? { lte: period.to } : {}) } : undefined;
  const entries = await prisma.hoursEntry.groupBy({ by: ["userId", "source", "day"], where: { programmeId, ...(day ? { day } : {}) }, _sum: { minutes: true } });
  const learners: LearnerTotals[] = programme.cohort.members
    .map((m) => {
      const mine = entries.filter((e) => e.userId === m.userId);
      const bySource = (s: string) => mine.filter((e) => e.source === s).reduce((sum, e) => sum + (e._sum.minutes ?? 0), 0);
      const perDay = new Map<string, number>();
      for (const e of mine) perDay.set(e.day, (perDay.get(e.day) ?? 0) + (e._sum.minutes ?? 0));
      const lesson = bySource("lesson");
      const live = bySource("live");
      const assessment = bySource("assessment");
      const correction = bySource("correction");
      const total = Math.max(0, lesson + live + assessment + correction);
      const days = daysAttended(perDay, programme.minMinutesPerDay).length;
      return { userId: m.userId, name: m.user.name, lesson, live, assessment, correction, total, days, subsidy: subsidyFor(total, days, programme) };
    })
    .sort((a, b) => a.name.localeCompare(b.name, "zh-CN"));
  const sum = (f: (l: LearnerTotals) => number) => learners.reduce((s, l) => s + f(l), 0);
  const totals = {
    learners: learners.length,
    lesson: sum((l) => l.lesson),
    live: sum((l) => l.live),
    assessment: sum((l) => l.assessment),
    correction: sum((l) => l.correction),
    total: sum((l) => l.total),
    days: sum((l) => l.days),
    perLearner: sum((l) => l.subsidy.perLearner),
    hours: sum((l) => l.subsidy.hours),
    living: sum((l) => l.subsidy.living),
    subsidy: sum((l) => l.subsidy.total),
  };
  return { programme, learners, totals };
}

/** A learner's own record: every programme they are in, minutes by source and day. */
export async function learnerRecords(userId: string) {
  const entries = await prisma.hoursEntry.groupBy({ by: ["programmeId", "source", "day"], where: { userId }, _sum: { minutes: true }, orderBy: { day: "asc" } });
  const programmeIds = [...new Set(entries.map((e) => e.programmeId))];
  const programmes = await prisma.trainingProgramme.findMany({
    where: { id: { in: programmeIds } },
    select: { id: true, title: true, occupation: true, startDate: true, endDate: true, minMinutesPerDay: true, org: { select: { name: true } } },
  });
  return programmes.map((p) => {
    const mine = entries.filter((e) => e.programmeId === p.id);
    const days = new Map<string, { lesson: number; live: number; assessment: number; correction: number; total: number }>();
    for (const e of mine) {
      const d = days.get(e.day) ?? { lesson: 0, live: 0, assessment: 0, correction: 0, total: 0 };
      const m = e._sum.minutes ?? 0;
      d[e.source] += m;
      d.total += m;
      days.set(e.day, d);
    }
    const rows = [...days].map(([day, d]) => ({ day, ...d, attended: d.total >= Math.max(1, p.minMinutesPerDay) }));
    const total = rows.reduce((s, r) => s + r.total, 0);
    return { ...p, orgName: p.org.name, rows, total, daysAttended: rows.filter((r) => r.attended).length };
  });
}

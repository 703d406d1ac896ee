// Mock competitions (docs/assessment.md "Mock competitions", decision 023). The test
// project's marking scheme is a task lesson's MarkingScheme; a hand-in is a TaskSubmission with
// competitionId set, marked by the competition's markers on the ordinary marking pages
// (marking.server.ts). Results are released for the whole field at once: ResultRelease rows,
// certificates and `competitionResult` notices in one transaction. Permissions from the
// database: the creator (or a platform admin) manages; participants see their own; markers mark.
import type { Prisma } from "@prisma/client";
import { prisma } from "~/domains/db.server";
import type { AuthUser } from "~/domains/auth/roles";
import { recordAudit } from "~/domains/audit/audit.server";
import { createNotices, deliver, type MailMessage } from "~/domains/notifications/notify.server";
import { translator } from "~/domains/notifications/translate.server";
import { issueCertificate } from "~/domains/certificates/certificates.server";
import { administeredOrgIds, isVerifiedOrg, ORG_UNVERIFIED, requireCohortAdmin } from "~/domains/schools/permissions.server";
import { toLocalInput, zonedTimeToUtc } from "~/domains/scheduling/tz";
import { resultOf, submissionsWithScheme, toInput, treeInclude } from "./marking.server";
import { round2, validateScheme } from "./scheme";
import { computeStanding, median, standardDeviation, type Medal } from "./standing";
import { resultsCsv, resultsTable, resultsXlsx } from "./results-export.server";
import { competitionCreateLimiter } from "./limits.server";
import { competitionPhase, distribution, editRefusal, handInRefusal, releaseRefusal, removalRefusal, requiredMarkers, sameMinute } from "./competition";
import type { CompetitionEditForm, CompetitionForm } from "./validation";
import { fileDownload } from "~/utils/download.server";

type Actor = Pick<AuthUser, "id" | "role" | "name">;

/** A refusal the page shows: `key` is a translation key of the assessment namespace. */
export class CompetitionError extends Error {
  constructor(
    public readonly key: string,
    public readonly status = 400,
    public readonly params: Record<string, string | number> = {},
  ) {
    super(key);
  }
}

const notFound = () => new Response("Not found", { status: 404 });

export function canCreateCompetitions(user: Pick<AuthUser, "role">) {
  return user.role === "expert" || user.role === "school_admin" || user.role === "admin";
}

/** The verified school a school admin creates competitions for (null for experts and platform admins). */
async function creatorOrg(user: Actor) {
  if (user.role !== "school_admin") return null;
  for (const orgId of await administeredOrgIds(user)) if (await isVerifiedOrg(orgId)) return orgId;
  throw new Response(ORG_UNVERIFIED, { status: 403, headers: { "Content-Type": "text/plain; charset=utf-8" } });
}

/**
 * Test projects the user may use: task lessons with a marking scheme that adds up. An expert:
 * the task lessons of courses they write; a school admin: those of published courses.
 */
export async function testProjectOptions(user: Actor) {
  const where: Prisma.LessonWhereInput = {
    kind: "task",
    markingScheme: { isNot: null },
    module: { course: user.role === "expert" ? { authors: { some: { userId: user.id } } } : user.role === "admin" ? {} : { status: "published" } },
  };
  const lessons = await prisma.lesson.findMany({
    where,
    orderBy: [{ module: { course: { title: "asc" } } }, { position: "asc" }],
    take: 200,
    select: { id: true, title: true, module: { select: { course: { select: { title: true } } } }, markingScheme: { include: treeInclude } },
  });
  return lessons.flatMap((l) => {
    const input = toInput(l.markingScheme!);
    if (validateScheme(input).length || !input.sections.length) return [];
    return [{ id: l.id, title: l.title, course: l.module.course.title, minMarkers: requiredMarkers(input) }];
  });
}

/** The cohorts a school admin may enter as a whole (their verified school's). */
export async function cohortOptions(user: Actor) {
  if (user.role !== "school_admin" && user.role !== "admin") return [];
  const orgIds = await administeredOrgIds(user);
  if (!orgIds.length) return [];
  return prisma.cohort.findMany({ where: { orgId: { in: orgIds }, org: { verifiedAt: { not: null } } }, orderBy: { name: "asc" }, take: 200, select: { id: true, name: true, _count: { select: { members: true } } } });
}

function localToUtc(value: string, timeZone: string) {
  const [date, time] = value.split("T");
  const [h, m] = time.split(":").map(Number);
  const at = zonedTimeToUtc(date, h * 60 + m, timeZone);
  if (Number.isNaN(at.getTime())) throw new CompetitionError("competitions.errors.badDate");
  return at;
}

/** Participants: learners by e-mail (a school admin: only their school's learners) and/or a whole cohort. */
async function resolveParticipants(user: Actor, orgId: string | null, form: Pick<CompetitionForm, "participantEmails" | "cohortId">) {
  const participantIds = new Set<string>();
  if (form.participantEmails.length) {
    const learners = await prisma.user.findMany({
      where: { email: { in: form.participantEmails }, role: "learner", ...(orgId ? { memberships: { some: { orgId, role: "learner" } } } : {}) },
      select: { id: true, email: true },
    });
    const missing = form.participantEmails.filter((e) => !learners.some((l) => l.email === e));
    if (missing.length) throw new CompetitionError("competitions.errors.unknownLearners", 400, { emails: missing.slice(0, 5).join(", ") });
    for (const l of learners) participantIds.add(l.id);
  }
  if (form.cohortId) {
    if (!orgId && user.role !== "admin") throw new CompetitionError("competitions.errors.cohortSchoolOnly");
    let cohort;
    try {
      cohort = await requireCohortAdmin(user, form.cohortId);
    } catch {
      throw new CompetitionError("competitions.errors.noSuchCohort");
    }
    const members = await prisma.cohortMember.findMany({ where: { cohortId: cohort.id }, select: { userId: true } });
    for (const m of members) participantIds.add(m.userId);
  }
  return participantIds;
}

/** Markers: experts by e-mail; an address that is not an expert's is an error. */
async function resolveMarkers(emails: string[]) {
  const markers = emails.length ? await prisma.user.findMany({ where: { email: { in: emails }, role: "expert" }, select: { id: true, email: true } }) : [];
  const unknown = emails.filter((e) => !markers.some((m) => m.email === e));
  if (unknown.length) throw new CompetitionError("competitions.errors.unknownMarkers", 400, { emails: unknown.slice(0, 5).join(", ") });
  return markers;
}

export async function createCompetition(user: Actor & { timeZone: string }, form: CompetitionForm, modules: Array<{ title: string; minutes: number }> = [], now = new Date()) {
  if (!canCreateCompetitions(user)) throw new Response("Forbidden", { status: 403 });
  const orgId = await creatorOrg(user);
  const startsAt = localToUtc(form.startsAt, user.timeZone);
  const endsAt = localToUtc(form.endsAt, user.timeZone);
  const releaseAt = form.releaseAt ? localToUtc(form.releaseAt, user.timeZone) : null;
  if (endsAt <= startsAt) throw new CompetitionError("competitions.errors.endBeforeStart");
  if (endsAt <= now) throw new CompetitionError("competitions.errors.endInPast");
  if (releaseAt && releaseAt < endsAt) throw new CompetitionError("competitions.errors.releaseBeforeEnd");

  const project = (await testProjectOptions(user)).find((p) => p.id === form.lessonId);
  if (!project) throw new CompetitionError("competitions.errors.projectRequired");

  const participantIds = await resolveParticipants(user, orgId, form);
  if (!participantIds.size) throw new CompetitionError("competitions.errors.noParticipants");
  const markers = await resolveMarkers(form.markerEmails);
  if (markers.length < project.minMarkers) throw new CompetitionError("competitions.errors.tooFewMarkers", 400, { min: project.minMarkers, count: markers.length });
  // Only a valid competition takes a point (a form with a typo costs nothing).
  const limit = await competitionCreateLimiter.consume(user.id);
  if (!limit.ok) throw new CompetitionError("competitions.errors.tooMany", 429, { minutes: Math.ceil(limit.retryAfterSeconds / 60) });

  const { competition, mails } = await prisma.$transaction(async (tx) => {
    const competition = await tx.competition.create({
      data: {
        title: form.title,
        description: form.description,
        lessonId: project.id,
        createdById: user.id,
        orgId,
        startsAt,
        endsAt,
        releaseAt,
        briefingUrl: form.briefingUrl,
        modules: { create: modules.map((m, i) => ({ title: m.title, durationMinutes: m.minutes, position: i })) },
        participants: { create: [...participantIds].map((userId) => ({ userId })) },
        markers: { create: markers.map((m) => ({ userId: m.id })) },
      },
    });
    await recordAudit(tx, {
      actor: user,
      orgId,
      action: "assessment.competition.create",
      subjectType: "Competition",
      subjectId: competition.id,
      after: { title: form.title, lessonId: project.id, startsAt, endsAt, releaseAt, participants: participantIds.size, markers: markers.length },
    });
    const mails = await createNotices(tx, [
      ...[...participantIds].map((userId) => ({ userId, kind: "competitionInvited", url: `/competitions/${competition.id}`, params: { title: form.title }, when: { start: startsAt, end: endsAt } })),
      ...markers.map((m) => ({ userId: m.id, kind: "competitionMarker", url: `/competitions/${competition.id}`, params: { title: form.title }, when: { start: startsAt, end: endsAt } })),
    ]);
    return { competition, mails };
  });
  deliver(mails);
  return competition;
}

const competitionInclude = {
  lesson: { select: { id: true, title: true, module: { select: { course: { select: { title: true } } } } } },
  createdBy: { select: { id: true, name: true } },
  org: { select: { name: true } },
  modules: { orderBy: { position: "asc" } },
  markers: { include: { user: { select: { id: true, name: true } } } },
  files: { include: { asset: { select: { id: true, originalName: true, sizeBytes: true } } } },
  _count: { select: { participants: true } },
} satisfies Prisma.CompetitionInclude;

export type CompetitionRole = "creator" | "marker" | "participant";

/** The competition and what the user is in it; 404 for everyone else (its existence stays hidden). */
export async function loadCompetition(user: Actor, competitionId: string) {
  const c = await prisma.competition.findUnique({ where: { id: competitionId }, include: competitionInclude });
  if (!c) throw notFound();
  let role: CompetitionRole | null = null;
  if (c.createdById === user.id || user.role === "admin") role = "creator";
  else if (c.markers.some((m) => m.userId === user.id)) role = "marker";
  else if (await prisma.competitionParticipant.findUnique({ where: { competitionId_userId: { competitionId, userId: user.id } } })) role = "participant";
  if (!role) throw notFound();
  return { competition: c, role };
}

async function requireCreator(user: Actor, competitionId: string) {
  const loaded = await loadCompetition(user, competitionId);
  if (loaded.role !== "creator") throw new Response("Forbidden", { status: 403 });
  return loaded.competition;
}

/** The competitions page: what the user takes part in, marks, or created. */
export async function competitionsForUser(user: Actor) {
  const rows = await prisma.competition.findMany({
    where: { OR: [{ createdById: user.id }, { markers: { some: { userId: user.id } } }, { participants: { some: { userId: user.id } } }] },
    orderBy: { startsAt: "desc" },
    take: 100,
    select: { id: true, title: true, startsAt: true, endsAt: true, releasedAt: true, releaseAt: true, cancelledAt: true, createdById: true, markers: { where: { userId: user.id }, select: { userId: true } } },
  });
  for (const r of rows) if (!r.releasedAt) await autoReleaseIfDue(r.id);
  const released = new Map((await prisma.competition.findMany({ where: { id: { in: rows.map((r) => r.id) } }, select: { id: true, releasedAt: true } })).map((r) => [r.id, r.releasedAt]));
  return rows.map((r) => ({
    id: r.id,
    title: r.title,
    startsAt: r.startsAt,
    endsAt: r.endsAt,
    phase: competitionPhase(r),
    cancelled: r.cancelledAt !== null,
    released: released.get(r.id) != null,
    role: (r.createdById === user.id ? "creator" : r.markers.length ? "marker" : "participant") as CompetitionRole,
  }));
}

/** The detail page: the test project for everyone involved; the user's own hand-in; the creator's overview. */
export async function competitionView(user: Actor, competitionId: string, now = new Date()) {
  await loadCompetition(user, competitionId); // 404 for the uninvolved before anything else runs
  await autoReleaseIfDue(competitionId, now);
  const { competition: c, role } = await loadCompetition(user, competitionId);
  const mine = role === "participant" ? await prisma.taskSubmission.findUnique({ where: { competitionId_userId: { competitionId, userId: user.id } }, select: { id: true, body: true, createdAt: true, asset: { select: { id: true, originalName: true } } } }) : null;
  const overview =
    role === "creator"
      ? await (async () => {
          const [participants, subs] = await Promise.all([
            prisma.competitionParticipant.findMany({ where: { competitionId }, include: { user: { select: { id: true, name: true } } }, orderBy: { createdAt: "asc" } }),
            submissionsWithScheme({ competitionId }),
          ]);
          return participants.map((p) => {
            const sub = subs.find((s) => s.userId === p.userId);
            const r = sub ? resultOf(sub) : null;
            return { id: p.user.id, name: p.user.name, handedIn: sub?.createdAt ?? null, complete: r?.complete ?? false, flagged: r?.flagged ?? 0, total: r?.total ?? null, max: r?.max ?? null };
          });
        })()
      : null;
  return {
    role,
    phase: competitionPhase(c, now),
    competition: {
      id: c.id,
      title: c.title,
      description: c.description,
      startsAt: c.startsAt,
      endsAt: c.endsAt,
      releaseAt: c.releaseAt,
      releasedAt: c.releasedAt,
      cancelledAt: c.cancelledAt,
      cancelReason: c.cancelReason,
      briefingUrl: c.briefingUrl,
      project: `${c.lesson.module.course.title} · ${c.lesson.title}`,
      creator: c.createdBy.name,
      org: c.org?.name ?? null,
      participants: c._count.participants,
      modules: c.modules.map((m) => ({ id: m.id, title: m.title, minutes: m.durationMinutes })),
      markers: c.markers.map((m) => m.user.name),
      files: c.files.map((f) => ({ id: f.asset.id, name: f.asset.originalName, size: Number(f.asset.sizeBytes) })),
    },
    mine,
    overview,
  };
}

/** Refuses before any byte is stored: only a participant, only within the window, only once. */
export async function assertCanHandIn(user: Actor, competitionId: string, now = new Date()) {
  const { competition, role } = await loadCompetition(user, competitionId);
  if (role !== "participant") throw new Response("Only participants hand in", { status: 403 });
  const refusal = handInRefusal(competition, now);
  if (refusal) throw new CompetitionError(refusal, 409);
  if (await prisma.taskSubmission.count({ where: { competitionId, userId: user.id } })) throw new CompetitionError("competitions.errors.alreadyHandedIn", 409);
  return competition;
}

/** The hand-in itself; the window is checked again when it has fully arrived. */
export async function handInToCompetition(user: Actor, competitionId: string, body: string, assetId: string | null, now = () => new Date()) {
  const competition = await assertCanHandIn(user, competitionId, now());
  try {
    return await prisma.taskSubmission.create({ data: { lessonId: competition.lessonId, competitionId, userId: user.id, body, assetId } });
  } catch (e) {
    if ((e as { code?: string }).code === "P2002") throw new CompetitionError("competitions.errors.alreadyHandedIn", 409);
    throw e;
  }
}

/** The creator attaches a test-project file (before the end of the window). */
export async function assertCanAddFile(user: Actor, competitionId: string, now = new Date()) {
  const c = await requireCreator(user, competitionId);
  if (c.cancelledAt) throw new CompetitionError("competitions.errors.cancelled", 409);
  if (competitionPhase(c, now) === "closed") throw new CompetitionError("competitions.errors.ended", 409);
  return c;
}

export async function addCompetitionFile(user: Actor, competitionId: string, assetId: string) {
  await assertCanAddFile(user, competitionId);
  await prisma.$transaction(async (tx) => {
    await tx.competitionFile.create({ data: { competitionId, assetId } });
    await recordAudit(tx, { actor: user, action: "assessment.competition.file", subjectType: "Competition", subjectId: competitionId, after: { assetId } });
  });
}

/** The edit form's values (times as datetime-local in the editor's zone) and what may still change. */
export async function competitionForEdit(user: Actor & { timeZone: string }, competitionId: string, now = new Date()) {
  const c = await requireCreator(user, competitionId);
  const phase = competitionPhase(c, now);
  return {
    id: c.id,
    title: c.title,
    phase,
    cancelled: c.cancelledAt !== null,
    released: c.releasedAt !== null,
    project: `${c.lesson.module.course.title} · ${c.lesson.title}`,
    participants: c._count.participants,
    markers: c.markers.map((m) => m.user.name),
    orgId: c.orgId,
    values: {
      title: c.title,
      description: c.description,
      startsAt: toLocalInput(c.startsAt, user.timeZone).slice(0, 16),
      endsAt: toLocalInput(c.endsAt, user.timeZone).slice(0, 16),
      releaseAt: toLocalInput(c.releaseAt, user.timeZone).slice(0, 16),
      briefingUrl: c.briefingUrl,
    },
  };
}

/**
 * The creator changes the competition: title, description, window (editRefusal says what is
 * still open), release time, briefing; adds competitors (not after the window) and markers.
 * Competitors and markers are told when the window moves; the newly added get their invitation.
 */
export async function updateCompetition(user: Actor & { timeZone: string }, competitionId: string, form: CompetitionEditForm, now = new Date()) {
  const c = await requireCreator(user, competitionId);
  // A time left as it was keeps its stored instant (the form has no seconds).
  const asForm = (value: string, stored: Date | null) => {
    const at = localToUtc(value, user.timeZone);
    return stored && sameMinute(at, stored) ? stored : at;
  };
  const startsAt = asForm(form.startsAt, c.startsAt);
  const endsAt = asForm(form.endsAt, c.endsAt);
  const releaseAt = form.releaseAt ? asForm(form.releaseAt, c.releaseAt) : null;
  const refusal = editRefusal(c, { startsAt, endsAt }, now);
  if (refusal) throw new CompetitionError(refusal, refusal === "competitions.errors.cancelled" || refusal === "competitions.errors.alreadyReleased" ? 409 : 400);
  if (releaseAt && releaseAt < endsAt) throw new CompetitionError("competitions.errors.releaseBeforeEnd");

  const wanted = await resolveParticipants(user, c.orgId, form);
  const existing = new Set((await prisma.competitionParticipant.findMany({ where: { competitionId }, select: { userId: true } })).map((p) => p.userId));
  const newParticipants = [...wanted].filter((id) => !existing.has(id));
  if (newParticipants.length && competitionPhase(c, now) === "closed") throw new CompetitionError("competitions.errors.ended", 409);
  const markerRows = await resolveMarkers(form.markerEmails);
  const newMarkers = markerRows.filter((m) => !c.markers.some((x) => x.userId === m.id) && !wanted.has(m.id));
  const moved = startsAt.getTime() !== c.startsAt.getTime() || endsAt.getTime() !== c.endsAt.getTime();

  const mails = await prisma.$transaction(async (tx) => {
    await tx.competition.update({
      where: { id: competitionId },
      data: {
        title: form.title,
        description: form.description,
        startsAt,
        endsAt,
        releaseAt,
        briefingUrl: form.briefingUrl,
        participants: { create: newParticipants.map((userId) => ({ userId })) },
        markers: { create: newMarkers.map((m) => ({ userId: m.id })) },
      },
    });
    await recordAudit(tx, {
      actor: user,
      orgId: c.orgId,
      action: "assessment.competition.update",
      subjectType: "Competition",
      subjectId: competitionId,
      before: { title: c.title, startsAt: c.startsAt, endsAt: c.endsAt, releaseAt: c.releaseAt, briefingUrl: c.briefingUrl },
      after: { title: form.title, startsAt, endsAt, releaseAt, briefingUrl: form.briefingUrl, addedParticipants: newParticipants.length, addedMarkers: newMarkers.length },
    });
    const when = { start: startsAt, end: endsAt };
    const url = `/competitions/${competitionId}`;
    return createNotices(tx, [
      ...(moved ? [...existing, ...c.markers.map((m) => m.userId)].map((userId) => ({ userId, kind: "competitionChanged", url, params: { title: form.title }, when })) : []),
      ...newParticipants.map((userId) => ({ userId, kind: "competitionInvited", url, params: { title: form.title }, when })),
      ...newMarkers.map((m) => ({ userId: m.id, kind: "competitionMarker", url, params: { title: form.title }, when })),
    ]);
  });
  deliver(mails);
  return { addedParticipants: newParticipants.length, addedMarkers: newMarkers.length };
}

/**
 * The creator calls the competition off (any time before its results are released): hand-ins
 * and release are refused from then on, the hand-ins already made are kept, and every
 * competitor and marker is told why.
 */
export async function cancelCompetition(user: Actor, competitionId: string, reason: string, now = new Date()) {
  const c = await requireCreator(user, competitionId);
  if (c.releasedAt) throw new CompetitionError("competitions.errors.alreadyReleased", 409);
  const mails = await prisma.$transaction(async (tx) => {
    const claimed = await tx.competition.updateMany({ where: { id: competitionId, cancelledAt: null, releasedAt: null }, data: { cancelledAt: now, cancelReason: reason } });
    if (claimed.count !== 1) throw new CompetitionError("competitions.errors.cancelled", 409);
    await recordAudit(tx, { actor: user, orgId: c.orgId, action: "assessment.competition.cancel", subjectType: "Competition", subjectId: competitionId, after: { reason } });
    const participants = await tx.competitionParticipant.findMany({ where: { competitionId }, select: { userId: true } });
    return createNotices(
      tx,
      [...participants.map((p) => p.userId), ...c.markers.map((m) => m.userId)].map((userId) => ({ userId, kind: "competitionCancelled", url: `/competitions/${competitionId}`, params: { title: c.title, reason } })),
    );
  });
  deliver(mails);
}

/**
 * The creator removes one competitor before the start (removalRefusal; decision 034): the
 * participant row goes, the competition disappears from their pages and the server refuses
 * their hand-in (they are no longer involved: 404). They are told, with an audit entry.
 */
export async function removeParticipant(user: Actor, competitionId: string, participantId: string, now = new Date()) {
  const c = await requireCreator(user, competitionId);
  const refusal = removalRefusal(c, now);
  if (refusal) throw new CompetitionError(refusal, 409);
  const mails = await prisma.$transaction(async (tx) => {
    // Nothing can have been handed in before the start; should a row exist all the same, it is kept.
    if (await tx.taskSubmission.count({ where: { competitionId, userId: participantId } })) throw new CompetitionError("competitions.errors.removeStarted", 409);
    const removed = await tx.competitionParticipant.deleteMany({ where: { competitionId, userId: participantId } });
    if (removed.count !== 1) throw new CompetitionError("competitions.errors.notParticipant", 404);
    await recordAudit(tx, { actor: user, orgId: c.orgId, action: "assessment.competition.removeParticipant", subjectType: "Competition", subjectId: competitionId, before: { participantId } });
    return createNotices(tx, [{ userId: participantId, kind: "competitionRemoved", url: "/competitions", params: { title: c.title }, when: { start: c.startsAt, end: c.endsAt } }]);
  });
  deliver(mails);
}

export interface CompetitorRow {
  userId: string;
  name: string;
  rank: number;
  raw: number;
  standardised: number;
  medal: Medal;
  criteria: number[];
}

/** The field's standing from the marks (ranks with ties, 700 scale, medals: standing.ts). */
async function computeResults(competitionId: string) {
  const subs = await submissionsWithScheme({ competitionId });
  const results = subs.map((s) => ({ sub: s, result: resultOf(s) }));
  const scheme = subs[0]?.scheme ?? (await prisma.competition.findUniqueOrThrow({ where: { id: competitionId }, select: { lesson: { select: { markingScheme: { include: { sections: { orderBy: { position: "asc" }, include: { criteria: { orderBy: { position: "asc" } } } } } } } } } })).lesson.markingScheme;
  const criteria = (scheme?.sections ?? []).flatMap((s) => s.criteria.map((c) => ({ code: c.code, name: c.name, max: 0 })));
  for (const r of results[0]?.result.criteria ?? []) {
    const c = criteria.find((x) => x.code === r.criterion);
    if (c) c.max = r.max;
  }
  const standing = computeStanding(results.map((r) => ({ id: r.sub.userId, raw: round2(r.result.total) })));
  const rows: CompetitorRow[] = standing.map((s) => {
    const r = results.find((x) => x.sub.userId === s.id)!;
    return { userId: s.id, name: r.sub.user.name, rank: s.rank, raw: s.raw, standardised: s.standardised, medal: s.medal, criteria: criteria.map((c) => r.result.criteria.find((x) => x.criterion === c.code)?.mark ?? 0) };
  });
  const max = results[0]?.result.max ?? scheme?.total ?? 0;
  return {
    criteria,
    rows,
    max,
    subs,
    marking: { handIns: results.length, complete: results.filter((r) => r.result.complete).length, flagged: results.reduce((a, r) => a + r.result.flagged, 0) },
  };
}

function achievementText(locale: string, row: CompetitorRow, field: number) {
  const t = translator(locale, "assessment");
  const medal = row.medal ? t(`competition.medals.${row.medal}`) : t("competitions.participation");
  return t("competitions.achievement", { medal, rank: row.rank, field, score: row.standardised, raw: row.raw });
}

/**
 * Releases the results of the whole field: ResultRelease per hand-in (marks locked), one
 * certificate per competitor (medal or participation) and a `competitionResult` notice, in
 * one transaction; the guard on releasedAt makes a second release (or a race) a 409.
 */
async function release(competitionId: string, releasedById: string, actor: Actor | null, now: Date, auto: boolean) {
  const c = await prisma.competition.findUniqueOrThrow({ where: { id: competitionId }, include: { createdBy: { select: { name: true } }, org: { select: { name: true } }, lesson: { select: { markingScheme: { select: { passMark: true } } } } } });
  const results = await computeResults(competitionId);
  const refusal = releaseRefusal(c, results.marking, now, auto);
  if (refusal) throw new CompetitionError(refusal, 409);
  let mails: MailMessage[] = [];
  await prisma.$transaction(async (tx) => {
    const claimed = await tx.competition.updateMany({ where: { id: competitionId, releasedAt: null }, data: { releasedAt: now } });
    if (claimed.count !== 1) throw new CompetitionError("competitions.errors.alreadyReleased", 409);
    const passMark = c.lesson.markingScheme?.passMark ?? 0;
    const users = new Map((await tx.user.findMany({ where: { id: { in: results.rows.map((r) => r.userId) } }, select: { id: true, locale: true } })).map((u) => [u.id, u.locale]));
    for (const row of results.rows) {
      const sub = results.subs.find((s) => s.userId === row.userId)!;
      await tx.resultRelease.create({ data: { submissionId: sub.id, total: row.raw, passed: row.raw >= passMark, releasedById, releasedAt: now } });
      const issued = await issueCertificate(
        { userId: row.userId, kind: "competition", competitionId, titleZh: c.title, titleEn: c.title, achievement: achievementText(users.get(row.userId) ?? "zh-CN", row, results.rows.length), issuerName: c.createdBy.name, orgName: c.org?.name ?? "", issuedAt: now },
        tx,
      );
      mails = mails.concat(issued.mails);
    }
    mails = mails.concat(
      await createNotices(
        tx,
        results.rows.map((row) => ({ userId: row.userId, kind: "competitionResult", url: `/competitions/${competitionId}/results`, params: { title: c.title, rank: row.rank, field: results.rows.length, score: row.standardised } })),
      ),
    );
    await recordAudit(tx, { actor, action: auto ? "assessment.competition.autoRelease" : "assessment.competition.release", subjectType: "Competition", subjectId: competitionId, after: { competitors: results.rows.length } });
  });
  deliver(mails);
  return { competitors: results.rows.length };
}

/** The creator releases by hand (after the end, fully marked). */
export async function releaseCompetition(user: Actor, competitionId: string, now = new Date()) {
  const c = await requireCreator(user, competitionId);
  return release(competitionId, c.createdById === user.id ? user.id : c.createdById, user, now, false);
}

/** A set release time that has come: released on the next look at the competition, once fully marked. */
export async function autoReleaseIfDue(competitionId: string, now = new Date()) {
  const c = await prisma.competition.findUnique({ where: { id: competitionId }, select: { releasedAt: true, releaseAt: true, endsAt: true, createdById: true, cancelledAt: true } });
  if (!c || c.releasedAt || c.cancelledAt || !c.releaseAt || c.releaseAt > now) return false;
  try {
    await release(competitionId, c.createdById, null, now, true);
    return true;
  } catch (e) {
    if (e instanceof CompetitionError) return false;
    throw e;
  }
}

/**
 * Every competition whose set release time has come and whose marking is finished, released
 * now: the competitors get their results and notices at the set time, not only when somebody
 * next opens a competition page. Safe in several processes (the release claims the row).
 */
export async function releaseDueCompetitions(now = new Date()) {
  const due = await prisma.competition.findMany({ where: { releasedAt: null, cancelledAt: null, releaseAt: { lte: now }, endsAt: { lte: now } }, select: { id: true }, orderBy: { releaseAt: "asc" }, take: 50 });
  let released = 0;
  for (const c of due) if (await autoReleaseIfDue(c.id, now)) released += 1;
  return released;
}

/** Runs releaseDueCompetitions every minute (COMPETITION_RELEASE_INTERVAL_MS) until stopped. */
export function startCompetitionReleaseScheduler(options: { intervalMs?: number; log?: (line: string) => void } = {}): { stop(): void } {
  const intervalMs = options.intervalMs ?? Number(process.env.COMPETITION_RELEASE_INTERVAL_MS ?? 60_000);
  const log = options.log ?? ((line: string) => console.error(line));
  let running = false;
  const tick = () => {
    if (running) return;
    running = true;
    releaseDueCompetitions()
      .catch((err) => log(`[competitions] release run failed: ${err instanceof Error ? err.message : err}`))
      .finally(() => {
        running = false;
      });
  };
  const timer = setInterval(tick, intervalMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}

/**
 * The results page. The creator (and a platform admin) always sees the standing, marked so
 * far; participants and markers only after release, before that "being marked" and nobody's marks.
 */
export async function competitionResults(user: Actor, competitionId: string, now = new Date()) {
  await loadCompetition(user, competitionId); // 404 for the uninvolved before anything else runs
  await autoReleaseIfDue(competitionId, now);
  const { competition: c, role } = await loadCompetition(user, competitionId);
  const released = c.releasedAt !== null;
  if (!released && role !== "creator") return { status: "marking" as const, role, title: c.title, id: c.id, releaseAt: c.releaseAt };
  const results = await computeResults(competitionId);
  const mine = results.rows.find((r) => r.userId === user.id) ?? null;
  const certificate = mine && released ? await prisma.certificate.findFirst({ where: { userId: user.id, competitionId }, select: { code: true } }) : null;
  return {
    status: released ? ("released" as const) : ("draft" as const),
    role,
    id: c.id,
    title: c.title,
    releaseAt: c.releaseAt,
    releasedAt: c.releasedAt,
    ended: competitionPhase(c, now) === "closed",
    marking: results.marking,
    criteria: results.criteria,
    max: results.max,
    rows: results.rows.map(({ userId, ...r }) => ({ ...r, id: userId, me: userId === user.id })),
    distribution: distribution(results.rows.map((r) => r.raw), results.max),
    scale: { median: round2(median(results.rows.map((r) => r.raw))), sd: round2(standardDeviation(results.rows.map((r) => r.raw))) },
    mine,
    certificate: certificate?.code ?? null,
  };
}

/** The export table (CSV / XLSX): the creator only. */
export async function competitionExport(user: Actor, competitionId: string) {
  const c = await requireCreator(user, competitionId);
  const results = await computeResults(competitionId);
  return {
    title: c.title,
    criteria: results.criteria.map((x) => x.code),
    competitors: results.rows.map((r) => ({ id: r.userId, name: r.name, marks: r.criteria })),
  };
}

/** The CSV or XLSX download (results-export.server.ts lays out the table), named after the competition. */
export async function competitionExportResponse(user: Actor, competitionId: string, format: "csv" | "xlsx", locale: string) {
  const e = await competitionExport(user, competitionId);
  const table = resultsTable(e.criteria, e.competitors, locale);
  const fileName = `${e.title}.${format}`;
  const options = { asciiName: `results.${format}`, cacheControl: "no-store" };
  return format === "csv" ? fileDownload(resultsCsv(table), fileName, options) : fileDownload(new Uint8Array(await resultsXlsx(table, e.title)), fileName, options);
}

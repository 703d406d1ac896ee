// The public showcase of verified experts (issue 10): list, profile, next open slots (the
// scheduling slot generator), and ratings from their learners.
import type { Prisma } from "@prisma/client";
import { prisma } from "~/domains/db.server";
import { loadAvailability } from "~/domains/scheduling/profile.server";
import { generateSlots } from "~/domains/scheduling/slots";
import { ContentError } from "./articles.server";

const SLOT_LOOKAHEAD_DAYS = 14;

export interface CompetitionRecordRow {
  event: string;
  year: number;
  skill: string;
  result: string;
}

/** The approved application's record as stored (JSON): only well-formed rows, newest first. */
export function competitionRecordRows(json: unknown): CompetitionRecordRow[] {
  if (!Array.isArray(json)) return [];
  const rows = json.flatMap((r) => {
    if (!r || typeof r !== "object") return [];
    const { event, year, skill, result } = r as Record<string, unknown>;
    if (typeof event !== "string" || typeof skill !== "string" || typeof result !== "string" || !Number.isInteger(Number(year))) return [];
    return [{ event, year: Number(year), skill, result }];
  });
  return rows.sort((a, b) => b.year - a.year).slice(0, 20);
}

/**
 * An expert's skills: the categories of their published courses, then the skills of their
 * competition record (as the applicant wrote them, the same in both languages), each once.
 */
export function expertSkills(courses: Array<{ course: { category: { nameZh: string; nameEn: string } } }>, record: unknown) {
  const recordSkills = competitionRecordRows(record).map((r) => r.skill.trim()).filter(Boolean);
  const merge = (names: string[]) => {
    const seen = new Set<string>();
    return [...names, ...recordSkills].filter((n) => {
      const key = n.toLocaleLowerCase();
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
  };
  return {
    skills: merge(courses.map((a) => a.course.category.nameZh)),
    skillsEn: merge(courses.map((a) => a.course.category.nameEn || a.course.category.nameZh)),
  };
}

const verified: Prisma.ExpertProfileWhereInput = { verifiedAt: { not: null }, user: { role: { in: ["expert", "admin"] } } };

async function nextSlots(expertId: string, durationMinutes: number | undefined, count: number, now: Date) {
  if (!durationMinutes) return [];
  const av = await loadAvailability(prisma, expertId);
  if (!av) return [];
  const to = new Date(now.getTime() + SLOT_LOOKAHEAD_DAYS * 86_400_000);
  const busy = await prisma.liveSession.findMany({
    where: { hostId: expertId, status: { not: "cancelled" }, startsAt: { lt: to }, endsAt: { gt: now } },
    select: { startsAt: true, endsAt: true },
  });
  return generateSlots(av, { durationMinutes, from: now, to, now, busy })
    .slice(0, count)
    .map((s) => s.start);
}

async function ratingSummaries(expertIds: string[]) {
  const rows = await prisma.expertRating.groupBy({ by: ["expertId"], where: { expertId: { in: expertIds } }, _avg: { stars: true }, _count: { _all: true } });
  return new Map(rows.map((r) => [r.expertId, { average: r._avg.stars ?? 0, count: r._count._all }]));
}

/** The skill categories in which a verified expert has a published course: the filter of /experts. */
export async function expertSkillCategories() {
  return prisma.skillCategory.findMany({
    where: { courses: { some: { status: "published", authors: { some: { user: { expertProfile: verified } } } } } },
    orderBy: [{ sortOrder: "asc" }, { slug: "asc" }],
    select: { slug: true, nameZh: true, nameEn: true },
  });
}

export async function listVerifiedExperts(opts: { take?: number; slots?: number; now?: Date; skill?: string } = {}) {
  const now = opts.now ?? new Date();
  const profiles = await prisma.expertProfile.findMany({
    where: opts.skill ? { ...verified, user: { role: { in: ["expert", "admin"] }, authoredCourses: { some: { course: { status: "published", category: { slug: opts.skill } } } } } } : verified,
    orderBy: [{ verifiedAt: "asc" }, { userId: "asc" }],
    take: opts.take ?? 100,
    select: {
      userId: true,
      bio: true,
      competitionRecord: true,
      user: { select: { name: true, authoredCourses: { where: { course: { status: "published" } }, select: { course: { select: { slug: true, title: true, category: { select: { nameZh: true, nameEn: true } } } } } } } },
      sessionTypes: { where: { active: true }, orderBy: { durationMinutes: "asc" }, take: 1, select: { durationMinutes: true } },
    },
  });
  const ratings = await ratingSummaries(profiles.map((p) => p.userId));
  return Promise.all(
    profiles.map(async (p) => ({
      id: p.userId,
      name: p.user.name,
      bio: p.bio,
      courses: p.user.authoredCourses.map((a) => ({ slug: a.course.slug, title: a.course.title })),
      ...expertSkills(p.user.authoredCourses, p.competitionRecord),
      highlight: competitionRecordRows(p.competitionRecord)[0] ?? null,
      slots: opts.slots ? await nextSlots(p.userId, p.sessionTypes[0]?.durationMinutes, opts.slots, now) : [],
      rating: ratings.get(p.userId) ?? null,
    })),
  );
}

/** A verified expert's public profile; null (a 404) for anyone else. */
export async function getVerifiedExpert(id: string, viewerId: string | null, now: Date = new Date()) {
  const p = await prisma.expertProfile.findFirst({
    where: { userId: id, ...verified },
    select: {
      userId: true,
      bio: true,
      verifiedAt: true,
      competitionRecord: true,
      user: { select: { name: true, authoredCourses: { where: { course: { status: "published" } }, select: { course: { select: { slug: true, title: true, category: { select: { nameZh: true, nameEn: true } } } } } } } },
      sessionTypes: { where: { active: true }, orderBy: { durationMinutes: "asc" }, take: 1, select: { durationMinutes: true } },
    },
  });
  if (!p) return null;
  const [slots, ratings, recent, mine, eligible] = await Promise.all([
    nextSlots(p.userId, p.sessionTypes[0]?.durationMinutes, 6, now),
    ratingSummaries([p.userId]),
    prisma.expertRating.findMany({ where: { expertId: p.userId }, orderBy: { createdAt: "desc" }, take: 20, select: { id: true, stars: true, comment: true, createdAt: true, learner: { select: { name: true } } } }),
    viewerId ? prisma.expertRating.findUnique({ where: { expertId_learnerId: { expertId: p.userId, learnerId: viewerId } }, select: { stars: true, comment: true } }) : null,
    viewerId ? mayRate(viewerId, p.userId, now) : false,
  ]);
  return {
    id: p.userId,
    name: p.user.name,
    bio: p.bio,
    verifiedAt: p.verifiedAt!,
    record: competitionRecordRows(p.competitionRecord),
    courses: p.user.authoredCourses.map((a) => ({ slug: a.course.slug, title: a.course.title })),
    ...expertSkills(p.user.authoredCourses, p.competitionRecord),
    slots,
    bookable: p.sessionTypes.length > 0,
    rating: ratings.get(p.userId) ?? null,
    // Learners' names are shown by first character only.
    ratings: recent.map((r) => ({ id: r.id, stars: r.stars, comment: r.comment, createdAt: r.createdAt, by: `${[...r.learner.name][0] ?? ""}*` })),
    mine,
    mayRate: eligible,
  };
}

/**
 * A learner may rate an expert after a session with them that took place (a confirmed
 * booking of a session that ended) or after completing a course the expert authors.
 */
export async function mayRate(learnerId: string, expertId: string, now: Date = new Date()) {
  if (learnerId === expertId) return false;
  const [session, course] = await Promise.all([
    prisma.booking.findFirst({
      where: {
        learnerId,
        status: "confirmed",
        session: { hostId: expertId, OR: [{ status: "ended" }, { status: { not: "cancelled" }, endsAt: { lte: now } }] },
      },
      select: { id: true },
    }),
    prisma.enrollment.findFirst({
      where: { userId: learnerId, completedAt: { not: null }, course: { authors: { some: { userId: expertId } } } },
      select: { id: true },
    }),
  ]);
  return !!(session || course);
}

/** Creates or replaces the learner's one rating of a verified expert. */
export async function rateExpert(learnerId: string, expertId: string, input: { stars: number; comment: string }, now: Date = new Date()) {
  const expert = await prisma.expertProfile.findFirst({ where: { userId: expertId, ...verified }, select: { userId: true } });
  if (!expert) throw new ContentError("errors.notFound", 404);
  if (!(await mayRate(learnerId, expertId, now))) throw new ContentError("errors.mayNotRate", 403);
  return prisma.expertRating.upsert({
    where: { expertId_learnerId: { expertId, learnerId } },
    create: { expertId, learnerId, stars: input.stars, comment: input.comment.trim() },
    update: { stars: input.stars, comment: input.comment.trim() },
  });
}

/** The verified experts among a course's authors (course pages show them with a badge). */
export async function courseExperts(courseId: string) {
  const rows = await prisma.courseAuthor.findMany({
    where: { courseId, user: { expertProfile: { verifiedAt: { not: null } } } },
    orderBy: [{ role: "asc" }, { createdAt: "asc" }],
    select: { user: { select: { id: true, name: true } } },
  });
  return rows.map((r) => ({ id: r.user.id, name: r.user.name }));
}

// Platform and school reports (issues 10 and 12): learners by county and priority group,
// training hours, course completions, certificates and live sessions, month by month. The
// scope is resolved from the viewer's role and memberships, never from an id taken as given.
import type { Prisma } from "@prisma/client";
import { z } from "zod";
import type { AuthUser } from "~/domains/auth/roles";
import { prisma } from "~/domains/db.server";
import { RECORDS_TIME_ZONE } from "~/domains/records/ledger";
import { addDays, todayIn, zonedTimeToUtc } from "~/domains/scheduling/tz";
import { administeredOrgIds } from "~/domains/schools/permissions.server";
import { byCounty, byPovertyCounty, byPriorityGroup, bucketByMonth, monthKeys, monthOf, type LearnerFigures } from "./series";

export const reportQuerySchema = z.object({
  months: z.coerce.number().int().min(3).max(36).default(12),
  org: z.string().trim().max(40).regex(/^[a-z0-9]*$/i, "an organisation id").default(""),
});
export type ReportQuery = z.infer<typeof reportQuerySchema>;

export type ReportScope = { kind: "platform" } | { kind: "org"; orgId: string; orgName: string };

/**
 * The organisation a school report is about: the one asked for if the viewer administers it,
 * else the viewer's first. Null when the viewer administers none.
 */
export async function schoolReportScope(user: Pick<AuthUser, "id" | "role">, wanted: string) {
  const ids = await administeredOrgIds(user);
  if (ids.length === 0) return null;
  if (wanted && !ids.includes(wanted)) throw new Response("Not found", { status: 404 });
  const orgs = await prisma.organization.findMany({ where: { id: { in: ids } }, select: { id: true, name: true }, orderBy: { name: "asc" } });
  const current = orgs.find((o) => o.id === wanted) ?? orgs[0];
  return { scope: { kind: "org", orgId: current.id, orgName: current.name } as ReportScope, orgs };
}

function learnerWhere(scope: ReportScope): Prisma.UserWhereInput {
  return scope.kind === "platform" ? { role: "learner" } : { memberships: { some: { orgId: scope.orgId, role: "learner" } } };
}

export async function buildReport(scope: ReportScope, query: Pick<ReportQuery, "months">, now = new Date()) {
  const months = monthKeys(todayIn(RECORDS_TIME_ZONE, now).slice(0, 7), query.months);
  const firstDay = `${months[0]}-01`;
  const lastMonth = months[months.length - 1];
  const [ly, lm] = lastMonth.split("-").map(Number);
  const endDay = lm === 12 ? `${ly + 1}-01-01` : `${ly}-${String(lm + 1).padStart(2, "0")}-01`;
  const from = zonedTimeToUtc(firstDay, 0, RECORDS_TIME_ZONE);
  const to = zonedTimeToUtc(endDay, 0, RECORDS_TIME_ZONE);
  const period = { gte: from, lt: to };
  const learners = learnerWhere(scope);
  const hoursWhere: Prisma.HoursEntryWhereInput = {
    day: { gte: firstDay, lte: addDays(endDay, -1) },
    user: learners,
    ...(scope.kind === "org" ? { programme: { orgId: scope.orgId } } : {}),
  };

  const [people, joined, hoursByUser, hoursByDay, completions, certificates, sessions, regions, groups] = await Promise.all([
    prisma.user.findMany({ where: learners, select: { id: true, identity: { select: { countyCode: true, priorityKeys: true } } } }),
    scope.kind === "platform"
      ? prisma.user.findMany({ where: { ...learners, createdAt: period }, select: { createdAt: true } })
      : prisma.membership.findMany({ where: { orgId: scope.orgId, role: "learner", createdAt: period }, select: { createdAt: true } }),
    prisma.hoursEntry.groupBy({ by: ["userId"], where: hoursWhere, _sum: { minutes: true } }),
    prisma.hoursEntry.groupBy({ by: ["day"], where: hoursWhere, _sum: { minutes: true } }),
    prisma.enrollment.findMany({ where: { user: learners, completedAt: period }, select: { userId: true, completedAt: true } }),
    prisma.certificate.findMany({ where: { user: learners, revokedAt: null, issuedAt: period }, select: { userId: true, issuedAt: true } }),
    prisma.liveSession.findMany({
      where: { startsAt: period, status: { not: "cancelled" }, ...(scope.kind === "org" ? { cohort: { orgId: scope.orgId } } : {}) },
      select: { startsAt: true },
    }),
    prisma.region.findMany({ select: { code: true, name: true, nameEn: true, povertyCounty: true } }),
    prisma.priorityGroup.findMany({ orderBy: [{ sortOrder: "asc" }, { key: "asc" }], select: { key: true, nameZh: true, nameEn: true } }),
  ]);

  const minutes = new Map(hoursByUser.map((h) => [h.userId, h._sum.minutes ?? 0]));
  const count = (rows: Array<{ userId: string }>) => {
    const m = new Map<string, number>();
    for (const r of rows) m.set(r.userId, (m.get(r.userId) ?? 0) + 1);
    return m;
  };
  const doneBy = count(completions);
  const certBy = count(certificates);
  const figures: LearnerFigures[] = people.map((p) => ({
    userId: p.id,
    countyCode: p.identity?.countyCode ?? null,
    priorityKeys: p.identity?.priorityKeys ?? [],
    minutes: Math.max(0, minutes.get(p.id) ?? 0),
    completions: doneBy.get(p.id) ?? 0,
    certificates: certBy.get(p.id) ?? 0,
  }));

  const monthly = bucketByMonth(months, {
    newLearners: joined.map((j) => ({ month: monthOf(j.createdAt) })),
    hours: hoursByDay.map((h) => ({ month: h.day.slice(0, 7), value: (h._sum.minutes ?? 0) / 60 })),
    completions: completions.map((c) => ({ month: monthOf(c.completedAt!) })),
    certificates: certificates.map((c) => ({ month: monthOf(c.issuedAt) })),
    liveSessions: sessions.map((s) => ({ month: monthOf(s.startsAt) })),
  });

  const regionByCode = new Map(regions.map((r) => [r.code, r]));
  const poverty = new Set(regions.filter((r) => r.povertyCounty).map((r) => r.code));
  const totalMinutes = figures.reduce((s, f) => s + f.minutes, 0);
  return {
    months,
    monthly,
    totals: {
      learners: figures.length,
      hours: Math.round((totalMinutes / 60) * 10) / 10,
      completions: completions.length,
      certificates: certificates.length,
      liveSessions: sessions.length,
    },
    counties: byCounty(figures).map((r) => {
      const region = regionByCode.get(r.key);
      return { ...r, nameZh: region?.name ?? "", nameEn: region?.nameEn || region?.name || "", povertyCounty: region?.povertyCounty ?? false };
    }),
    groups: byPriorityGroup(figures, groups.map((g) => g.key)).map((r) => {
      const g = groups.find((x) => x.key === r.key);
      return { ...r, nameZh: g?.nameZh ?? r.key, nameEn: g?.nameEn ?? r.key };
    }),
    poverty: byPovertyCounty(figures, poverty),
  };
}

export type Report = Awaited<ReturnType<typeof buildReport>>;

// Organisations and cohorts as a school admin sees them. Every function takes the acting
// user and scopes by what they administer (platform admins: everything).
import { z } from "zod";
import type { OrganizationKind } from "@prisma/client";
import { prisma } from "~/domains/db.server";
import type { AuthUser } from "~/domains/auth/roles";
import { progressFor, key } from "~/domains/courses/progress.server";
import { administeredOrgIds, canAdministerOrg, requireCohortAdmin } from "./permissions.server";
import { enrollInCohortAssignments } from "./assignments.server";
import { deliver, type MailMessage } from "~/domains/notifications/notify.server";
import { assignmentStatus, type AssignmentStatus } from "./status";
import { hasPassword, NO_PASSWORD } from "./invitations.server";
import { maskPhone } from "~/utils/mask";
import { maskedIdNumber } from "~/domains/records/identity.server";
import { isRecordId, withoutControlChars } from "./ids";

type Actor = Pick<AuthUser, "id" | "role">;

export const cohortNameSchema = z.string().trim().min(1, "cohortNameRequired").max(80, "cohortNameTooLong");

/** The organisations the actor administers, with their cohorts and head counts. */
export async function schoolOverview(actor: Actor) {
  const orgIds = await administeredOrgIds(actor);
  const orgs = await prisma.organization.findMany({
    where: { id: { in: orgIds } },
    orderBy: { name: "asc" },
    select: {
      id: true,
      name: true,
      kind: true,
      verifiedAt: true,
      cohorts: {
        orderBy: { name: "asc" },
        select: { id: true, name: true, _count: { select: { members: true, assignments: true } } },
      },
    },
  });
  const [learnerCounts, pendingCounts] = await Promise.all([
    prisma.membership.groupBy({ by: ["orgId"], where: { orgId: { in: orgIds }, role: "learner" }, _count: { _all: true } }),
    prisma.membership.groupBy({
      by: ["orgId"],
      where: { orgId: { in: orgIds }, role: "learner", user: { passwordHash: NO_PASSWORD } },
      _count: { _all: true },
    }),
  ]);
  const learners = new Map(learnerCounts.map((r) => [r.orgId, r._count._all]));
  const pending = new Map(pendingCounts.map((r) => [r.orgId, r._count._all]));
  return orgs.map((o) => ({
    id: o.id,
    name: o.name,
    kind: o.kind,
    verifiedAt: o.verifiedAt,
    learnerCount: learners.get(o.id) ?? 0,
    pendingCount: pending.get(o.id) ?? 0,
    cohorts: o.cohorts.map((c) => ({ id: c.id, name: c.name, memberCount: c._count.members, assignmentCount: c._count.assignments })),
  }));
}

export type CreateCohortResult = { ok: true; cohortId: string } | { ok: false; error: "cohortNameRequired" | "cohortNameTooLong" | "cohortExists" };

export async function createCohort(actor: Actor, orgId: string, rawName: unknown): Promise<CreateCohortResult> {
  if (!(await canAdministerOrg(actor, orgId))) throw new Response("Not found", { status: 404 });
  const parsed = cohortNameSchema.safeParse(typeof rawName === "string" ? withoutControlChars(rawName.normalize("NFKC")) : "");
  if (!parsed.success) return { ok: false, error: parsed.error.issues[0].message as "cohortNameRequired" | "cohortNameTooLong" };
  const clash = await prisma.cohort.findFirst({ where: { orgId, name: { equals: parsed.data, mode: "insensitive" } }, select: { id: true } });
  if (clash) return { ok: false, error: "cohortExists" };
  try {
    const cohort = await prisma.cohort.create({ data: { orgId, name: parsed.data } });
    return { ok: true, cohortId: cohort.id };
  } catch (err) {
    if ((err as { code?: string }).code === "P2002") return { ok: false, error: "cohortExists" };
    throw err;
  }
}

/** Platform admins register organisations and name their first admin (an existing account). */
export async function createOrganization(actor: Actor, input: { name: string; kind: OrganizationKind; adminEmail?: string | null }) {
  if (actor.role !== "admin") throw new Response("Forbidden", { status: 403 });
  let adminId: string | null = null;
  if (input.adminEmail) {
    if (input.adminEmail.includes("\0")) return { ok: false as const, error: "adminNotFound" as const };
    const admin = await prisma.user.findUnique({ where: { email: input.adminEmail.trim().toLowerCase() }, select: { id: true, role: true } });
    if (!admin || (admin.role !== "school_admin" && admin.role !== "admin")) return { ok: false as const, error: "adminNotFound" as const };
    adminId = admin.id;
  }
  const org = await prisma.organization.create({
    // Registered by a platform admin, who vouches for it: verified at once (decision 016).
    data: { name: withoutControlChars(input.name), kind: input.kind, verifiedAt: new Date(), memberships: adminId ? { create: { userId: adminId, role: "admin" } } : undefined },
  });
  return { ok: true as const, orgId: org.id };
}

/** Adds learners of the cohort's organisation to the cohort and enrols them in its assignments. */
export async function addCohortMembers(actor: Actor, cohortId: string, userIds: string[]) {
  const cohort = await requireCohortAdmin(actor, cohortId);
  if (!userIds.every(isRecordId)) throw new Response("Not found", { status: 404 });
  const learners = await prisma.membership.findMany({
    where: { orgId: cohort.orgId, role: "learner", userId: { in: userIds } },
    select: { userId: true },
  });
  const ids = learners.map((l) => l.userId);
  if (ids.length !== userIds.length) throw new Response("Not found", { status: 404 });
  const mails: MailMessage[] = [];
  const added = await prisma.$transaction(async (tx) => {
    const added = (await tx.cohortMember.createMany({ data: ids.map((userId) => ({ cohortId, userId })), skipDuplicates: true })).count;
    await enrollInCohortAssignments(tx, cohortId, ids, mails);
    return added;
  });
  deliver(mails);
  return added;
}

/** Takes a learner out of the cohort; their enrolments and progress stay. */
export async function removeCohortMember(actor: Actor, cohortId: string, userId: string) {
  await requireCohortAdmin(actor, cohortId);
  if (!isRecordId(userId)) throw new Response("Not found", { status: 404 });
  await prisma.cohortMember.deleteMany({ where: { cohortId, userId } });
}

export interface ProgressCell {
  courseId: string;
  completed: number;
  total: number;
  percent: number;
  completedMinutes: number;
  lastActivityAt: Date | null;
  status: AssignmentStatus;
}

/** Everything the cohort page and its CSV export show, for one permission check. */
export async function cohortReport(actor: Actor, cohortId: string, now = new Date()) {
  const cohort = await requireCohortAdmin(actor, cohortId);
  const [org, members, assignments] = await Promise.all([
    prisma.organization.findUniqueOrThrow({ where: { id: cohort.orgId }, select: { id: true, name: true } }),
    prisma.cohortMember.findMany({
      where: { cohortId },
      select: {
        createdAt: true,
        user: { select: { id: true, name: true, email: true, phone: true, idNumberLast4: true, passwordHash: true } },
      },
    }),
    prisma.assignment.findMany({
      where: { cohortId },
      select: { id: true, dueAt: true, course: { select: { id: true, title: true, slug: true, status: true } } },
      orderBy: [{ dueAt: "asc" }, { createdAt: "asc" }],
    }),
  ]);
  const userIds = members.map((m) => m.user.id);
  const courseIds = assignments.map((a) => a.course.id);
  const progress = await progressFor(userIds, courseIds);

  const collator = new Intl.Collator("zh-CN");
  members.sort((a, b) => collator.compare(a.user.name, b.user.name));
  const learners = members.map((m) => {
    const cells: ProgressCell[] = assignments.map((a) => {
      const p = progress.get(key(m.user.id, a.course.id)) ?? { completed: 0, total: 0, percent: 0, completedMinutes: 0, lastActivityAt: null };
      return {
        courseId: a.course.id,
        completed: p.completed,
        total: p.total,
        percent: p.percent,
        completedMinutes: p.completedMinutes,
        lastActivityAt: p.lastActivityAt,
        status: assignmentStatus(p, a.dueAt, now),
      };
    });
    return {
      id: m.user.id,
      name: m.user.name,
      email: m.user.email,
      phone: m.user.phone,
      phoneMasked: maskPhone(m.user.phone),
      idMasked: maskedIdNumber(m.user),
      activated: hasPassword(m.user),
      joinedAt: m.createdAt,
      cells,
      overdueCount: cells.filter((c) => c.status === "overdue").length,
    };
  });

  const summary = assignments.map((a, i) => {
    const counts: Record<AssignmentStatus, number> = { completed: 0, inProgress: 0, notStarted: 0, overdue: 0 };
    let percentSum = 0;
    for (const l of learners) {
      counts[l.cells[i].status]++;
      percentSum += l.cells[i].percent;
    }
    return {
      assignmentId: a.id,
      courseId: a.course.id,
      courseTitle: a.course.title,
      courseSlug: a.course.slug,
      coursePublished: a.course.status === "published",
      dueAt: a.dueAt,
      pastDue: a.dueAt.getTime() < now.getTime(),
      counts,
      averagePercent: learners.length ? Math.round(percentSum / learners.length) : 0,
    };
  });

  return { cohort: { id: cohort.id, name: cohort.name, orgId: cohort.orgId }, org, learners, assignments: summary };
}

/** Learners of the organisation not in the cohort yet (for the add-members form). */
export async function learnersOutsideCohort(orgId: string, cohortId: string) {
  return prisma.user.findMany({
    where: { memberships: { some: { orgId, role: "learner" } }, cohortMemberships: { none: { cohortId } } },
    select: { id: true, name: true, phone: true, email: true },
    orderBy: { name: "asc" },
    take: 500,
  });
}

/** Published courses, for the assign form. */
export async function assignableCourses() {
  return prisma.course.findMany({
    where: { status: "published" },
    select: { id: true, title: true },
    orderBy: { title: "asc" },
  });
}

// The learners of the organisations a school admin administers.
import type { Prisma } from "@prisma/client";
import { prisma } from "~/domains/db.server";
import type { AuthUser } from "~/domains/auth/roles";
import { maskedIdNumber } from "~/domains/records/identity.server";
import { administeredOrgIds } from "./permissions.server";
import { hasPassword, NO_PASSWORD } from "./invitations.server";
import { isRecordId, withoutControlChars } from "./ids";

/** A filter value that is not an id matches nothing (rather than reaching the database). */
const filterId = (v: string | null | undefined) => (v ? (isRecordId(v) ? v : "-") : null);

type Actor = Pick<AuthUser, "id" | "role">;

export const LEARNERS_PER_PAGE = 50;

export interface LearnerListQuery {
  q?: string | null;
  orgId?: string | null;
  cohortId?: string | null;
  page?: number;
}

export async function listLearners(actor: Actor, rawQuery: LearnerListQuery = {}, now = new Date()) {
  const query = { ...rawQuery, orgId: filterId(rawQuery.orgId), cohortId: filterId(rawQuery.cohortId), q: rawQuery.q ? withoutControlChars(rawQuery.q) : rawQuery.q };
  const allowed = await administeredOrgIds(actor);
  // A filter the actor may not use narrows to nothing rather than widening.
  const orgIds = query.orgId ? allowed.filter((id) => id === query.orgId) : allowed;
  const where: Prisma.UserWhereInput = {
    memberships: { some: { orgId: { in: orgIds }, role: "learner" } },
  };
  const and: Prisma.UserWhereInput[] = [];
  if (query.cohortId) and.push({ cohortMemberships: { some: { cohortId: query.cohortId, cohort: { orgId: { in: orgIds } } } } });
  const q = query.q?.trim();
  if (q) {
    const digits = q.replace(/[\s-]/g, "");
    and.push({
      OR: [
        { name: { contains: q, mode: "insensitive" } },
        { email: { contains: q.toLowerCase() } },
        ...(/^\d{3,}$/.test(digits) ? [{ phone: { contains: digits } }] : []),
      ],
    });
  }
  if (and.length) where.AND = and;
  const page = Math.max(1, Math.floor(query.page ?? 1));
  const [total, users] = await Promise.all([
    prisma.user.count({ where }),
    prisma.user.findMany({
      where,
      orderBy: [{ name: "asc" }, { id: "asc" }],
      skip: (page - 1) * LEARNERS_PER_PAGE,
      take: LEARNERS_PER_PAGE,
      select: {
        id: true,
        name: true,
        email: true,
        phone: true,
        idNumberLast4: true,
        passwordHash: true,
        memberships: { where: { orgId: { in: orgIds }, role: "learner" }, select: { orgId: true, org: { select: { name: true } } } },
        cohortMemberships: {
          where: { cohort: { orgId: { in: orgIds } } },
          select: { cohort: { select: { id: true, name: true } } },
        },
        invitations: {
          where: { orgId: { in: orgIds }, usedAt: null },
          orderBy: { expiresAt: "desc" },
          select: { token: true, orgId: true, expiresAt: true },
        },
      },
    }),
  ]);
  return {
    total,
    page,
    pageCount: Math.max(1, Math.ceil(total / LEARNERS_PER_PAGE)),
    learners: users.map((u) => {
      const activated = hasPassword(u);
      const invitation = activated ? null : (u.invitations[0] ?? null);
      return {
        id: u.id,
        name: u.name,
        email: u.email,
        phone: u.phone,
        idMasked: maskedIdNumber(u),
        orgs: u.memberships.map((m) => ({ id: m.orgId, name: m.org.name })),
        cohorts: u.cohortMemberships.map((c) => c.cohort),
        activated,
        invitation: invitation
          ? { token: invitation.token, orgId: invitation.orgId, expiresAt: invitation.expiresAt, expired: invitation.expiresAt <= now }
          : null,
      };
    }),
  };
}

/** Pending links of learners who have not set a password yet, for the printable list. */
export async function pendingInvitations(actor: Actor, rawQuery: { orgId?: string | null; cohortId?: string | null } = {}, now = new Date()) {
  const query = { orgId: filterId(rawQuery.orgId), cohortId: filterId(rawQuery.cohortId) };
  const allowed = await administeredOrgIds(actor);
  const orgIds = query.orgId ? allowed.filter((id) => id === query.orgId) : allowed;
  const rows = await prisma.invitation.findMany({
    where: {
      orgId: { in: orgIds },
      usedAt: null,
      expiresAt: { gt: now },
      user: {
        passwordHash: NO_PASSWORD,
        ...(query.cohortId ? { cohortMemberships: { some: { cohortId: query.cohortId, cohort: { orgId: { in: orgIds } } } } } : {}),
      },
    },
    orderBy: [{ user: { name: "asc" } }, { userId: "asc" }, { expiresAt: "desc" }],
    select: {
      token: true,
      expiresAt: true,
      org: { select: { name: true } },
      user: {
        select: {
          id: true,
          name: true,
          email: true,
          phone: true,
          cohortMemberships: { where: { cohort: { orgId: { in: orgIds } } }, select: { cohort: { select: { name: true } } } },
        },
      },
    },
  });
  // One line per learner: the newest link.
  const seen = new Set<string>();
  return rows.filter((r) => (seen.has(r.user.id) ? false : (seen.add(r.user.id), true)));
}

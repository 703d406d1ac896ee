import { prisma } from "~/domains/db.server";
import type { AuthUser } from "~/domains/auth/roles";
import { isRecordId } from "./ids";

/** Organisations the user administers (all of them for a platform admin). */
export async function administeredOrgIds(user: Pick<AuthUser, "id" | "role">) {
  if (user.role === "admin") return (await prisma.organization.findMany({ select: { id: true } })).map((o) => o.id);
  if (user.role !== "school_admin") return [];
  const rows = await prisma.membership.findMany({ where: { userId: user.id, role: "admin" }, select: { orgId: true } });
  return rows.map((r) => r.orgId);
}

export async function canAdministerOrg(user: Pick<AuthUser, "id" | "role">, orgId: string) {
  if (!isRecordId(orgId)) return false;
  if (user.role === "admin") return (await prisma.organization.count({ where: { id: orgId } })) === 1;
  if (user.role !== "school_admin") return false;
  const m = await prisma.membership.findUnique({ where: { orgId_userId: { orgId, userId: user.id } } });
  return m?.role === "admin";
}

/** The cohort, if the user administers its organisation; otherwise 404 (its existence stays hidden). */
export async function requireCohortAdmin(user: Pick<AuthUser, "id" | "role">, cohortId: string) {
  const cohort = isRecordId(cohortId) ? await prisma.cohort.findUnique({ where: { id: cohortId } }) : null;
  if (!cohort || !(await canAdministerOrg(user, cohort.orgId))) throw new Response("Not found", { status: 404 });
  return cohort;
}

/**
 * The body of the 403 where only a verified organisation may act (import, invitations,
 * subsidy programmes and their claims); the root error page explains it in the reader's
 * language (decision 021).
 */
export const ORG_UNVERIFIED = "org_unverified";

export async function isVerifiedOrg(orgId: string) {
  return (await prisma.organization.count({ where: { id: orgId, verifiedAt: { not: null } } })) === 1;
}

export async function requireVerifiedOrg(orgId: string) {
  if (!(await isVerifiedOrg(orgId))) throw new Response(ORG_UNVERIFIED, { status: 403, headers: { "Content-Type": "text/plain; charset=utf-8" } });
}

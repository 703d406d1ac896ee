// Platform administration of accounts: search, role changes, disabling. Every change is
// written with its audit entry in one transaction; a disabled account loses its sessions at
// once and its live sockets through announceAccessChange.
import type { Prisma } from "@prisma/client";
import { prisma } from "~/domains/db.server";
import { recordAudit } from "~/domains/audit/audit.server";
import { announceAccessChange } from "~/domains/auth/events.server";
import { maskPhone } from "~/utils/mask";
import { ROLES, type AuthUser, type Role } from "~/domains/auth/roles";

export class AdminActionError extends Error {
  constructor(public code: "self" | "not_found" | "unchanged") {
    super(code);
  }
}

export async function adminCounts() {
  const [users, disabled, experts, schoolAdmins, pendingExperts, unverifiedOrgs, orgs, regions, povertyCounties, auditEntries] = await Promise.all([
    prisma.user.count(),
    prisma.user.count({ where: { disabledAt: { not: null } } }),
    prisma.user.count({ where: { role: "expert" } }),
    prisma.user.count({ where: { role: "school_admin" } }),
    prisma.expertApplication.count({ where: { status: "pending" } }),
    // Waiting for a decision (rejected ones are not waiting).
    prisma.organization.count({ where: { verifiedAt: null, rejectedAt: null } }),
    prisma.organization.count(),
    prisma.region.count(),
    prisma.region.count({ where: { povertyCounty: true } }),
    prisma.auditEntry.count(),
  ]);
  return { users, disabled, experts, schoolAdmins, pendingExperts, unverifiedOrgs, orgs, regions, povertyCounties, auditEntries };
}

export async function searchUsers(query: { q?: string; role?: Role }, take = 50) {
  const q = query.q?.trim();
  const where: Prisma.UserWhereInput = {
    ...(q ? { OR: [{ name: { contains: q, mode: "insensitive" } }, { email: { contains: q, mode: "insensitive" } }] } : {}),
    ...(query.role ? { role: query.role } : {}),
  };
  const rows = await prisma.user.findMany({
    where,
    orderBy: { createdAt: "desc" },
    take,
    select: {
      id: true,
      name: true,
      email: true,
      phone: true,
      role: true,
      disabledAt: true,
      createdAt: true,
      memberships: { select: { role: true, org: { select: { id: true, name: true } } } },
    },
  });
  // Phones are personal data: the list shows them masked.
  return rows.map(({ phone, ...u }) => ({ ...u, phone: phone ? maskPhone(phone) : null }));
}

async function target(tx: Prisma.TransactionClient, admin: AuthUser, userId: string) {
  if (userId === admin.id) throw new AdminActionError("self");
  const user = await tx.user.findUnique({ where: { id: userId }, select: { id: true, role: true, disabledAt: true, name: true } });
  if (!user) throw new AdminActionError("not_found");
  return user;
}

export async function changeRole(admin: AuthUser, userId: string, role: Role) {
  if (!ROLES.includes(role)) throw new AdminActionError("unchanged");
  await prisma.$transaction(async (tx) => {
    const user = await target(tx, admin, userId);
    if (user.role === role) throw new AdminActionError("unchanged");
    await tx.user.update({ where: { id: userId }, data: { role } });
    await recordAudit(tx, { actor: admin, action: "user.role", subjectType: "user", subjectId: userId, before: { role: user.role }, after: { role } });
  });
  announceAccessChange({ userId, reason: "role_changed" });
}

export async function disableUser(admin: AuthUser, userId: string, reason: string | null) {
  await prisma.$transaction(async (tx) => {
    const user = await target(tx, admin, userId);
    if (user.disabledAt) throw new AdminActionError("unchanged");
    const now = new Date();
    await tx.user.update({ where: { id: userId }, data: { disabledAt: now } });
    await tx.session.deleteMany({ where: { userId } });
    await recordAudit(tx, { actor: admin, action: "user.disable", subjectType: "user", subjectId: userId, before: { disabledAt: null }, after: { disabledAt: now }, reason });
  });
  announceAccessChange({ userId, reason: "disabled" });
}

export async function enableUser(admin: AuthUser, userId: string) {
  await prisma.$transaction(async (tx) => {
    const user = await target(tx, admin, userId);
    if (!user.disabledAt) throw new AdminActionError("unchanged");
    await tx.user.update({ where: { id: userId }, data: { disabledAt: null } });
    await recordAudit(tx, { actor: admin, action: "user.enable", subjectType: "user", subjectId: userId, before: { disabledAt: user.disabledAt }, after: { disabledAt: null } });
  });
}

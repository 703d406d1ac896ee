// Verifying organisations: only a verified organisation may import or invite learners
// (schools/import.server.ts). A platform admin verifies or rejects with a reason; the
// organisation's admins are notified; both are audited.
import { prisma } from "~/domains/db.server";
import { recordAudit } from "~/domains/audit/audit.server";
import type { AuthUser } from "~/domains/auth/roles";
import { deliver, notifyOrganisationDecision } from "~/domains/notifications/notify.server";

export class OrganisationDecisionError extends Error {
  constructor(public code: "not_found" | "unchanged") {
    super(code);
  }
}

export async function listOrganisationsForReview(state: "unverified" | "verified") {
  return prisma.organization.findMany({
    where: state === "verified" ? { verifiedAt: { not: null } } : { verifiedAt: null },
    orderBy: { createdAt: state === "verified" ? "desc" : "asc" },
    take: 200,
    select: {
      id: true,
      name: true,
      kind: true,
      verifiedAt: true,
      rejectedAt: true,
      rejectionReason: true,
      createdAt: true,
      memberships: { where: { role: "admin" }, select: { user: { select: { name: true, email: true } } } },
      _count: { select: { memberships: true } },
    },
  });
}

export async function decideOrganisation(admin: AuthUser, orgId: string, decision: { verify: true } | { verify: false; reason: string }) {
  const mails = await prisma.$transaction(async (tx) => {
    const org = await tx.organization.findUnique({
      where: { id: orgId },
      select: { id: true, name: true, verifiedAt: true, rejectedAt: true, memberships: { where: { role: "admin" }, select: { userId: true } } },
    });
    if (!org) throw new OrganisationDecisionError("not_found");
    if (decision.verify && org.verifiedAt) throw new OrganisationDecisionError("unchanged");
    const now = new Date();
    if (decision.verify) {
      await tx.organization.update({ where: { id: orgId }, data: { verifiedAt: now, rejectedAt: null, rejectionReason: null } });
    } else {
      // Rejecting a verified organisation withdraws its verification.
      await tx.organization.update({ where: { id: orgId }, data: { verifiedAt: null, rejectedAt: now, rejectionReason: decision.reason } });
    }
    await recordAudit(tx, {
      actor: admin,
      orgId,
      action: decision.verify ? "org.verify" : "org.reject",
      subjectType: "organization",
      subjectId: orgId,
      before: { verifiedAt: org.verifiedAt, rejectedAt: org.rejectedAt },
      after: decision.verify ? { verifiedAt: now } : { verifiedAt: null, rejectedAt: now },
      reason: decision.verify ? null : decision.reason,
    });
    return notifyOrganisationDecision(tx, { userIds: org.memberships.map((m) => m.userId), org: org.name, verified: decision.verify, reason: decision.verify ? "" : decision.reason });
  });
  deliver(mails);
}

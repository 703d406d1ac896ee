// Organisations: anyone signed in (a learner or a school admin) applies at /schools/apply and
// becomes the admin member of a new, unverified organisation; a platform admin verifies or
// rejects it with a reason. Only a verified organisation may import or invite learners
// (schools/import.server.ts) or create and export subsidy programmes (records/). The
// organisation's admins are notified of every decision; applications and decisions are
// audited (decisions 016 and 021).
import type { Prisma } from "@prisma/client";
import { prisma } from "~/domains/db.server";
import { recordAudit } from "~/domains/audit/audit.server";
import { announceAccessChange } from "~/domains/auth/events.server";
import type { AuthUser } from "~/domains/auth/roles";
import { discardUpload, storeUpload, type ReceivedFile } from "~/domains/courses/uploads.server";
import { deliver, notifyOrganisationDecision } from "~/domains/notifications/notify.server";
import type { OrgApplicationInput, OrgState } from "./validation";

export class OrganisationDecisionError extends Error {
  constructor(public code: "not_found" | "unchanged") {
    super(code);
  }
}

export class OrgApplicationError extends Error {
  constructor(public code: "role" | "pending_exists" | "region") {
    super(code);
  }
}

/** Who may apply: learners (they become school admins once verified) and school admins. */
export function mayApplyForOrganisation(user: Pick<AuthUser, "role">) {
  return user.role === "learner" || user.role === "school_admin";
}

export function orgState(o: { verifiedAt: Date | null; rejectedAt: Date | null }): OrgState {
  return o.verifiedAt ? "verified" : o.rejectedAt ? "rejected" : "pending";
}

const stateWhere = (state: OrgState): Prisma.OrganizationWhereInput =>
  state === "verified" ? { verifiedAt: { not: null } } : state === "rejected" ? { verifiedAt: null, rejectedAt: { not: null } } : { verifiedAt: null, rejectedAt: null };

/** The organisations the user is an admin member of (applied for or registered), newest first. */
export async function myOrganisations(userId: string) {
  return prisma.organization.findMany({
    where: { memberships: { some: { userId, role: "admin" } } },
    orderBy: { createdAt: "desc" },
    take: 20,
    select: { id: true, name: true, kind: true, appliedAt: true, createdAt: true, verifiedAt: true, rejectedAt: true, rejectionReason: true },
  });
}

export async function applyForOrganisation(user: AuthUser, input: OrgApplicationInput, file: ReceivedFile | null) {
  try {
    if (!mayApplyForOrganisation(user)) throw new OrgApplicationError("role");
    if (!(await prisma.region.findUnique({ where: { code: input.regionCode }, select: { code: true } }))) throw new OrgApplicationError("region");
    const pending = await prisma.organization.count({ where: { appliedAt: { not: null }, ...stateWhere("pending"), memberships: { some: { userId: user.id, role: "admin" } } } });
    if (pending) throw new OrgApplicationError("pending_exists");
  } catch (err) {
    await discardUpload(file);
    throw err;
  }
  const document = file ? await storeUpload(user.id, "document", file) : null;
  return prisma.$transaction(async (tx) => {
    const org = await tx.organization.create({
      data: { ...input, appliedAt: new Date(), documentId: document?.id ?? null, memberships: { create: { userId: user.id, role: "admin" } } },
    });
    await recordAudit(tx, {
      actor: user,
      orgId: org.id,
      action: "org.apply",
      subjectType: "organization",
      subjectId: org.id,
      // No phone or licence number in the log: the review page has them.
      after: { name: input.name, kind: input.kind, regionCode: input.regionCode, document: !!document },
    });
    return org;
  });
}

export async function listOrganisationsForReview(state: OrgState) {
  return prisma.organization.findMany({
    where: stateWhere(state),
    orderBy: { createdAt: state === "pending" ? "asc" : "desc" },
    take: 200,
    select: {
      id: true,
      name: true,
      kind: true,
      appliedAt: true,
      regionCode: true,
      contactName: true,
      contactPhone: true,
      verifiedAt: true,
      rejectedAt: true,
      rejectionReason: true,
      createdAt: true,
      memberships: { where: { role: "admin" }, select: { user: { select: { name: true, email: true } } } },
      _count: { select: { memberships: true } },
    },
  });
}

/** Everything a platform admin checks before deciding (the one place the phone is shown in full). */
export async function organisationForReview(orgId: string) {
  const org = await prisma.organization.findUnique({
    where: { id: orgId },
    include: {
      document: { select: { id: true, originalName: true, mimeType: true, sizeBytes: true } },
      memberships: { where: { role: "admin" }, select: { user: { select: { id: true, name: true, email: true, role: true } } } },
      _count: { select: { memberships: true } },
    },
  });
  if (!org) return null;
  const region = org.regionCode ? await prisma.region.findUnique({ where: { code: org.regionCode } }) : null;
  return { ...org, region };
}

export async function decideOrganisation(admin: AuthUser, orgId: string, decision: { verify: true } | { verify: false; reason: string }) {
  const { mails, promoted } = await prisma.$transaction(async (tx) => {
    const org = await tx.organization.findUnique({
      where: { id: orgId },
      select: { id: true, name: true, verifiedAt: true, rejectedAt: true, memberships: { where: { role: "admin" }, select: { userId: true, user: { select: { role: true } } } } },
    });
    if (!org) throw new OrganisationDecisionError("not_found");
    if (decision.verify && org.verifiedAt) throw new OrganisationDecisionError("unchanged");
    const now = new Date();
    let promoted: string[] = [];
    if (decision.verify) {
      await tx.organization.update({ where: { id: orgId }, data: { verifiedAt: now, rejectedAt: null, rejectionReason: null } });
      // The applicant (a learner until now) becomes a school admin; other roles stay.
      promoted = org.memberships.filter((m) => m.user.role === "learner").map((m) => m.userId);
      if (promoted.length) await tx.user.updateMany({ where: { id: { in: promoted }, role: "learner" }, data: { role: "school_admin" } });
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
      after: decision.verify ? { verifiedAt: now, promotedToSchoolAdmin: promoted.length } : { verifiedAt: null, rejectedAt: now },
      reason: decision.verify ? null : decision.reason,
    });
    const mails = await notifyOrganisationDecision(tx, { userIds: org.memberships.map((m) => m.userId), org: org.name, verified: decision.verify, reason: decision.verify ? "" : decision.reason });
    return { mails, promoted };
  });
  for (const userId of promoted) announceAccessChange({ userId, reason: "role_changed" });
  deliver(mails);
}

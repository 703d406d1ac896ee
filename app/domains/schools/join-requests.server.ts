// A school's request to an existing person to join it as a learner (sent by import or
// invite when the row matches someone else's verified account). Only that person can see,
// accept or decline it; accepting makes them a learner of the organisation (and of the class
// the row named, if it still belongs to the organisation), declining changes nothing.
import { prisma } from "~/domains/db.server";
import type { AuthUser } from "~/domains/auth/roles";
import { administeredOrgIds } from "./permissions.server";
import { enrollInCohortAssignments } from "./assignments.server";
import { deliver, type MailMessage } from "~/domains/notifications/notify.server";
import { isRecordId } from "./ids";

/** The person's own pending request, with what the page shows; null for anyone else (a 404). */
export async function pendingJoinRequestFor(userId: string, requestId: string) {
  if (!isRecordId(requestId)) return null;
  const request = await prisma.joinRequest.findUnique({
    where: { id: requestId },
    select: { id: true, userId: true, status: true, cohortId: true, createdAt: true, org: { select: { id: true, name: true, kind: true } } },
  });
  if (!request || request.userId !== userId || request.status !== "pending") return null;
  const cohort = request.cohortId
    ? await prisma.cohort.findFirst({ where: { id: request.cohortId, orgId: request.org.id }, select: { name: true } })
    : null;
  return { id: request.id, org: request.org, cohortName: cohort?.name ?? null, createdAt: request.createdAt };
}

export type JoinDecision = "accept" | "decline";

/** Decides the person's own pending request once; false when it is not theirs or not pending. */
export async function decideJoinRequest(userId: string, requestId: string, decision: JoinDecision, now = new Date()) {
  if (!isRecordId(requestId)) return false;
  const mails: MailMessage[] = [];
  const done = await prisma.$transaction(async (tx) => {
    const decided = await tx.joinRequest.updateMany({
      where: { id: requestId, userId, status: "pending" },
      data: { status: decision === "accept" ? "accepted" : "declined", decidedAt: now },
    });
    if (decided.count !== 1) return false;
    if (decision === "decline") return true;
    const request = await tx.joinRequest.findUniqueOrThrow({ where: { id: requestId }, select: { orgId: true, cohortId: true } });
    await tx.membership.upsert({
      where: { orgId_userId: { orgId: request.orgId, userId } },
      create: { orgId: request.orgId, userId, role: "learner" },
      update: {},
    });
    const cohort = request.cohortId ? await tx.cohort.findFirst({ where: { id: request.cohortId, orgId: request.orgId }, select: { id: true } }) : null;
    if (cohort) {
      await tx.cohortMember.createMany({ data: [{ cohortId: cohort.id, userId }], skipDuplicates: true });
      await enrollInCohortAssignments(tx, cohort.id, [userId], mails);
    }
    return true;
  });
  deliver(mails);
  return done;
}

/**
 * The open requests of the organisations the actor administers, as the school's rows said
 * them: nothing of the account itself (not even its name) until the person accepts.
 */
export async function openJoinRequests(actor: Pick<AuthUser, "id" | "role">, orgId?: string | null) {
  const allowed = await administeredOrgIds(actor);
  const orgIds = orgId ? allowed.filter((id) => id === orgId) : allowed;
  return prisma.joinRequest.findMany({
    where: { orgId: { in: orgIds }, status: "pending" },
    orderBy: [{ createdAt: "desc" }, { id: "asc" }],
    take: 200,
    select: { id: true, rowName: true, rowContact: true, createdAt: true, org: { select: { name: true } } },
  });
}

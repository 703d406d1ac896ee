// Expert applications: anyone logged in applies with a competition record and current work;
// a platform admin approves (role expert, verified profile carrying the record) or rejects
// with a reason. The applicant is notified either way; every decision is audited.
import type { Prisma } from "@prisma/client";
import { prisma } from "~/domains/db.server";
import { recordAudit } from "~/domains/audit/audit.server";
import { announceAccessChange } from "~/domains/auth/events.server";
import type { AuthUser } from "~/domains/auth/roles";
import { Limit } from "~/domains/auth/limits.server";
import { deliver, notifyExpertApplicationDecision } from "~/domains/notifications/notify.server";
import { discardUpload, removeStoredAssets, storeUpload, type ReceivedFile } from "~/domains/courses/uploads.server";
import type { RecordRow } from "./validation";

/** Applications (expert or organisation) per account: a few a day. */
export const applicationLimiter = new Limit("application_account", 5, 24 * 3600);

export class ApplicationError extends Error {
  constructor(public code: "pending_exists" | "already_expert" | "not_found" | "decided") {
    super(code);
  }
}

export async function myExpertApplications(userId: string) {
  return prisma.expertApplication.findMany({ where: { userId }, orderBy: { createdAt: "desc" }, take: 10 });
}

/**
 * A new application with its certificate scans (received files, stored here as assets linked to
 * it: only the applicant and platform admins read them). The files are gone if it is refused.
 */
export async function applyAsExpert(user: AuthUser, input: { records: RecordRow[]; currentWork: string }, files: ReceivedFile[]) {
  const stored: string[] = [];
  try {
    if (user.role === "expert" || user.role === "admin") throw new ApplicationError("already_expert");
    if (await prisma.expertApplication.findFirst({ where: { userId: user.id, status: "pending" }, select: { id: true } })) throw new ApplicationError("pending_exists");
    for (const file of files) stored.push((await storeUpload(user.id, "document", file)).id);
    return await prisma.$transaction(async (tx) => {
      const pending = await tx.expertApplication.findFirst({ where: { userId: user.id, status: "pending" }, select: { id: true } });
      if (pending) throw new ApplicationError("pending_exists");
      const app = await tx.expertApplication.create({
        data: { userId: user.id, competitionRecord: input.records as unknown as Prisma.InputJsonValue, currentWork: input.currentWork },
      });
      await tx.asset.updateMany({ where: { id: { in: stored }, ownerId: user.id }, data: { documentOfApplicationId: app.id } });
      await recordAudit(tx, { actor: user, action: "expert.apply", subjectType: "expertApplication", subjectId: app.id, after: { records: input.records.length, documents: stored.length } });
      return app;
    });
  } catch (err) {
    for (const file of files) await discardUpload(file);
    await removeStoredAssets(stored);
    throw err;
  }
}

export async function listExpertApplications(status: "pending" | "approved" | "rejected" = "pending") {
  return prisma.expertApplication.findMany({
    where: { status },
    orderBy: { createdAt: status === "pending" ? "asc" : "desc" },
    take: 100,
    include: { user: { select: { id: true, name: true, email: true, role: true } } },
  });
}

export async function getExpertApplication(id: string) {
  return prisma.expertApplication.findUnique({
    where: { id },
    include: {
      user: { select: { id: true, name: true, email: true, role: true } },
      documents: { orderBy: { createdAt: "asc" }, select: { id: true, originalName: true, mimeType: true, sizeBytes: true } },
    },
  });
}

export async function decideExpertApplication(admin: AuthUser, id: string, decision: { approve: true } | { approve: false; reason: string }) {
  const { mails, userId } = await prisma.$transaction(async (tx) => {
    const app = await tx.expertApplication.findUnique({ where: { id }, include: { user: { select: { id: true, role: true } } } });
    if (!app) throw new ApplicationError("not_found");
    // Only a pending application changes; a second click (or a race) is refused.
    const { count } = await tx.expertApplication.updateMany({
      where: { id, status: "pending" },
      data: decision.approve
        ? { status: "approved", decidedById: admin.id, decidedAt: new Date() }
        : { status: "rejected", reason: decision.reason, decidedById: admin.id, decidedAt: new Date() },
    });
    if (count === 0) throw new ApplicationError("decided");
    if (decision.approve) {
      const now = new Date();
      const record = app.competitionRecord as Prisma.InputJsonValue;
      // A platform admin who applied keeps their role; everyone else becomes an expert.
      if (app.user.role !== "admin") await tx.user.update({ where: { id: app.userId }, data: { role: "expert" } });
      await tx.expertProfile.upsert({
        where: { userId: app.userId },
        create: { userId: app.userId, verifiedAt: now, competitionRecord: record },
        update: { verifiedAt: now, competitionRecord: record },
      });
      await recordAudit(tx, {
        actor: admin,
        action: "expert.approve",
        subjectType: "expertApplication",
        subjectId: id,
        before: { status: "pending", role: app.user.role },
        after: { status: "approved", role: app.user.role === "admin" ? "admin" : "expert", userId: app.userId },
      });
    } else {
      await recordAudit(tx, {
        actor: admin,
        action: "expert.reject",
        subjectType: "expertApplication",
        subjectId: id,
        before: { status: "pending" },
        after: { status: "rejected", userId: app.userId },
        reason: decision.reason,
      });
    }
    const mails = await notifyExpertApplicationDecision(tx, { userId: app.userId, approved: decision.approve, reason: decision.approve ? "" : decision.reason });
    return { mails, userId: app.userId };
  });
  deliver(mails);
  if (decision.approve) announceAccessChange({ userId, reason: "role_changed" });
}

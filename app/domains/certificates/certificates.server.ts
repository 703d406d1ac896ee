// Certificates: issued when a learner completes every lesson of a course (one per learner
// and course, whatever the number of completions), or by the competition results
// (issueCertificate, kind "competition"). Holder, titles, issuer and organisation are
// snapshots taken at issue. Public verification (/verify/<code>) shows the holder's name,
// what and when, and whether it was revoked, never anything else about the person.
import crypto from "node:crypto";
import { Prisma, type CertificateKind } from "@prisma/client";
import { prisma } from "~/domains/db.server";
import { recordAudit } from "~/domains/audit/audit.server";
import { createNotices, deliver, type Db } from "~/domains/notifications/notify.server";
import type { AuthUser } from "~/domains/auth/roles";
import { encodeCode, groupCode } from "./code";

export const DEFAULT_ORG_NAME = "SkillRelay";

export function newCertificateCode() {
  return encodeCode(crypto.randomBytes(10));
}

export interface IssueInput {
  userId: string;
  kind: CertificateKind;
  courseId?: string | null;
  /** Set for a competition result (competitions.server.ts). */
  competitionId?: string | null;
  titleZh: string;
  titleEn: string;
  /** What was achieved, as printed: "Gold medal · 742 points", "总分 86". Empty for a course. */
  achievement?: string;
  issuerName?: string;
  orgName?: string;
  issuedAt?: Date;
}

/**
 * Issues a certificate and notifies the holder, in the caller's transaction (db) or its own.
 * A course certificate is idempotent: a second call returns the first one (courseKey unique).
 */
export async function issueCertificate(input: IssueInput, db?: Db) {
  const run = async (tx: Db) => {
    const courseKey = input.kind === "course" && input.courseId ? `${input.userId}:${input.courseId}` : null;
    if (courseKey) {
      const existing = await tx.certificate.findUnique({ where: { courseKey } });
      if (existing) return { certificate: existing, created: false, mails: [] };
    }
    const user = await tx.user.findUniqueOrThrow({ where: { id: input.userId }, select: { name: true, locale: true } });
    const certificate = await tx.certificate.create({
      data: {
        code: newCertificateCode(),
        userId: input.userId,
        holderName: user.name,
        kind: input.kind,
        courseId: input.courseId ?? null,
        competitionId: input.competitionId ?? null,
        courseKey,
        titleZh: input.titleZh,
        titleEn: input.titleEn,
        achievement: input.achievement ?? "",
        issuerName: input.issuerName ?? "",
        orgName: input.orgName || DEFAULT_ORG_NAME,
        locale: user.locale,
        issuedAt: input.issuedAt ?? new Date(),
      },
    });
    const mails = await createNotices(tx, [
      {
        userId: input.userId,
        kind: "assessment:certificates.notifyIssued",
        url: "/certificates",
        params: { title: user.locale === "en" ? input.titleEn : input.titleZh, code: groupCode(certificate.code) },
      },
    ]);
    return { certificate, created: true, mails };
  };
  try {
    const result = db ? await run(db) : await prisma.$transaction(run);
    // Inside a caller's transaction the caller delivers after its commit.
    if (!db) deliver(result.mails);
    return result;
  } catch (e) {
    // Two completions at once: the other one issued it.
    if (e instanceof Prisma.PrismaClientKnownRequestError && e.code === "P2002" && input.kind === "course" && input.courseId && !db) {
      const certificate = await prisma.certificate.findUniqueOrThrow({ where: { courseKey: `${input.userId}:${input.courseId}` } });
      return { certificate, created: false, mails: [] };
    }
    throw e;
  }
}

/** Called after a lesson completion: issues the course certificate once every lesson is done. */
export async function issueCourseCertificateIfComplete(userId: string, courseId: string) {
  const [total, done, course] = await Promise.all([
    prisma.lesson.count({ where: { module: { courseId } } }),
    prisma.lessonProgress.count({ where: { userId, completedAt: { not: null }, lesson: { module: { courseId } } } }),
    prisma.course.findUnique({
      where: { id: courseId },
      select: { title: true, authors: { where: { role: "owner" }, select: { user: { select: { name: true } } }, take: 1 } },
    }),
  ]);
  if (!course || total === 0 || done < total) return null;
  const { certificate } = await issueCertificate({
    userId,
    kind: "course",
    courseId,
    titleZh: course.title,
    titleEn: course.title,
    issuerName: course.authors[0]?.user.name ?? "",
  });
  return certificate;
}

export async function listMyCertificates(user: Pick<AuthUser, "id">) {
  return prisma.certificate.findMany({ where: { userId: user.id }, orderBy: { issuedAt: "desc" } });
}

/** The certificate for its PDF: only the holder or a platform admin; anyone else gets a 404. */
export async function certificateForDownload(user: Pick<AuthUser, "id" | "role">, code: string) {
  const cert = await prisma.certificate.findUnique({ where: { code } });
  if (!cert || (cert.userId !== user.id && user.role !== "admin")) throw new Response("Not found", { status: 404 });
  return cert;
}

export interface PublicCertificate {
  code: string;
  holderName: string;
  kind: CertificateKind;
  titleZh: string;
  titleEn: string;
  achievement: string;
  issuedAt: Date;
  issuerName: string;
  orgName: string;
  revokedAt: Date | null;
  revokedReason: string | null;
}

/** What /verify shows: no ids, no contact details, no ID number. */
export async function verifyCertificate(code: string): Promise<PublicCertificate | null> {
  return prisma.certificate.findUnique({
    where: { code },
    select: {
      code: true,
      holderName: true,
      kind: true,
      titleZh: true,
      titleEn: true,
      achievement: true,
      issuedAt: true,
      issuerName: true,
      orgName: true,
      revokedAt: true,
      revokedReason: true,
    },
  });
}

function requireAdmin(user: Pick<AuthUser, "role">) {
  if (user.role !== "admin") throw new Response("Forbidden", { status: 403 });
}

/** Admin search by code (any grouping), holder name or title. */
export async function searchCertificates(user: Pick<AuthUser, "role">, q: string) {
  requireAdmin(user);
  const term = q.trim();
  const code = term.toUpperCase().replace(/[\s-]/g, "");
  return prisma.certificate.findMany({
    where: term
      ? {
          OR: [
            { code: { startsWith: code } },
            { holderName: { contains: term, mode: "insensitive" } },
            { titleZh: { contains: term, mode: "insensitive" } },
            { titleEn: { contains: term, mode: "insensitive" } },
          ],
        }
      : {},
    orderBy: { issuedAt: "desc" },
    take: 50,
  });
}

export class AlreadyRevokedError extends Error {}

/** Revokes with a reason: audit entry and the holder's notice in the same transaction. */
export async function revokeCertificate(admin: Pick<AuthUser, "id" | "name" | "role">, code: string, reason: string) {
  requireAdmin(admin);
  const mails = await prisma.$transaction(async (tx) => {
    const cert = await tx.certificate.findUnique({ where: { code } });
    if (!cert) throw new Response("Not found", { status: 404 });
    // Conditional update: two admins at once revoke it once.
    const now = new Date();
    const { count } = await tx.certificate.updateMany({
      where: { id: cert.id, revokedAt: null },
      data: { revokedAt: now, revokedReason: reason, revokedById: admin.id },
    });
    if (count === 0) throw new AlreadyRevokedError();
    await recordAudit(tx, {
      actor: { id: admin.id, name: admin.name },
      action: "certificate.revoke",
      subjectType: "certificate",
      subjectId: cert.id,
      before: { code: cert.code, revokedAt: null },
      after: { code: cert.code, revokedAt: now },
      reason,
    });
    return createNotices(tx, [
      {
        userId: cert.userId,
        kind: "assessment:certificates.notifyRevoked",
        url: "/certificates",
        params: { title: cert.locale === "en" ? cert.titleEn : cert.titleZh, code: groupCode(cert.code), reason },
      },
    ]);
  });
  deliver(mails);
}

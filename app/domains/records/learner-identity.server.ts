// A school's view of a learner's real-name identity: edit, verify against a document, lock.
// Only the admins of a school the person is a learner of; resolved from the database.
// Every change and verification is written to the audit log in the same transaction
// (recordAudit masks ID numbers itself; the stored cipher and hash are never copied).
import { Prisma } from "@prisma/client";
import { prisma } from "~/domains/db.server";
import type { AuthUser } from "~/domains/auth/roles";
import { recordAudit } from "~/domains/audit/audit.server";
import { administeredOrgIds } from "~/domains/schools/permissions.server";
import { isRecordId } from "~/domains/schools/ids";
import { identityFromIdNumber, idNumberProblem, normalizeIdNumber } from "./id-number";
import { DOCUMENTS } from "./validation";
import { maskedIdNumber, mayWriteIdentity, protectIdNumber } from "./identity.server";
import { maskPhone } from "~/utils/mask";

const COUNTY_SUGGESTIONS = 800;

type Actor = Pick<AuthUser, "id" | "role" | "name">;

/** The learner and the school (one the actor administers and the learner belongs to); else 404. */
export async function requireLearnerOfMySchool(user: Actor, learnerId: string) {
  const orgIds = await administeredOrgIds(user);
  const learner = isRecordId(learnerId)
    ? await prisma.user.findUnique({
        where: { id: learnerId },
        select: {
          id: true,
          name: true,
          createdByOrgId: true,
          idNumberLast4: true,
          idNumberHash: true,
          phone: true,
          memberships: { where: { role: "learner" }, select: { orgId: true } },
          identity: true,
        },
      })
    : null;
  const orgId = learner?.memberships.map((m) => m.orgId).find((id) => orgIds.includes(id));
  if (!learner || !orgId) throw new Response("Not found", { status: 404 });
  return { learner, orgId };
}

export async function identityPage(user: Actor, learnerId: string) {
  const { learner, orgId } = await requireLearnerOfMySchool(user, learnerId);
  // A retired group is no longer offered, but a learner already in it keeps it (and its box).
  const groups = await prisma.priorityGroup.findMany({ where: { OR: [{ active: true }, { key: { in: learner.identity?.priorityKeys ?? [] } }] }, orderBy: [{ sortOrder: "asc" }, { key: "asc" }] });
  const county = learner.identity?.countyCode ? await prisma.region.findUnique({ where: { code: learner.identity.countyCode } }) : null;
  // Suggestions for the county field (a province-sized list; a national one is typed by code).
  const counties = await prisma.region.findMany({ select: { code: true, name: true, nameEn: true, province: true }, orderBy: { code: "asc" }, take: COUNTY_SUGGESTIONS + 1 });
  return {
    counties: counties.length > COUNTY_SUGGESTIONS ? [] : counties,
    learner: { id: learner.id, name: learner.name, idMasked: maskedIdNumber(learner), hasId: !!learner.idNumberHash, phoneMasked: maskPhone(learner.phone) },
    identity: learner.identity,
    county,
    groups,
    mayWriteId: mayWriteIdentity({ kind: "org", orgId }, { id: learner.id, createdByOrgId: learner.createdByOrgId, learnerOfOrgIds: learner.memberships.map((m) => m.orgId) }),
  };
}

export interface IdentityInput {
  legalName: string;
  countyCode: string;
  priorityKeys: string[];
  idNumber: string;
  reason: string;
}

type Result = { ok: true } | { error: string; field?: string };

export async function saveIdentity(user: Actor, learnerId: string, input: IdentityInput): Promise<Result> {
  const { learner, orgId } = await requireLearnerOfMySchool(user, learnerId);
  const before = learner.identity;
  const verified = !!before?.verifiedAt;
  if (verified && !input.reason) return { error: "errors.reasonAfterVerify", field: "reason" };
  if (input.countyCode && !(await prisma.region.findUnique({ where: { code: input.countyCode } }))) return { error: "errors.county", field: "countyCode" };
  const keys = [...new Set(input.priorityKeys)];
  if (keys.length && (await prisma.priorityGroup.count({ where: { key: { in: keys } } })) !== keys.length) return { error: "errors.priority", field: "priorityKeys" };
  let idData: ReturnType<typeof protectIdNumber> | null = null;
  let derived: ReturnType<typeof identityFromIdNumber> = null;
  if (input.idNumber) {
    const id = normalizeIdNumber(input.idNumber);
    if (idNumberProblem(id)) return { error: "errors.idNumber", field: "idNumber" };
    if (!mayWriteIdentity({ kind: "org", orgId }, { id: learner.id, createdByOrgId: learner.createdByOrgId, learnerOfOrgIds: learner.memberships.map((m) => m.orgId) })) {
      return { error: "errors.idNotYours", field: "idNumber" };
    }
    idData = protectIdNumber(id);
    derived = identityFromIdNumber(id);
  }
  const after = {
    legalName: input.legalName,
    countyCode: input.countyCode || null,
    priorityKeys: keys,
    ...(derived ? { gender: derived.gender, birthDate: derived.birthDate } : {}),
  };
  try {
    await prisma.$transaction(async (tx) => {
      if (idData) {
        const taken = await tx.user.findFirst({ where: { idNumberHash: idData.idNumberHash, id: { not: learner.id } }, select: { id: true } });
        if (taken) throw new IdTaken();
        await tx.user.update({ where: { id: learner.id }, data: idData });
      }
      // A new ID number is a new identity: its verification must be done again.
      const reset = idData && verified ? { verifiedAt: null, verifiedById: null, verifiedByName: "", verifiedDocument: "" } : {};
      await tx.learnerIdentity.upsert({ where: { userId: learner.id }, create: { userId: learner.id, ...after }, update: { ...after, ...reset } });
      await recordAudit(tx, {
        actor: { id: user.id, name: user.name },
        orgId,
        action: "identity.update",
        subjectType: "User",
        subjectId: learner.id,
        before: before ? { legalName: before.legalName, countyCode: before.countyCode, priorityKeys: before.priorityKeys, gender: before.gender, birthDate: before.birthDate, idNumberLast4: learner.idNumberLast4 } : null,
        after: { ...after, ...(input.idNumber ? { idNumber: normalizeIdNumber(input.idNumber) } : {}) },
        reason: input.reason || null,
      });
    });
  } catch (err) {
    if (err instanceof IdTaken || (err instanceof Prisma.PrismaClientKnownRequestError && err.code === "P2002")) return { error: "errors.idTaken", field: "idNumber" };
    throw err;
  }
  return { ok: true };
}

class IdTaken extends Error {}

export async function verifyIdentity(user: Actor, learnerId: string, input: { document: (typeof DOCUMENTS)[number]; documentRef: string }): Promise<Result> {
  const { learner, orgId } = await requireLearnerOfMySchool(user, learnerId);
  if (!learner.idNumberHash) return { error: "errors.noIdNumber" };
  if (!learner.identity?.legalName) return { error: "errors.legalNameRequired" };
  if (learner.identity.verifiedAt) return { error: "errors.alreadyVerified" };
  // idNumberHash is unique, so no other account holds this number; checked again here so that a
  // second verified account with one number can never come about.
  const other = await prisma.user.count({ where: { idNumberHash: learner.idNumberHash, id: { not: learner.id }, identity: { verifiedAt: { not: null } } } });
  if (other > 0) return { error: "errors.idTaken" };
  const document = `${input.document}${input.documentRef ? `: ${input.documentRef}` : ""}`;
  await prisma.$transaction(async (tx) => {
    const now = new Date();
    const claimed = await tx.learnerIdentity.updateMany({
      where: { userId: learner.id, verifiedAt: null },
      data: { verifiedAt: now, verifiedById: user.id, verifiedByName: user.name, verifiedDocument: document },
    });
    if (claimed.count !== 1) return;
    await recordAudit(tx, {
      actor: { id: user.id, name: user.name },
      orgId,
      action: "identity.verify",
      subjectType: "User",
      subjectId: learner.id,
      after: { legalName: learner.identity!.legalName, document, idNumberLast4: learner.idNumberLast4, verifiedAt: now },
    });
  });
  return { ok: true };
}

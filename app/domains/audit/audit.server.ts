// The audit log: one function writes it, inside the transaction of the change it records,
// so a change and its entry land together or not at all. The table turns UPDATE and
// DELETE into nothing (rules), so entries cannot be edited or removed through the application.
import type { Prisma, PrismaClient } from "@prisma/client";
import { maskIdNumber } from "~/domains/records/id-number";
import { maskPhone } from "~/utils/mask";

type Db = PrismaClient | Prisma.TransactionClient;

export interface AuditActor {
  id: string;
  name: string;
}

export interface AuditInput {
  /** null: the system (a scheduled job, an import run by the server itself). */
  actor: AuditActor | null;
  /** The organisation concerned: its school admins see the entry. */
  orgId?: string | null;
  action: string;
  subjectType: string;
  subjectId: string;
  before?: Record<string, unknown> | null;
  after?: Record<string, unknown> | null;
  reason?: string | null;
}

const ID_NUMBER_KEY = /id.?number|idcard|身份证/i;
const PHONE_KEY = /phone|mobile/i;
// An 18-character resident ID (17 digits + check) anywhere in a string value.
const ID_NUMBER_IN_TEXT = /\b\d{17}[\dXx]\b/g;

/** A copy of value with ID numbers (and phones) masked, whatever their key or position. */
export function maskPersonalData(value: unknown, key = ""): unknown {
  if (value === null || value === undefined) return value ?? null;
  if (typeof value === "string") {
    if (ID_NUMBER_KEY.test(key)) return value.length >= 8 ? maskIdNumber(value) : "****";
    if (PHONE_KEY.test(key)) return maskPhone(value);
    return value.replace(ID_NUMBER_IN_TEXT, (m) => maskIdNumber(m));
  }
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map((v) => maskPersonalData(v, key));
  if (typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      // Stored forms of an ID number are never copied into the log.
      if (/idNumber(Cipher|Hash)/i.test(k)) continue;
      out[k] = maskPersonalData(v, k);
    }
    return out;
  }
  return value;
}

export async function recordAudit(db: Db, entry: AuditInput) {
  return db.auditEntry.create({
    data: {
      actorId: entry.actor?.id ?? null,
      actorName: entry.actor?.name ?? "",
      orgId: entry.orgId ?? null,
      action: entry.action,
      subjectType: entry.subjectType,
      subjectId: entry.subjectId,
      before: (maskPersonalData(entry.before ?? null) ?? undefined) as Prisma.InputJsonValue | undefined,
      after: (maskPersonalData(entry.after ?? null) ?? undefined) as Prisma.InputJsonValue | undefined,
      reason: entry.reason ? String(maskPersonalData(entry.reason)) : null,
    },
  });
}

export interface AuditFilter {
  orgId?: string;
  action?: string;
  subjectType?: string;
  subjectId?: string;
  actorId?: string;
  from?: Date;
  to?: Date;
}

/**
 * Entries a viewer may see: platform admins all, a school admin those of the organisations
 * given (resolved by the caller from the viewer's memberships, never from the request).
 */
export async function listAudit(db: Db, scope: { orgIds: string[] | "all" }, filter: AuditFilter = {}, take = 200) {
  const scoped: Prisma.AuditEntryWhereInput = scope.orgIds === "all" ? {} : { orgId: { in: scope.orgIds } };
  const where: Prisma.AuditEntryWhereInput = {
    AND: [scoped, filter.orgId ? { orgId: filter.orgId } : {}],
    ...(filter.action ? { action: { startsWith: filter.action } } : {}),
    ...(filter.subjectType ? { subjectType: filter.subjectType } : {}),
    ...(filter.subjectId ? { subjectId: filter.subjectId } : {}),
    ...(filter.actorId ? { actorId: filter.actorId } : {}),
    ...(filter.from || filter.to ? { at: { ...(filter.from ? { gte: filter.from } : {}), ...(filter.to ? { lt: filter.to } : {}) } } : {}),
  };
  if (scope.orgIds !== "all" && scope.orgIds.length === 0) return [];
  return db.auditEntry.findMany({ where, orderBy: { at: "desc" }, take });
}

// The platform-wide audit log for platform admins (issue 10): every entry, filtered by actor
// (name or id), action prefix, subject type and Shanghai calendar days, paged. Details are
// passed through maskPersonalData again on the way out, so an ID number or phone that reached
// an entry by any path (an old entry, a raw insert) is never shown or exported in full.
// Exporting the log is itself an audited action.
import type { Prisma } from "@prisma/client";
import { z } from "zod";
import { prisma } from "~/domains/db.server";
import type { AuthUser } from "~/domains/auth/roles";
import { maskPersonalData, recordAudit } from "~/domains/audit/audit.server";
import { addDays, isDateString, zonedTimeToUtc } from "~/domains/scheduling/tz";
import { RECORDS_TIME_ZONE } from "~/domains/records/ledger";
import { hasControlCharacters } from "~/utils/input";

export const ADMIN_AUDIT_PAGE_SIZE = 50;
export const ADMIN_AUDIT_EXPORT_MAX = 10_000;

const plain = (max: number) =>
  z.string().trim().max(max).refine((v) => !hasControlCharacters(v), "no control characters").default("");

export const adminAuditQuerySchema = z.object({
  actor: plain(100),
  action: z.string().trim().max(60).regex(/^[a-z0-9_.]*$/, "letters, digits, dots and underscores").default(""),
  subjectType: z.string().trim().max(40).regex(/^[A-Za-z_.]*$/, "letters, dots and underscores").default(""),
  from: z.string().refine((v) => v === "" || isDateString(v), "a date").default(""),
  to: z.string().refine((v) => v === "" || isDateString(v), "a date").default(""),
  page: z.coerce.number().int().min(1).max(10_000).default(1),
});
export type AdminAuditQuery = z.infer<typeof adminAuditQuerySchema>;

function whereOf(query: AdminAuditQuery): Prisma.AuditEntryWhereInput {
  const actor = query.actor.trim();
  return {
    ...(actor ? { OR: [{ actorName: { contains: actor, mode: "insensitive" } }, { actorId: actor }] } : {}),
    ...(query.action ? { action: { startsWith: query.action } } : {}),
    ...(query.subjectType ? { subjectType: query.subjectType } : {}),
    ...(query.from || query.to
      ? {
          at: {
            ...(query.from ? { gte: zonedTimeToUtc(query.from, 0, RECORDS_TIME_ZONE) } : {}),
            ...(query.to ? { lt: zonedTimeToUtc(addDays(query.to, 1), 0, RECORDS_TIME_ZONE) } : {}),
          },
        }
      : {}),
  };
}

function masked<T extends { before: Prisma.JsonValue | null; after: Prisma.JsonValue | null; reason: string | null }>(e: T) {
  return {
    ...e,
    before: maskPersonalData(e.before) as Prisma.JsonValue | null,
    after: maskPersonalData(e.after) as Prisma.JsonValue | null,
    reason: e.reason === null ? null : String(maskPersonalData(e.reason, "reason")),
  };
}

/** One page of the log, newest first, with the total and the subject types seen (for the filter). */
export async function adminAuditPage(query: AdminAuditQuery) {
  const where = whereOf(query);
  const [total, rows, types] = await Promise.all([
    prisma.auditEntry.count({ where }),
    prisma.auditEntry.findMany({
      where,
      orderBy: [{ at: "desc" }, { id: "desc" }],
      skip: (query.page - 1) * ADMIN_AUDIT_PAGE_SIZE,
      take: ADMIN_AUDIT_PAGE_SIZE,
    }),
    prisma.auditEntry.findMany({ distinct: ["subjectType"], select: { subjectType: true }, orderBy: { subjectType: "asc" }, take: 100 }),
  ]);
  return {
    total,
    pages: Math.max(1, Math.ceil(total / ADMIN_AUDIT_PAGE_SIZE)),
    entries: rows.map(masked),
    subjectTypes: types.map((t) => t.subjectType),
  };
}

/** Every matching entry (up to the export limit), masked; the export is recorded first. */
export async function adminAuditExport(admin: Pick<AuthUser, "id" | "name">, query: AdminAuditQuery) {
  const where = whereOf(query);
  const { page: _page, ...filter } = query;
  return prisma.$transaction(async (tx) => {
    const rows = await tx.auditEntry.findMany({ where, orderBy: [{ at: "desc" }, { id: "desc" }], take: ADMIN_AUDIT_EXPORT_MAX });
    await recordAudit(tx, {
      actor: { id: admin.id, name: admin.name },
      action: "audit.export",
      subjectType: "audit",
      subjectId: "platform",
      after: { filter, rows: rows.length },
    });
    return rows.map(masked);
  });
}

/** A short one-line summary of an entry's change, for the table. */
export function changeSummary(e: { before: Prisma.JsonValue | null; after: Prisma.JsonValue | null }, max = 300) {
  const parts = [];
  if (e.before && Object.keys(e.before as object).length) parts.push(`${JSON.stringify(e.before)} →`);
  parts.push(JSON.stringify(e.after ?? {}));
  const s = parts.join(" ");
  return s.length > max ? `${s.slice(0, max)}…` : s;
}

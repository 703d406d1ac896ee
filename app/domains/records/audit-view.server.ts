// The audit log as a school admin sees it: entries of the organisations they administer
// (all for a platform admin), filtered by action prefix and Shanghai calendar days.
import { z } from "zod";
import { prisma } from "~/domains/db.server";
import type { AuthUser } from "~/domains/auth/roles";
import { listAudit } from "~/domains/audit/audit.server";
import { administeredOrgIds } from "~/domains/schools/permissions.server";
import { addDays, isDateString, zonedTimeToUtc } from "~/domains/scheduling/tz";
import { RECORDS_TIME_ZONE } from "./ledger";

export const auditQuerySchema = z.object({
  action: z.string().trim().max(60).regex(/^[a-z_.]*$/, "letters, dots and underscores").default(""),
  from: z.string().refine((v) => v === "" || isDateString(v), "a date").default(""),
  to: z.string().refine((v) => v === "" || isDateString(v), "a date").default(""),
});
export type AuditQuery = z.infer<typeof auditQuerySchema>;

export async function auditForViewer(user: Pick<AuthUser, "id" | "role">, query: AuditQuery, take = 200) {
  // The scope comes from the viewer's memberships; no organisation id is taken from the request.
  const scope = user.role === "admin" ? ("all" as const) : await administeredOrgIds(user);
  const entries = await listAudit(
    prisma,
    { orgIds: scope },
    {
      action: query.action || undefined,
      from: query.from ? zonedTimeToUtc(query.from, 0, RECORDS_TIME_ZONE) : undefined,
      to: query.to ? zonedTimeToUtc(addDays(query.to, 1), 0, RECORDS_TIME_ZONE) : undefined,
    },
    take,
  );
  return entries;
}

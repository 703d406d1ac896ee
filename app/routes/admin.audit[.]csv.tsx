// The filtered platform audit log as CSV (UTF-8 with BOM), details masked; the export itself is audited.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { adminAuditExport, adminAuditQuerySchema } from "~/domains/admin/audit.server";
import { requireRole } from "~/domains/auth/session.server";
import { toCsv } from "~/domains/schools/csv";
import { fileDownload } from "~/utils/download.server";
import { i18next } from "~/i18next.server";
import { dateOptions } from "~/utils/datetime.server";
import { formatDateTime } from "~/utils/datetime";
import { parseOr400, searchParamsOf } from "~/utils/input.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const admin = await requireRole(request, "admin");
  const query = parseOr400(adminAuditQuerySchema, searchParamsOf(request), "filter");
  const dates = await dateOptions(request, admin);
  const t = await i18next.getFixedT(dates.locale, "admin");
  const entries = await adminAuditExport(admin, query);
  const rows: Array<Array<string>> = [["at", "actor", "action", "subject", "before", "after", "reason"].map((k) => t(`audit.${k}`))];
  for (const e of entries) {
    rows.push([formatDateTime(e.at, dates), e.actorName, e.action, `${e.subjectType} ${e.subjectId}`, JSON.stringify(e.before ?? {}), JSON.stringify(e.after ?? {}), e.reason ?? ""]);
  }
  return fileDownload(toCsv(rows), "platform-audit.csv");
}

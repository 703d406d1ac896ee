// The filtered audit log as CSV (UTF-8 with BOM). ID numbers in it are masked by recordAudit.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireRole } from "~/domains/auth/session.server";
import { auditForViewer, auditQuerySchema } from "~/domains/records/audit-view.server";
import { toCsv } from "~/domains/schools/csv";
import { fileDownload } from "~/utils/download.server";
import { i18next } from "~/i18next.server";
import { formatDateTime } from "~/utils/datetime";
import { parseOr400, searchParamsOf } from "~/utils/input.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, "school_admin");
  const query = parseOr400(auditQuerySchema, searchParamsOf(request), "filter");
  const locale = await i18next.getLocale(request);
  const t = await i18next.getFixedT(locale, "records");
  const entries = await auditForViewer(user, query, 10_000);
  const rows: Array<Array<string>> = [["at", "actor", "action", "subject", "before", "after", "reason"].map((k) => t(`audit.${k}`))];
  for (const e of entries) {
    rows.push([formatDateTime(e.at, { locale, timeZone: user.timeZone }), e.actorName, e.action, `${e.subjectType} ${e.subjectId}`, JSON.stringify(e.before ?? {}), JSON.stringify(e.after ?? {}), e.reason ?? ""]);
  }
  return fileDownload(toCsv(rows), "audit.csv");
}

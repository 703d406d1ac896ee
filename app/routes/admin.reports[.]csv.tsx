// /admin/reports.csv: the platform report of /admin/reports as CSV (same period). Admins only.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireRole } from "~/domains/auth/session.server";
import { reportCsv } from "~/domains/reports/report-csv.server";
import { csvDownload } from "~/domains/schools/csv";
import { buildReport, reportQuerySchema } from "~/domains/reports/reports.server";
import { i18next } from "~/i18next.server";
import { parseOr400, searchParamsOf } from "~/utils/input.server";

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, "admin");
  const query = parseOr400(reportQuerySchema, searchParamsOf(request), "filter");
  const locale = await i18next.getLocale(request);
  const [report, t] = await Promise.all([buildReport({ kind: "platform" }, query), i18next.getFixedT(locale, "records")]);
  return csvDownload(reportCsv(report, t, locale), `platform-report-${report.months[0]}-${report.months[report.months.length - 1]}.csv`);
}

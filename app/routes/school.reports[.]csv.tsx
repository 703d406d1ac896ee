// /school/reports.csv: a school's report of /school/reports as CSV (same period and school).
// The organisation comes from the viewer's memberships; another school's id is a 404.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireRole } from "~/domains/auth/session.server";
import { reportCsv } from "~/domains/reports/report-csv.server";
import { csvDownload } from "~/domains/schools/csv";
import { buildReport, reportQuerySchema, schoolReportScope } from "~/domains/reports/reports.server";
import { i18next } from "~/i18next.server";
import { parseOr400, searchParamsOf } from "~/utils/input.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, "school_admin");
  const query = parseOr400(reportQuerySchema, searchParamsOf(request), "filter");
  const found = await schoolReportScope(user, query.org);
  if (!found) throw new Response("Not found", { status: 404 });
  const locale = await i18next.getLocale(request);
  const [report, t] = await Promise.all([buildReport(found.scope, query), i18next.getFixedT(locale, "records")]);
  return csvDownload(reportCsv(report, t, locale), `school-report-${report.months[0]}-${report.months[report.months.length - 1]}.csv`);
}

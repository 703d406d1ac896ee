// The loaders behind /admin/reports.{csv,xlsx} and /school/reports.{csv,xlsx}: the same
// period (and, for a school, the same organisation) as the page. A school's organisation comes
// from the viewer's memberships; another school's id is a 404.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireRole } from "~/domains/auth/session.server";
import { i18next } from "~/i18next.server";
import { parseOr400, searchParamsOf } from "~/utils/input.server";
import { reportDownload } from "./report-export.server";
import { buildReport, reportQuerySchema, schoolReportScope } from "./reports.server";

type Format = "csv" | "xlsx";

export function platformReportLoader(format: Format) {
  return async ({ request }: LoaderFunctionArgs) => {
    await requireRole(request, "admin");
    const query = parseOr400(reportQuerySchema, searchParamsOf(request), "filter");
    const locale = await i18next.getLocale(request);
    const [report, t] = await Promise.all([buildReport({ kind: "platform" }, query), i18next.getFixedT(locale, "records")]);
    return reportDownload(report, format, t, locale, "platform-report");
  };
}

export function schoolReportLoader(format: Format) {
  return async ({ request }: LoaderFunctionArgs) => {
    const user = await requireRole(request, "school_admin");
    const query = parseOr400(reportQuerySchema, searchParamsOf(request), "filter");
    const found = await schoolReportScope(user, query.org);
    if (!found) throw new Response("Not found", { status: 404 });
    const locale = await i18next.getLocale(request);
    const [report, t] = await Promise.all([buildReport(found.scope, query), i18next.getFixedT(locale, "records")]);
    return reportDownload(report, format, t, locale, "school-report");
  };
}

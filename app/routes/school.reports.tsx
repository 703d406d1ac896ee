// A school's reports (issue 12): its learners by county and priority group, the hours of its
// programmes, completions and certificates, month by month. The organisation comes from the
// viewer's memberships; another school's id is a 404.
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { ReportFilters, ReportView } from "~/components/records/report-view";
import { SchoolHeader } from "~/components/schools/ui";
import { Card } from "~/components/ui/layout";
import { requireRole } from "~/domains/auth/session.server";
import { buildReport, reportQuerySchema, schoolReportScope } from "~/domains/reports/reports.server";
import { i18next } from "~/i18next.server";
import { parseOr400, searchParamsOf } from "~/utils/input.server";

export const meta: MetaFunction = () => [{ title: "Reports · School · SkillRelay" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, "school_admin");
  const query = parseOr400(reportQuerySchema, searchParamsOf(request), "filter");
  const [found, locale] = await Promise.all([schoolReportScope(user, query.org), i18next.getLocale(request)]);
  if (!found) return { report: null, orgs: [], org: "", orgName: "", locale, months: query.months };
  const report = await buildReport(found.scope, query);
  const scope = found.scope as { orgId: string; orgName: string };
  return { report, orgs: found.orgs, org: scope.orgId, orgName: scope.orgName, locale, months: query.months };
}

export default function SchoolReports() {
  const { t } = useTranslation("records");
  const { report, orgs, org, orgName, locale, months } = useLoaderData<typeof loader>();
  return (
    <>
      <SchoolHeader title={t("reports.schoolTitle")} lead={orgName ? t("reports.schoolLead", { org: orgName }) : undefined} actions={report ? <ReportFilters months={months} orgs={orgs} org={org} downloadHref={{ path: "/school/reports", query: `months=${months}&org=${encodeURIComponent(org)}` }} /> : null} />
      <div className="mx-auto max-w-6xl space-y-6 px-4 py-8">
        {report ? <ReportView report={report} locale={locale} /> : <Card>{t("reports.noOrg")}</Card>}
      </div>
    </>
  );
}

// Platform reports (issue 10): learners, hours, completions, certificates and live sessions by
// region and priority group over time. Platform admins only.
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { AdminTabs } from "~/components/admin/ui";
import { ReportFilters, ReportView } from "~/components/records/report-view";
import { Page } from "~/components/ui/layout";
import { requireRole } from "~/domains/auth/session.server";
import { buildReport, reportQuerySchema } from "~/domains/reports/reports.server";
import { i18next } from "~/i18next.server";
import { parseOr400, searchParamsOf } from "~/utils/input.server";

export const meta: MetaFunction = () => [{ title: "Reports · Administration · SkillRelay" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, "admin");
  const query = parseOr400(reportQuerySchema, searchParamsOf(request), "filter");
  const [report, locale] = await Promise.all([buildReport({ kind: "platform" }, query), i18next.getLocale(request)]);
  return { report, locale, months: query.months };
}

export default function AdminReports() {
  const { t } = useTranslation("records");
  const { report, locale, months } = useLoaderData<typeof loader>();
  return (
    <Page title={t("reports.platformTitle")} lead={t("reports.platformLead")} actions={<ReportFilters months={months} downloadHref={{ path: "/admin/reports", query: `months=${months}` }} />}>
      <AdminTabs />
      <ReportView report={report} locale={locale} />
    </Page>
  );
}

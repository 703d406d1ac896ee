// The report page's body, shared by /admin/reports (the platform) and /school/reports (one
// organisation): totals, month-by-month chart and table, learners by county, by priority
// group and by poverty county. Every chart has its numbers as a table beside it.
import { Form } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import type { Report } from "~/domains/reports/reports.server";
import { BarChart } from "~/components/ui/bar-chart-view";
import { Badge } from "~/components/ui/feedback";
import { Button, ButtonLink, SelectField } from "~/components/ui/forms";
import { Card, DataTable, EmptyState } from "~/components/ui/layout";

type ReportData = Omit<Report, never>;
const COLORS = { newLearners: "#2563eb", hours: "#059669", completions: "#d97706", certificates: "#7c3aed", liveSessions: "#db2777" };
const METRICS = ["newLearners", "completions", "certificates", "liveSessions"] as const;

/** `downloadHref` is the report's address without its extension: `/admin/reports?months=12` → `.csv` and `.xlsx` links. */
export function ReportFilters({ months, orgs, org, downloadHref }: { months: number; orgs?: Array<{ id: string; name: string }>; org?: string; downloadHref?: { path: string; query: string } }) {
  const { t } = useTranslation("records");
  return (
    <Form method="get" className="flex flex-wrap items-end gap-3" data-testid="report-filters">
      {orgs && orgs.length > 1 ? (
        <SelectField label={t("reports.org")} name="org" defaultValue={org}>
          {orgs.map((o) => (
            <option key={o.id} value={o.id}>{o.name}</option>
          ))}
        </SelectField>
      ) : null}
      <SelectField label={t("reports.period")} name="months" defaultValue={String(months)}>
        {[3, 6, 12, 24, 36].map((m) => (
          <option key={m} value={m}>{t("reports.lastMonths", { count: m })}</option>
        ))}
      </SelectField>
      <Button type="submit" variant="secondary">{t("reports.show")}</Button>
      {downloadHref ? (
        <>
          <ButtonLink to={`${downloadHref.path}.csv?${downloadHref.query}`} variant="secondary" reloadDocument>
            {t("reports.downloadCsv")}
          </ButtonLink>
          <ButtonLink to={`${downloadHref.path}.xlsx?${downloadHref.query}`} variant="secondary" reloadDocument>
            {t("reports.downloadXlsx")}
          </ButtonLink>
        </>
      ) : null}
    </Form>
  );
}

export function ReportView({ report, locale }: { report: ReportData; locale: string }) {
  const { t } = useTranslation("records");
  const zh = locale.startsWith("zh");
  const { totals, monthly } = report;
  const countyName = (r: ReportData["counties"][number]) => (r.key === "" ? t("reports.noCounty") : (zh ? r.nameZh : r.nameEn) || r.key);
  const groupName = (r: ReportData["groups"][number]) => (r.key === "" ? t("reports.noGroup") : zh ? r.nameZh : r.nameEn);
  const activity = {
    labels: monthly.map((m) => m.month),
    vertical: true,
    grouped: true,
    axisLabel: t("reports.count"),
    series: METRICS.map((k) => ({ key: k, label: t(`reports.metric.${k}`), color: COLORS[k], values: monthly.map((m) => m[k]) })),
  };
  const hours = {
    labels: monthly.map((m) => m.month),
    vertical: true,
    axisLabel: t("reports.hoursAxis"),
    series: [{ key: "hours", label: t("reports.metric.hours"), color: COLORS.hours, values: monthly.map((m) => m.hours) }],
  };
  const counties = report.counties.slice(0, 15);
  const countyChart = {
    labels: counties.map(countyName),
    axisLabel: t("reports.metric.learners"),
    series: [{ key: "learners", label: t("reports.metric.learners"), color: COLORS.newLearners, values: counties.map((r) => r.learners) }],
  };
  const groupChart = {
    labels: report.groups.map(groupName),
    axisLabel: t("reports.metric.learners"),
    series: [{ key: "learners", label: t("reports.metric.learners"), color: COLORS.certificates, values: report.groups.map((r) => r.learners) }],
  };
  const figureColumns = [
    { key: "learners", header: t("reports.metric.learners"), cell: (r: { learners: number }) => r.learners, className: "text-right" },
    { key: "hours", header: t("reports.metric.hours"), cell: (r: { hours: number }) => r.hours, className: "text-right" },
    { key: "completions", header: t("reports.metric.completions"), cell: (r: { completions: number }) => r.completions, className: "text-right" },
    { key: "certificates", header: t("reports.metric.certificates"), cell: (r: { certificates: number }) => r.certificates, className: "text-right" },
  ];
  return (
    <>
      <dl className="grid grid-cols-2 gap-3 sm:grid-cols-5" data-testid="report-totals">
        {(["learners", "hours", "completions", "certificates", "liveSessions"] as const).map((k) => (
          <div key={k} className="rounded-xl border border-slate-200 bg-white p-4 shadow-sm">
            <dt className="text-sm text-slate-600">{t(`reports.metric.${k}`)}</dt>
            <dd className="mt-1 text-2xl font-bold" data-metric={k}>{totals[k]}</dd>
          </div>
        ))}
      </dl>
      <p className="text-sm text-slate-600">{t("reports.periodNote", { from: report.months[0], to: report.months[report.months.length - 1] })}</p>

      <Card title={t("reports.overTime")} id="over-time">
        <BarChart data={activity} summary={t("reports.overTimeSummary")} testId="report-chart-activity" />
        <div className="mt-4">
          <BarChart data={hours} summary={t("reports.hoursSummary", { hours: totals.hours })} testId="report-chart-hours" height={220} />
        </div>
        <div className="mt-4">
          <DataTable
            caption={t("reports.overTime")}
            rows={monthly}
            rowKey={(r) => r.month}
            columns={[
              { key: "month", header: t("reports.month"), cell: (r) => r.month },
              ...(["newLearners", "hours", "completions", "certificates", "liveSessions"] as const).map((k) => ({
                key: k,
                header: t(`reports.metric.${k}`),
                cell: (r: (typeof monthly)[number]) => r[k],
                className: "text-right",
              })),
            ]}
          />
        </div>
      </Card>

      <div className="grid grid-cols-1 gap-6 lg:grid-cols-2">
        <Card title={t("reports.byCounty")} id="by-county" className="min-w-0">
          {report.counties.length ? (
            <>
              <BarChart data={countyChart} summary={t("reports.byCountySummary", { count: report.counties.length })} testId="report-chart-county" />
              <div className="mt-4">
                <DataTable
                  caption={t("reports.byCounty")}
                  rows={report.counties}
                  rowKey={(r) => r.key || "none"}
                  columns={[
                    {
                      key: "county",
                      header: t("reports.county"),
                      cell: (r) => (
                        <>
                          {countyName(r)} {r.povertyCounty ? <Badge tone="warning">{t("reports.povertyCounty")}</Badge> : null}
                        </>
                      ),
                    },
                    ...figureColumns,
                  ]}
                />
              </div>
            </>
          ) : (
            <EmptyState>{t("reports.noLearners")}</EmptyState>
          )}
        </Card>
        <Card title={t("reports.byGroup")} id="by-group" className="min-w-0">
          {report.groups.length ? (
            <>
              <BarChart data={groupChart} summary={t("reports.byGroupSummary")} testId="report-chart-group" />
              <p className="mt-2 text-xs text-slate-600">{t("reports.groupsOverlap")}</p>
              <div className="mt-4">
                <DataTable caption={t("reports.byGroup")} rows={report.groups} rowKey={(r) => r.key || "none"} columns={[{ key: "group", header: t("reports.group"), cell: groupName }, ...figureColumns]} />
              </div>
            </>
          ) : (
            <EmptyState>{t("reports.noLearners")}</EmptyState>
          )}
        </Card>
      </div>

      <Card title={t("reports.byPoverty")} id="by-poverty">
        {report.poverty.length ? (
          <DataTable caption={t("reports.byPoverty")} rows={report.poverty} rowKey={(r) => r.key} columns={[{ key: "kind", header: t("reports.county"), cell: (r) => t(`reports.poverty.${r.key}`) }, ...figureColumns]} />
        ) : (
          <EmptyState>{t("reports.noLearners")}</EmptyState>
        )}
      </Card>
    </>
  );
}

// A report (buildReport) as one CSV file: the month-by-month table, then learners by county,
// by priority group and by poverty county, each a titled block with its own header row, in
// the reader's language. The same figures as the page's tables (issue 12).
import type { TFunction } from "i18next";
import { toCsv } from "~/domains/schools/csv";
import type { Report } from "./reports.server";

const MONTH_METRICS = ["newLearners", "hours", "completions", "certificates", "liveSessions"] as const;
const FIGURES = ["learners", "hours", "completions", "certificates"] as const;

export function reportCsv(report: Report, t: TFunction, locale: string): string {
  const zh = locale.startsWith("zh");
  const m = (k: string) => t(`reports.metric.${k}`);
  const rows: Array<Array<string | number>> = [];
  rows.push([t("reports.overTime"), t("reports.periodNote", { from: report.months[0], to: report.months[report.months.length - 1] })]);
  rows.push([t("reports.month"), ...MONTH_METRICS.map(m)]);
  for (const r of report.monthly) rows.push([r.month, ...MONTH_METRICS.map((k) => r[k])]);
  rows.push([t("reports.total"), report.totals.learners, report.totals.hours, report.totals.completions, report.totals.certificates, report.totals.liveSessions]);
  rows.push([]);
  rows.push([t("reports.byCounty")]);
  rows.push([t("reports.countyCode"), t("reports.county"), t("reports.povertyCounty"), ...FIGURES.map(m)]);
  for (const r of report.counties) {
    rows.push([r.key, r.key === "" ? t("reports.noCounty") : (zh ? r.nameZh : r.nameEn) || r.key, r.povertyCounty ? t("reports.yes") : "", ...FIGURES.map((k) => round(r[k]))]);
  }
  rows.push([]);
  rows.push([t("reports.byGroup"), t("reports.groupsOverlap")]);
  rows.push([t("reports.group"), ...FIGURES.map(m)]);
  for (const r of report.groups) rows.push([r.key === "" ? t("reports.noGroup") : zh ? r.nameZh : r.nameEn, ...FIGURES.map((k) => round(r[k]))]);
  rows.push([]);
  rows.push([t("reports.byPoverty")]);
  rows.push([t("reports.county"), ...FIGURES.map(m)]);
  for (const r of report.poverty) rows.push([t(`reports.poverty.${r.key}`), ...FIGURES.map((k) => round(r[k]))]);
  return toCsv(rows);
}

const round = (v: number) => Math.round(v * 10) / 10;

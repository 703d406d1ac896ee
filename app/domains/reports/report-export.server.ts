// A report (buildReport) as a file: CSV (the month-by-month table, then learners by county, by
// priority group and by poverty county, each a titled block with its own header row) or XLSX
// (one sheet per block, numbers as numbers). In the reader's language; the same figures as the
// page's tables (issue 12).
import ExcelJS from "exceljs";
import type { TFunction } from "i18next";
import { toCsv } from "~/domains/schools/csv";
import { fileDownload } from "~/utils/download.server";
import type { Report } from "./reports.server";

const MONTH_METRICS = ["newLearners", "hours", "completions", "certificates", "liveSessions"] as const;
const FIGURES = ["learners", "hours", "completions", "certificates"] as const;

type Cell = string | number;
interface Section {
  title: string;
  note?: string;
  header: string[];
  rows: Cell[][];
  /** The last row is a total (bold in XLSX). */
  total?: boolean;
}

export function reportSections(report: Report, t: TFunction, locale: string): Section[] {
  const zh = locale.startsWith("zh");
  const m = (k: string) => t(`reports.metric.${k}`);
  const figures = (r: Record<(typeof FIGURES)[number], number>) => FIGURES.map((k) => round(r[k]));
  return [
    {
      title: t("reports.overTime"),
      note: t("reports.periodNote", { from: report.months[0], to: report.months[report.months.length - 1] }),
      header: [t("reports.month"), ...MONTH_METRICS.map(m)],
      rows: [
        ...report.monthly.map((r) => [r.month, ...MONTH_METRICS.map((k) => r[k])]),
        [t("reports.total"), report.totals.learners, report.totals.hours, report.totals.completions, report.totals.certificates, report.totals.liveSessions],
      ],
      total: true,
    },
    {
      title: t("reports.byCounty"),
      header: [t("reports.countyCode"), t("reports.county"), t("reports.povertyCounty"), ...FIGURES.map(m)],
      rows: report.counties.map((r) => [r.key, r.key === "" ? t("reports.noCounty") : (zh ? r.nameZh : r.nameEn) || r.key, r.povertyCounty ? t("reports.yes") : "", ...figures(r)]),
    },
    {
      title: t("reports.byGroup"),
      note: t("reports.groupsOverlap"),
      header: [t("reports.group"), ...FIGURES.map(m)],
      rows: report.groups.map((r) => [r.key === "" ? t("reports.noGroup") : zh ? r.nameZh : r.nameEn, ...figures(r)]),
    },
    {
      title: t("reports.byPoverty"),
      header: [t("reports.county"), ...FIGURES.map(m)],
      rows: report.poverty.map((r) => [t(`reports.poverty.${r.key}`), ...figures(r)]),
    },
  ];
}

export function reportCsv(report: Report, t: TFunction, locale: string): string {
  const rows: Cell[][] = [];
  reportSections(report, t, locale).forEach((s, i) => {
    if (i > 0) rows.push([]);
    rows.push(s.note ? [s.title, s.note] : [s.title]);
    rows.push(s.header, ...s.rows);
  });
  return toCsv(rows);
}

export async function reportXlsx(report: Report, t: TFunction, locale: string): Promise<Uint8Array<ArrayBuffer>> {
  const wb = new ExcelJS.Workbook();
  wb.creator = "SkillRelay";
  for (const s of reportSections(report, t, locale)) {
    // Sheet names: at most 31 characters, none of \ / ? * [ ] :
    const ws = wb.addWorksheet(s.title.replace(/[\\/?*[\]:]/g, " ").slice(0, 31), { views: [{ state: "frozen", ySplit: s.note ? 2 : 1 }] });
    if (s.note) ws.addRow([s.note]).font = { italic: true };
    ws.addRow(s.header).font = { bold: true };
    for (const r of s.rows) ws.addRow(r);
    if (s.total && s.rows.length) ws.lastRow!.font = { bold: true };
    ws.columns.forEach((col, i) => (col.width = Math.max(12, String(s.header[i] ?? "").length + 4)));
  }
  return new Uint8Array(await wb.xlsx.writeBuffer());
}

/** The download of a report: `platform-report-2026-01-2026-12.xlsx`. */
export async function reportDownload(report: Report, format: "csv" | "xlsx", t: TFunction, locale: string, baseName: string): Promise<Response> {
  const fileName = `${baseName}-${report.months[0]}-${report.months[report.months.length - 1]}.${format}`;
  return fileDownload(format === "csv" ? reportCsv(report, t, locale) : await reportXlsx(report, t, locale), fileName);
}

const round = (v: number) => Math.round(v * 10) / 10;

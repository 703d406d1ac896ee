// A competition's results table as CSV (UTF-8 with BOM, CRLF: Excel on Chinese Windows) and
// XLSX (exceljs): rank, name, one column per criterion, raw total, standardised score, medal.
// Headers and medal names in the reader's language (assessment namespace, "competition.*").
import ExcelJS from "exceljs";
import { translator } from "~/domains/notifications/translate.server";
import { toCsv } from "~/domains/schools/csv";
import { computeStanding, type Medal, type StandingOptions } from "./standing";

export interface CompetitorResult {
  id: string;
  name: string;
  /** Marks per criterion, in the order of `criteria`. */
  marks: number[];
}

export interface ResultsTable {
  header: string[];
  rows: Array<Array<string | number>>;
}

/** Ranks, standardises and awards medals (standing.ts), then lays out the table. */
export function resultsTable(criteria: string[], competitors: CompetitorResult[], locale: string, opts: StandingOptions = {}): ResultsTable {
  const t = translator(locale, "assessment");
  const raw = new Map(competitors.map((c) => [c.id, Math.round(c.marks.reduce((a, b) => a + b, 0) * 100) / 100]));
  const byId = new Map(competitors.map((c) => [c.id, c]));
  const standing = computeStanding(competitors.map((c) => ({ id: c.id, raw: raw.get(c.id)! })), opts);
  const medal = (m: Medal) => (m ? t(`competition.medals.${m}`) : "");
  return {
    header: [t("competition.rank"), t("competition.name"), ...criteria, t("competition.raw"), t("competition.standardised"), t("competition.medal")],
    rows: standing.map((s) => {
      const c = byId.get(s.id)!;
      return [s.rank, c.name, ...criteria.map((_, i) => c.marks[i] ?? ""), s.raw, s.standardised, medal(s.medal)];
    }),
  };
}

export function resultsCsv(table: ResultsTable) {
  return toCsv([table.header, ...table.rows]);
}

export async function resultsXlsx(table: ResultsTable, sheetName = "Results"): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = "SkillRelay";
  const ws = wb.addWorksheet(sheetName.replace(/[\\/?*[\]:]/g, " ").slice(0, 31) || "Results", { views: [{ state: "frozen", ySplit: 1 }] });
  ws.addRow(table.header).font = { bold: true };
  for (const r of table.rows) ws.addRow(r);
  ws.columns.forEach((col, i) => {
    col.width = i === 1 ? 20 : Math.max(10, String(table.header[i] ?? "").length + 4);
  });
  return Buffer.from(await wb.xlsx.writeBuffer());
}

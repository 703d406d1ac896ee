// XLSX import/export of a marking scheme in the shape of the WorldSkills import sheet: one
// row per aspect. Import reports errors per row and yields nothing if any row is bad.
import ExcelJS from "exceljs";
import { DEFAULT_TOTAL, validateScheme, type AspectInput, type MeasurementConfig, type SchemeInput, type SchemeIssue } from "./scheme";

export const COLUMNS = ["Section", "Weighting %", "Criterion", "Criterion name", "Type", "Aspect description", "Max mark", "Score 0", "Score 1", "Score 2", "Score 3", "Measurement"] as const;

export function formatMeasurement(m: MeasurementConfig | undefined) {
  if (!m) return "";
  if (m.mode === "binary") return "binary";
  if (m.mode === "deduction") return `deduction: ${m.perFault}`;
  return `bands: ${m.bands.map((b) => `${b.upTo}=${b.fraction}`).join("; ")}`;
}

export function parseMeasurement(s: string): MeasurementConfig | null {
  const v = s.trim().toLowerCase();
  if (v === "binary" || v === "") return { mode: "binary" };
  const ded = /^deduction:\s*([\d.]+)$/.exec(v);
  if (ded) return { mode: "deduction", perFault: Number(ded[1]) };
  const bands = /^bands:\s*(.+)$/.exec(v);
  if (bands) {
    const parts = bands[1].split(";").map((p) => p.trim()).filter(Boolean).map((p) => /^([\d.]+)\s*=\s*([\d.]+)$/.exec(p));
    if (parts.some((p) => !p)) return null;
    return { mode: "bands", bands: parts.map((p) => ({ upTo: Number(p![1]), fraction: Number(p![2]) })) };
  }
  return null;
}

export async function exportSchemeXlsx(scheme: SchemeInput): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet("Marking scheme");
  ws.addRow([...COLUMNS]);
  ws.getRow(1).font = { bold: true };
  for (const s of scheme.sections)
    for (const c of s.criteria)
      for (const a of c.aspects) {
        const d = a.kind === "judgement" ? (a.descriptors ?? []) : [];
        ws.addRow([s.name, s.weighting, c.code, c.name, a.kind === "judgement" ? "J" : "M", a.description, a.maxMark, d[0] ?? "", d[1] ?? "", d[2] ?? "", d[3] ?? "", a.kind === "measurement" ? formatMeasurement(a.measurement) : ""]);
      }
  ws.columns.forEach((col, i) => (col.width = i === 5 || (i >= 7 && i <= 10) ? 36 : 14));
  const settings = wb.addWorksheet("Settings");
  settings.addRow(["Total", scheme.total]);
  settings.addRow(["Tolerance", scheme.tolerance]);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

export type RowError = { row: number; column?: string; message: string };

function cellText(v: ExcelJS.CellValue): string {
  if (v === null || v === undefined) return "";
  if (typeof v === "object" && "richText" in v) return v.richText.map((r) => r.text).join("");
  if (typeof v === "object" && "result" in v) return String(v.result ?? "");
  if (typeof v === "object" && "text" in v) return String(v.text);
  return String(v).trim();
}

/** Parse a sheet; errors name the row and column. Scheme-level problems (sums) are reported too. */
export async function importSchemeXlsx(bytes: Buffer | Uint8Array): Promise<{ ok: true; scheme: SchemeInput } | { ok: false; errors: RowError[]; issues: SchemeIssue[] }> {
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(bytes as unknown as ArrayBuffer);
  } catch {
    return { ok: false, errors: [{ row: 0, message: "Not an XLSX file" }], issues: [] };
  }
  const ws = wb.worksheets[0];
  if (!ws) return { ok: false, errors: [{ row: 0, message: "The workbook has no sheet" }], issues: [] };
  const header = (ws.getRow(1).values as ExcelJS.CellValue[]).slice(1).map(cellText);
  const missing = COLUMNS.filter((c, i) => header[i]?.toLowerCase() !== c.toLowerCase());
  if (missing.length) return { ok: false, errors: [{ row: 1, message: `Header must be: ${COLUMNS.join(", ")} (wrong or missing: ${missing.join(", ")})` }], issues: [] };

  const errors: RowError[] = [];
  const scheme: SchemeInput = { total: DEFAULT_TOTAL, tolerance: 0, sections: [] };
  const settings = wb.getWorksheet("Settings");
  if (settings) {
    settings.eachRow((r) => {
      const [k, v] = [cellText(r.getCell(1).value).toLowerCase(), Number(cellText(r.getCell(2).value))];
      if (k === "total" && Number.isFinite(v) && v > 0) scheme.total = v;
      if (k === "tolerance" && Number.isFinite(v) && v >= 0) scheme.tolerance = v;
    });
  }
  for (let r = 2; r <= ws.rowCount; r++) {
    const cells = COLUMNS.map((_, i) => cellText(ws.getRow(r).getCell(i + 1).value));
    if (cells.every((c) => c === "")) continue;
    const [sectionName, weighting, code, criterionName, type, description, max, d0, d1, d2, d3, measurement] = cells;
    const err = (column: string, message: string) => errors.push({ row: r, column, message });
    const before = errors.length;
    if (!sectionName) err("Section", "Section is empty");
    const w = Number(weighting);
    if (!Number.isFinite(w) || w <= 0 || w > 100) err("Weighting %", `Weighting "${weighting}" is not a number between 0 and 100`);
    if (!/^[A-Z]{1,3}$/.test(code)) err("Criterion", `Criterion "${code}" must be letters A, B, C…`);
    if (!criterionName) err("Criterion name", "Criterion name is empty");
    const kind = type.toUpperCase() === "J" ? "judgement" : type.toUpperCase() === "M" ? "measurement" : null;
    if (!kind) err("Type", `Type "${type}" must be M or J`);
    if (!description) err("Aspect description", "Description is empty");
    const maxMark = Number(max);
    if (!Number.isFinite(maxMark) || maxMark <= 0) err("Max mark", `Max mark "${max}" is not a positive number`);
    let aspect: AspectInput | null = null;
    if (kind === "judgement") {
      const descriptors = [d0, d1, d2, d3];
      descriptors.forEach((d, i) => !d && err(`Score ${i}`, `Judgement descriptor for score ${i} is empty`));
      aspect = { kind, description, maxMark, descriptors };
    } else if (kind === "measurement") {
      const m = parseMeasurement(measurement);
      if (!m) err("Measurement", `Measurement "${measurement}" must be binary, "deduction: N" or "bands: 0.5=1; 1=0.5"`);
      aspect = { kind, description, maxMark, measurement: m ?? undefined };
    }
    if (errors.length > before || !aspect) continue;
    let section = scheme.sections.find((s) => s.name === sectionName);
    if (!section) scheme.sections.push((section = { name: sectionName, weighting: w, criteria: [] }));
    else if (section.weighting !== w) {
      err("Weighting %", `Section "${sectionName}" has weighting ${section.weighting} on an earlier row`);
      continue;
    }
    let criterion = section.criteria.find((c) => c.code === code);
    if (!criterion) section.criteria.push((criterion = { code, name: criterionName, aspects: [] }));
    criterion.aspects.push(aspect);
  }
  if (errors.length === 0 && scheme.sections.length === 0) errors.push({ row: 2, message: "The sheet has no aspects" });
  if (errors.length) return { ok: false, errors, issues: [] };
  const issues = validateScheme(scheme);
  if (issues.length) return { ok: false, errors: [], issues };
  return { ok: true, scheme };
}

// The county list as a CSV file (/admin/regions): decoded and split by the school import's
// helpers (schools/csv.ts: UTF-8, GB18030, UTF-16; RFC 4180), then checked row by row. A file
// with any error is refused whole (decision 021).
import { z } from "zod";
import { decodeImportFile, MAX_IMPORT_BYTES, parseCsv } from "~/domains/schools/csv";
import { hasControlCharacters } from "~/utils/input";

import { MAX_REGION_BYTES, MAX_REGION_ROWS } from "./options";
export { MAX_REGION_BYTES, MAX_REGION_ROWS } from "./options";

export interface RegionRow {
  code: string;
  name: string;
  nameEn: string;
  province: string;
  povertyCounty: boolean;
}

export type RegionRowError = { line: number; code: "row_code" | "row_name" | "row_long" | "row_poverty" | "row_duplicate" };
export type RegionFileError = "file" | "empty" | "header" | "tooMany" | "tooLarge" | "quote";
export type ParsedRegions = { ok: true; rows: RegionRow[] } | { ok: false; fileError: RegionFileError | null; errors: RegionRowError[]; rows: RegionRow[] };

type Column = keyof RegionRow;
const HEADERS: Record<Column, string[]> = {
  code: ["code", "代码", "区划代码", "行政区划代码"],
  name: ["name", "namezh", "名称", "县", "县名", "中文名称"],
  nameEn: ["nameen", "english", "英文名称", "英文名"],
  province: ["province", "省", "省份"],
  povertyCounty: ["poverty", "povertycounty", "重点县", "脱贫县", "贫困县"],
};
const YES = ["1", "yes", "y", "true", "是", "√"];
const NO = ["0", "no", "n", "false", "否", ""];

export const regionFieldsSchema = z.object({
  name: z.string().trim().min(1, "regions.errors.name").max(60).refine((s) => !hasControlCharacters(s), "regions.errors.name"),
  nameEn: z.string().trim().max(80).refine((s) => !hasControlCharacters(s), "regions.errors.bad"),
  province: z.string().trim().max(40).refine((s) => !hasControlCharacters(s), "regions.errors.bad"),
  povertyCounty: z.boolean(),
});
export const regionCodeSchema = z.string().regex(/^\d{6}$/, "regions.errors.code");

const norm = (h: string) => h.normalize("NFKC").trim().toLowerCase().replace(/[\s_-]/g, "");

export function parseRegionFile(bytes: Uint8Array): ParsedRegions {
  const fail = (fileError: RegionFileError): ParsedRegions => ({ ok: false, fileError, errors: [], rows: [] });
  if (bytes.length > MAX_REGION_BYTES) return fail("tooLarge");
  const decoded = decodeImportFile(bytes);
  if (!decoded.ok) return fail(decoded.error === "empty" ? "empty" : decoded.error === "tooLarge" ? "tooLarge" : "file");
  const parsed = parseCsv(decoded.text.replace(/^\uFEFF/, ""));
  if (!parsed.ok) return fail("quote");
  const records = parsed.records.filter((r) => r.cells.some((c) => c.trim() !== ""));
  if (records.length < 2) return fail("empty");
  const [header, ...data] = records;
  if (data.length > MAX_REGION_ROWS) return fail("tooMany");
  const index = {} as Record<Column, number>;
  header.cells.forEach((cell, i) => {
    const col = (Object.keys(HEADERS) as Column[]).find((c) => HEADERS[c].includes(norm(cell)));
    if (col && index[col] === undefined) index[col] = i;
  });
  if (index.code === undefined || index.name === undefined) return fail("header");

  const rows: RegionRow[] = [];
  const errors: RegionRowError[] = [];
  const seen = new Set<string>();
  for (const r of data) {
    const cell = (c: Column) => (index[c] === undefined ? "" : (r.cells[index[c]] ?? "").normalize("NFKC").trim());
    const code = cell("code");
    const poverty = cell("povertyCounty").toLowerCase();
    const row = { code, name: cell("name"), nameEn: cell("nameEn"), province: cell("province"), povertyCounty: YES.includes(poverty) };
    let error: RegionRowError["code"] | null = null;
    if (!/^\d{6}$/.test(code)) error = "row_code";
    else if (!row.name || row.name.length > 60 || hasControlCharacters(row.name)) error = "row_name";
    else if (row.nameEn.length > 80 || row.province.length > 40 || hasControlCharacters(row.nameEn + row.province)) error = "row_long";
    else if (!YES.includes(poverty) && !NO.includes(poverty)) error = "row_poverty";
    else if (seen.has(code)) error = "row_duplicate";
    seen.add(code);
    if (error) errors.push({ line: r.line, code: error });
    else rows.push(row);
  }
  return errors.length ? { ok: false, fileError: null, errors, rows } : { ok: true, rows };
}

// Learner import files: decoding, CSV parsing and row validation. Pure (no database), so
// every rule is unit-tested; matching rows against existing accounts is in import.server.ts.
//
// Columns (header names in English or Chinese, any order, case-insensitive):
//   name / 姓名 (required) · phone / 手机号 · email / 邮箱 (at least one of the two)
//   id_number / 身份证号 (optional) · cohort / 班级 (optional)
import { idNumberProblem, normalizeIdNumber } from "~/domains/records/id-number";
import { looksLikeExcelNumber, normalizeEmail, normalizePhone } from "./contact";

export const MAX_IMPORT_BYTES = 2 * 1024 * 1024;
export const MAX_IMPORT_ROWS = 5000;
export const MAX_NAME_LENGTH = 80;

// ───────────────────────────── decoding ─────────────────────────────

export type CsvEncoding = "utf-8" | "gb18030" | "utf-16le" | "utf-16be";
export type DecodeResult =
  | { ok: true; text: string; encoding: CsvEncoding; bom: boolean }
  | { ok: false; error: "empty" | "xlsx" | "binary" | "unknownEncoding" | "tooLarge" };

const strict = (label: string) => new TextDecoder(label, { fatal: true, ignoreBOM: true });

/**
 * UTF-8 (with or without BOM), UTF-16 with BOM (Excel's "Unicode text"), and GBK/GB18030
 * (what Excel on Chinese Windows writes for "CSV (comma delimited)"). A file that is valid
 * UTF-8 is read as UTF-8; otherwise GB18030 is tried; the page says which one was used so
 * the admin can check the names in the preview.
 */
export function decodeImportFile(bytes: Uint8Array): DecodeResult {
  if (bytes.length === 0) return { ok: false, error: "empty" };
  if (bytes.length > MAX_IMPORT_BYTES) return { ok: false, error: "tooLarge" };
  if (bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04) return { ok: false, error: "xlsx" };
  const finish = (text: string, encoding: CsvEncoding, bom: boolean): DecodeResult =>
    text.includes("\u0000") ? { ok: false, error: "binary" } : { ok: true, text, encoding, bom };
  try {
    if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return finish(strict("utf-8").decode(bytes.subarray(3)), "utf-8", true);
    if (bytes[0] === 0xff && bytes[1] === 0xfe) return finish(strict("utf-16le").decode(bytes.subarray(2)), "utf-16le", true);
    if (bytes[0] === 0xfe && bytes[1] === 0xff) return finish(strict("utf-16be").decode(bytes.subarray(2)), "utf-16be", true);
  } catch {
    return { ok: false, error: "unknownEncoding" };
  }
  try {
    return finish(strict("utf-8").decode(bytes), "utf-8", false);
  } catch {
    // not UTF-8: fall through
  }
  try {
    return finish(strict("gb18030").decode(bytes), "gb18030", false);
  } catch {
    return { ok: false, error: "unknownEncoding" };
  }
}

// ───────────────────────────── parsing ─────────────────────────────

export interface CsvRecord {
  /** 1-based line of the file where the record starts (the header is line 1). */
  line: number;
  cells: string[];
}

export type ParseResult = { ok: true; records: CsvRecord[]; delimiter: string } | { ok: false; error: "unterminatedQuote"; line: number };

function detectDelimiter(text: string) {
  const firstLine = text.slice(0, text.search(/\r?\n|$/));
  const counts = [",", "\t", ";"].map((d) => [d, firstLine.split(d).length - 1] as const);
  const best = counts.reduce((a, b) => (b[1] > a[1] ? b : a));
  return best[1] > 0 ? best[0] : ",";
}

/** RFC 4180: quoted fields, doubled quotes, CRLF or LF, line breaks inside quotes. */
export function parseCsv(text: string, delimiter = detectDelimiter(text)): ParseResult {
  const records: CsvRecord[] = [];
  let cells: string[] = [];
  let cell = "";
  let line = 1;
  let recordLine = 1;
  let inQuotes = false;
  let quoteLine = 1;
  let i = 0;
  const endRecord = () => {
    cells.push(cell);
    records.push({ line: recordLine, cells });
    cells = [];
    cell = "";
  };
  while (i < text.length) {
    const ch = text[i];
    if (inQuotes) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          cell += '"';
          i += 2;
          continue;
        }
        inQuotes = false;
      } else {
        if (ch === "\n") line++;
        cell += ch;
      }
      i++;
      continue;
    }
    if (ch === '"' && cell.trim() === "") {
      inQuotes = true;
      quoteLine = line;
      cell = "";
    } else if (ch === delimiter) {
      cells.push(cell);
      cell = "";
    } else if (ch === "\r" || ch === "\n") {
      if (ch === "\r" && text[i + 1] === "\n") i++;
      endRecord();
      line++;
      recordLine = line;
    } else {
      cell += ch;
    }
    i++;
  }
  if (inQuotes) return { ok: false, error: "unterminatedQuote", line: quoteLine };
  if (cell !== "" || cells.length > 0) endRecord();
  return { ok: true, records, delimiter };
}

// ───────────────────────────── columns ─────────────────────────────

export type ImportField = "name" | "email" | "phone" | "idNumber" | "cohort";

const HEADER_ALIASES: Record<ImportField, string[]> = {
  name: ["name", "fullname", "learner", "learnername", "姓名", "名字", "学员姓名"],
  email: ["email", "mail", "emailaddress", "邮箱", "电子邮件", "电子邮箱", "邮件"],
  phone: ["phone", "mobile", "phonenumber", "mobilephone", "cellphone", "手机", "手机号", "手机号码", "电话", "联系电话", "电话号码"],
  idNumber: ["idnumber", "id", "idcard", "residentid", "身份证", "身份证号", "身份证号码", "证件号码", "证件号"],
  cohort: ["cohort", "class", "classname", "group", "班级", "班级名称", "班别"],
};

function normalizeHeader(h: string) {
  return h.normalize("NFKC").trim().toLowerCase().replace(/[\s_\-.:：]/g, "");
}

export type HeaderResult =
  | { ok: true; columns: Partial<Record<ImportField, number>>; ignored: string[] }
  | { ok: false; error: "missingName" | "missingContact" | "duplicateColumn"; column?: string };

export function mapHeader(cells: string[]): HeaderResult {
  const columns: Partial<Record<ImportField, number>> = {};
  const ignored: string[] = [];
  for (const [index, raw] of cells.entries()) {
    const h = normalizeHeader(raw);
    if (!h) continue;
    const field = (Object.keys(HEADER_ALIASES) as ImportField[]).find((f) => HEADER_ALIASES[f].includes(h));
    if (!field) {
      ignored.push(raw.trim());
      continue;
    }
    if (columns[field] !== undefined) return { ok: false, error: "duplicateColumn", column: raw.trim() };
    columns[field] = index;
  }
  if (columns.name === undefined) return { ok: false, error: "missingName" };
  if (columns.email === undefined && columns.phone === undefined) return { ok: false, error: "missingContact" };
  return { ok: true, columns, ignored };
}

// ───────────────────────────── rows ─────────────────────────────

export interface ImportRow {
  line: number;
  name: string;
  email: string | null;
  phone: string | null;
  /** Normalised (upper-case X, no spaces); never stored in clear. */
  idNumber: string | null;
  /** Cohort name as written; null means the cohort chosen on the form (if any). */
  cohort: string | null;
}

export type RowErrorCode =
  | "nameRequired"
  | "nameTooLong"
  | "contactRequired"
  | "emailInvalid"
  | "phoneInvalid"
  | "excelNumber"
  | "idFormat"
  | "idRegion"
  | "idBirthDate"
  | "idChecksum"
  | "cohortTooLong"
  | "duplicateInFile"
  | "extraCells"
  // Found against the database (import.server.ts):
  | "identityConflict"
  | "notALearner"
  | "emailMismatch"
  | "phoneMismatch"
  | "idMismatch"
  | "samePersonInFile"
  // Someone else's account matched by an e-mail, phone or ID number its owner has not verified.
  | "notMatchable";

export interface RowError {
  line: number;
  field?: ImportField;
  code: RowErrorCode;
  /** The offending value as typed (ID numbers masked), to show next to the reason. */
  value?: string;
  /** For duplicates: the earlier line with the same value. */
  otherLine?: number;
}

export type FileError =
  | {
      code:
        | "empty"
        | "xlsx"
        | "binary"
        | "unknownEncoding"
        | "tooLarge"
        | "noRows"
        | "tooManyRows"
        | "missingName"
        | "missingContact"
        | "concurrentChange";
    }
  | { code: "unterminatedQuote"; line: number }
  | { code: "duplicateColumn"; column?: string };

export interface ParsedImport {
  rows: ImportRow[];
  errors: RowError[];
  fileError: FileError | null;
  ignoredColumns: string[];
  encoding: CsvEncoding | null;
}

function maskForMessage(id: string) {
  return id.length > 8 ? `${id.slice(0, 4)}${"*".repeat(id.length - 8)}${id.slice(-4)}` : id;
}

/** Validates one row's cells; the caller checks duplicates across rows. */
export function validateRow(
  line: number,
  input: { name?: string; email?: string; phone?: string; idNumber?: string; cohort?: string },
  today = new Date(),
): { row: ImportRow | null; errors: RowError[] } {
  const errors: RowError[] = [];
  // Control characters (a NUL from a broken export…) are never part of a name.
  const name = (input.name ?? "").normalize("NFKC").replace(/[\s\u0000-\u001f\u007f]+/g, " ").trim();
  if (!name) errors.push({ line, field: "name", code: "nameRequired" });
  else if (name.length > MAX_NAME_LENGTH) errors.push({ line, field: "name", code: "nameTooLong" });

  const rawEmail = (input.email ?? "").trim();
  const rawPhone = (input.phone ?? "").trim();
  let email: string | null = null;
  let phone: string | null = null;
  if (!rawEmail && !rawPhone) errors.push({ line, field: "phone", code: "contactRequired" });
  if (rawEmail) {
    email = normalizeEmail(rawEmail);
    if (!email) errors.push({ line, field: "email", code: "emailInvalid", value: rawEmail });
  }
  if (rawPhone) {
    phone = normalizePhone(rawPhone);
    if (!phone) errors.push({ line, field: "phone", code: looksLikeExcelNumber(rawPhone) ? "excelNumber" : "phoneInvalid", value: rawPhone });
  }

  let idNumber: string | null = null;
  const rawId = (input.idNumber ?? "").trim();
  if (rawId) {
    if (looksLikeExcelNumber(rawId)) {
      errors.push({ line, field: "idNumber", code: "excelNumber", value: rawId });
    } else {
      const normalized = normalizeIdNumber(rawId.normalize("NFKC"));
      const problem = idNumberProblem(normalized, today);
      if (problem) {
        const code = ({ format: "idFormat", region: "idRegion", birthDate: "idBirthDate", checksum: "idChecksum" } as const)[problem];
        errors.push({ line, field: "idNumber", code, value: maskForMessage(normalized) });
      } else {
        idNumber = normalized;
      }
    }
  }

  const cohort = (input.cohort ?? "").normalize("NFKC").replace(/[\s\u0000-\u001f\u007f]+/g, " ").trim() || null;
  if (cohort && cohort.length > MAX_NAME_LENGTH) errors.push({ line, field: "cohort", code: "cohortTooLong" });

  return { row: errors.length ? null : { line, name, email, phone, idNumber, cohort }, errors };
}

/** Duplicate e-mails, phones or ID numbers inside the file: each later line is an error. */
export function findDuplicatesInFile(rows: ImportRow[]): RowError[] {
  const errors: RowError[] = [];
  const seen: Record<"email" | "phone" | "idNumber", Map<string, number>> = { email: new Map(), phone: new Map(), idNumber: new Map() };
  for (const row of rows) {
    for (const field of ["email", "phone", "idNumber"] as const) {
      const value = row[field];
      if (!value) continue;
      const first = seen[field].get(value);
      if (first !== undefined) {
        errors.push({ line: row.line, field, code: "duplicateInFile", otherLine: first, value: field === "idNumber" ? maskForMessage(value) : value });
      } else {
        seen[field].set(value, row.line);
      }
    }
  }
  return errors;
}

/** Bytes of an uploaded file to validated rows and every problem found, with line numbers. */
export function parseImportFile(bytes: Uint8Array, today = new Date()): ParsedImport {
  const decoded = decodeImportFile(bytes);
  if (!decoded.ok) return { rows: [], errors: [], fileError: { code: decoded.error }, ignoredColumns: [], encoding: null };
  return parseImportText(decoded.text, decoded.encoding, today);
}

export function parseImportText(text: string, encoding: CsvEncoding | null = "utf-8", today = new Date()): ParsedImport {
  const out = (partial: Partial<ParsedImport>): ParsedImport => ({ rows: [], errors: [], fileError: null, ignoredColumns: [], encoding, ...partial });
  const parsed = parseCsv(text.replace(/^\uFEFF/, ""));
  if (!parsed.ok) return out({ fileError: { code: "unterminatedQuote", line: parsed.line } });
  const nonEmpty = parsed.records.filter((r) => r.cells.some((c) => c.trim() !== ""));
  if (nonEmpty.length === 0) return out({ fileError: { code: "empty" } });
  const [headerRecord, ...dataRecords] = nonEmpty;
  const header = mapHeader(headerRecord.cells);
  if (!header.ok) {
    return out({ fileError: header.error === "duplicateColumn" ? { code: "duplicateColumn", column: header.column } : { code: header.error } });
  }
  if (dataRecords.length === 0) return out({ fileError: { code: "noRows" }, ignoredColumns: header.ignored });
  if (dataRecords.length > MAX_IMPORT_ROWS) return out({ fileError: { code: "tooManyRows" }, ignoredColumns: header.ignored });

  const rows: ImportRow[] = [];
  const errors: RowError[] = [];
  const width = headerRecord.cells.length;
  const cell = (record: CsvRecord, field: ImportField) => {
    const index = header.columns[field];
    return index === undefined ? undefined : (record.cells[index] ?? "");
  };
  for (const record of dataRecords) {
    if (record.cells.slice(width).some((c) => c.trim() !== "")) {
      errors.push({ line: record.line, code: "extraCells" });
      continue;
    }
    const result = validateRow(
      record.line,
      {
        name: cell(record, "name"),
        email: cell(record, "email"),
        phone: cell(record, "phone"),
        idNumber: cell(record, "idNumber"),
        cohort: cell(record, "cohort"),
      },
      today,
    );
    errors.push(...result.errors);
    if (result.row) rows.push(result.row);
  }
  errors.push(...findDuplicatesInFile(rows));
  errors.sort((a, b) => a.line - b.line);
  return out({ rows, errors, ignoredColumns: header.ignored });
}

// ───────────────────────────── writing ─────────────────────────────

/** One CSV cell: quoted when needed, and formulas defused so Excel shows text, not a result. */
export function csvCell(value: string | number | null | undefined) {
  let s = value === null || value === undefined ? "" : String(value);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n;]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Rows to CSV text with CRLF line ends and a UTF-8 BOM, so Excel opens Chinese text correctly. */
export function toCsv(rows: Array<Array<string | number | null | undefined>>) {
  return "\uFEFF" + rows.map((r) => r.map(csvCell).join(",")).join("\r\n") + "\r\n";
}

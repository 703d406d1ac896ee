import { describe, expect, it } from "vitest";
import {
  csvCell,
  decodeImportFile,
  mapHeader,
  parseCsv,
  parseImportFile,
  parseImportText,
  toCsv,
  validateRow,
} from "~/domains/schools/csv";
import { normalizeEmail, normalizePhone } from "~/domains/schools/contact";
import { maskPhone } from "~/utils/mask";
import { assignmentStatus, dateInSchoolZone, dueAtFromDate } from "~/domains/schools/status";
import { checkCharacter, idNumberProblem, isValidIdNumber, maskFromLast4, maskIdNumber, normalizeIdNumber } from "~/domains/records/id-number";

const utf8 = (s: string) => new TextEncoder().encode(s);
const withBom = (s: string) => new Uint8Array([0xef, 0xbb, 0xbf, ...utf8(s)]);
/** A valid ID number for a region, birth date and sequence. */
const id = (region: string, born: string, seq: string) => `${region}${born}${seq}` + checkCharacter(`${region}${born}${seq}`);

describe("ID numbers (GB 11643)", () => {
  it("accepts numbers whose check character matches, including a final X", () => {
    expect(idNumberProblem("11010519491231002X")).toBeNull();
    expect(isValidIdNumber("11010519491231002x")).toBe(true);
    expect(isValidIdNumber(" 5134 3120 0603 1410 0" + checkCharacter("51343120060314100"))).toBe(true);
    expect(idNumberProblem(id("513431", "20060314", "100"))).toBeNull();
  });

  it("says what is wrong with a bad number", () => {
    expect(idNumberProblem("1101051949123100")).toBe("format");
    expect(idNumberProblem("11010519491231002Y")).toBe("format");
    expect(idNumberProblem(id("990105", "19491231", "002"))).toBe("region");
    expect(idNumberProblem(id("110105", "20060230", "002"))).toBe("birthDate");
    expect(idNumberProblem(id("110105", "18891231", "002"))).toBe("birthDate");
    expect(idNumberProblem(id("110105", "20990101", "002"), new Date("2026-01-01"))).toBe("birthDate");
    expect(idNumberProblem("110105194912310021")).toBe("checksum");
  });

  it("normalises and masks", () => {
    expect(normalizeIdNumber("110105 19491231 002x")).toBe("11010519491231002X");
    expect(maskIdNumber("11010519491231002X")).toBe("1101**********002X");
    expect(maskFromLast4("002X")).toBe("**************002X");
    expect(maskFromLast4(null)).toBe("");
  });
});

describe("contact details", () => {
  it("stores mainland mobile numbers as 11 digits", () => {
    expect(normalizePhone("138 0013 8000")).toBe("13800138000");
    expect(normalizePhone("+86 138-0013-8000")).toBe("13800138000");
    expect(normalizePhone("008613800138000")).toBe("13800138000");
    expect(normalizePhone("１３８００１３８０００")).toBe("13800138000"); // full-width digits
    expect(normalizePhone("12800138000")).toBeNull();
    expect(normalizePhone("0834-2212345")).toBeNull();
    expect(maskPhone("13800138000")).toBe("138****8000");
  });

  it("lower-cases and checks e-mails", () => {
    expect(normalizeEmail("  Li.Ming@Example.COM ")).toBe("li.ming@example.com");
    expect(normalizeEmail("not-an-email")).toBeNull();
  });
});

describe("decoding uploaded files", () => {
  it("reads UTF-8 with and without a BOM", () => {
    expect(decodeImportFile(withBom("姓名\n"))).toEqual({ ok: true, text: "姓名\n", encoding: "utf-8", bom: true });
    expect(decodeImportFile(utf8("姓名\n"))).toMatchObject({ ok: true, text: "姓名\n", encoding: "utf-8", bom: false });
  });

  it("recognises GBK from Chinese Excel and says so", () => {
    // "姓名,手机号\n张三,13800138000\n" in GBK
    const gbk = new Uint8Array([
      0xd0, 0xd5, 0xc3, 0xfb, 0x2c, 0xca, 0xd6, 0xbb, 0xfa, 0xba, 0xc5, 0x0a, 0xd5, 0xc5, 0xc8, 0xfd, 0x2c,
      ...utf8("13800138000\n"),
    ]);
    expect(decodeImportFile(gbk)).toEqual({ ok: true, text: "姓名,手机号\n张三,13800138000\n", encoding: "gb18030", bom: false });
    const parsed = parseImportFile(gbk);
    expect(parsed.encoding).toBe("gb18030");
    expect(parsed.rows[0]).toMatchObject({ name: "张三", phone: "13800138000" });
  });

  it("reads UTF-16 with a BOM (Excel's Unicode text, tab-separated)", () => {
    const text = "姓名\t手机号\r\n李娟\t13800138001\r\n";
    const bytes = new Uint8Array([0xff, 0xfe, ...new Uint8Array(Buffer.from(text, "utf16le"))]);
    const parsed = parseImportFile(bytes);
    expect(parsed.encoding).toBe("utf-16le");
    expect(parsed.fileError).toBeNull();
    expect(parsed.rows).toEqual([{ line: 2, name: "李娟", phone: "13800138001", email: null, idNumber: null, cohort: null }]);
  });

  it("refuses workbooks, binaries and empty files with a clear reason", () => {
    expect(decodeImportFile(new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0, 0]))).toEqual({ ok: false, error: "xlsx" });
    expect(decodeImportFile(new Uint8Array([0x41, 0x00, 0x42]))).toEqual({ ok: false, error: "binary" });
    expect(decodeImportFile(new Uint8Array())).toEqual({ ok: false, error: "empty" });
    expect(parseImportFile(new Uint8Array([0x50, 0x4b, 0x03, 0x04])).fileError).toEqual({ code: "xlsx" });
  });
});

describe("CSV parsing", () => {
  it("handles quotes, doubled quotes, CRLF and line breaks inside quotes, with line numbers", () => {
    const result = parseCsv('name,note\r\n"Wang, Jun","said ""hi""\nthen left"\r\nLi,ok\r\n');
    expect(result).toEqual({
      ok: true,
      delimiter: ",",
      records: [
        { line: 1, cells: ["name", "note"] },
        { line: 2, cells: ["Wang, Jun", 'said "hi"\nthen left'] },
        { line: 4, cells: ["Li", "ok"] },
      ],
    });
  });

  it("detects semicolons and tabs, and reports an unclosed quote's line", () => {
    expect(parseCsv("a;b\n1;2").ok && parseCsv("a;b\n1;2")).toMatchObject({ delimiter: ";" });
    expect(parseCsv("a\tb\n1\t2")).toMatchObject({ delimiter: "\t" });
    expect(parseCsv('a,b\n1,"2\n3,4\n')).toEqual({ ok: false, error: "unterminatedQuote", line: 2 });
  });

  it("maps English and Chinese headers, and needs a name and a contact column", () => {
    expect(mapHeader(["姓名", "手机号", "邮箱", "身份证号", "班级", "备注"])).toEqual({
      ok: true,
      columns: { name: 0, phone: 1, email: 2, idNumber: 3, cohort: 4 },
      ignored: ["备注"],
    });
    expect(mapHeader(["Name", "E-mail", "ID Number", "Cohort"])).toMatchObject({ ok: true, columns: { name: 0, email: 1, idNumber: 2, cohort: 3 } });
    expect(mapHeader(["phone", "email"])).toEqual({ ok: false, error: "missingName" });
    expect(mapHeader(["name", "cohort"])).toEqual({ ok: false, error: "missingContact" });
    expect(mapHeader(["name", "phone", "手机号"])).toEqual({ ok: false, error: "duplicateColumn", column: "手机号" });
  });
});

describe("row validation", () => {
  it("accepts a good file and normalises every field", () => {
    const parsed = parseImportText(
      [
        "姓名,手机号,邮箱,身份证号,班级",
        `吉克阿依,138 0013 8000,,${id("513431", "20060314", "100")},2025级焊接1班`,
        `王建国,,Wang.JG@Example.com,,`,
        ``,
        `李娟,+8613800138002,li@example.com,${id("513401", "20041119", "111").toLowerCase()}, 2025级焊接1班 `,
      ].join("\n"),
    );
    expect(parsed.fileError).toBeNull();
    expect(parsed.errors).toEqual([]);
    expect(parsed.rows).toEqual([
      { line: 2, name: "吉克阿依", phone: "13800138000", email: null, idNumber: id("513431", "20060314", "100"), cohort: "2025级焊接1班" },
      { line: 3, name: "王建国", phone: null, email: "wang.jg@example.com", idNumber: null, cohort: null },
      { line: 5, name: "李娟", phone: "13800138002", email: "li@example.com", idNumber: id("513401", "20041119", "111"), cohort: "2025级焊接1班" },
    ]);
  });

  it("reports every bad row with its line and reason", () => {
    const parsed = parseImportText(
      [
        "name,phone,email,id_number,cohort",
        ",13800138000,,,", // 2: no name
        "A,,,,", // 3: no contact
        "B,12345,,,", // 4: bad phone
        "C,,c@,,", // 5: bad e-mail
        "D,1.38001E+10,,,", // 6: Excel ate the phone
        "E,13800138005,,110105194912310021,", // 7: ID checksum
        "F,13800138006,,5.13431E+17,", // 8: Excel ate the ID
        `G,13800138007,,,${"x".repeat(81)}`, // 9: cohort name too long
        "H,13800138008,,,,extra", // 10: stray cell
        "I,13800138009,,,", // 11: fine
      ].join("\n"),
    );
    expect(parsed.rows.map((r) => r.line)).toEqual([11]);
    expect(parsed.errors.map((e) => [e.line, e.field ?? null, e.code])).toEqual([
      [2, "name", "nameRequired"],
      [3, "phone", "contactRequired"],
      [4, "phone", "phoneInvalid"],
      [5, "email", "emailInvalid"],
      [6, "phone", "excelNumber"],
      [7, "idNumber", "idChecksum"],
      [8, "idNumber", "excelNumber"],
      [9, "cohort", "cohortTooLong"],
      [10, null, "extraCells"],
    ]);
    // ID numbers in messages are masked.
    expect(parsed.errors.find((e) => e.line === 7)?.value).toBe("1101**********0021");
  });

  it("reports duplicate e-mails, phones and ID numbers inside the file, pointing at the first line", () => {
    const dupId = id("513431", "20060314", "100");
    const parsed = parseImportText(
      [
        "name,phone,email,id_number",
        `A,13800138000,a@example.com,${dupId}`,
        "B,+86 138 0013 8000,,",
        "C,,A@Example.com,",
        `D,13800138003,,${dupId}`,
      ].join("\n"),
    );
    expect(parsed.errors.map((e) => [e.line, e.field, e.code, e.otherLine])).toEqual([
      [3, "phone", "duplicateInFile", 2],
      [4, "email", "duplicateInFile", 2],
      [5, "idNumber", "duplicateInFile", 2],
    ]);
  });

  it("reports file-level problems", () => {
    expect(parseImportText("").fileError).toEqual({ code: "empty" });
    expect(parseImportText("name,phone\n").fileError).toEqual({ code: "noRows" });
    expect(parseImportText("name,phone\n\"A,1").fileError).toEqual({ code: "unterminatedQuote", line: 2 });
    expect(parseImportText("name,班级\nA,1").fileError).toEqual({ code: "missingContact" });
    const many = ["name,phone", ...Array.from({ length: 5001 }, (_, i) => `L${i},1380000${String(i).padStart(4, "0")}`)].join("\n");
    expect(parseImportText(many).fileError).toEqual({ code: "tooManyRows" });
  });

  it("validates one typed learner the same way", () => {
    expect(validateRow(1, { name: " 刘 洋 ", phone: "13800138000" }).row).toMatchObject({ name: "刘 洋", phone: "13800138000" });
    expect(validateRow(1, { name: "x" }).errors.map((e) => e.code)).toEqual(["contactRequired"]);
  });
});

describe("CSV export", () => {
  it("starts with a BOM, uses CRLF, quotes what needs it and defuses formulas", () => {
    expect(toCsv([["姓名", "课程"], ["李娟", 'Weld, "TIG"'], ["=HYPERLINK(1)", "+1"]])).toBe(
      '\uFEFF姓名,课程\r\n李娟,"Weld, ""TIG"""\r\n\'=HYPERLINK(1),\'+1\r\n',
    );
    expect(csvCell(42)).toBe("42");
    expect(csvCell(null)).toBe("");
  });
});

describe("assignment status and due dates", () => {
  const due = dueAtFromDate("2026-03-01")!;
  it("is the end of the day in Beijing time", () => {
    expect(due.toISOString()).toBe("2026-03-01T15:59:59.999Z");
    expect(dateInSchoolZone(due)).toBe("2026-03-01");
    expect(dueAtFromDate("2026-02-30")).toBeNull();
    expect(dueAtFromDate("tomorrow")).toBeNull();
  });

  it("marks unfinished work past the due date as overdue", () => {
    const before = new Date("2026-03-01T12:00:00Z");
    const after = new Date("2026-03-01T16:00:00Z");
    expect(assignmentStatus({ completed: 0, total: 4 }, due, before)).toBe("notStarted");
    expect(assignmentStatus({ completed: 2, total: 4 }, due, before)).toBe("inProgress");
    expect(assignmentStatus({ completed: 2, total: 4 }, due, after)).toBe("overdue");
    expect(assignmentStatus({ completed: 4, total: 4 }, due, after)).toBe("completed");
    expect(assignmentStatus({ completed: 0, total: 0 }, due, before)).toBe("notStarted");
  });
});

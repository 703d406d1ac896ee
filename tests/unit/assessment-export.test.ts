import ExcelJS from "exceljs";
import { describe, expect, it } from "vitest";
import { resultsCsv, resultsTable, resultsXlsx } from "~/domains/assessment/results-export.server";

const criteria = ["安全 Safety", "Quality"];
const competitors = [
  { id: "a", name: "王小明", marks: [40, 42] },
  { id: "b", name: "李雷", marks: [30, 46] },
  { id: "c", name: "韩梅梅", marks: [35, 35] },
  { id: "d", name: "Zhang, \"Jr\"", marks: [32, 32] },
  { id: "e", name: "刘洋", marks: [29, 29] },
];

describe("competition results export", () => {
  it("CSV: BOM, header in the reader's language, ranks, standardised scores, medals; quoting", () => {
    const csv = resultsCsv(resultsTable(criteria, competitors, "zh-CN"));
    expect(csv.startsWith("\uFEFF")).toBe(true);
    const lines = csv.slice(1).trimEnd().split("\r\n");
    expect(lines[0]).toBe("名次,姓名,安全 Safety,Quality,原始分,标准分,奖牌");
    // raw 82, 76, 70, 64, 58: the worked example of docs/assessment-scale.md
    expect(lines[1]).toBe("1,王小明,40,42,82,841,金牌");
    expect(lines[2]).toBe("2,李雷,30,46,76,771,银牌");
    expect(lines[3]).toBe("3,韩梅梅,35,35,70,700,铜牌");
    expect(lines[4]).toBe('4,"Zhang, ""Jr""",32,32,64,629,');
    expect(lines).toHaveLength(6);
  });

  it("XLSX read back with exceljs: same cells, numbers as numbers, English headers", async () => {
    const buf = await resultsXlsx(resultsTable(criteria, [...competitors, { id: "f", name: "Tie", marks: [41, 41] }], "en"), "Welding / 2026");
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(new Uint8Array(buf).buffer);
    const ws = wb.worksheets[0];
    expect(ws.name).toBe("Welding   2026");
    expect((ws.getRow(1).values as unknown[]).slice(1)).toEqual(["Rank", "Name", "安全 Safety", "Quality", "Raw score", "Standardised score", "Medal"]);
    const rows = [2, 3, 4].map((r) => (ws.getRow(r).values as unknown[]).slice(1));
    // 82 and 82 tie: both gold, rank 1, 1, then 3.
    expect(rows.map((r) => [r[0], r[6]])).toEqual([[1, "Gold"], [1, "Gold"], [3, "Bronze"]]);
    expect(typeof rows[0][5]).toBe("number");
    expect(ws.rowCount).toBe(7);
  });
});

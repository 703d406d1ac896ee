import { describe, expect, it } from "vitest";
import { parseRegionFile } from "~/domains/admin/regions-csv";

const enc = (s: string) => new TextEncoder().encode(s);

describe("parseRegionFile", () => {
  it("reads English or Chinese headers, any column order, yes/no flags; BOM and quotes", () => {
    const r = parseRegionFile(enc('\uFEFFprovince,code,name,nameEn,poverty\n四川省,513431,昭觉县,"Zhaojue County",是\n"甘肃省",621121,通渭县,,0\n'));
    expect(r).toEqual({
      ok: true,
      rows: [
        { code: "513431", name: "昭觉县", nameEn: "Zhaojue County", province: "四川省", povertyCounty: true },
        { code: "621121", name: "通渭县", nameEn: "", province: "甘肃省", povertyCounty: false },
      ],
    });
    const zh = parseRegionFile(enc("代码,名称,重点县\n513432,喜德县,1\n"));
    expect(zh.ok && zh.rows[0]).toMatchObject({ code: "513432", name: "喜德县", povertyCounty: true });
  });

  it("reports every bad row with its line; a file with errors has ok false", () => {
    const r = parseRegionFile(enc("code,name,poverty\n51343,短码,1\n513431,,1\n513432,喜德县,maybe\n513433,美姑县,0\n513433,美姑县,0\n"));
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors).toEqual([
      { line: 2, code: "row_code" },
      { line: 3, code: "row_name" },
      { line: 4, code: "row_poverty" },
      { line: 6, code: "row_duplicate" },
    ]);
  });

  it("refuses files that are not a county list", () => {
    expect(parseRegionFile(enc(""))).toMatchObject({ ok: false, fileError: "empty" });
    expect(parseRegionFile(enc("code,name\n"))).toMatchObject({ ok: false, fileError: "empty" });
    expect(parseRegionFile(enc("foo,bar\n1,2\n"))).toMatchObject({ ok: false, fileError: "header" });
    expect(parseRegionFile(enc('code,name\n"513431,x\n'))).toMatchObject({ ok: false, fileError: "quote" });
    expect(parseRegionFile(new Uint8Array([0x50, 0x4b, 0x03, 0x04, 1, 2]))).toMatchObject({ ok: false, fileError: "file" });
    expect(parseRegionFile(enc("code,name\n" + "513431,x\n".repeat(5001)))).toMatchObject({ ok: false, fileError: "tooMany" });
  });
});

import { describe, expect, it } from "vitest";
import { contentDisposition, fileDownload } from "~/utils/download.server";

describe("fileDownload", () => {
  it("takes the type from the extension and is never cached by a shared cache", async () => {
    const res = fileDownload("a,b\r\n", "report.csv");
    expect(res.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(res.headers.get("content-disposition")).toBe('attachment; filename="report.csv"');
    expect(res.headers.get("cache-control")).toBe("private, no-store");
    expect(await res.text()).toBe("a,b\r\n");
    expect(fileDownload(new Uint8Array([1, 2]), "x.xlsx").headers.get("content-type")).toBe("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    expect(fileDownload(new Uint8Array([1]), "c.pdf").headers.get("content-type")).toBe("application/pdf");
  });

  it("keeps a Chinese name in filename* with an ASCII fallback, and no quote can break the header", () => {
    expect(contentDisposition("焊接 模拟赛.csv")).toBe(`attachment; filename="__ ___.csv"; filename*=UTF-8''${encodeURIComponent("焊接 模拟赛.csv")}`);
    expect(contentDisposition("焊接.xlsx", false, "results.xlsx")).toBe(`attachment; filename="results.xlsx"; filename*=UTF-8''${encodeURIComponent("焊接.xlsx")}`);
    expect(contentDisposition('a"b.csv')).not.toContain('a"b');
    expect(contentDisposition("feed.ics", true)).toBe('inline; filename="feed.ics"');
  });

  it("refuses an extension it has no type for", () => {
    expect(() => fileDownload("x", "x.exe")).toThrow(/no content type/);
  });
});

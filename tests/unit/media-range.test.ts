import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parseRange } from "~/utils/http-range";
import { rangedFileResponse } from "~/utils/http-range.server";

describe("HTTP Range parsing for video seeking (lesson media and recordings)", () => {
  it("reads the forms browsers send", () => {
    expect(parseRange("bytes=0-", 1000)).toEqual({ start: 0, end: 999 });
    expect(parseRange("bytes=100-199", 1000)).toEqual({ start: 100, end: 199 });
    expect(parseRange("bytes=900-5000", 1000)).toEqual({ start: 900, end: 999 });
    expect(parseRange("bytes=-100", 1000)).toEqual({ start: 900, end: 999 });
    expect(parseRange("bytes=-5000", 1000)).toEqual({ start: 0, end: 999 });
    expect(parseRange(" bytes=0-0 ", 1000)).toEqual({ start: 0, end: 0 });
    expect(parseRange("Bytes=1-2", 1000)).toEqual({ start: 1, end: 2 });
    expect(parseRange(null, 1000)).toBeNull();
    expect(parseRange("", 1000)).toBeNull();
  });

  it("refuses ranges outside the file", () => {
    expect(parseRange("bytes=1000-", 1000)).toBe("invalid");
    expect(parseRange("bytes=500-100", 1000)).toBe("invalid");
    expect(parseRange("bytes=-0", 1000)).toBe("invalid");
    expect(parseRange("bytes=0-", 0)).toBe("invalid");
  });

  it("refuses a bytes range it cannot read (416), the same for every file we serve", () => {
    for (const bad of ["bytes=", "bytes=-", "bytes=abc", "bytes=1-2-3", "bytes=0x10-", "bytes=1e3-", "bytes=0-1,x", "bytes 0-1", "garbage", "bytes=99999999999999999999-"]) {
      expect(parseRange(bad, 1000), bad).toBe("invalid");
    }
  });

  it("ignores other units and several ranges (the whole file is sent)", () => {
    expect(parseRange("items=0-1", 1000)).toBeNull();
    expect(parseRange("bytes=0-1,5-6", 1000)).toBeNull();
  });
});

describe("rangedFileResponse serves a real file", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "range-"));
  const file = path.join(dir, "f.bin");
  fs.writeFileSync(file, Buffer.from("0123456789"));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const open = (range?: { start: number; end: number }) => fs.createReadStream(file, range);
  const get = (range?: string, method = "GET") =>
    rangedFileResponse(new Request("http://x/f", { method, headers: range ? { Range: range } : {} }), 10, new Headers(), open);

  it("200 whole, 206 part, 416 bad, HEAD without body", async () => {
    const whole = get();
    expect(whole.status).toBe(200);
    expect(await whole.text()).toBe("0123456789");
    expect(whole.headers.get("Accept-Ranges")).toBe("bytes");

    const part = get("bytes=2-4");
    expect(part.status).toBe(206);
    expect(part.headers.get("Content-Range")).toBe("bytes 2-4/10");
    expect(part.headers.get("Content-Length")).toBe("3");
    expect(await part.text()).toBe("234");

    const bad = get("bytes=abc");
    expect(bad.status).toBe(416);
    expect(bad.headers.get("Content-Range")).toBe("bytes */10");

    const head = get(undefined, "HEAD");
    expect(head.status).toBe(200);
    expect(head.headers.get("Content-Length")).toBe("10");
    expect(head.body).toBeNull();
  });
});

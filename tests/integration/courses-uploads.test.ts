import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { prisma } from "~/domains/db.server";
import { probeVideoSeconds, receiveUpload, storeUpload, UploadError, UPLOAD_RULES } from "~/domains/courses/uploads.server";
import { storage } from "~/domains/courses/storage.server";

const root = () => process.env.STORAGE_DIR!;
const filesIn = (dir: string): string[] =>
  fs.existsSync(dir) ? fs.readdirSync(dir, { recursive: true, withFileTypes: true }).filter((d) => d.isFile()).map((d) => d.name) : [];

async function* chunks(buffer: Buffer, size = 64 * 1024) {
  for (let i = 0; i < buffer.length; i += size) yield new Uint8Array(buffer.subarray(i, i + size));
}

async function* abortingAfter(buffer: Buffer, bytes: number) {
  yield new Uint8Array(buffer.subarray(0, bytes));
  throw new Error("client went away");
}

const PDF = Buffer.concat([Buffer.from("%PDF-1.4\n%âãÏÓ\n1 0 obj<<>>endobj\n"), Buffer.alloc(2000, 32), Buffer.from("\n%%EOF\n")]);
let webm: Buffer;
let ownerId: string;

beforeAll(async () => {
  const out = path.join(root(), "sample.webm");
  const r = spawnSync("ffmpeg", ["-v", "error", "-y", "-f", "lavfi", "-i", "testsrc=size=160x120:rate=10:duration=3", "-c:v", "libvpx", "-b:v", "100k", out]);
  expect(r.status, "ffmpeg must be installed (scripts/setup-system.sh)").toBe(0);
  webm = fs.readFileSync(out);
  fs.rmSync(out);
  ownerId = (await prisma.user.create({ data: { email: "uploader@skillrelay.test", name: "U", role: "expert", passwordHash: "x" } })).id;
});

describe("uploads stream to disk and are checked by content", () => {
  it("accepts a real video, measures it with ffprobe and stores it", async () => {
    const received = await receiveUpload("video", "weld.webm", chunks(webm));
    expect(received.mimeType).toBe("video/webm");
    const asset = await storeUpload(ownerId, "video", received);
    expect(asset.durationSeconds).toBe(3);
    expect(Number(asset.sizeBytes)).toBe(webm.length);
    expect(fs.existsSync(received.tempFile)).toBe(false);
    expect(await storage.size(asset.storageKey)).toBe(webm.length);
    expect(filesIn(path.join(root(), "tmp"))).toEqual([]);
  });

  it("refuses a file whose content is not what its name says", async () => {
    const err = await receiveUpload("video", "not-really.mp4", chunks(PDF)).catch((e) => e);
    expect(err).toBeInstanceOf(UploadError);
    expect(err.code).toBe("bad_type");
    const exe = Buffer.concat([Buffer.from("MZ"), Buffer.alloc(5000, 1)]);
    expect((await receiveUpload("material", "drawing.pdf", chunks(exe)).catch((e) => e)).code).toBe("bad_type");
    expect(filesIn(path.join(root(), "tmp"))).toEqual([]);
  });

  it("accepts PDFs and plain-text drawings/programs as materials", async () => {
    const pdf = await receiveUpload("material", "brief.pdf", chunks(PDF));
    expect(pdf.mimeType).toBe("application/pdf");
    const program = await receiveUpload("material", "shaft.nc", chunks(Buffer.from("G21 G40\nM30\n")));
    expect(program.mimeType).toBe("text/plain");
    for (const f of [pdf, program]) fs.rmSync(f.tempFile);
    // A binary file with a text extension is not text.
    expect((await receiveUpload("material", "fake.txt", chunks(Buffer.from([0, 1, 2, 0, 5]))).catch((e) => e)).code).toBe("bad_type");
  });

  it("stops at the size limit and leaves nothing behind", async () => {
    const limit = UPLOAD_RULES.cover.maxBytes;
    const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(limit + 10)]);
    const err = await receiveUpload("cover", "big.png", chunks(png, 1024 * 1024)).catch((e) => e);
    expect(err.code).toBe("too_large");
    expect(filesIn(path.join(root(), "tmp"))).toEqual([]);
  });

  it("the limit tripping while a disk write is in flight is a refusal, not an unhandled stream error", async () => {
    // Small chunks that arrive at once: each write is still in flight when the next
    // chunk comes, so the over-limit chunk finds the file stream busy. Before the fix
    // this destroyed the stream under the pending write: ERR_STREAM_DESTROYED as an
    // unhandled 'error' event, which ends the process.
    const uncaught: unknown[] = [];
    const onUncaught = (err: unknown) => uncaught.push(err);
    process.on("uncaughtException", onUncaught);
    try {
      const limit = UPLOAD_RULES.cover.maxBytes;
      const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(limit + 20_000)]);
      for (const size of [1000, 4096, 8000]) {
        const err = await receiveUpload("cover", "big.png", chunks(png, size)).catch((e) => e);
        expect(err.code).toBe("too_large");
      }
      await new Promise((r) => setTimeout(r, 100));
      expect(uncaught).toEqual([]);
      expect(filesIn(path.join(root(), "tmp"))).toEqual([]);
    } finally {
      process.off("uncaughtException", onUncaught);
    }
  });

  it("a cancelled upload (client disconnects) leaves no file and no record", async () => {
    const before = await prisma.asset.count();
    const err = await receiveUpload("video", "weld.webm", abortingAfter(webm, 5000)).catch((e) => e);
    expect(err.code).toBe("aborted");
    expect(filesIn(path.join(root(), "tmp"))).toEqual([]);
    expect(await prisma.asset.count()).toBe(before);
  });

  it("refuses empty files and videos ffprobe cannot play", async () => {
    expect((await receiveUpload("material", "empty.pdf", chunks(Buffer.alloc(0))).catch((e) => e)).code).toBe("empty");
    // WebM magic bytes followed by garbage: passes sniffing, fails ffprobe.
    const broken = Buffer.concat([webm.subarray(0, 64), Buffer.alloc(4096, 7)]);
    const received = await receiveUpload("video", "broken.webm", chunks(broken));
    const err = await storeUpload(ownerId, "video", received).catch((e) => e);
    expect(err.code).toBe("unplayable");
    expect(filesIn(path.join(root(), "tmp"))).toEqual([]);
    expect(filesIn(path.join(root(), "files")).length).toBe(1); // only the good video of the first test
  });
});

describe("ffprobe is configurable and cannot hang an upload", () => {
  it("honours FFPROBE_BIN, kills a hung ffprobe after FFPROBE_TIMEOUT_MS and says what is wrong", async () => {
    const video = path.join(root(), "probe.webm");
    fs.writeFileSync(video, webm);
    const hung = path.join(root(), "hung-ffprobe.sh");
    fs.writeFileSync(hung, "#!/bin/sh\nsleep 30\n", { mode: 0o755 });
    const saved = { bin: process.env.FFPROBE_BIN, timeout: process.env.FFPROBE_TIMEOUT_MS };
    try {
      process.env.FFPROBE_BIN = hung;
      process.env.FFPROBE_TIMEOUT_MS = "300";
      const t0 = Date.now();
      const err = await probeVideoSeconds(video).catch((e) => e);
      expect(Date.now() - t0).toBeLessThan(5000);
      expect(err).toBeInstanceOf(UploadError);
      expect(err.message).toMatch(/did not finish within 300 ms/);

      process.env.FFPROBE_BIN = path.join(root(), "no-such-ffprobe");
      await expect(probeVideoSeconds(video)).rejects.toThrow(/ffprobe could not run .*no-such-ffprobe.*ENOENT.*FFPROBE_BIN/);
    } finally {
      if (saved.bin === undefined) delete process.env.FFPROBE_BIN;
      else process.env.FFPROBE_BIN = saved.bin;
      if (saved.timeout === undefined) delete process.env.FFPROBE_TIMEOUT_MS;
      else process.env.FFPROBE_TIMEOUT_MS = saved.timeout;
    }
    expect(await probeVideoSeconds(video)).toBe(3);
  });
});

/**
 * Which libsrtp2 the mediasoup workers get (server/live/srtp.ts, decision 035): the env
 * opt-out, the cache's checks (present, for the Debian library installed now) and the
 * LD_LIBRARY_PATH a worker is spawned with. Real files in a temporary directory.
 *
 * Run: npx vitest run tests/unit/live-srtp.test.ts
 */
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { chooseSrtpLibrary, SRTP_SONAME, withWorkerEnv, workerLibraryPath } from "../../server/live/srtp.js";

let root: string;
let debianLib: string;

/** A cache laid out as scripts/build-libsrtp.sh leaves it, replacing `debianLib`. */
function makeCache(opts: { sum?: string; lib?: boolean; replaces?: string | null } = {}): string {
  const dir = path.join(root, "2.5.0-3");
  fs.mkdirSync(dir, { recursive: true });
  if (opts.lib !== false) fs.writeFileSync(path.join(dir, SRTP_SONAME), "built");
  const sum = opts.sum ?? crypto.createHash("sha256").update(fs.readFileSync(debianLib)).digest("hex");
  if (opts.replaces !== null) fs.writeFileSync(path.join(dir, "replaces"), opts.replaces ?? `${debianLib} ${sum}\n`);
  fs.symlinkSync("2.5.0-3", path.join(root, "current"));
  return fs.realpathSync(dir);
}

beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), "srtp-cache-"));
  debianLib = path.join(root, "debian-libsrtp2.so.1");
  fs.writeFileSync(debianLib, "debian's build");
});

afterEach(() => {
  fs.rmSync(root, { recursive: true, force: true });
});

describe("chooseSrtpLibrary", () => {
  it("takes the cached build when it replaces the Debian library installed now", () => {
    const dir = makeCache();
    expect(chooseSrtpLibrary({ MEDIASOUP_OPENSSL_SRTP_DIR: root })).toEqual({ library: "openssl", dir, reason: `OpenSSL build in ${dir}` });
  });

  it("keeps Debian's with MEDIASOUP_OPENSSL_SRTP=0, even with a good build", () => {
    makeCache();
    const choice = chooseSrtpLibrary({ MEDIASOUP_OPENSSL_SRTP_DIR: root, MEDIASOUP_OPENSSL_SRTP: "0" });
    expect(choice.library).toBe("debian");
    expect(choice.dir).toBeUndefined();
    expect(choice.reason).toContain("MEDIASOUP_OPENSSL_SRTP=0");
  });

  it("keeps Debian's without a build, without the library, or without `replaces`", () => {
    expect(chooseSrtpLibrary({ MEDIASOUP_OPENSSL_SRTP_DIR: root })).toMatchObject({ library: "debian", reason: expect.stringContaining("no OpenSSL build") });
    makeCache({ lib: false });
    expect(chooseSrtpLibrary({ MEDIASOUP_OPENSSL_SRTP_DIR: root })).toMatchObject({ library: "debian", reason: expect.stringContaining(`no ${SRTP_SONAME}`) });
    fs.writeFileSync(path.join(root, "2.5.0-3", SRTP_SONAME), "built");
    fs.rmSync(path.join(root, "2.5.0-3", "replaces"));
    expect(chooseSrtpLibrary({ MEDIASOUP_OPENSSL_SRTP_DIR: root })).toMatchObject({ library: "debian", reason: expect.stringContaining("replaces") });
    fs.writeFileSync(path.join(root, "2.5.0-3", "replaces"), "\n");
    expect(chooseSrtpLibrary({ MEDIASOUP_OPENSSL_SRTP_DIR: root })).toMatchObject({ library: "debian", reason: expect.stringContaining("malformed") });
  });

  it("keeps Debian's when Debian's library changed since the build (an upgrade) or is gone", () => {
    makeCache();
    fs.writeFileSync(debianLib, "debian's next build");
    expect(chooseSrtpLibrary({ MEDIASOUP_OPENSSL_SRTP_DIR: root })).toMatchObject({ library: "debian", reason: expect.stringContaining("another") });
    fs.rmSync(debianLib);
    expect(chooseSrtpLibrary({ MEDIASOUP_OPENSSL_SRTP_DIR: root })).toMatchObject({ library: "debian", reason: expect.stringContaining("gone") });
  });
});

describe("the worker's LD_LIBRARY_PATH", () => {
  const openssl = { library: "openssl" as const, dir: "/cache/2.5.0-3", reason: "" };
  const debian = { library: "debian" as const, reason: "" };

  it("puts the build's directory first, once, and leaves Debian's choice alone", () => {
    expect(workerLibraryPath(openssl, undefined)).toBe("/cache/2.5.0-3");
    expect(workerLibraryPath(openssl, "/opt/lib")).toBe("/cache/2.5.0-3:/opt/lib");
    expect(workerLibraryPath(openssl, "/opt/lib:/cache/2.5.0-3:")).toBe("/cache/2.5.0-3:/opt/lib");
    expect(workerLibraryPath(debian, "/opt/lib")).toBe("/opt/lib");
    expect(workerLibraryPath(debian, undefined)).toBeUndefined();
  });

  it("is set only while the worker is spawned, and restored even when spawning throws", () => {
    const saved = process.env.LD_LIBRARY_PATH;
    try {
      delete process.env.LD_LIBRARY_PATH;
      expect(withWorkerEnv(openssl, () => process.env.LD_LIBRARY_PATH)).toBe("/cache/2.5.0-3");
      expect(process.env.LD_LIBRARY_PATH).toBeUndefined();
      expect(withWorkerEnv(debian, () => process.env.LD_LIBRARY_PATH)).toBeUndefined();
      process.env.LD_LIBRARY_PATH = "/opt/lib";
      expect(() =>
        withWorkerEnv(openssl, () => {
          throw new Error("spawn failed");
        }),
      ).toThrow("spawn failed");
      expect(process.env.LD_LIBRARY_PATH).toBe("/opt/lib");
    } finally {
      if (saved === undefined) delete process.env.LD_LIBRARY_PATH;
      else process.env.LD_LIBRARY_PATH = saved;
    }
  });
});

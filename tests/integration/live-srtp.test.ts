/**
 * The workers really load the libsrtp2 the pool says (decision 035): the cached OpenSSL build
 * (scripts/build-libsrtp.sh) shows in the worker's /proc/<pid>/maps, also for a replacement
 * worker; MEDIASOUP_OPENSSL_SRTP=0 gives Debian's; a build the worker can't load falls back to
 * Debian's and the pool still starts.
 *
 * Run: npx vitest run tests/integration/live-srtp.test.ts
 */
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { loadLiveConfig } from "../../server/live/config.js";
import { chooseSrtpLibrary, mappedSrtpLibraries, SRTP_SONAME } from "../../server/live/srtp.js";
import { WorkerPool } from "../../server/live/WorkerPool.js";

const saved = { off: process.env.MEDIASOUP_OPENSSL_SRTP, dir: process.env.MEDIASOUP_OPENSSL_SRTP_DIR, ld: process.env.LD_LIBRARY_PATH };
let pool: WorkerPool | undefined;
const temps: string[] = [];

function restore(name: string, value: string | undefined) {
  if (value === undefined) delete process.env[name];
  else process.env[name] = value;
}

afterEach(() => {
  pool?.close();
  pool = undefined;
  restore("MEDIASOUP_OPENSSL_SRTP", saved.off);
  restore("MEDIASOUP_OPENSSL_SRTP_DIR", saved.dir);
  for (const dir of temps.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

const startPool = () => WorkerPool.create(loadLiveConfig(process.env, { numWorkers: 1 }));
const workerPid = (p: WorkerPool) => p.health().workers[0]!.pid;
/** Debian's libsrtp2, whichever name ld.so gave it (merged /usr: /lib or /usr/lib). */
const DEBIAN_LIBS = ["/usr/lib/x86_64-linux-gnu/libsrtp2.so.1", "/lib/x86_64-linux-gnu/libsrtp2.so.1"];

const build = chooseSrtpLibrary();

describe("the workers' libsrtp2", () => {
  it.skipIf(build.library !== "openssl")(
    `loads the cached OpenSSL build, in the first and in a replacement worker${build.library === "openssl" ? "" : ` (skipped: ${build.reason})`}`,
    async () => {
      pool = await startPool();
      expect(pool.health().srtp).toBe("openssl");
      const first = workerPid(pool);
      expect(mappedSrtpLibraries(first)).toEqual([path.join(build.dir!, SRTP_SONAME)]);
      // Only the worker got LD_LIBRARY_PATH, not this process.
      expect(process.env.LD_LIBRARY_PATH).toBe(saved.ld);

      const ready = new Promise<{ pid: number }>((resolve) => pool!.once("workerready", resolve));
      process.kill(first, "SIGKILL");
      const { pid } = await ready;
      expect(pid).not.toBe(first);
      expect(mappedSrtpLibraries(pid)).toEqual([path.join(build.dir!, SRTP_SONAME)]);
      expect(pool.health().srtp).toBe("openssl");
    },
  );

  it("loads Debian's with MEDIASOUP_OPENSSL_SRTP=0", async () => {
    process.env.MEDIASOUP_OPENSSL_SRTP = "0";
    pool = await startPool();
    expect(pool.health().srtp).toBe("debian");
    const libs = mappedSrtpLibraries(workerPid(pool));
    expect(libs).toHaveLength(1);
    expect(DEBIAN_LIBS).toContain(libs[0]);
  });

  it("falls back to Debian's when the cached build can't be loaded, and still starts", async () => {
    // A "build" that ld.so refuses (not an ELF file), recorded as replacing the installed library.
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "srtp-broken-"));
    temps.push(root);
    const debian = fs.realpathSync("/usr/lib/x86_64-linux-gnu/libsrtp2.so.1");
    const sum = crypto.createHash("sha256").update(fs.readFileSync(debian)).digest("hex");
    fs.mkdirSync(path.join(root, "0-broken"));
    fs.writeFileSync(path.join(root, "0-broken", SRTP_SONAME), "not a shared library");
    fs.writeFileSync(path.join(root, "0-broken", "replaces"), `${debian} ${sum}\n`);
    fs.symlinkSync("0-broken", path.join(root, "current"));
    process.env.MEDIASOUP_OPENSSL_SRTP_DIR = root;
    expect(chooseSrtpLibrary().library).toBe("openssl");

    pool = await startPool();
    expect(pool.health()).toMatchObject({ ok: true, srtp: "debian" });
    const libs = mappedSrtpLibraries(workerPid(pool));
    expect(libs).toHaveLength(1);
    expect(DEBIAN_LIBS).toContain(libs[0]);
    // The worker works: it makes a router.
    const worker = await pool.pick();
    const router = await worker.createRouter({ mediaCodecs: [{ kind: "audio", mimeType: "audio/opus", clockRate: 48000, channels: 2 }] });
    expect(router.closed).toBe(false);
  });
});

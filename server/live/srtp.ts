/**
 * Which libsrtp2 the mediasoup workers load (decision 035).
 *
 * Debian's libsrtp2 is built with NSS (`--enable-nss`), whose per-packet path is slower than
 * OpenSSL's: ≈ 4–6× for AES_CM_128_HMAC_SHA1_80, ≈ 1.1–2.3× for AEAD_AES_256_GCM (what Chromium
 * negotiates) in libsrtp's own srtp_driver. scripts/build-libsrtp.sh builds the
 * same Debian source package with `--enable-openssl` and caches it in
 * OPENSSL_SRTP_CACHE/<version>/ ("current" links the newest); the workers then get
 * LD_LIBRARY_PATH pointing there. The cached build is used only when its `replaces` file
 * names the Debian library that is installed now (path and sha256), so a Debian upgrade of
 * libsrtp2 falls back to Debian's until the script runs again.
 *
 * Environment:
 *   MEDIASOUP_OPENSSL_SRTP      0 = always Debian's libsrtp2 (default: the OpenSSL build when cached)
 *   MEDIASOUP_OPENSSL_SRTP_DIR  the cache's root (default /var/cache/skillrelay/libsrtp2-openssl)
 */
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";

export const OPENSSL_SRTP_CACHE = "/var/cache/skillrelay/libsrtp2-openssl";
export const SRTP_SONAME = "libsrtp2.so.1";

export type SrtpLibrary = "openssl" | "debian";

export interface SrtpChoice {
  library: SrtpLibrary;
  /** The directory holding the OpenSSL build (resolved, as /proc/<pid>/maps shows it). */
  dir?: string;
  /** Why: a short line for the log. */
  reason: string;
}

/** Picks the library from the environment and the cache; never throws. */
export function chooseSrtpLibrary(env: Record<string, string | undefined> = process.env): SrtpChoice {
  if (env.MEDIASOUP_OPENSSL_SRTP === "0") return { library: "debian", reason: "MEDIASOUP_OPENSSL_SRTP=0" };
  const root = env.MEDIASOUP_OPENSSL_SRTP_DIR?.trim() || OPENSSL_SRTP_CACHE;
  let dir: string;
  try {
    dir = fs.realpathSync(path.join(root, "current"));
  } catch {
    return { library: "debian", reason: `no OpenSSL build in ${root} (scripts/build-libsrtp.sh)` };
  }
  if (!fs.existsSync(path.join(dir, SRTP_SONAME))) {
    return { library: "debian", reason: `${dir} has no ${SRTP_SONAME}` };
  }
  let replaced: string[];
  try {
    replaced = fs.readFileSync(path.join(dir, "replaces"), "utf8").trim().split(/\s+/);
  } catch {
    return { library: "debian", reason: `${dir} has no "replaces" file` };
  }
  const [debianLib, sum] = replaced;
  if (!debianLib || !sum) return { library: "debian", reason: `${dir}/replaces is malformed` };
  let current: string;
  try {
    current = crypto.createHash("sha256").update(fs.readFileSync(debianLib)).digest("hex");
  } catch {
    return { library: "debian", reason: `${debianLib} (which the build replaces) is gone` };
  }
  if (current !== sum) {
    return { library: "debian", reason: `the build in ${dir} is for another ${path.basename(debianLib)} (run scripts/build-libsrtp.sh again)` };
  }
  return { library: "openssl", dir, reason: `OpenSSL build in ${dir}` };
}

/** LD_LIBRARY_PATH for a worker using `choice`: its directory first, then whatever was set. */
export function workerLibraryPath(choice: SrtpChoice, current: string | undefined): string | undefined {
  if (choice.library !== "openssl" || !choice.dir) return current;
  const rest = (current ?? "").split(":").filter((p) => p && p !== choice.dir);
  return [choice.dir, ...rest].join(":");
}

/**
 * Runs `start` (which must spawn the worker synchronously, as mediasoup's createWorker does:
 * Worker.js spawns with `{...process.env}` before its first await) with LD_LIBRARY_PATH set
 * for `choice`, and restores the environment right after, so no other child process inherits it.
 */
export function withWorkerEnv<T>(choice: SrtpChoice, start: () => T): T {
  if (choice.library !== "openssl") return start();
  const saved = process.env.LD_LIBRARY_PATH;
  process.env.LD_LIBRARY_PATH = workerLibraryPath(choice, saved);
  try {
    return start();
  } finally {
    if (saved === undefined) delete process.env.LD_LIBRARY_PATH;
    else process.env.LD_LIBRARY_PATH = saved;
  }
}

/** The libsrtp2 files process `pid` has mapped (from /proc/<pid>/maps); [] when unreadable. */
export function mappedSrtpLibraries(pid: number): string[] {
  let maps: string;
  try {
    maps = fs.readFileSync(`/proc/${pid}/maps`, "utf8");
  } catch {
    return [];
  }
  const files = new Set<string>();
  for (const line of maps.split("\n")) {
    const file = line.slice(line.indexOf("/"));
    if (line.includes("/") && path.basename(file).startsWith("libsrtp2.so")) files.add(file);
  }
  return [...files];
}

/** Whether the worker `pid` really loaded the OpenSSL build of `choice`. */
export function workerUsesBuild(pid: number, choice: SrtpChoice): boolean {
  if (!choice.dir) return false;
  return mappedSrtpLibraries(pid).some((file) => path.dirname(file) === choice.dir);
}

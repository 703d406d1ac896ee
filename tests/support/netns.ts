/**
 * A network namespace of our own with a veth pair into it, for a learner's Chromium on a
 * network we control (tests/integration/live-netns.test.ts, bench/weak.ts).
 *
 * The caller names everything (namespace, both veth ends, a /29 of its own); `create()`
 * removes leftovers of the same names first, `remove()` deletes the namespace (which takes
 * its veth end and qdisc with it) and the host end. Needs root, `ip` and `tc`.
 */
import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { CHROMIUM, chromiumArgs } from "./chromium";

export { CHROMIUM };

/** Chromium's flags for a live room on a plain-http origin of ours, fake camera, microphone and screen. */
export function liveChromiumArgs(origin: string, extra: string[] = []): string[] {
  return chromiumArgs({ origin, extra });
}

export const sh = (...args: string[]) => execFileSync(args[0]!, args.slice(1), { stdio: ["ignore", "pipe", "pipe"] }).toString();

/** Runs `fn`, ignoring a failure (something already gone). */
export function quiet(fn: () => unknown): void {
  try {
    fn();
  } catch {
    // already gone
  }
}

/**
 * Why namespaces can't be used here, or null when they can. Tries on a throw-away namespace
 * what the caller needs: always a tbf qdisc; `ipRule` an `ip rule ... ipproto` too.
 */
export function netnsSkipReason(probeName: string, opts: { ipRule?: boolean } = {}): string | null {
  if (process.platform !== "linux") return "not Linux";
  if (process.getuid?.() !== 0) return "not root (network namespaces need root)";
  for (const tool of ["ip", "tc"]) if (spawnSync("sh", ["-c", `command -v ${tool}`]).status !== 0) return `no \`${tool}\``;
  if (!fs.existsSync(CHROMIUM)) return `no Chromium at ${CHROMIUM}`;
  // A container without CAP_NET_ADMIN can't make a namespace, a qdisc or a rule.
  const run = (...args: string[]) => spawnSync(args[0]!, args.slice(1), { stdio: "ignore" }).status === 0;
  if (!run("ip", "netns", "add", probeName)) return "can't create a network namespace";
  try {
    if (!run("ip", "netns", "exec", probeName, "tc", "qdisc", "add", "dev", "lo", "root", "tbf", "rate", "8bit", "burst", "10", "limit", "1")) {
      return "no tbf qdisc";
    }
    if (opts.ipRule && !run("ip", "netns", "exec", probeName, "ip", "rule", "add", "ipproto", "udp", "blackhole", "prio", "100")) {
      return "no `ip rule ipproto`";
    }
  } finally {
    run("ip", "netns", "del", probeName);
  }
  return null;
}

export interface VethNamespace {
  ns: string;
  vethHost: string;
  vethNs: string;
  hostIp: string;
  nsIp: string;
  /** Runs a command inside the namespace. */
  inNs(...args: string[]): string;
  create(): void;
  remove(): void;
  /** Every packet either way dropped (a tbf whose bucket is smaller than any packet); the link stays up. */
  dropAll(): void;
  /** A rate cap on both ends (tbf): `kbit` each way, `latencyMs` of queue before tbf drops. */
  shape(kbit: number, latencyMs: number): void;
  /** No qdisc on either end. */
  unshape(): void;
  /** A script that starts Chromium inside the namespace (Playwright's executablePath); removed by remove(). */
  chromiumWrapper(): string;
}

/** `subnet` is the first three octets of a /29 of the caller's: .1 the host end, .2 the namespace's. */
export function vethNamespace(opts: { ns: string; vethHost: string; vethNs: string; subnet: string }): VethNamespace {
  const { ns, vethHost, vethNs } = opts;
  const hostIp = `${opts.subnet}.1`;
  const nsIp = `${opts.subnet}.2`;
  const inNs = (...args: string[]) => sh("ip", "netns", "exec", ns, ...args);
  let wrapperDir = "";
  const unshape = () => {
    quiet(() => inNs("tc", "qdisc", "del", "dev", vethNs, "root"));
    quiet(() => sh("tc", "qdisc", "del", "dev", vethHost, "root"));
  };
  const self: VethNamespace = {
    ns,
    vethHost,
    vethNs,
    hostIp,
    nsIp,
    inNs,
    create() {
      self.remove();
      sh("ip", "netns", "add", ns);
      sh("ip", "link", "add", vethHost, "type", "veth", "peer", "name", vethNs);
      sh("ip", "link", "set", vethNs, "netns", ns);
      sh("ip", "addr", "add", `${hostIp}/29`, "dev", vethHost);
      sh("ip", "link", "set", vethHost, "up");
      inNs("ip", "addr", "add", `${nsIp}/29`, "dev", vethNs);
      inNs("ip", "link", "set", vethNs, "up");
      inNs("ip", "link", "set", "lo", "up");
    },
    remove() {
      quiet(() => sh("ip", "netns", "del", ns));
      quiet(() => sh("ip", "link", "del", vethHost));
      if (wrapperDir) fs.rmSync(wrapperDir, { recursive: true, force: true });
      wrapperDir = "";
    },
    dropAll() {
      inNs("tc", "qdisc", "add", "dev", vethNs, "root", "tbf", "rate", "8bit", "burst", "10", "limit", "1");
      sh("tc", "qdisc", "add", "dev", vethHost, "root", "tbf", "rate", "8bit", "burst", "10", "limit", "1");
    },
    shape(kbit, latencyMs) {
      unshape();
      // A bucket of a few full-size packets: bursts above the rate queue (up to latencyMs), then drop.
      const tbf = ["root", "tbf", "rate", `${kbit}kbit`, "burst", "4500", "latency", `${latencyMs}ms`];
      inNs("tc", "qdisc", "add", "dev", vethNs, ...tbf);
      sh("tc", "qdisc", "add", "dev", vethHost, ...tbf);
    },
    unshape,
    chromiumWrapper() {
      wrapperDir = fs.mkdtempSync(path.join(os.tmpdir(), "skillrelay-netns-"));
      const wrapper = path.join(wrapperDir, "chromium-in-netns.sh");
      fs.writeFileSync(wrapper, `#!/bin/sh\nexec ip netns exec ${ns} ${CHROMIUM} "$@"\n`, { mode: 0o755 });
      return wrapper;
    },
  };
  return self;
}

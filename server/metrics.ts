// /metrics for Prometheus (prom-client): HTTP latency by route pattern, the live service's
// rooms/peers/consumers, mediasoup worker CPU, plus the application's own counters
// (app/domains/metrics.server.ts, on prom-client's default registry).
import net from "node:net";
import type { RequestHandler } from "express";
import client from "prom-client";
import type { types as ms } from "mediasoup";
import type { LiveService } from "./live/index.js";
import { loadMediasoup } from "./live/WorkerPool.js";
import "~/domains/metrics.server";
import { HAND_IN_UPLOAD_PATH } from "~/domains/courses/hand-in-rules";

// ---------------------------------------------------------------------------------------
// Route patterns: labels and log lines carry `/courses/:slug`, never a raw id or token.

interface BuildRoute {
  path?: string;
  parentId?: string;
  index?: boolean;
}

type Pattern = { pattern: string; segments: string[]; score: number };

export function routePatterns(routes: Record<string, BuildRoute | undefined>): Pattern[] {
  const fullPath = (id: string | undefined): string[] => {
    const route = id ? routes[id] : undefined;
    if (!route) return [];
    const own = (route.path ?? "").split("/").filter(Boolean);
    return [...fullPath(route.parentId), ...own];
  };
  const seen = new Map<string, Pattern>();
  for (const id of Object.keys(routes)) {
    const segments = fullPath(id);
    const pattern = "/" + segments.join("/");
    // Static segments weigh most, then params; a splat least.
    const score = segments.reduce((s, seg) => s + (seg === "*" ? 1 : seg.startsWith(":") ? 2 : 3), 0);
    seen.set(pattern, { pattern, segments, score });
  }
  return [...seen.values()].sort((a, b) => b.score - a.score || b.segments.length - a.segments.length);
}

const FIXED: Record<string, string> = { "/healthz": "/healthz", "/metrics": "/metrics" };

export function createRouteNormaliser(getPatterns: () => Pattern[]) {
  return (rawPath: string): string => {
    let path = rawPath;
    try {
      path = decodeURIComponent(rawPath);
    } catch {
      return "unmatched";
    }
    if (FIXED[path]) return FIXED[path];
    if (path.startsWith("/build/")) return "/build/*";
    // Resumable hand-in uploads (server/hand-in-uploads.ts): the creation and one upload.
    if (path === HAND_IN_UPLOAD_PATH) return HAND_IN_UPLOAD_PATH;
    if (path.startsWith(`${HAND_IN_UPLOAD_PATH}/`)) return `${HAND_IN_UPLOAD_PATH}/:id`;
    // Single-fetch data requests: /x/y.data, and /_root.data for "/".
    if (path.endsWith(".data")) path = path.slice(0, -".data".length);
    if (path === "/_root") path = "/";
    const parts = path.split("/").filter(Boolean);
    for (const { pattern, segments } of getPatterns()) {
      if (matches(segments, parts)) return pattern;
    }
    // Files from public/ (favicon.svg …) are served before Remix.
    return /\.[a-z0-9]{1,8}$/i.test(parts.at(-1) ?? "") ? "/static" : "unmatched";
  };
}

function matches(segments: string[], parts: string[]): boolean {
  for (let i = 0; i < segments.length; i++) {
    const seg = segments[i]!;
    if (seg === "*") return true;
    const part = parts[i];
    if (part === undefined) return seg.endsWith("?");
    if (seg.startsWith(":")) continue;
    if (seg.toLowerCase() !== part.toLowerCase()) return false;
  }
  return parts.length === segments.length;
}

// ---------------------------------------------------------------------------------------
// Who may read /metrics: addresses and subnets in METRICS_ALLOW (comma-separated). The socket's
// peer address must be allowed, and so must every address a proxy says it forwarded for
// (forwarding headers never grant access, they can only refuse it). Default: loopback only.

export function metricsAllowList(spec = process.env.METRICS_ALLOW): (address: string | undefined) => boolean {
  const list = new net.BlockList();
  const entries = (spec ?? "127.0.0.1,::1")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  for (const entry of entries) {
    const [address, prefix] = entry.split("/");
    const family = net.isIPv6(address!) ? "ipv6" : net.isIPv4(address!) ? "ipv4" : null;
    if (!family) throw new Error(`METRICS_ALLOW: "${entry}" is not an IP address or subnet`);
    if (prefix === undefined) list.addAddress(address!, family);
    else {
      const bits = Number(prefix);
      if (!Number.isInteger(bits) || bits < 0 || bits > (family === "ipv4" ? 32 : 128)) throw new Error(`METRICS_ALLOW: bad prefix in "${entry}"`);
      list.addSubnet(address!, bits, family);
    }
  }
  return (raw) => {
    if (!raw) return false;
    const mapped = raw.startsWith("::ffff:") && net.isIPv4(raw.slice(7)) ? raw.slice(7) : raw;
    const family = net.isIPv4(mapped) ? "ipv4" : net.isIPv6(mapped) ? "ipv6" : null;
    return family ? list.check(mapped, family) : false;
  };
}

/**
 * Every address a request passed through: the socket's peer, then whatever a proxy in front
 * added (X-Forwarded-For, X-Real-IP, Forwarded: for=). A request relayed by a local proxy
 * (peer 127.0.0.1) for an outside client thus still names that client, and is refused.
 */
export function forwardedChain(headers: Record<string, string | string[] | undefined>, peer: string | undefined): (string | undefined)[] {
  const values = (name: string) => {
    const v = headers[name];
    return v === undefined ? [] : Array.isArray(v) ? v : [v];
  };
  const chain: (string | undefined)[] = [peer];
  for (const v of values("x-forwarded-for")) chain.push(...v.split(",").map((s) => s.trim()));
  for (const v of values("x-real-ip")) chain.push(v.trim());
  for (const v of values("forwarded")) {
    for (const pair of v.split(/[,;]/)) {
      const [key, raw = ""] = pair.split("=", 2).map((s) => s.trim());
      if (key?.toLowerCase() !== "for") continue;
      const node = raw.replace(/^"|"$/g, "");
      // "[2001:db8::1]:4711", "192.0.2.1:4711", "192.0.2.1"; anything else ("unknown", "_x") stays as is and is refused.
      chain.push(node.startsWith("[") ? node.slice(1, node.indexOf("]")) : /^[\d.]+:\d+$/.test(node) ? node.replace(/:\d+$/, "") : node);
    }
  }
  return chain;
}

// ---------------------------------------------------------------------------------------

export interface ServerMetrics {
  /** Observes each request's duration under its route pattern. */
  middleware: RequestHandler;
  /** GET /metrics (404 for addresses not allowed). */
  handler: RequestHandler;
  close(): void;
}

export async function createServerMetrics(opts: { live: () => LiveService | undefined; routeOf: (path: string) => string }): Promise<ServerMetrics> {
  const allowed = metricsAllowList();
  // Per server (tests start several in one process); merged with the default registry per scrape.
  const registry = new client.Registry();
  client.collectDefaultMetrics({ register: registry, prefix: "skillrelay_" });

  const duration = new client.Histogram({
    name: "skillrelay_http_request_duration_seconds",
    help: "HTTP request duration by route pattern",
    labelNames: ["method", "route", "status"],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });

  const inspect = () => opts.live()?.inspect();
  new client.Gauge({
    name: "skillrelay_live_rooms",
    help: "Open live rooms",
    registers: [registry],
    collect() {
      this.set(inspect()?.rooms.length ?? 0);
    },
  });
  new client.Gauge({
    name: "skillrelay_live_peers",
    help: "Peers in open live rooms",
    registers: [registry],
    collect() {
      this.set(inspect()?.rooms.reduce((n, r) => n + r.peers, 0) ?? 0);
    },
  });
  new client.Gauge({
    name: "skillrelay_live_consumers",
    help: "mediasoup consumers open across all workers",
    registers: [registry],
    collect() {
      this.set(inspect()?.workers.reduce((n, w) => n + w.consumers, 0) ?? 0);
    },
  });

  new client.Gauge({
    name: "skillrelay_live_srtp_openssl",
    help: "1 when the mediasoup workers load the OpenSSL build of libsrtp2 (scripts/build-libsrtp.sh), 0 with Debian's",
    registers: [registry],
    collect() {
      this.set(opts.live()?.health().srtp === "openssl" ? 1 : 0);
    },
  });
  // Rooms across processes (REDIS_URL set; docs/decisions/033): streams this process's pipe transports send and receive.
  new client.Gauge({
    name: "skillrelay_live_pipe_streams",
    help: "Streams over pipe transports to (out) and from (in) other processes, by direction",
    labelNames: ["direction"],
    registers: [registry],
    collect() {
      const stats = inspect()?.cascade ?? [];
      this.set({ direction: "out" }, stats.reduce((n, s) => n + s.streamsOut, 0));
      this.set({ direction: "in" }, stats.reduce((n, s) => n + s.streamsIn, 0));
    },
  });
  new client.Gauge({
    name: "skillrelay_live_pipe_links",
    help: "Connected origin/edge links of this process's rooms, by this room's role",
    labelNames: ["role"],
    registers: [registry],
    collect() {
      const stats = inspect()?.cascade ?? [];
      for (const role of ["origin", "edge"] as const) this.set({ role }, stats.filter((s) => s.role === role).reduce((n, s) => n + s.links, 0));
    },
  });

  // Workers are tracked through mediasoup's observer (the pool keeps its own private).
  const workers = new Map<number, ms.Worker>();
  const mediasoup = await loadMediasoup();
  const onNewWorker = (worker: ms.Worker) => {
    workers.set(worker.pid, worker);
    worker.observer.once("close", () => workers.delete(worker.pid));
  };
  mediasoup.observer.on("newworker", onNewWorker);
  new client.Gauge({
    name: "skillrelay_mediasoup_worker_cpu_seconds",
    help: "CPU time (user + system) used by each mediasoup worker since it started; use rate()",
    labelNames: ["worker"],
    registers: [registry],
    async collect() {
      this.reset();
      const indexOf = new Map((inspect()?.workers ?? []).map((w) => [w.pid, w.index]));
      await Promise.all(
        [...workers.values()].map(async (worker) => {
          if (worker.closed) return;
          try {
            const usage = await worker.getResourceUsage();
            const index = indexOf.get(worker.pid);
            this.set({ worker: index === undefined ? `pid-${worker.pid}` : String(index) }, (usage.ru_utime + usage.ru_stime) / 1000);
          } catch {
            // a worker that died between listing and asking: left out of this scrape
          }
        }),
      );
    },
  });

  const middleware: RequestHandler = (req, res, next) => {
    const end = duration.startTimer();
    res.once("finish", () => {
      end({ method: req.method, route: opts.routeOf(req.path), status: String(res.statusCode) });
    });
    next();
  };

  const handler: RequestHandler = async (req, res) => {
    if (!forwardedChain(req.headers, req.socket.remoteAddress).every(allowed)) {
      res.status(404).type("text/plain").send("Not Found");
      return;
    }
    const merged = client.Registry.merge([client.register, registry]);
    res.setHeader("Cache-Control", "no-store");
    res.type(merged.contentType).send(await merged.metrics());
  };

  return {
    middleware,
    handler,
    close() {
      mediasoup.observer.off("newworker", onNewWorker);
      registry.clear();
    },
  };
}

// Whether the database can be reached right now, shared by the server and the Remix build
// (each has its own copy of this module, hence the process-wide registry). Connection
// failures are reported here (pool errors, request errors); while the database is down pages
// answer 503 with a clear message instead of an error page, and a probe (installed by the
// server) notices when it is back.
import { resources } from "~/locales/resources.server";

interface Availability {
  down: boolean;
  /** Called on a connection failure; the server's monitor starts probing. */
  onFault?: (err: unknown) => void;
}

const KEY = Symbol.for("skillrelay.databaseAvailability");
const registry = ((globalThis as Record<symbol, unknown>)[KEY] ??= { down: false }) as Availability;

export function databaseAvailability(): Availability {
  return registry;
}

// PostgreSQL SQLSTATEs: 08xxx connection exception, 57P01 admin shutdown, 57P02 crash
// shutdown, 57P03 cannot connect now (starting up or shutting down). Prisma: P1001 can't
// reach, P1002 timed out, P1008 operation timed out, P1017 connection closed, P2024 pool timeout.
const SQLSTATE = /^(08|57P0[123])/;
const PRISMA_CODES = new Set(["P1001", "P1002", "P1008", "P1017", "P2024"]);
const ERRNO = new Set(["ECONNREFUSED", "ECONNRESET", "EPIPE", "ETIMEDOUT", "EHOSTUNREACH", "ENETUNREACH"]);
const KINDS = new Set(["DatabaseNotReachable", "ConnectionClosed", "SocketTimeout", "TooManyConnections"]);
const MESSAGES = /Connection terminated|Can't reach database server|Server has closed the connection|terminating connection due to administrator command|the database system is (starting up|shutting down|in recovery mode)|Timed out fetching a new connection|connect ECONNREFUSED/i;

/** True for errors that mean "the database cannot be reached", at any depth of `cause`. */
export function isDatabaseUnavailableError(err: unknown): boolean {
  for (let e = err, depth = 0; e && typeof e === "object" && depth < 6; e = (e as { cause?: unknown }).cause, depth++) {
    const o = e as { code?: unknown; originalCode?: unknown; kind?: unknown; message?: unknown; errno?: unknown };
    for (const code of [o.code, o.originalCode]) {
      if (typeof code !== "string") continue;
      if (PRISMA_CODES.has(code) || ERRNO.has(code) || (code.length === 5 && SQLSTATE.test(code))) return true;
    }
    if (typeof o.kind === "string" && KINDS.has(o.kind)) return true;
    if (typeof o.message === "string" && MESSAGES.test(o.message)) return true;
  }
  return false;
}

/** Reports `err` when it is a connection failure; returns whether it was one. */
export function reportDatabaseError(err: unknown): boolean {
  if (!isDatabaseUnavailableError(err)) return false;
  registry.down = true;
  registry.onFault?.(err);
  return true;
}

const escape = (s: string) => s.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]!);

function outageText() {
  return (["zh-CN", "en"] as const).map((lng) => {
    const t = (resources[lng].common as { databaseOutage: { title: string; body: string } }).databaseOutage;
    return { lng, title: t.title, body: t.body };
  });
}

/** The 503 page while the database is down: both languages, no database needed to render it. */
export function databaseOutageHtml() {
  const parts = outageText();
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${escape(parts.map((p) => p.title).join(" · "))}</title><meta http-equiv="refresh" content="10"></head><body style="font-family:sans-serif;max-width:36rem;margin:4rem auto;padding:0 1rem;text-align:center"><p style="font-size:3rem;font-weight:bold;margin:0">503</p>${parts.map((p) => `<section lang="${p.lng}"><h1>${escape(p.title)}</h1><p>${escape(p.body)}</p></section>`).join("")}</body></html>`;
}

export function databaseOutageMessage() {
  return outageText().map((p) => p.body).join(" / ");
}

export function databaseOutageResponse() {
  return new Response(databaseOutageHtml(), {
    status: 503,
    headers: { "Content-Type": "text/html; charset=utf-8", "Retry-After": "5", "Cache-Control": "no-store" },
  });
}

// The server's side of app/domains/db-availability.server.ts: when a connection failure is
// reported, probe the database every PROBE_MS until it answers; meanwhile every page and
// form answers 503 with a clear message (never a crash, never a 500). No restart needed.
import type { RequestHandler } from "express";
import { databaseAvailability, databaseOutageHtml, databaseOutageMessage, isDatabaseUnavailableError } from "~/domains/db-availability.server";

const PROBE_MS = 500;

export function startDatabaseMonitor(probe: () => Promise<unknown>, log: (line: string) => void) {
  const state = databaseAvailability();
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const check = async () => {
    timer = undefined;
    try {
      await probe();
      if (state.down) log("database reachable again");
      state.down = false;
    } catch (err) {
      if (!isDatabaseUnavailableError(err)) log(`database probe failed: ${err instanceof Error ? err.message : String(err)}`);
      state.down = true;
      if (!stopped) timer = setTimeout(check, PROBE_MS);
    }
  };
  state.down = false;
  state.onFault = (err) => {
    if (timer || stopped) return;
    log(`database unreachable (${err instanceof Error ? err.message.split("\n")[0] : String(err)}): answering 503 until it is back`);
    timer = setTimeout(check, 0);
  };
  return {
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      state.onFault = undefined;
      state.down = false;
    },
  };
}

/** 503 for every request while the database is down (health has its own answer). */
export function databaseOutageGuard(): RequestHandler {
  return (req, res, next) => {
    if (!databaseAvailability().down || req.path === "/healthz") return next();
    res.set({ "Retry-After": "5", "Cache-Control": "no-store" });
    res.status(503);
    if (req.path.endsWith(".data") || req.accepts(["html", "json"]) === "json") {
      res.json({ error: databaseOutageMessage() });
    } else res.type("html").send(databaseOutageHtml());
  };
}

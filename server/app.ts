// The one process: Express (Remix pages + static files + /healthz), socket.io on the same
// HTTP server, and the mediasoup worker pool. server/index.ts starts it for real; tests
// start it too (with their own database and port).
import "./env.js";
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import { pathToFileURL } from "node:url";
import express from "express";
import compression from "compression";
import expressStaticGzip from "express-static-gzip";
import { createRequestHandler } from "@remix-run/express";
import { broadcastDevReady, type ServerBuild } from "@remix-run/node";
import { Server as SocketServer } from "socket.io";
import { SOCKET_PING_INTERVAL_MS, SOCKET_PING_TIMEOUT_MS } from "./live/protocol.js";
import { openDatabase, migrateIfNeeded, type DatabaseHandle } from "./db/postgres.js";
import { createLiveService, type LiveService } from "./live/index.js";
import { authenticateSockets } from "./socket-auth.js";
import { personalCacheControl, sameOriginGuard, securityHeaders } from "./security.js";
import { withBodyLimits } from "./body-limits.js";
import { httpLogging, rootLogger, type Logger } from "./logger.js";
import { createRouteNormaliser, createServerMetrics, routePatterns } from "./metrics.js";
import { SESSION_COOKIE } from "~/domains/auth/lucia.server";
import { prisma, disconnectPrisma } from "~/domains/db.server";
import { seedDemoData } from "../prisma/seed.js";
import { startReminderScheduler } from "~/domains/scheduling/reminders.server";
import { startCompetitionReleaseScheduler } from "~/domains/assessment/competitions.server";
import { checkPrerequisites, securePrivateData } from "./startup.js";
import { demoDataWanted } from "./demo-data.js";
import { databaseOutageGuard, startDatabaseMonitor } from "./db/availability.js";
import { sweepLeftovers } from "./leftovers.js";
import { refuseMalformedUrls, refuseNonFormBodies } from "./input-guard.js";
import { createPageCache } from "./page-cache.js";
import { redisPrefix, redisUrl } from "./env.js";
import { attachRedisAdapter } from "./redis.js";
import { closeRedisClients, redisPing, redisState, setRedisLog } from "~/domains/redis.server";
import { createHandInUploads } from "./hand-in-uploads.js";

const ROOT = path.resolve(import.meta.dirname, "..");
const BUILD_PATH = path.join(ROOT, "build/index.js");

export interface StartOptions {
  port?: number;
  host?: string;
  log?: (line: string) => void;
  /** Where request and service logs go (default: JSON lines on stdout, level LOG_LEVEL). */
  logger?: Logger;
}

export interface RunningServer {
  url: string;
  httpServer: http.Server;
  io: SocketServer;
  live: LiveService;
  db: DatabaseHandle;
  /** The resumable hand-in endpoint (tests run its clean-up). */
  handIns: ReturnType<typeof createHandInUploads>;
  close(): Promise<void>;
}

async function importBuild(): Promise<ServerBuild> {
  if (!fs.existsSync(BUILD_PATH)) throw new Error("No Remix build found: run `npm run build` (npm start does it for you).");
  return import(`${pathToFileURL(BUILD_PATH).href}?t=${fs.statSync(BUILD_PATH).mtimeMs}`);
}

export async function startServer(options: StartOptions = {}): Promise<RunningServer> {
  const logger = options.logger ?? rootLogger;
  const log = options.log ?? ((line: string) => logger.info(line));
  const dev = process.env.NODE_ENV === "development";

  // Redis clients may open early (a demo-data write publishes a page-cache change): log to ours.
  setRedisLog((level, message) => logger[level](message));
  checkPrerequisites(BUILD_PATH);
  securePrivateData();
  const t0 = Date.now();
  const db = await openDatabase((line) => {
    if (process.env.DEBUG_POSTGRES) log(`[postgres] ${line}`);
  });
  // Whatever fails from here on must not leave the embedded cluster running.
  const stopOnFailure = <T>(p: Promise<T>) => p.catch(async (err) => (await disconnectPrisma().catch(() => {}), await db.stop(), Promise.reject(err)));
  process.env.DATABASE_URL = db.url;
  await stopOnFailure(migrateIfNeeded(db.url));
  const demo = demoDataWanted({ embedded: db.embedded });
  const seeded = demo ? await stopOnFailure(seedDemoData(prisma)) : 0;
  log(`database ready (${db.embedded ? "embedded PostgreSQL" : "DATABASE_URL"}) in ${Date.now() - t0} ms${seeded ? `, ${seeded} demo users created` : ""}${demo ? "" : ", no demo data"}`);
  if (redisUrl() && db.embedded) {
    logger.warn("REDIS_URL is set but the database is the embedded one: other processes cannot share it; set DATABASE_URL for more than one process");
  }
  const dbMonitor = startDatabaseMonitor(() => prisma.$queryRaw`SELECT 1`, log);

  await sweepLeftovers(log);
  let build = await importBuild();
  let patterns = routePatterns(build.routes);
  const routeOf = createRouteNormaliser(() => patterns);
  // Before the live service: worker CPU is read from the workers mediasoup announces.
  let live: LiveService | undefined;
  const metrics = await createServerMetrics({ live: () => live, routeOf });
  live = await stopOnFailure(createLiveService());

  const app = express();
  app.disable("x-powered-by");
  if (process.env.TRUST_PROXY) app.set("trust proxy", process.env.TRUST_PROXY === "true" ? true : process.env.TRUST_PROXY);
  app.use(httpLogging(logger, routeOf));
  app.use(metrics.middleware);
  app.use(compression());
  app.use(securityHeaders());
  app.use(refuseMalformedUrls);

  app.get("/healthz", async (_req, res) => {
    let database: "ok" | "down" = "ok";
    try {
      await prisma.$queryRaw`SELECT 1`;
    } catch {
      database = "down";
    }
    // State only: worker pids and counts are internals (they are in /metrics for operators).
    const media = live.health().ok ? "ok" : "down";
    // Redis away: pages and the rooms of this process keep working, so still 200 ("degraded").
    let redis = redisState();
    if (redis === "ok" && !(await redisPing())) redis = "down";
    const ok = database === "ok" && media === "ok";
    res.setHeader("Cache-Control", "no-store");
    res.status(ok ? 200 : 503).json({ status: ok && redis !== "down" ? "ok" : "degraded", database, media, redis });
  });
  app.get("/metrics", metrics.handler);

  // Fingerprinted Remix assets are immutable; everything else in public/ for an hour. The build's
  // scripts and styles go out as their precompressed .br / .gz copies when the browser accepts
  // them (scripts/compress-assets.mjs; brotli 11 is ~13 % smaller than on-the-fly gzip);
  // without the copies, the compression middleware above compresses them as before.
  app.use("/build", expressStaticGzip(path.join(ROOT, "public/build"), { enableBrotli: true, orderPreference: ["br", "gz"], serveStatic: { immutable: true, maxAge: "1y" } }));
  app.use(express.static(path.join(ROOT, "public"), { maxAge: "1h" }));

  app.use(personalCacheControl(SESSION_COOKIE));
  app.use(databaseOutageGuard());
  app.use(sameOriginGuard());
  // Resumable hand-in uploads (tus): their bodies are bytes, not forms.
  const handIns = createHandInUploads({ log });
  await handIns.sweep().catch((err) => log(`hand-in sweep failed: ${(err as Error).message}`));
  app.all(handIns.paths, handIns.handler);
  app.use(refuseNonFormBodies);
  // The peer address, for log-in rate limiting; overwrites anything a client sent.
  app.use((req, _res, next) => {
    req.headers["x-skillrelay-client-ip"] = req.ip ?? req.socket.remoteAddress ?? "unknown";
    next();
  });

  if (process.env.PAGE_CACHE !== "off") app.use(createPageCache(SESSION_COOKIE).middleware);

  // The CSP nonce of this response, for <Scripts>, <ScrollRestoration> and inline <style>.
  const getLoadContext = (_req: express.Request, res: express.Response) => ({ cspNonce: String(res.locals.cspNonce ?? "") });
  let handleRequest = createRequestHandler({ build, mode: process.env.NODE_ENV, getLoadContext });
  if (dev) {
    // `remix dev --manual`: reload the build in place so live rooms and workers survive edits.
    fs.watchFile(BUILD_PATH, { interval: 300 }, async () => {
      build = await importBuild();
      patterns = routePatterns(build.routes);
      handleRequest = createRequestHandler({ build, mode: process.env.NODE_ENV, getLoadContext });
      broadcastDevReady(build);
      log("Remix build reloaded");
    });
  }
  app.all("*", withBodyLimits((req, res, next) => handleRequest(req, res, next)));

  const httpServer = http.createServer(app);
  // Idle keep-alive connections are kept longer than clients and proxies keep theirs (Node's
  // default is 5 s): a client reusing a socket the server is closing at that moment gets
  // ECONNRESET on a POST, which is not retried (seen in CI on a log-out).
  httpServer.keepAliveTimeout = 65_000;
  httpServer.headersTimeout = 66_000;
  const io = new SocketServer(httpServer, {
    serveClient: false,
    // The largest legitimate message (produce's rtpParameters) is a few KB: refuse megabytes.
    maxHttpBufferSize: 64 * 1024,
    // Heartbeat: a dead connection is noticed within pingInterval + pingTimeout (7 s) on
    // both sides, so a dropped network shows "Reconnecting…" and the client opens a FRESH
    // connection when the network returns, instead of waiting out the old one's TCP
    // retransmission backoff (up to ~13 s after a 10 s drop). Losing the socket costs
    // little: the peer's media stays up (docs/decisions/020-reconnect-without-media-teardown.md).
    pingInterval: SOCKET_PING_INTERVAL_MS,
    pingTimeout: SOCKET_PING_TIMEOUT_MS,
    // Refuse cross-site WebSocket hijacking: the handshake must come from this site.
    allowRequest: (req, callback) => {
      const origin = req.headers.origin;
      if (!origin) return callback(null, true); // non-browser clients carry no ambient cookie risk
      try {
        const trusted = (process.env.TRUSTED_ORIGINS ?? "").split(",").map((s) => s.trim());
        const ok = new URL(origin).host === req.headers.host || trusted.includes(origin);
        callback(ok ? null : "origin not allowed", ok);
      } catch {
        callback("bad origin", false);
      }
    },
  });
  attachRedisAdapter(io, logger, { url: redisUrl(), prefix: redisPrefix() });
  authenticateSockets(io);
  live.attach(io);
  const port = options.port ?? Number(process.env.PORT ?? 3000);
  const host = options.host ?? process.env.HOST ?? "0.0.0.0";
  await new Promise<void>((resolve, reject) => {
    httpServer.once("error", reject);
    httpServer.listen(port, host, () => resolve());
  }).catch(async (err) => {
    dbMonitor.stop();
    handIns.stop();
    await io.close().catch(() => {});
    await live.close();
    await closeRedisClients();
    await disconnectPrisma().catch(() => {});
    await db.stop();
    throw err;
  });
  // Booking reminders (24 h and 15 min before), claimed from the database: once across processes.
  const reminders = startReminderScheduler({ log });
  // Competitions with a set release time: released at that time once fully marked.
  const competitionReleases = startCompetitionReleaseScheduler({ log });
  const address = httpServer.address();
  const actualPort = typeof address === "object" && address ? address.port : port;
  const url = `http://localhost:${actualPort}`;
  if (dev) broadcastDevReady(build);

  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      fs.unwatchFile(BUILD_PATH);
      reminders.stop();
      competitionReleases.stop();
      handIns.stop();
      dbMonitor.stop();
      // Awaited: it unsubscribes the Redis adapter before the clients close below.
      const ioClosed = io.close().catch(() => {});
      httpServer.closeAllConnections?.();
      await ioClosed;
      await new Promise<void>((resolve) => (httpServer.listening ? httpServer.close(() => resolve()) : resolve()));
      await live.close();
      await closeRedisClients();
      metrics.close();
      await disconnectPrisma();
      await db.stop();
    })());

  return { url, httpServer, io, live, db, handIns, close };
}

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
import { createRequestHandler } from "@remix-run/express";
import { broadcastDevReady, type ServerBuild } from "@remix-run/node";
import { Server as SocketServer } from "socket.io";
import { openDatabase, migrateIfNeeded, type DatabaseHandle } from "./db/postgres.js";
import { createLiveService, type LiveService } from "./live/index.js";
import { authenticateSockets } from "./socket-auth.js";
import { sameOriginGuard, securityHeaders } from "./security.js";
import { prisma, disconnectPrisma } from "~/domains/db.server";
import { seedDemoData } from "../prisma/seed.js";
import { startReminderScheduler } from "~/domains/scheduling/reminders.server";
import { sweepLeftovers } from "./leftovers.js";
import { refuseMalformedUrls, refuseNonFormBodies } from "./input-guard.js";

const ROOT = path.resolve(import.meta.dirname, "..");
const BUILD_PATH = path.join(ROOT, "build/index.js");

export interface StartOptions {
  port?: number;
  host?: string;
  log?: (line: string) => void;
}

export interface RunningServer {
  url: string;
  httpServer: http.Server;
  io: SocketServer;
  live: LiveService;
  db: DatabaseHandle;
  close(): Promise<void>;
}

async function importBuild(): Promise<ServerBuild> {
  if (!fs.existsSync(BUILD_PATH)) throw new Error("No Remix build found: run `npm run build` (npm start does it for you).");
  return import(`${pathToFileURL(BUILD_PATH).href}?t=${fs.statSync(BUILD_PATH).mtimeMs}`);
}

export async function startServer(options: StartOptions = {}): Promise<RunningServer> {
  const log = options.log ?? ((line: string) => console.log(line));
  const dev = process.env.NODE_ENV === "development";

  const t0 = Date.now();
  const db = await openDatabase((line) => {
    if (process.env.DEBUG_POSTGRES) log(`[postgres] ${line}`);
  });
  process.env.DATABASE_URL = db.url;
  await migrateIfNeeded(db.url);
  const seeded = await seedDemoData(prisma);
  log(`database ready (${db.embedded ? "embedded PostgreSQL" : "DATABASE_URL"}) in ${Date.now() - t0} ms${seeded ? `, ${seeded} demo users created` : ""}`);

  await sweepLeftovers(log);
  const live = await createLiveService();

  const app = express();
  app.disable("x-powered-by");
  if (process.env.TRUST_PROXY) app.set("trust proxy", process.env.TRUST_PROXY === "true" ? true : process.env.TRUST_PROXY);
  app.use(compression());
  app.use(securityHeaders);
  app.use(refuseMalformedUrls);

  app.get("/healthz", async (_req, res) => {
    let database: "ok" | "down" = "ok";
    try {
      await prisma.$queryRaw`SELECT 1`;
    } catch {
      database = "down";
    }
    const media = live.health();
    const ok = database === "ok" && media.ok;
    res.status(ok ? 200 : 503).json({ status: ok ? "ok" : "degraded", database, workers: media.workers });
  });

  // Fingerprinted Remix assets are immutable; everything else in public/ for an hour.
  app.use("/build", express.static(path.join(ROOT, "public/build"), { immutable: true, maxAge: "1y" }));
  app.use(express.static(path.join(ROOT, "public"), { maxAge: "1h" }));

  app.use(sameOriginGuard());
  app.use(refuseNonFormBodies);
  // The peer address, for log-in rate limiting; overwrites anything a client sent.
  app.use((req, _res, next) => {
    req.headers["x-skillrelay-client-ip"] = req.ip ?? req.socket.remoteAddress ?? "unknown";
    next();
  });

  let build = await importBuild();
  let handleRequest = createRequestHandler({ build, mode: process.env.NODE_ENV });
  if (dev) {
    // `remix dev --manual`: reload the build in place so live rooms and workers survive edits.
    fs.watchFile(BUILD_PATH, { interval: 300 }, async () => {
      build = await importBuild();
      handleRequest = createRequestHandler({ build, mode: process.env.NODE_ENV });
      broadcastDevReady(build);
      log("Remix build reloaded");
    });
  }
  app.all("*", (req, res, next) => handleRequest(req, res, next));

  const httpServer = http.createServer(app);
  const io = new SocketServer(httpServer, {
    serveClient: false,
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
  authenticateSockets(io);
  live.attach(io);
  // Booking reminders (24 h and 15 min before), claimed from the database: once across processes.
  const reminders = startReminderScheduler({ log });

  const port = options.port ?? Number(process.env.PORT ?? 3000);
  const host = options.host ?? process.env.HOST ?? "0.0.0.0";
  await new Promise<void>((resolve, reject) => {
    httpServer.once("error", reject);
    httpServer.listen(port, host, () => resolve());
  });
  const address = httpServer.address();
  const actualPort = typeof address === "object" && address ? address.port : port;
  const url = `http://localhost:${actualPort}`;
  if (dev) broadcastDevReady(build);

  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      fs.unwatchFile(BUILD_PATH);
      reminders.stop();
      io.close();
      httpServer.closeAllConnections?.();
      await new Promise<void>((resolve) => httpServer.close(() => resolve()));
      await live.close();
      await disconnectPrisma();
      await db.stop();
    })());

  return { url, httpServer, io, live, db, close };
}

// Structured logs (pino): one JSON line per event on stdout. Each HTTP request gets one line
// (pino-http) with its request id, the user id when logged in, method, route pattern, status
// and duration. Never logged: bodies, headers (cookies, tokens), query strings or raw paths
// (invitation and calendar links carry tokens in the path) — the route pattern stands in.
import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { RequestHandler } from "express";
import { pino, type DestinationStream, type Logger } from "pino";
import { pinoHttp } from "pino-http";
import { requestContext, type RequestContext } from "~/domains/request-context.server";

export type { Logger } from "pino";

const LEVELS = ["trace", "debug", "info", "warn", "error", "fatal", "silent"] as const;

function levelFromEnv(): string {
  const raw = (process.env.LOG_LEVEL ?? "").trim().toLowerCase();
  if ((LEVELS as readonly string[]).includes(raw)) return raw;
  // Vitest runs many servers in one run; their request lines are noise there.
  return process.env.VITEST ? "silent" : "info";
}

/** Safety net in case something hands a whole object to the logger. */
export const REDACT_PATHS = [
  "req.headers.cookie",
  "req.headers.authorization",
  "res.headers['set-cookie']",
  "*.password",
  "*.token",
  "*.sessionId",
  "*.idNumber",
  "*.phone",
  "*.cookie",
];

export function createLogger(destination?: DestinationStream, level = levelFromEnv()): Logger {
  const options = {
    level,
    base: { service: "skillrelay" },
    redact: { paths: REDACT_PATHS, censor: "[redacted]" },
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  return destination ? pino(options, destination) : pino(options);
}

/** The process-wide logger (the live service's scoped loggers are children of it). */
export const rootLogger: Logger = createLogger();

const REQUEST_ID = /^[A-Za-z0-9._:-]{8,128}$/;

/** A sane incoming X-Request-Id (from a proxy) is kept; anything else is replaced. */
export function requestIdOf(req: IncomingMessage): string {
  const incoming = req.headers["x-request-id"];
  return typeof incoming === "string" && REQUEST_ID.test(incoming) ? incoming : randomUUID();
}

/**
 * Request id + request context + the access log line. `routeOf` turns a path into its
 * route pattern (never raw ids or tokens).
 */
export function httpLogging(logger: Logger, routeOf: (path: string) => string): RequestHandler[] {
  const context: RequestHandler = (req, res, next) => {
    const requestId = requestIdOf(req);
    // Remix sees the same id (req.headers), the client gets it back.
    req.headers["x-request-id"] = requestId;
    res.setHeader("X-Request-Id", requestId);
    const store: RequestContext = { requestId };
    res.locals.requestContext = store;
    requestContext.run(store, next);
  };
  const access = pinoHttp({
    logger,
    genReqId: (req) => String(req.headers["x-request-id"]),
    quietReqLogger: true,
    wrapSerializers: false,
    serializers: {
      req: (req: IncomingMessage & { originalUrl?: string }) => ({
        method: req.method,
        route: routeOf(pathOf(req.originalUrl ?? req.url ?? "/")),
        remoteAddress: req.socket?.remoteAddress,
      }),
      res: (res: ServerResponse) => ({ statusCode: res.statusCode }),
      err: pino.stdSerializers.err,
    },
    customProps: (_req, res) => {
      const store = (res as ServerResponse & { locals?: { requestContext?: RequestContext } }).locals?.requestContext;
      return store?.userId ? { userId: store.userId } : {};
    },
    // Fingerprinted assets and public files are many and dull: logged at debug unless they fail.
    customLogLevel: (req, res, err) => {
      if (err || res.statusCode >= 500) return "error";
      const path = pathOf((req as IncomingMessage & { originalUrl?: string }).originalUrl ?? req.url ?? "/");
      return res.statusCode < 400 && ["/build/*", "/static"].includes(routeOf(path)) ? "debug" : "info";
    },
    customAttributeKeys: { reqId: "requestId", responseTime: "durationMs" },
    customSuccessMessage: (req, res) => `${req.method} ${res.statusCode}`,
    customErrorMessage: (req, res) => `${req.method} ${res.statusCode}`,
  });
  return [context, access];
}

export function pathOf(url: string): string {
  const q = url.indexOf("?");
  return q === -1 ? url : url.slice(0, q);
}

// Redis clients of this process (REDIS_URL set: several processes share it; unset: none).
// One registry per process, kept on globalThis: the Remix build (rate limits) and the server
// (socket.io adapter) each load their own copy of this module and must share the clients, so
// the server's shutdown closes them all. See docs/decisions/019-scale-out-redis.md.
//
// Redis being away must never crash the process or stall a request: every client handles
// its 'error' events, reconnects with a capped back-off for ever, and every command promise
// a library fires without awaiting (the socket.io adapter's publish/unsubscribe) gets a
// catch handler through `guarded()`.
import { createClient } from "redis";
import { redisPrefix, redisUrl } from "../../server/env";

export type RedisClient = ReturnType<typeof createClient>;
export type RedisState = "disabled" | "ok" | "down";
type Log = (level: "info" | "warn" | "error", message: string) => void;

interface Registry {
  /** name → the client and its guarded view (what callers get). */
  clients: Map<string, { raw: RedisClient; view: RedisClient }>;
  log: Log;
}

const KEY = Symbol.for("skillrelay.redis.registry");
const globals = globalThis as unknown as Record<symbol, Registry | undefined>;
const registry = (globals[KEY] ??= {
  clients: new Map(),
  log: (level, message) => (level === "info" ? undefined : console.error(`[redis] ${message}`)),
});

export { redisPrefix, redisUrl };

/** Where log lines about Redis go (the server passes its logger). */
export function setRedisLog(log: Log) {
  registry.log = log;
}

/** host:port of a Redis URL, without user or password (for log lines). */
export function redisWhere(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname}:${u.port || 6379}`;
  } catch {
    return "(unparsable REDIS_URL)";
  }
}

/** Back-off between reconnection attempts: 100 ms doubling, at most 5 s, for ever. */
export function reconnectDelayMs(retries: number): number {
  return Math.min(100 * 2 ** Math.min(retries, 10), 5_000);
}

/**
 * The client named `name` (e.g. "pub", "sub", "limits"), created and connecting on first use.
 * Never waits for the connection: commands wait in the offline queue (or fail fast with
 * `failFast`) until Redis answers.
 */
export function redisClient(name: string, opts: { failFast?: boolean } = {}): RedisClient | undefined {
  const url = redisUrl();
  if (!url) return undefined;
  const existing = registry.clients.get(name);
  if (existing) return existing.view;
  const where = redisWhere(url);
  const client: RedisClient = createClient({
    url,
    name: `skillrelay-${name}-${process.pid}`,
    disableOfflineQueue: !!opts.failFast,
    socket: { connectTimeout: 5_000, reconnectStrategy: (retries) => reconnectDelayMs(retries) },
  });
  let reported = false;
  client.on("error", (err: Error) => {
    // One line per outage, not one per reconnection attempt.
    if (reported) return;
    reported = true;
    registry.log("warn", `Redis ${where} (${name}) unreachable: ${err.message || err.name}; retrying`);
  });
  client.on("ready", () => {
    if (reported) registry.log("info", `Redis ${where} (${name}) reachable again`);
    reported = false;
  });
  // While Redis is away every command fails: the 'error' listener reported that once already.
  const view = guarded(client, (err) => client.isReady && registry.log("warn", `Redis ${where} (${name}): ${errorText(err)}`));
  registry.clients.set(name, { raw: client, view });
  client.connect().catch(() => {
    // Reported by the 'error' listener; the reconnect strategy keeps trying.
  });
  return view;
}

/** This process, in messages it publishes (to ignore its own). */
export const PROCESS_TAG: string = ((globalThis as Record<symbol, unknown>)[Symbol.for("skillrelay.redis.processTag")] ??=
  `${process.pid}-${Math.random().toString(36).slice(2, 10)}`) as string;

export const publicContentChannel = () => `${redisPrefix()}:public-content`;

/** Tells the other processes that public content changed (no-op without REDIS_URL; never throws). */
export function publishPublicContentChange() {
  if (!redisUrl()) return;
  try {
    void redisClient("pub", { failFast: true })?.publish(publicContentChannel(), PROCESS_TAG);
  } catch {
    // the guarded client reports
  }
}

/** "disabled" without REDIS_URL, "ok" when every client is connected, else "down". */
export function redisState(): RedisState {
  if (!redisUrl()) return "disabled";
  if (registry.clients.size === 0) return "down";
  return [...registry.clients.values()].every((c) => c.raw.isReady) ? "ok" : "down";
}

/** Round trip to Redis (for /healthz), false after `timeoutMs`. */
export async function redisPing(timeoutMs = 1_000): Promise<boolean> {
  const client = redisUrl() ? [...registry.clients.values()].map((c) => c.raw).find((c) => c.isReady && !c.isPubSubActive) : undefined;
  if (!client) return false;
  let timer: NodeJS.Timeout | undefined;
  try {
    const pong = await Promise.race([
      client.ping(),
      new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error("timeout")), timeoutMs))),
    ]);
    return pong === "PONG";
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Closes every client of this process: waits for their pending commands when connected,
 * drops them (rejections caught) when not. Never throws.
 */
export async function closeRedisClients(): Promise<void> {
  const clients = [...registry.clients.values()].map((c) => c.raw);
  registry.clients.clear();
  await Promise.all(
    clients.map(async (client) => {
      try {
        if (client.isReady) await client.close();
        else if (client.isOpen) client.destroy();
      } catch {
        try {
          client.destroy();
        } catch {
          // already gone
        }
      }
    }),
  );
}

/**
 * The client with a catch handler on every promise its methods return. The promise handed
 * back is the original one, so callers that await still see its rejection; callers that
 * don't (fire-and-forget publishes) no longer raise unhandled rejections.
 */
function guarded(client: RedisClient, onError: (err: unknown) => void): RedisClient {
  const wrapped = new WeakMap<object, unknown>();
  return new Proxy(client, {
    get(target, prop, receiver) {
      // The client's getters read private fields: `this` must be the client itself.
      const value = Reflect.get(target, prop);
      if (typeof value !== "function") return value;
      const cached = wrapped.get(value);
      if (cached) return cached;
      const fn = function (this: unknown, ...args: unknown[]) {
        const result = (value as (...a: unknown[]) => unknown).apply(target, args);
        if (result && typeof (result as Promise<unknown>).catch === "function" && result !== target) {
          (result as Promise<unknown>).catch(onError);
        }
        return result === target ? receiver : result;
      };
      wrapped.set(value, fn);
      return fn;
    },
  }) as RedisClient;
}

function errorText(err: unknown) {
  return err instanceof Error ? err.message || err.name : String(err);
}

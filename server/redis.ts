// REDIS_URL set: socket.io's Redis adapter, so broadcasts to a socket.io room (a person's
// `user:<id>`, a log-in's `login:<id>`) and disconnectSockets() reach the sockets of every
// process. Unset: nothing changes (one process, the in-memory adapter).
// The clients live in the per-process registry (app/domains/redis.server.ts), closed by
// closeRedisClients() at shutdown, after io.close() has unsubscribed.
import type { Server } from "socket.io";
import { createAdapter } from "@socket.io/redis-adapter";
import type { Logger } from "./logger.js";
import { PROCESS_TAG, publicContentChannel, redisClient, redisState, redisWhere, setRedisLog } from "~/domains/redis.server";
import { bumpPublicContentFromElsewhere } from "~/domains/public-content.server";

export interface RedisAdapterOptions {
  url: string;
  prefix: string;
}

/** Installs the Redis adapter on `io`; returns false (and changes nothing) without a URL. */
export function attachRedisAdapter(io: Server, logger: Logger, opts: { url?: string; prefix: string }): boolean {
  if (!opts.url) return false;
  setRedisLog((level, message) => logger[level](message));
  // Publishing fails fast while Redis is away (the message is lost, the local sockets still
  // get theirs); subscriptions wait in the offline queue and are renewed on reconnection.
  const pub = redisClient("pub", { failFast: true })!;
  const sub = redisClient("sub")!;
  io.adapter(createAdapter(pub, sub, { key: `${opts.prefix}:socket.io`, requestsTimeout: 3_000 }));
  // Cached public pages (server/page-cache.ts): another process's edit makes ours stale too.
  void sub.subscribe(publicContentChannel(), (message: string) => {
    if (message !== PROCESS_TAG) bumpPublicContentFromElsewhere();
  });
  logger.info(`socket.io Redis adapter on ${redisWhere(opts.url)} (prefix ${opts.prefix}), state ${redisState()}`);
  return true;
}

// Imported first by every server entry point: mediasoup reads MEDIASOUP_WORKER_BIN when its
// module loads, so the default must be in place before anything imports mediasoup.
import fs from "node:fs";

const DEBIAN_WORKER = "/usr/lib/x86_64-linux-gnu/mediasoup/mediasoup-worker";
if (!process.env.MEDIASOUP_WORKER_BIN && fs.existsSync(DEBIAN_WORKER)) {
  process.env.MEDIASOUP_WORKER_BIN = DEBIAN_WORKER;
}
/** NODE_ENV as whoever started the process gave it, before the default below (demo data rule). */
export const nodeEnvGiven: string | undefined = process.env.NODE_ENV;
process.env.NODE_ENV ??= "production";

/** Redis for more than one process (socket.io adapter, shared rate limits); unset: one process, no Redis. */
export function redisUrl(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const url = env.REDIS_URL?.trim();
  return url ? url : undefined;
}

/** Prefix of every Redis key and channel of this deployment (several deployments may share one Redis). */
export function redisPrefix(env: NodeJS.ProcessEnv = process.env): string {
  return env.REDIS_PREFIX?.trim() || "skillrelay";
}

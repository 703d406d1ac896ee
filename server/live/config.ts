/**
 * Live-room (mediasoup SFU) configuration, read from the environment once at start-up,
 * plus the tiny logger the live service uses (one prefix per scope, e.g. a room id).
 *
 * Environment:
 *   MEDIASOUP_WORKER_BIN      path of the mediasoup-worker binary. mediasoup reads it when
 *                             its module is first imported; if unset and Debian's binary
 *                             exists, `ensureWorkerBin()` sets it before that import.
 *   MEDIASOUP_NUM_WORKERS     number of workers (default: number of CPU cores)
 *   MEDIASOUP_LISTEN_IP       IP the WebRTC transports bind to (default 127.0.0.1)
 *   MEDIASOUP_ANNOUNCED_IP    public IP/hostname announced in ICE candidates (optional;
 *                             needed when MEDIASOUP_LISTEN_IP is 0.0.0.0 or behind NAT)
 *   MEDIASOUP_MIN_PORT        first RTC port (default 40000)
 *   MEDIASOUP_MAX_PORT        last RTC port (default 49999)
 *   MEDIASOUP_LOG_LEVEL       worker log level: debug | warn | error | none (default warn)
 *   LIVE_LOG_LEVEL            app log level of the live service:
 *                             debug | info | warn | error | silent (default: LOG_LEVEL)
 *   LIVE_ROUTER_MAX_CONSUMERS consumers one router of a room serves before new peers go to a
 *                             router on another worker, joined by pipeToRouter (default 500)
 *   LIVE_RECONNECT_GRACE_MS   how long a dropped peer stays "reconnecting" (default 30000)
 *   LIVE_MAX_SOCKETS_PER_PERSON  peers (tabs/devices) one person may have in one room (default 3)
 *   LIVE_EMPTY_SESSION_END_MINUTES  a live session whose room stayed empty this long ends (default 10)
 *   LIVE_SESSION_END_GRACE_MINUTES  a session ends this long after its scheduled end (default 60);
 *                             read by app/domains/live/sessions.server.ts
 *   LIVE_SWEEP_INTERVAL_MS    how often sessions are checked for their end (default 60000)
 *   LIVE_SOCKET_RECHECK_MS    how often every socket's log-in is checked again (default 60000)
 *   LIVE_PROCESS_HEARTBEAT_MS how often this process renews its heartbeat row and closes the
 *                             records of dead processes (default 10000)
 *   LIVE_PROCESS_STALE_MS     a process whose heartbeat is older is dead (default 30000)
 *   MEDIASOUP_PIPE_IP         (REDIS_URL set) the address other processes/hosts reach this
 *                             process's pipe transports on (default MEDIASOUP_LISTEN_IP, or
 *                             127.0.0.1 when that is a wildcard); docs/decisions/033
 *   LIVE_ROOM_DIRECTORY_TTL_MS how long a room directory entry in Redis outlives its last
 *                             renewal (default 3 heartbeats, at least 2)
 *   LIVE_PLAIN_RTP            1 = benches and tests only: `transport:create {plain: true}`
 *                             gives plain-RTP transports (no ICE/DTLS). Never in production.
 */
import { existsSync } from "node:fs";
import os from "node:os";
import { z } from "zod";
import { rootLogger, type Logger as PinoLogger } from "../logger.js";

export const DEBIAN_WORKER_BIN = "/usr/lib/x86_64-linux-gnu/mediasoup/mediasoup-worker";

/**
 * mediasoup captures MEDIASOUP_WORKER_BIN at module-load time, so this must run before
 * `import("mediasoup")` (WorkerPool does so and imports mediasoup lazily).
 */
export function ensureWorkerBin(): void {
  if (!process.env.MEDIASOUP_WORKER_BIN && existsSync(DEBIAN_WORKER_BIN)) {
    process.env.MEDIASOUP_WORKER_BIN = DEBIAN_WORKER_BIN;
  }
}

/** Codec capability as mediasoup's RtpCodecCapability expects it (kept structural). */
export interface MediaCodec {
  kind: "audio" | "video";
  mimeType: string;
  clockRate: number;
  channels?: number;
  parameters?: Record<string, string | number>;
}

export interface LiveLimits {
  maxTransportsPerPeer: number;
  maxProducersPerPeer: number;
  maxConsumersPerPeer: number;
  /** Distinct participants (people, not sockets) in a room, whatever its capacity; moderators never count. */
  maxPeersPerRoom: number;
  /** Peers (sockets) one person may hold in one room. */
  maxPeersPerPerson: number;
  /** Moderators are never refused for the room's size, but their own peers are bounded too. */
  maxPeersPerModerator: number;
}

export type WorkerLogLevel = "debug" | "warn" | "error" | "none";
export type AppLogLevel = "debug" | "info" | "warn" | "error" | "silent";

export interface LiveConfig {
  numWorkers: number;
  workerLogLevel: WorkerLogLevel;
  rtcMinPort: number;
  rtcMaxPort: number;
  listenIp: string;
  announcedIp: string | undefined;
  initialAvailableOutgoingBitrate: number;
  maxIncomingBitrate: number;
  mediaCodecs: MediaCodec[];
  limits: LiveLimits;
  /** Past this many consumers on every router of a room, new peers get a router on another worker. */
  routerMaxConsumers: number;
  /** How long a peer whose socket dropped stays "reconnecting" before it is removed. */
  reconnectGraceMs: number;
  /** A live session whose room has been empty this long is ended. */
  emptySessionEndMs: number;
  /** How often sessions are swept for their end (scheduled end + grace, empty too long). */
  sweepIntervalMs: number;
  /** How often every socket's log-in session (and room access) is validated again. */
  socketRecheckMs: number;
  /** How often this process's heartbeat row is renewed (and dead processes' records closed). */
  processHeartbeatMs: number;
  /** A process whose heartbeat is older than this is dead. */
  processStaleMs: number;
  /** Where other processes send this process's pipe transports their RTP (MEDIASOUP_PIPE_IP). */
  pipeIp: string;
  /** A room directory entry (Redis) lives this long unless its process renews it on its heartbeat. */
  roomDirectoryTtlMs: number;
  /** LIVE_PLAIN_RTP=1 (benches and tests only): plain-RTP transports through the signalling path. */
  plainRtp: boolean;
  /** Session analytics: one connection-quality sample per person per this window. */
  statsSampleMs: number;
  /** Session analytics: accumulated figures are written this often (and when someone leaves). */
  statsFlushMs: number;
  /** Length of one "minute" of a breakout timer: 60 000, shorter only in tests (LIVE_BREAKOUT_MINUTE_MS). */
  breakoutMinuteMs: number;
}

const WILDCARDS = ["0.0.0.0", "::"];

export const MEDIA_CODECS: MediaCodec[] = [
  { kind: "audio", mimeType: "audio/opus", clockRate: 48000, channels: 2 },
  {
    kind: "video",
    mimeType: "video/VP8",
    clockRate: 90000,
    parameters: { "x-google-start-bitrate": 1000 },
  },
  {
    kind: "video",
    mimeType: "video/H264",
    clockRate: 90000,
    parameters: {
      "packetization-mode": 1,
      "profile-level-id": "42e01f",
      "level-asymmetry-allowed": 1,
      "x-google-start-bitrate": 1000,
    },
  },
];

export const DEFAULT_LIMITS: LiveLimits = {
  maxTransportsPerPeer: 4,
  maxProducersPerPeer: 4,
  maxConsumersPerPeer: 100,
  maxPeersPerRoom: 50,
  maxPeersPerPerson: 3,
  maxPeersPerModerator: 10,
};

const port = z.coerce.number().int().min(1024).max(65535);
const emptyToUndefined = (v: unknown) => (typeof v === "string" && v.trim() === "" ? undefined : v);

const EnvSchema = z
  .object({
    MEDIASOUP_NUM_WORKERS: z.preprocess(emptyToUndefined, z.coerce.number().int().min(1).max(64).optional()),
    MEDIASOUP_LISTEN_IP: z.preprocess(emptyToUndefined, z.string().ip().default("127.0.0.1")),
    MEDIASOUP_ANNOUNCED_IP: z.preprocess(emptyToUndefined, z.string().min(1).max(253).optional()),
    MEDIASOUP_MIN_PORT: z.preprocess(emptyToUndefined, port.default(40000)),
    MEDIASOUP_MAX_PORT: z.preprocess(emptyToUndefined, port.default(49999)),
    MEDIASOUP_LOG_LEVEL: z.preprocess(
      emptyToUndefined,
      z.enum(["debug", "warn", "error", "none"]).default("warn"),
    ),
    LIVE_ROUTER_MAX_CONSUMERS: z.preprocess(emptyToUndefined, z.coerce.number().int().min(1).max(100_000).default(500)),
    LIVE_RECONNECT_GRACE_MS: z.preprocess(emptyToUndefined, z.coerce.number().int().min(1_000).max(600_000).default(30_000)),
    LIVE_MAX_SOCKETS_PER_PERSON: z.preprocess(emptyToUndefined, z.coerce.number().int().min(1).max(10).default(3)),
    LIVE_EMPTY_SESSION_END_MINUTES: z.preprocess(emptyToUndefined, z.coerce.number().min(0).max(7 * 24 * 60).default(10)),
    LIVE_SWEEP_INTERVAL_MS: z.preprocess(emptyToUndefined, z.coerce.number().int().min(100).max(3_600_000).default(60_000)),
    LIVE_SOCKET_RECHECK_MS: z.preprocess(emptyToUndefined, z.coerce.number().int().min(100).max(3_600_000).default(60_000)),
    LIVE_PROCESS_HEARTBEAT_MS: z.preprocess(emptyToUndefined, z.coerce.number().int().min(100).max(600_000).default(10_000)),
    LIVE_PROCESS_STALE_MS: z.preprocess(emptyToUndefined, z.coerce.number().int().min(300).max(3_600_000).default(30_000)),
    LIVE_STATS_SAMPLE_MS: z.preprocess(emptyToUndefined, z.coerce.number().int().min(1_000).max(600_000).default(30_000)),
    LIVE_STATS_FLUSH_MS: z.preprocess(emptyToUndefined, z.coerce.number().int().min(100).max(600_000).default(30_000)),
    LIVE_BREAKOUT_MINUTE_MS: z.preprocess(emptyToUndefined, z.coerce.number().int().min(100).max(60_000).default(60_000)),
    MEDIASOUP_PIPE_IP: z.preprocess(emptyToUndefined, z.string().ip().optional()),
    LIVE_ROOM_DIRECTORY_TTL_MS: z.preprocess(emptyToUndefined, z.coerce.number().int().min(300).max(600_000).optional()),
    LIVE_PLAIN_RTP: z.preprocess(emptyToUndefined, z.enum(["0", "1"]).default("0")),
  })
  .refine((e) => e.MEDIASOUP_MIN_PORT < e.MEDIASOUP_MAX_PORT, {
    message: "MEDIASOUP_MIN_PORT must be lower than MEDIASOUP_MAX_PORT",
  });

/** Reads and validates the environment; throws with a readable message when invalid. */
export function loadLiveConfig(
  env: NodeJS.ProcessEnv = process.env,
  overrides: { numWorkers?: number; routerMaxConsumers?: number; reconnectGraceMs?: number } = {},
): LiveConfig {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const details = parsed.error.issues.map((i) => `${i.path.join(".") || "env"}: ${i.message}`);
    throw new Error(`Invalid live-room configuration: ${details.join("; ")}`);
  }
  const e = parsed.data;
  const numWorkers = overrides.numWorkers ?? e.MEDIASOUP_NUM_WORKERS ?? Math.max(1, os.cpus().length);
  if (!Number.isInteger(numWorkers) || numWorkers < 1) {
    throw new Error(`Invalid live-room configuration: numWorkers must be a positive integer`);
  }
  if (["0.0.0.0", "::"].includes(e.MEDIASOUP_LISTEN_IP) && !e.MEDIASOUP_ANNOUNCED_IP) {
    createLogger("config").warn(
      `MEDIASOUP_LISTEN_IP=${e.MEDIASOUP_LISTEN_IP} without MEDIASOUP_ANNOUNCED_IP: browsers get unusable ICE candidates`,
    );
  }
  return {
    numWorkers,
    workerLogLevel: e.MEDIASOUP_LOG_LEVEL,
    rtcMinPort: e.MEDIASOUP_MIN_PORT,
    rtcMaxPort: e.MEDIASOUP_MAX_PORT,
    listenIp: e.MEDIASOUP_LISTEN_IP,
    announcedIp: e.MEDIASOUP_ANNOUNCED_IP,
    initialAvailableOutgoingBitrate: 1_000_000,
    // A host's send transport: camera (3 layers ≤ 1.55 Mbit/s) + screen (2 layers ≤ 1.35) +
    // audio (app/domains/live/client/encodings.ts), so neither starves the other on a good link.
    maxIncomingBitrate: 3_000_000,
    mediaCodecs: MEDIA_CODECS,
    limits: { ...DEFAULT_LIMITS, maxPeersPerPerson: e.LIVE_MAX_SOCKETS_PER_PERSON },
    routerMaxConsumers: overrides.routerMaxConsumers ?? e.LIVE_ROUTER_MAX_CONSUMERS,
    reconnectGraceMs: overrides.reconnectGraceMs ?? e.LIVE_RECONNECT_GRACE_MS,
    emptySessionEndMs: Math.round(e.LIVE_EMPTY_SESSION_END_MINUTES * 60_000),
    sweepIntervalMs: e.LIVE_SWEEP_INTERVAL_MS,
    socketRecheckMs: e.LIVE_SOCKET_RECHECK_MS,
    processHeartbeatMs: e.LIVE_PROCESS_HEARTBEAT_MS,
    // Never shorter than three heartbeats: one late heartbeat must not declare a process dead.
    processStaleMs: Math.max(e.LIVE_PROCESS_STALE_MS, 3 * e.LIVE_PROCESS_HEARTBEAT_MS),
    statsSampleMs: e.LIVE_STATS_SAMPLE_MS,
    statsFlushMs: e.LIVE_STATS_FLUSH_MS,
    breakoutMinuteMs: e.LIVE_BREAKOUT_MINUTE_MS,
    pipeIp: e.MEDIASOUP_PIPE_IP ?? (WILDCARDS.includes(e.MEDIASOUP_LISTEN_IP) ? "127.0.0.1" : e.MEDIASOUP_LISTEN_IP),
    // At least two heartbeats: one late renewal must not hand the room to another process.
    roomDirectoryTtlMs: Math.max(e.LIVE_ROOM_DIRECTORY_TTL_MS ?? 3 * e.LIVE_PROCESS_HEARTBEAT_MS, 2 * e.LIVE_PROCESS_HEARTBEAT_MS),
    plainRtp: e.LIVE_PLAIN_RTP === "1",
  };
}

// ---------------------------------------------------------------------------------------
// Logger

export interface Logger {
  debug(message: string, ...args: unknown[]): void;
  info(message: string, ...args: unknown[]): void;
  warn(message: string, ...args: unknown[]): void;
  error(message: string, ...args: unknown[]): void;
  /** A logger whose lines also carry `scope`, e.g. `room:abc`. */
  child(scope: string): Logger;
}

/** LIVE_LOG_LEVEL when set and valid; otherwise the server's level (LOG_LEVEL). */
function appLogLevel(): AppLogLevel | undefined {
  const raw = (process.env.LIVE_LOG_LEVEL ?? "").toLowerCase();
  return ["debug", "info", "warn", "error", "silent"].includes(raw) ? (raw as AppLogLevel) : undefined;
}

/** The live service's logs: pino child loggers of the server's logger, `scope` as a field. */
export function createLogger(scope: string): Logger {
  const level = appLogLevel();
  return wrap(rootLogger.child({ component: "live", scope }, level ? { level } : {}), scope);
}

function wrap(log: PinoLogger, scope: string): Logger {
  const write =
    (level: Exclude<AppLogLevel, "silent">) =>
    (message: string, ...args: unknown[]) => {
      if (args.length) log[level]({ details: args.map((a) => (a instanceof Error ? a.message : a)) }, message);
      else log[level](message);
    };
  return {
    debug: write("debug"),
    info: write("info"),
    warn: write("warn"),
    error: write("error"),
    child: (sub: string) => wrap(log.child({ scope: `${scope}/${sub}` }), `${scope}/${sub}`),
  };
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

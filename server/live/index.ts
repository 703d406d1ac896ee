/**
 * The live-room service: a mediasoup worker pool plus the socket.io signalling handlers.
 *
 *   const live = await createLiveService();   // also closes attendance a crash left open
 *   io.use(authMiddleware);                    // sets socket.data.user = { id, name, role }
 *   live.attach(io);
 *   ...
 *   await live.close();
 *
 * Every request is validated with its zod schema from protocol.ts, authorised against the
 * socket's user, the session (database) and the peer, and answered with `{ data }` or
 * `{ error: { code, message } }`. A handler never throws into the void: errors become error
 * acks, and unexpected ones are logged as "internal". See docs/protocol.md and
 * docs/live-architecture.md.
 */
import { randomUUID } from "node:crypto";
import type { Namespace, Server, Socket } from "socket.io";
import { z } from "zod";
import { onAccessChange, type AccessChange } from "~/domains/auth/events.server";
import { addBoardOp, BoardError, boardOps, boardState, clearBoardPage, setBoardState, setDrawer, undoBoardOp } from "~/domains/live/board.server";
import { answerPoll, closePoll, createPoll, currentPoll, PollError, pollResults, releasePoll } from "~/domains/live/polls.server";
import { redisUrl } from "../env.js";
import { AttendanceTracker } from "./attendance.js";
import { LiveStats } from "./stats.js";
import { createLogger, errorMessage, loadLiveConfig, type LiveConfig } from "./config.js";
import type { Peer } from "./Peer.js";
import {
  cleanText,
  LiveError,
  rateLimits,
  requestSchemas,
  SESSION_END_REASONS,
  UNKNOWN_EVENT_RATE,
  type MediaSource,
  type SessionEndReason,
  type Ack,
  type BoardOp,
  type BoardState,
  type CurrentPoll,
  type ErrorBody,
  type NotificationName,
  type NotificationPayload,
  type PeerInfo,
  type RequestName,
  type RequestPayload,
  type ResponseMap,
} from "./protocol.js";
import { RateLimiter } from "./rate-limit.js";
import { Recorder } from "./Recorder.js";
import { Room, type RoomCloseReason, type RoomSession } from "./Room.js";
import { Cascade, type CascadeStats } from "./cascade.js";
import { createPrismaStore, newProcessIdentity, type LiveStore } from "./store.js";
import { WorkerPool, type PoolHealth } from "./WorkerPool.js";

export type { PoolHealth } from "./WorkerPool.js";

export interface LiveInspection {
  rooms: {
    id: string;
    workerPid: number;
    peers: number;
    routers: { routerId: string; workerPid: number; peers: number; consumers: number }[];
    recording: boolean;
    /** Each peer's status and media: transport ids with ICE/DTLS states, producer and consumer ids. */
    peerMedia: {
      id: string;
      status: "connected" | "reconnecting";
      transports: { id: string; direction: "send" | "recv"; iceState: string; dtlsState: string; tupleProtocol: string | null }[];
      producers: string[];
      consumers: string[];
    }[];
  }[];
  workers: { index: number; pid: number; routers: number; consumers: number }[];
  /** REDIS_URL set: each room's place in its session's origin/edge tree (docs/decisions/033). */
  cascade: CascadeStats[];
}

export interface LiveService {
  /** Registers the signalling handlers: `io.on("connection", ...)`. Install auth first. */
  attach(io: Server): void;
  health(): PoolHealth;
  /** Diagnostics (and tests): the open rooms, their routers and the workers' load. */
  inspect(): LiveInspection;
  /** Waits for pending attendance writes and recording renders (tests). */
  flush(): Promise<void>;
  /**
   * Ends the live sessions that are over (scheduled end + grace, or empty too long); runs at
   * start-up and every LIVE_SWEEP_INTERVAL_MS. Returns how many it ended.
   */
  sweep(): Promise<number>;
  /** Validates every socket's log-in (and room access) again; runs every LIVE_SOCKET_RECHECK_MS. */
  recheckSockets(): Promise<void>;
  close(): Promise<void>;
}

export interface LiveServiceOptions {
  numWorkers?: number;
  store?: LiveStore;
  routerMaxConsumers?: number;
  reconnectGraceMs?: number;
  /** Close attendance a crash left open and fail interrupted recordings (default true). */
  recover?: boolean;
}

/** What the auth middleware must put in `socket.data.user`. */
const SocketUserSchema = z.object({
  id: z.string().min(1).max(128),
  name: z.string().max(200),
  role: z.string().optional(),
});
type SocketUser = z.infer<typeof SocketUserSchema>;

interface Connection {
  socket: Socket;
  /** From the handshake (server/socket-auth.ts): whose log-in session this socket rides on. */
  userId: string | null;
  sessionId: string | null;
  peer: Peer | null;
  room: Room | null;
  joining: boolean;
  disconnected: boolean;
}

interface Context {
  conn: Connection;
  user: SocketUser;
}

type Handler<E extends RequestName> = (
  payload: RequestPayload<E>,
  ctx: Context,
) => Promise<ResponseMap[E]> | ResponseMap[E];

const MAX_ERROR_MESSAGE = 300;
/** A room whose worker died: attendance stays open this long for the automatic rejoin. */
const REJOIN_GRACE_MS = 20_000;
/** A reconnecting peer replaced by a new tab of the same person: the record stays open this long for it. */
const REPLACE_GRACE_MS = 10_000;

/**
 * socket.io rooms every socket is in, so other processes reach it through the Redis adapter
 * (docs/decisions/019-scale-out-redis.md): the person, the log-in, and the live session the
 * socket is in (chat).
 */
export const userRoom = (userId: string) => `user:${userId}`;
export const loginRoom = (sessionId: string) => `login:${sessionId}`;
export const sessionRoom = (liveSessionId: string) => `session:${liveSessionId}`;
/** The moderators' sockets of a live session (live poll results). */
export const moderatorRoom = (liveSessionId: string) => `moderators:${liveSessionId}`;
/** How long the laser pointer trusts a board state read from the database (another process's forbid: at most this late). */
const LASER_STATE_MS = 1_000;
/** Live poll results go to the moderators at most this often per poll. */
const POLL_RESULTS_MS = 300;

/** Runs a poll or board domain call; their refusals (PollError, BoardError) become LiveErrors. */
async function domainCall<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    if (error instanceof PollError || error instanceof BoardError) throw new LiveError(error.code, error.message);
    throw error;
  }
}

/** What one process tells the others (io.serverSideEmit, only with the Redis adapter). */
const CrossProcessSchemas = {
  "live:removed": z.object({ sessionId: z.string().max(128), userId: z.string().max(128), by: z.string().max(200) }),
  "live:ended": z.object({ sessionId: z.string().max(128) }),
} as const;
type CrossProcessEvent = keyof typeof CrossProcessSchemas;

export async function createLiveService(opts: LiveServiceOptions = {}): Promise<LiveService> {
  const config = loadLiveConfig(process.env, {
    numWorkers: opts.numWorkers,
    routerMaxConsumers: opts.routerMaxConsumers,
    reconnectGraceMs: opts.reconnectGraceMs,
  });
  const me = newProcessIdentity();
  const store = opts.store ?? createPrismaStore({ process: me, staleMs: config.processStaleMs });
  const log = createLogger("service");
  if (opts.recover === false) {
    await store.heartbeat(config.processStaleMs);
  } else {
    const recovered = await store.recover();
    if (recovered.attendance || recovered.recordings) {
      log.warn(
        `start-up recovery: closed ${recovered.attendance} open attendance record(s) (server_restart), ` +
          `failed ${recovered.recordings} interrupted recording(s)`,
      );
    }
  }
  const pool = await WorkerPool.create(config);
  const service = new LiveServiceImpl(config, pool, store, me.id);
  // Sessions that ended while the server was down (their end passed, or they stayed empty).
  await service.sweep();
  return service;
}

class LiveServiceImpl implements LiveService {
  private readonly config: LiveConfig;
  private readonly pool: WorkerPool;
  private readonly store: LiveStore;
  private readonly log = createLogger("service");
  private readonly rooms = new Map<string, Room>();
  private readonly creating = new Map<string, Promise<Room>>();
  private readonly recorders = new Map<string, Recorder>();
  private readonly renders = new Set<Promise<unknown>>();
  private readonly attached = new Map<Server, (socket: Socket) => void>();
  private readonly connections = new Set<Connection>();
  private readonly peerConnections = new WeakMap<Peer, Connection>();
  private readonly attendance: AttendanceTracker;
  /** Session analytics: talk time, hands, quality samples, written in batches. */
  private readonly stats: LiveStats;
  /** Per (person, request kind): see rateLimits in protocol.ts. */
  private readonly limiter = new RateLimiter();
  /** Status writes (live / empty) of one session, in order. */
  private readonly statusWrites = new Map<string, Promise<void>>();
  /** Polls whose live results are due to the moderators (one message per poll per POLL_RESULTS_MS). */
  private readonly pollResultsDue = new Map<string, NodeJS.Timeout>();
  /**
   * Board state per session for the laser pointer (up to 12 messages a second per drawer):
   * read from the database at most once per LASER_STATE_MS; replaced when this process
   * changes it. Drawing always reads the database.
   */
  private readonly laserStates = new Map<string, { state: BoardState; at: number }>();
  private readonly timers: NodeJS.Timeout[] = [];
  private stopListening: (() => void) | null = null;
  /** REDIS_URL set: other processes serve sockets too (socket.io Redis adapter). */
  private readonly crossProcess = !!redisUrl();
  private sweeping: Promise<number> | null = null;
  private rechecking: Promise<void> | null = null;
  private closed = false;

  /** REDIS_URL set: rooms across processes (server/live/cascade.ts); null in one process. */
  private readonly cascade: Cascade | null;

  constructor(config: LiveConfig, pool: WorkerPool, store: LiveStore, processId: string) {
    this.config = config;
    this.pool = pool;
    this.store = store;
    this.cascade = this.crossProcess
      ? new Cascade({
          processId,
          config,
          mute: async (room, peerId, by) => {
            const target = room.getPeer(peerId);
            if (target) await this.mute(room, target, by);
          },
        })
      : null;
    // Never awaited: a Redis that is away must not hold the start-up (the subscription waits in the offline queue).
    this.cascade?.start().catch((error: unknown) => this.log.warn(`rooms across processes not started: ${errorMessage(error)}`));
    this.attendance = new AttendanceTracker(store, this.log);
    this.attendance.start();
    this.stats = new LiveStats((rows) => store.addStats(rows), this.log, { sampleMs: config.statsSampleMs, flushMs: config.statsFlushMs });
    this.stats.start();
    const every = (ms: number, task: () => Promise<unknown>) => {
      const timer = setInterval(() => void task().catch((error: unknown) => this.log.warn(errorMessage(error))), ms);
      timer.unref();
      this.timers.push(timer);
    };
    every(config.sweepIntervalMs, () => this.sweep());
    every(config.socketRecheckMs, () => this.recheckSockets());
    every(60_000, async () => this.limiter.prune());
    // This process's heartbeat; the records of processes that died are closed at theirs.
    if (this.cascade) every(config.processHeartbeatMs, () => this.cascade!.heartbeat());
    every(config.processHeartbeatMs, async () => {
      const closed = await this.store.heartbeat(config.processStaleMs);
      if (closed.revived && !this.closed) {
        // Another process closed our records at our last heartbeat: the people still here get new ones.
        this.log.error(`this process's heartbeat was late by more than ${config.processStaleMs} ms: its attendance records were closed; reopening those of the people still present`);
        this.attendance.reopenAll();
      }
      if (closed.attendance || closed.recordings) {
        this.log.warn(
          `a server process stopped answering: closed ${closed.attendance} of its attendance record(s) at its last heartbeat, ` +
            `failed ${closed.recordings} of its recording(s)`,
        );
      }
    });
    this.stopListening = onAccessChange((change) => this.accessChanged(change));
  }

  attach(io: Server): void {
    if (this.closed) throw new Error("live service is closed");
    if (this.attached.has(io)) return;
    const onConnection = (socket: Socket) => this.onConnection(socket);
    this.attached.set(io, onConnection);
    io.on("connection", onConnection);
    if (this.crossProcess) {
      for (const event of Object.keys(CrossProcessSchemas) as CrossProcessEvent[]) {
        io.on(event, (payload: unknown) => this.fromOtherProcess(event, payload));
      }
    }
  }

  /** Tells the live services of the other processes (no-op in one process). */
  private toOtherProcesses<E extends CrossProcessEvent>(event: E, payload: z.infer<(typeof CrossProcessSchemas)[E]>): void {
    if (!this.crossProcess) return;
    for (const io of this.attached.keys()) {
      try {
        io.serverSideEmit(event, payload);
      } catch (error) {
        this.log.warn(`telling other processes "${event}" failed: ${errorMessage(error)}`);
      }
    }
  }

  private fromOtherProcess(event: CrossProcessEvent, payload: unknown): void {
    if (this.closed) return;
    try {
      if (event === "live:removed") {
        const p = CrossProcessSchemas["live:removed"].safeParse(payload);
        const room = p.success ? this.rooms.get(p.data.sessionId) : undefined;
        if (p.success && room && !room.closed) this.removeUser(room, p.data.userId, p.data.by);
      } else if (event === "live:ended") {
        const p = CrossProcessSchemas["live:ended"].safeParse(payload);
        const room = p.success ? this.rooms.get(p.data.sessionId) : undefined;
        if (room && !room.closed) room.close("ended");
      }
    } catch (error) {
      this.log.error(`"${event}" from another process failed`, error);
    }
  }

  /** Every peer of `userId` in `room` is removed (banned already): attendance closes as "removed". */
  private removeUser(room: Room, userId: string, by: string): void {
    for (const other of room.peerList().filter((p) => p.userId === userId)) {
      other.notify("room:removed", { by });
      const conn = this.peerConnections.get(other);
      if (conn && conn.peer === other) this.detachConnection(conn);
      room.removePeer(other, "removed");
      this.attendance.exit(room.id, other.userId, other.id, "removed");
    }
  }

  health(): PoolHealth {
    const h = this.pool.health();
    return { ...h, ok: h.ok && !this.closed };
  }

  inspect(): LiveInspection {
    return {
      rooms: [...this.rooms.values()].map((r) => ({
        id: r.id,
        workerPid: r.primary.workerPid,
        peers: r.peerCount,
        routers: r.routers(),
        recording: this.recorders.has(r.id),
        peerMedia: r.peerList().map((p) => ({
          id: p.id,
          status: p.status,
          transports: p.transportStates(),
          producers: p.producerEntries().map((e) => e.producer.id),
          consumers: p.consumerEntries().map((e) => e.consumer.id),
        })),
      })),
      workers: this.pool.loads(),
      cascade: this.cascade?.stats() ?? [],
    };
  }

  async flush(): Promise<void> {
    while (this.renders.size > 0) await Promise.allSettled([...this.renders]);
    await this.attendance.flush();
    await this.stats.flush();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const timer of this.timers) clearInterval(timer);
    for (const timer of this.pollResultsDue.values()) clearTimeout(timer);
    this.pollResultsDue.clear();
    this.stopListening?.();
    await Promise.allSettled([this.sweeping, this.rechecking]);
    for (const [io, onConnection] of this.attached) io.off("connection", onConnection);
    this.attached.clear();
    await Promise.allSettled([...this.creating.values()]);
    for (const room of [...this.rooms.values()]) room.close("shutdown");
    this.rooms.clear();
    for (const conn of this.connections) {
      conn.peer = null;
      conn.room = null;
    }
    await Promise.race([this.flushRenders(), new Promise((r) => setTimeout(r, 8_000).unref())]);
    await this.cascade?.close();
    this.attendance.stop();
    await this.attendance.closeAll("server_shutdown");
    await this.stats.closeAll();
    await this.store.unregister().catch((error: unknown) => this.log.warn(`unregistering this process failed: ${errorMessage(error)}`));
    this.pool.close();
    this.log.info("closed");
  }

  sweep(): Promise<number> {
    this.sweeping ??= this.runSweep().finally(() => (this.sweeping = null));
    return this.sweeping;
  }

  private async runSweep(): Promise<number> {
    if (this.closed) return 0;
    const open = [...this.rooms.keys(), ...this.creating.keys()];
    const due = await this.store.sessionsToEnd(new Date(), this.config.emptySessionEndMs, open);
    let ended = 0;
    for (const { id, overdue } of due) {
      // Someone entered since the query: an empty-room end no longer applies.
      if (!overdue && (this.rooms.has(id) || this.creating.has(id))) continue;
      const room = this.rooms.get(id);
      if (await this.store.endSession(id, !room)) ended++;
      this.log.info(`session ${id} ended: ${overdue ? "past its scheduled end" : "its room stayed empty"}`);
      const current = this.rooms.get(id);
      if (current && !current.closed) current.close("ended");
    }
    return ended;
  }

  recheckSockets(): Promise<void> {
    this.rechecking ??= this.runRecheck().finally(() => (this.rechecking = null));
    return this.rechecking;
  }

  private async runRecheck(): Promise<void> {
    for (const conn of [...this.connections]) {
      if (this.closed) return;
      if (conn.disconnected) continue;
      try {
        if (!(await this.loginHolds(conn))) continue;
        const { room } = conn;
        const user = SocketUserSchema.safeParse(conn.socket.data?.user);
        if (!room || room.closed || !user.success) continue;
        try {
          await this.store.authorize({ id: user.data.id, role: user.data.role }, room.id);
        } catch (error) {
          // An ended session closes its room by itself (host:end, the sweep).
          if (error instanceof LiveError && !error.message.startsWith("ended") && conn.room === room) {
            this.endConnection(conn, "access_lost");
          }
        }
      } catch (error) {
        this.log.warn(`re-checking socket ${conn.socket.id} failed: ${errorMessage(error)}`);
      }
    }
  }

  /** The socket's log-in session still exists and its user's role is unchanged; else the socket ends. */
  private async loginHolds(conn: Connection): Promise<boolean> {
    if (!conn.sessionId || !conn.userId) return true;
    const found = await this.store.checkLogin(conn.sessionId, conn.userId);
    if (conn.disconnected) return false;
    const user = SocketUserSchema.safeParse(conn.socket.data?.user);
    if (!found) {
      this.endConnection(conn, "expired");
      return false;
    }
    if (user.success && (user.data.role ?? "learner") !== found.role) {
      this.endConnection(conn, "role_changed");
      return false;
    }
    return true;
  }

  /** A log-out (or another change of access) was announced: end the sockets it concerns. */
  private accessChanged(change: AccessChange): void {
    // Runs inside the announcer (e.g. the log-out action): never throw back into it.
    try {
      for (const conn of [...this.connections]) {
        if (conn.userId !== change.userId) continue;
        if (change.sessionIds && (!conn.sessionId || !change.sessionIds.includes(conn.sessionId))) continue;
        // A reason the protocol doesn't name yet (added by the auth domain) still ends the socket.
        const reason = (SESSION_END_REASONS as readonly string[]).includes(change.reason)
          ? (change.reason as SessionEndReason)
          : "access_lost";
        this.endConnection(conn, reason);
      }
      // The person's sockets on the other processes (this process's ones left their rooms above).
      if (this.crossProcess) {
        const reason = (SESSION_END_REASONS as readonly string[]).includes(change.reason)
          ? (change.reason as SessionEndReason)
          : "access_lost";
        const rooms = change.sessionIds ? change.sessionIds.map(loginRoom) : [userRoom(change.userId)];
        for (const io of this.attached.keys()) {
          if (rooms.length === 0) break;
          io.in(rooms).emit("session:ended", { reason });
          io.in(rooms).disconnectSockets(true);
        }
      }
    } catch (error) {
      this.log.error(`ending sockets of user ${change.userId} (${change.reason}) failed`, error);
    }
  }

  /** Leaves the room for good, tells the client why, and disconnects the socket. */
  private endConnection(conn: Connection, reason: SessionEndReason): void {
    if (conn.disconnected) return;
    const { peer, room } = conn;
    this.detachConnection(conn);
    if (peer && room && !room.closed && !peer.closed) {
      room.removePeer(peer, "left");
      this.attendance.exit(room.id, peer.userId, peer.id, "left");
    }
    this.log.info(`socket ${conn.socket.id} of user ${conn.userId} ended: ${reason}`);
    conn.socket.emit("session:ended", { reason });
    conn.socket.disconnect(true);
  }

  private writeStatus(sessionId: string, write: () => Promise<void>): void {
    const previous = this.statusWrites.get(sessionId) ?? Promise.resolve();
    const next = previous.then(write).catch((error: unknown) => this.log.warn(`status of ${sessionId}: ${errorMessage(error)}`));
    this.statusWrites.set(sessionId, next);
    void next.finally(() => {
      if (this.statusWrites.get(sessionId) === next) this.statusWrites.delete(sessionId);
    });
  }

  private async flushRenders(): Promise<void> {
    while (this.renders.size > 0) await Promise.allSettled([...this.renders]);
  }

  // -------------------------------------------------------------------------------------
  // Connection and handler wrapper

  private onConnection(socket: Socket): void {
    const handshake = z
      .object({ user: z.object({ id: z.string() }), sessionId: z.string().max(256).optional() })
      .safeParse(socket.data);
    const conn: Connection = {
      socket,
      userId: handshake.success ? handshake.data.user.id : null,
      sessionId: handshake.success ? (handshake.data.sessionId ?? null) : null,
      peer: null,
      room: null,
      joining: false,
      disconnected: false,
    };
    this.connections.add(conn);
    if (conn.userId) void socket.join(userRoom(conn.userId));
    if (conn.sessionId) void socket.join(loginRoom(conn.sessionId));

    const handlers: { [E in RequestName]: Handler<E> } = {
      "room:join": (p, ctx) => this.join(p, ctx),
      "room:leave": (_p, ctx) => {
        const { peer, room } = this.requirePeer(ctx.conn);
        this.detachConnection(ctx.conn);
        room.removePeer(peer, "left");
        this.attendance.exit(room.id, peer.userId, peer.id, "left");
        return {};
      },
      "transport:create": (p, ctx) => {
        const { peer } = this.requirePeer(ctx.conn);
        return peer.createTransport(p.direction, p.plain === true);
      },
      "transport:plainConnect": async (p, ctx) => {
        const { peer } = this.requirePeer(ctx.conn);
        await peer.connectPlainTransport(p.transportId, p.ip, p.port);
        return {};
      },
      "transport:connect": async (p, ctx) => {
        const { peer } = this.requirePeer(ctx.conn);
        await peer.connectTransport(p.transportId, p.dtlsParameters);
        return {};
      },
      "transport:restartIce": async (p, ctx) => {
        const { peer } = this.requirePeer(ctx.conn);
        return { iceParameters: await peer.restartIce(p.transportId) };
      },
      produce: async (p, ctx) => {
        const { peer, room } = this.requirePeer(ctx.conn);
        const source = p.appData?.source ?? (p.kind === "audio" ? "mic" : "camera");
        const screen = source === "screen" || source === "screen-audio";
        const refused = () => screen && !peer.isModerator && !room.participantsMayShareScreen;
        if (refused()) throw new LiveError("forbidden", "the host has not allowed screen sharing");
        const producer = await peer.produce(p.transportId, p.kind, p.rtpParameters, p.appData);
        if (refused()) {
          // Forbidden while this producer was being created.
          producer.close();
          throw new LiveError("forbidden", "the host has not allowed screen sharing");
        }
        const entry = peer.getProducer(producer.id);
        if (entry) await room.producerAdded(peer, entry);
        return { id: producer.id };
      },
      consume: async (p, ctx) => {
        const { peer, room } = this.requirePeer(ctx.conn);
        // Only producers of the caller's own room are visible: any other id is "not found".
        // ... and of the caller's own group (breakout rooms): another group's producer is "not found" too.
        const found = room.findProducer(p.producerId);
        if (!found) {
          // A producer of a peer on another process, piped in (docs/decisions/033): the main room only.
          const remote = room.consumableRemoteProducer(p.producerId);
          if (!remote || peer.group !== null) throw new LiveError("not_found", "no such producer in your room");
          await room.ensureProducerOn(p.producerId, peer.slot);
          const entry = await peer.consume(remote.producer, remote.ownerId, remote.source, p.rtpCapabilities, p.transportId);
          return { id: entry.consumer.id, producerId: remote.producer.id, kind: entry.consumer.kind, rtpParameters: entry.consumer.rtpParameters };
        }
        if (found.peer.group !== peer.group) throw new LiveError("not_found", "no such producer in your room");
        await room.ensureProducerOn(p.producerId, peer.slot);
        const entry = await peer.consume(found.entry.producer, found.peer.id, found.entry.source, p.rtpCapabilities, p.transportId);
        if (found.peer.group !== peer.group) {
          // One of the two moved to another room while the consumer was being made.
          entry.consumer.close();
          throw new LiveError("not_found", "no such producer in your room");
        }
        return {
          id: entry.consumer.id,
          producerId: found.entry.producer.id,
          kind: entry.consumer.kind,
          rtpParameters: entry.consumer.rtpParameters,
        };
      },
      "consumer:resume": (p, ctx) => {
        const { peer } = this.requirePeer(ctx.conn);
        peer.resumeConsumer(p.consumerId);
        return {};
      },
      "consumer:tile": (p, ctx) => {
        const { peer } = this.requirePeer(ctx.conn);
        peer.setTile(p.consumerId, p.width, p.height);
        return {};
      },
      "producer:close": (p, ctx) => {
        const { peer } = this.requirePeer(ctx.conn);
        peer.closeProducer(p.producerId);
        return {};
      },
      "producer:pause": async (p, ctx) => {
        const { peer, room } = this.requirePeer(ctx.conn);
        if (await peer.setProducerPaused(p.producerId, true)) room.producerPauseChanged(peer, p.producerId, true);
        return {};
      },
      "producer:resume": async (p, ctx) => {
        const { peer, room } = this.requirePeer(ctx.conn);
        if (await peer.setProducerPaused(p.producerId, false)) room.producerPauseChanged(peer, p.producerId, false);
        return {};
      },
      "peer:dataSaver": (p, ctx) => {
        const { peer, room } = this.requirePeer(ctx.conn);
        peer.dataSaver = p.mode;
        for (const entry of peer.consumerEntries()) room.applyPolicy(peer, entry);
        return {};
      },
      "hand:set": (p, ctx) => {
        const { peer, room } = this.requirePeer(ctx.conn);
        if (peer.handRaised !== p.raised) {
          peer.handRaised = p.raised;
          if (p.raised) this.stats.handRaised(room.id, peer.userId);
          room.broadcastPeer(peer);
        }
        return {};
      },
      "chat:send": async (p, ctx) => {
        const { peer, room } = this.requirePeer(ctx.conn);
        // Rate: rateLimits["chat:send"], per person (see run()).
        if (peer.group !== null) {
          // A breakout room's chat: its peers only, not kept (docs/decisions/030-breakout-rooms.md).
          const message = { id: randomUUID(), userId: peer.userId, name: peer.name, body: p.body, createdAt: new Date().toISOString(), room: peer.group };
          for (const other of room.groupPeers(peer.group)) other.notify("chat:message", { message });
          return message;
        }
        if (room.breakoutCount > 0) {
          // The main room while breakouts run: kept as usual, but the breakout rooms don't get it.
          const stored = await this.store.addChat(room.id, peer.userId, p.body);
          const message = { ...stored, name: cleanName(stored.name) };
          if (!room.closed) for (const other of room.groupPeers(null)) other.notify("chat:message", { message });
          return message;
        }
        const stored = await this.store.addChat(room.id, peer.userId, p.body);
        const message = { ...stored, name: cleanName(stored.name) };
        // Through the socket.io room: reaches the session's sockets on every process.
        if (!room.closed) ctx.conn.socket.nsp.to(sessionRoom(room.id)).emit("chat:message", { message });
        return message;
      },
      "host:mute": async (p, ctx) => {
        const { peer, room } = this.requireModerator(ctx.conn);
        // A peer on another process: its process mutes it (docs/decisions/033).
        if (!room.getPeer(p.peerId) && this.cascade?.muteRemote(room, p.peerId, peer.name)) return {};
        const target = this.targetPeer(room, p.peerId);
        await this.mute(room, target, peer.name);
        return {};
      },
      "host:muteAll": async (_p, ctx) => {
        const { peer, room } = this.requireModerator(ctx.conn);
        for (const remote of room.remotePeerList()) this.cascade?.muteRemote(room, remote.info.id, peer.name);
        await Promise.all(room.peerList().filter((p) => p !== peer).map((target) => this.mute(room, target, peer.name)));
        return {};
      },
      "host:stopVideo": (p, ctx) => {
        const { peer, room } = this.requireModerator(ctx.conn);
        const target = this.targetPeer(room, p.peerId);
        const camera = target.producerBySource("camera");
        if (camera) {
          target.notify("moderation:applied", { action: "video_stopped", by: peer.name });
          camera.producer.close();
        }
        const screens = (["screen", "screen-audio"] as MediaSource[]).flatMap((s) => target.producerBySource(s) ?? []);
        if (screens.length) {
          target.notify("moderation:applied", { action: "screen_stopped", by: peer.name });
          for (const entry of screens) entry.producer.close();
        }
        if (camera || screens.length) room.broadcastPeer(target);
        return {};
      },
      "host:allowScreenShare": (p, ctx) => {
        const { peer, room } = this.requireModerator(ctx.conn);
        const stopped = room.setScreenShareAllowed(p.allowed);
        for (const owner of new Set(stopped.map((s) => s.peer))) {
          owner.notify("moderation:applied", { action: "screen_stopped", by: peer.name });
        }
        for (const { entry } of stopped) entry.producer.close();
        for (const owner of new Set(stopped.map((s) => s.peer))) room.broadcastPeer(owner);
        return {};
      },
      "host:remove": async (p, ctx) => {
        const { peer, room } = this.requireModerator(ctx.conn);
        // A peer on another process: removed there by "live:removed" below (docs/decisions/033).
        const remote = room.getRemotePeer(p.peerId);
        const target = remote ? { userId: remote.info.userId } : this.targetPeer(room, p.peerId);
        if (target.userId === room.session.hostId) throw new LiveError("forbidden", "the host can't be removed");
        if (target.userId === peer.userId) throw new LiveError("bad_request", "use room:leave to leave");
        await this.store.ban(room.id, target.userId);
        this.removeUser(room, target.userId, peer.name);
        this.toOtherProcesses("live:removed", { sessionId: room.id, userId: target.userId, by: peer.name });
        return {};
      },
      "host:spotlight": (p, ctx) => {
        const { room } = this.requireModerator(ctx.conn);
        if (p.spotlight) this.targetPeer(room, p.spotlight.peerId);
        room.setSpotlight(p.spotlight);
        return {};
      },
      "host:lowerHand": (p, ctx) => {
        const { peer, room } = this.requireModerator(ctx.conn);
        const target = this.targetPeer(room, p.peerId);
        if (target.handRaised) {
          target.handRaised = false;
          target.notify("moderation:applied", { action: "hand_lowered", by: peer.name });
          room.broadcastPeer(target);
        }
        return {};
      },
      // Breakout rooms (docs/decisions/030-breakout-rooms.md): moderators only.
      "breakout:open": (p, ctx) => {
        const { peer, room } = this.requireModerator(ctx.conn);
        let assigned: Map<string, number>;
        if (p.assignment === "auto") {
          assigned = room.autoAssignment(p.count);
        } else {
          assigned = new Map();
          for (const [peerId, to] of Object.entries(p.assignment)) {
            const target = this.targetPeer(room, peerId);
            if (to !== null && to > p.count) throw new LiveError("bad_request", `there are rooms 1 to ${p.count}`);
            if (to !== null) assigned.set(target.userId, to);
          }
        }
        room.openBreakouts(p.count, p.minutes * this.config.breakoutMinuteMs, assigned);
        return { breakout: room.breakoutView(peer)! };
      },
      "breakout:move": (p, ctx) => {
        const { room } = this.requireModerator(ctx.conn);
        const target = this.targetPeer(room, p.peerId);
        room.moveUser(target.userId, p.room);
        return {};
      },
      "breakout:broadcast": (p, ctx) => {
        const { peer, room } = this.requireModerator(ctx.conn);
        if (room.breakoutCount === 0) throw new LiveError("bad_request", "no breakout rooms are open");
        room.broadcast("breakout:message", { text: p.text, by: peer.name, at: new Date().toISOString() });
        return {};
      },
      "breakout:visit": (p, ctx) => {
        const { peer, room } = this.requireModerator(ctx.conn);
        room.visit(peer, p.room);
        return {};
      },
      "breakout:close": (_p, ctx) => {
        const { room } = this.requireModerator(ctx.conn);
        if (room.breakoutCount === 0) throw new LiveError("bad_request", "no breakout rooms are open");
        room.closeBreakouts();
        return {};
      },
      "host:end": async (_p, ctx) => {
        const { room } = this.requireModerator(ctx.conn);
        await this.store.markEnded(room.id);
        room.close("ended");
        this.toOtherProcesses("live:ended", { sessionId: room.id });
        return {};
      },
      "recording:start": async (_p, ctx) => {
        const { room } = this.requireModerator(ctx.conn);
        if (this.recorders.has(room.id)) throw new LiveError("bad_request", "already recording");
        const recorder = await Recorder.start(room, this.store);
        if (room.closed) {
          this.trackRender(recorder.stop());
          throw new LiveError("not_in_room", "the room closed");
        }
        this.recorders.set(room.id, recorder);
        room.onSourcesChanged = () => recorder.sourcesChanged();
        room.setRecording({ startedAt: recorder.startedAt });
        return {};
      },
      "recording:stop": (_p, ctx) => {
        const { room } = this.requireModerator(ctx.conn);
        if (!this.stopRecording(room)) throw new LiveError("bad_request", "not recording");
        return {};
      },
      // Polls: the poll's session is checked in the database (polls.server.ts) against the
      // room the socket joined, never taken from the client.
      "poll:create": async (p, ctx) => {
        const { peer, room } = this.requireModerator(ctx.conn);
        const poll = await domainCall(() =>
          createPoll(room.id, peer.userId, { question: p.question, kind: p.kind, options: p.options ?? [], anonymous: p.anonymous ?? false }),
        );
        ctx.conn.socket.nsp.to(sessionRoom(room.id)).emit("poll:opened", { poll });
        return { poll };
      },
      "poll:answer": async (p, ctx) => {
        const { peer, room } = this.requirePeer(ctx.conn);
        await domainCall(() => answerPoll(room.id, p.pollId, peer.userId, { choices: p.choices, text: p.text }));
        this.pollResultsSoon(ctx.conn.socket.nsp, room.id, p.pollId);
        return {};
      },
      "poll:close": async (p, ctx) => {
        const { room } = this.requireModerator(ctx.conn);
        const poll = await domainCall(() => closePoll(room.id, p.pollId));
        ctx.conn.socket.nsp.to(sessionRoom(room.id)).emit("poll:closed", { pollId: poll.id });
        return { poll };
      },
      "poll:release": async (p, ctx) => {
        const { room } = this.requireModerator(ctx.conn);
        const poll = await domainCall(() => releasePoll(room.id, p.pollId));
        const results = await pollResults(room.id, poll.id, false);
        ctx.conn.socket.nsp.to(sessionRoom(room.id)).emit("poll:released", { poll, results });
        return { poll };
      },
      // Whiteboard: permission and state come from the database (board.server.ts) for the
      // room the socket joined; the others get each op through the session's socket.io room.
      "board:draw": async (p, ctx) => {
        const { peer, room } = this.requirePeer(ctx.conn);
        const op = await domainCall(() => addBoardOp(room.id, peer.userId, peer.isModerator, p.page, p.op));
        ctx.conn.socket.to(sessionRoom(room.id)).emit("board:op", { op });
        return { op };
      },
      "board:laser": async (p, ctx) => {
        const { peer, room } = this.requirePeer(ctx.conn);
        // Never stored; the permission as for a draw, from a state at most LASER_STATE_MS old.
        const state = await this.laserState(room.id);
        if (!peer.isModerator && !state.drawers.includes(peer.userId)) throw new LiveError("forbidden", "the host has not allowed you to draw");
        if (!state.open) throw new LiveError("bad_request", "the board is not open");
        ctx.conn.socket.to(sessionRoom(room.id)).emit("board:laser", { by: peer.userId, x: p.x, y: p.y });
        return {};
      },
      "board:undo": async (_p, ctx) => {
        const { peer, room } = this.requirePeer(ctx.conn);
        const opId = await undoBoardOp(room.id, peer.userId);
        if (opId) ctx.conn.socket.nsp.to(sessionRoom(room.id)).emit("board:removed", { opIds: [opId] });
        return { opId };
      },
      "board:page": async (p, ctx) => {
        const { room } = this.requirePeer(ctx.conn);
        return { page: p.page, ops: await boardOps(room.id, p.page) };
      },
      "board:set": async (p, ctx) => {
        const { room } = this.requireModerator(ctx.conn);
        const state = await domainCall(() => setBoardState(room.id, p));
        this.laserStates.set(room.id, { state, at: Date.now() });
        ctx.conn.socket.nsp.to(sessionRoom(room.id)).emit("board:state", { state });
        return { state };
      },
      "board:allow": async (p, ctx) => {
        const { room } = this.requireModerator(ctx.conn);
        const target = this.targetPeer(room, p.peerId);
        if (target.isModerator) throw new LiveError("bad_request", "moderators always may draw");
        const state = await domainCall(() => setDrawer(room.id, target.userId, p.allowed));
        this.laserStates.set(room.id, { state, at: Date.now() });
        ctx.conn.socket.nsp.to(sessionRoom(room.id)).emit("board:state", { state });
        return { state };
      },
      "board:clear": async (p, ctx) => {
        const { room } = this.requireModerator(ctx.conn);
        await clearBoardPage(room.id, p.page);
        ctx.conn.socket.nsp.to(sessionRoom(room.id)).emit("board:cleared", { page: p.page });
        return {};
      },
    };

    for (const event of Object.keys(handlers) as RequestName[]) {
      this.register(conn, event, handlers[event] as Handler<RequestName>);
    }
    // An unknown event that carries an ack gets an answer too (instead of a client timeout).
    socket.onAny((event: unknown, ...args: unknown[]) => {
      if (typeof event === "string" && Object.hasOwn(handlers, event)) return;
      const ack = args[args.length - 1];
      if (typeof ack !== "function") return;
      const allowed = this.limiter.take(`${conn.userId ?? socket.id}:unknown`, UNKNOWN_EVENT_RATE);
      try {
        (ack as (response: unknown) => void)(
          allowed
            ? { error: { code: "bad_request", message: "unknown event" } }
            : { error: { code: "rate_limited", message: "too many unknown events; slow down" } },
        );
      } catch {
        // the client went away
      }
    });

    socket.on("disconnect", (reason: string) => {
      conn.disconnected = true;
      this.connections.delete(conn);
      const { peer, room } = conn;
      this.detachConnection(conn);
      if (!peer || !room || room.closed || peer.closed) return;
      if (reason === "client namespace disconnect" || reason === "server namespace disconnect") {
        // The client closed the connection on purpose: it left. Or a server ended it on
        // purpose: this process detaches first, so this is another process's
        // disconnectSockets() (log-out, disabled account).
        room.removePeer(peer, "left");
        this.attendance.exit(room.id, peer.userId, peer.id, "left");
        return;
      }
      // A network drop (or a ping timeout): the peer stays "reconnecting" for the grace
      // period and keeps its media, which flows over ICE whatever happens to this socket.
      room.detachPeer(peer);
      peer.graceTimer = setTimeout(() => {
        if (room.getPeer(peer.id) !== peer || peer.status !== "reconnecting") return;
        const at = peer.disconnectedAt ?? new Date();
        room.removePeer(peer, "disconnected");
        this.attendance.exit(room.id, peer.userId, peer.id, "disconnected", at);
      }, this.config.reconnectGraceMs);
      peer.graceTimer.unref();
    });
  }

  private register<E extends RequestName>(conn: Connection, event: E, handler: Handler<E>): void {
    const listener = (...args: unknown[]): void => {
      const ack = args[args.length - 1];
      if (typeof ack !== "function") {
        // Every request needs an acknowledgement callback; without one there's nobody to answer.
        this.log.debug(`socket ${conn.socket.id}: "${event}" without ack ignored`);
        return;
      }
      void this.run(conn, event, handler, args.slice(0, -1), ack as (response: unknown) => void);
    };
    conn.socket.on(event as string, listener);
  }

  private async run<E extends RequestName>(
    conn: Connection,
    event: E,
    handler: Handler<E>,
    params: unknown[],
    ack: (response: unknown) => void,
  ): Promise<void> {
    let response: Ack<ResponseMap[E]>;
    try {
      if (this.closed) throw new LiveError("internal", "live service is shutting down");
      const user = SocketUserSchema.safeParse(conn.socket.data?.user);
      if (!user.success) throw new LiveError("unauthorized", "not authenticated");
      // Per person, before anything else (even parsing): a flood costs one map lookup each.
      if (!this.limiter.take(`${user.data.id}:${event}`, rateLimits[event])) {
        throw new LiveError("rate_limited", `too many "${event}" requests; slow down`);
      }
      if (params.length > 1) throw new LiveError("bad_request", "expected a single payload argument");
      const parsed = requestSchemas[event].safeParse(params[0]);
      if (!parsed.success) throw new LiveError("bad_request", describeZodError(parsed.error));
      const data = await handler(parsed.data as RequestPayload<E>, { conn, user: user.data });
      response = { data };
    } catch (error) {
      response = { error: this.toErrorBody(error, event, conn) };
    }
    try {
      ack(response);
    } catch (error) {
      this.log.warn(`socket ${conn.socket.id}: sending the "${event}" ack failed: ${errorMessage(error)}`);
    }
  }

  private toErrorBody(error: unknown, event: string, conn: Connection): ErrorBody {
    const where = `socket ${conn.socket.id} "${event}"`;
    if (error instanceof LiveError) {
      this.log.debug(`${where}: ${error.code}: ${error.message}`);
      return { code: error.code, message: truncate(error.message) };
    }
    // mediasoup reports invalid parameters (ortc validation, worker-side checks) as
    // TypeError and unsupported codecs as UnsupportedError: the client's fault.
    if (error instanceof Error && (error instanceof TypeError || error.name === "UnsupportedError")) {
      this.log.warn(`${where}: rejected: ${error.message}`);
      return { code: "bad_request", message: truncate(error.message) };
    }
    this.log.error(`${where}: internal error`, error);
    return { code: "internal", message: "internal error" };
  }

  /** Sends a poll's live results to the session's moderators soon (answers in a burst: one message). */
  private pollResultsSoon(nsp: Namespace, sessionId: string, pollId: string): void {
    if (this.pollResultsDue.has(pollId)) return;
    const timer = setTimeout(() => {
      this.pollResultsDue.delete(pollId);
      if (this.closed) return;
      pollResults(sessionId, pollId, true)
        .then((results) => nsp.to(moderatorRoom(sessionId)).emit("poll:results", { results }))
        .catch((error: unknown) => this.log.warn(`poll results of ${pollId}: ${errorMessage(error)}`));
    }, POLL_RESULTS_MS);
    timer.unref();
    this.pollResultsDue.set(pollId, timer);
  }

  // -------------------------------------------------------------------------------------
  // Handlers

  private requirePeer(conn: Connection): { peer: Peer; room: Room } {
    const { peer, room } = conn;
    if (!peer || !room || peer.closed || room.closed) {
      this.detachConnection(conn);
      throw new LiveError("not_in_room", "join a room first");
    }
    return { peer, room };
  }

  private requireModerator(conn: Connection): { peer: Peer; room: Room } {
    const found = this.requirePeer(conn);
    if (!found.peer.isModerator) throw new LiveError("forbidden", "only the host or an admin may do this");
    return found;
  }

  private targetPeer(room: Room, peerId: string): Peer {
    const target = room.getPeer(peerId);
    if (!target) throw new LiveError("not_found", "no such peer in your room");
    return target;
  }

  private async mute(room: Room, target: Peer, by: string): Promise<void> {
    let muted = false;
    for (const source of ["mic", "screen-audio"] as const) {
      const entry = target.producerBySource(source);
      if (entry && (await target.setProducerPaused(entry.producer.id, true))) {
        room.producerPauseChanged(target, entry.producer.id, true);
        muted = true;
      }
    }
    if (muted) target.notify("moderation:applied", { action: "muted", by });
  }

  private detachConnection(conn: Connection): void {
    if (conn.room && !conn.disconnected) {
      void conn.socket.leave(sessionRoom(conn.room.id));
      void conn.socket.leave(moderatorRoom(conn.room.id));
    }
    conn.peer = null;
    conn.room = null;
  }

  private async join(p: RequestPayload<"room:join">, { conn, user }: Context): Promise<ResponseMap["room:join"]> {
    if (conn.peer && !conn.peer.closed && !(p.resume === conn.peer.id && conn.room?.id === p.roomId)) {
      throw new LiveError("bad_request", "already in a room; leave it first");
    }
    if (conn.joining) throw new LiveError("bad_request", "a join is already in progress");
    conn.joining = true;
    // Notifications of the new peer wait for the join's acknowledgement: the client takes the
    // room's peers from the ack and would lose a "peer:joined" or "producer:new" sent before it
    // (likely on an edge, whose link to the origin comes up during the join; decision 033).
    let held: (() => void)[] | null = [];
    const release = () => {
      const pending = held ?? [];
      held = null;
      for (const emit of pending) emit();
    };
    try {
      // The log-in must still hold (a log-out nobody announced, an expired session).
      if (!(await this.loginHolds(conn))) throw new LiveError("unauthorized", "your log-in has ended; sign in again");
      // The database decides: host, invited (not removed) or booked learner, or admin.
      const auth = await this.store.authorize({ id: user.id, role: user.role }, p.roomId);
      for (let attempt = 0; attempt < 3; attempt++) {
        const room = await this.getOrCreateRoom(auth.session);
        if (conn.disconnected || this.closed) throw new LiveError("not_in_room", "disconnected");
        if (room.closed) continue; // closed while we waited (e.g. its last peer left): retry
        const notify = <N extends NotificationName>(event: N, payload: NotificationPayload<N>) => {
          if (held) held.push(() => conn.socket.emit(event, payload));
          else conn.socket.emit(event, payload);
        };

        let peer: Peer | undefined;
        let others;
        let resumed = false;
        let kept: ResponseMap["room:join"]["kept"] = { transports: [], producers: [], consumers: [] };
        const old = p.resume ? room.getPeer(p.resume) : undefined;
        if (old && old.userId === user.id && !old.closed) {
          // Same user, same peer: take it over from the dropped (or not yet noticed) socket.
          const oldConn = this.peerConnections.get(old);
          if (oldConn && oldConn !== conn && oldConn.peer === old) {
            this.detachConnection(oldConn);
            oldConn.socket.disconnect(true);
          }
          const resumedPeer = room.resumePeer(old, notify, p.media ?? { transports: [], producers: [], consumers: [] });
          others = resumedPeer.others;
          kept = resumedPeer.kept;
          peer = old;
          resumed = true;
        } else {
          // Capacity and per-person limits, checked and held in one synchronous step.
          const { reservation, evict } = room.reserve(user.id, auth.role, auth.session.capacity);
          for (const stale of evict) {
            // A tab of the same person that never came back: the new one takes its place.
            const at = stale.disconnectedAt ?? new Date();
            room.removePeer(stale, "disconnected");
            this.attendance.exit(room.id, stale.userId, stale.id, "disconnected", at, REPLACE_GRACE_MS);
          }
          let added: { peer: Peer; others: PeerInfo[] } | null = null;
          try {
            const slot = await room.assignRouter();
            if (room.closed || conn.disconnected) continue;
            added = room.addPeer({ userId: user.id, name: cleanName(user.name), role: auth.role }, slot, notify, reservation);
          } finally {
            if (!added) room.release(reservation);
          }
          ({ peer, others } = added);
          this.attendance.enter(room.id, user.id, peer.id);
        }
        if (p.dataSaver) peer.dataSaver = p.dataSaver;
        conn.peer = peer;
        conn.room = room;
        void conn.socket.join(sessionRoom(room.id));
        if (peer.isModerator) void conn.socket.join(moderatorRoom(room.id));
        this.peerConnections.set(peer, conn);
        const chat = (
          await this.store.recentChat(room.id).catch((error: unknown) => {
            this.log.warn(`chat history of ${room.id} unavailable: ${errorMessage(error)}`);
            return [];
          })
        ).map((m) => ({ ...m, name: cleanName(m.name) }));
        return {
          roomId: room.id,
          peerId: peer.id,
          resumed,
          kept,
          role: peer.role,
          session: { id: room.session.id, title: room.session.title, hostId: room.session.hostId },
          routerRtpCapabilities: room.routerRtpCapabilities,
          peers: others,
          chat,
          state: room.state(peer.group),
          poll: await this.currentPoll(room.id, peer),
          board: await this.currentBoard(room.id),
          breakout: room.breakoutView(peer),
        };
      }
      throw new LiveError("internal", "could not join the room; try again");
    } finally {
      conn.joining = false;
      // After the acknowledgement, which run() sends as soon as this returns.
      setImmediate(release);
    }
  }

  /** The room's current poll for a joining peer (results: moderators always, others once released). */
  private async currentPoll(sessionId: string, peer: Peer): Promise<CurrentPoll | null> {
    try {
      const current = await currentPoll(sessionId, peer.userId);
      if (!current) return null;
      const showResults = peer.isModerator || current.poll.status === "released";
      const results = showResults ? await pollResults(sessionId, current.poll.id, peer.isModerator) : null;
      return { ...current, results };
    } catch (error) {
      this.log.warn(`current poll of ${sessionId} unavailable: ${errorMessage(error)}`);
      return null;
    }
  }

  private async laserState(sessionId: string): Promise<BoardState> {
    const cached = this.laserStates.get(sessionId);
    if (cached && Date.now() - cached.at < LASER_STATE_MS) return cached.state;
    const state = await domainCall(() => boardState(sessionId));
    this.laserStates.set(sessionId, { state, at: Date.now() });
    return state;
  }

  /** The board for a joining peer: its state, and the current page's ops when it is open. */
  private async currentBoard(sessionId: string): Promise<{ state: BoardState; ops: BoardOp[] }> {
    try {
      const state = await boardState(sessionId);
      return { state, ops: state.open ? await boardOps(sessionId, state.page) : [] };
    } catch (error) {
      this.log.warn(`board of ${sessionId} unavailable: ${errorMessage(error)}`);
      return { state: { open: false, blank: true, page: 0, drawers: [] }, ops: [] };
    }
  }

  private getOrCreateRoom(session: RoomSession): Promise<Room> {
    const roomId = session.id;
    const existing = this.rooms.get(roomId);
    if (existing && !existing.closed) return Promise.resolve(existing);
    let pending = this.creating.get(roomId);
    if (!pending) {
      pending = (async () => {
        try {
          const room = await Room.create({
            session,
            pool: this.pool,
            config: this.config,
            stats: this.stats,
            onClose: (closedRoom, reason, peers) => this.roomClosed(closedRoom, reason, peers),
          });
          if (this.closed) {
            room.close("shutdown");
            throw new LiveError("internal", "live service is shutting down");
          }
          this.rooms.set(roomId, room);
          this.cascade?.roomOpened(room);
          this.writeStatus(roomId, () => this.store.markLive(roomId));
          return room;
        } finally {
          this.creating.delete(roomId);
        }
      })();
      this.creating.set(roomId, pending);
    }
    return pending;
  }

  private roomClosed(room: Room, reason: RoomCloseReason, peers: Peer[]): void {
    if (this.rooms.get(room.id) === room) this.rooms.delete(room.id);
    this.cascade?.roomClosed(room);
    this.laserStates.delete(room.id);
    // A worker death closes the room too: if nobody rejoins, the session is empty from now.
    if ((reason === "empty" || reason === "worker_died") && !this.closed) {
      const at = new Date();
      this.writeStatus(room.id, () => this.store.markEmpty(room.id, at));
    }
    this.stopRecording(room);
    for (const peer of peers) {
      const conn = this.peerConnections.get(peer);
      if (conn && conn.peer === peer) this.detachConnection(conn);
      // A peer that was reconnecting left when its connection dropped.
      const at = peer.disconnectedAt ?? new Date();
      if (reason === "worker_died") {
        // The peers rejoin a fresh room by themselves: keep their records open meanwhile.
        this.attendance.exit(room.id, peer.userId, peer.id, "disconnected", at, REJOIN_GRACE_MS);
      } else if (reason === "ended") {
        this.attendance.exit(room.id, peer.userId, peer.id, "ended", at);
      } else if (reason === "shutdown") {
        this.attendance.exit(room.id, peer.userId, peer.id, "server_shutdown", at);
      }
    }
  }

  private stopRecording(room: Room): boolean {
    const recorder = this.recorders.get(room.id);
    if (!recorder) return false;
    this.recorders.delete(room.id);
    room.onSourcesChanged = null;
    if (!room.closed) room.setRecording(null);
    this.trackRender(recorder.stop());
    return true;
  }

  private trackRender(promise: Promise<unknown>): void {
    const tracked = promise.catch((error: unknown) => this.log.error(`recording: ${errorMessage(error)}`));
    this.renders.add(tracked);
    void tracked.finally(() => this.renders.delete(tracked));
  }
}

/** A display name as others see it: no control characters, never empty. */
function cleanName(name: string): string {
  return cleanText(name).trim().slice(0, 200) || "?";
}

function describeZodError(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return "invalid payload";
  const path = issue.path.length ? issue.path.join(".") : "payload";
  return truncate(`${path}: ${issue.message}`);
}

function truncate(message: string): string {
  return message.length > MAX_ERROR_MESSAGE ? `${message.slice(0, MAX_ERROR_MESSAGE)}…` : message;
}

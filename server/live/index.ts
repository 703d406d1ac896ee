/**
 * The live-room service: a mediasoup worker pool plus the socket.io signalling handlers.
 *
 *   const live = await createLiveService();
 *   io.use(authMiddleware);   // sets socket.data.user = { id, name, role }
 *   live.attach(io);
 *   ...
 *   await live.close();
 *
 * Every request is validated with its zod schema from protocol.ts, authorised against the
 * socket's user and peer, and answered with `{ data }` or `{ error: { code, message } }`.
 * A handler never throws into the void: errors become error acks, and unexpected ones are
 * logged as "internal". See docs/protocol.md.
 */
import type { Server, Socket } from "socket.io";
import { z } from "zod";
import { createLogger, errorMessage, loadLiveConfig, type LiveConfig } from "./config.js";
import type { Peer } from "./Peer.js";
import {
  LiveError,
  requestSchemas,
  type Ack,
  type ErrorBody,
  type NotificationName,
  type NotificationPayload,
  type RequestName,
  type RequestPayload,
  type ResponseMap,
} from "./protocol.js";
import { Room } from "./Room.js";
import { WorkerPool, type PoolHealth } from "./WorkerPool.js";

export type { PoolHealth } from "./WorkerPool.js";

export interface LiveService {
  /** Registers the signalling handlers: `io.on("connection", ...)`. Install auth first. */
  attach(io: Server): void;
  health(): PoolHealth;
  /** Diagnostics (and tests): the open rooms and the worker each one runs on. */
  inspect(): { rooms: { id: string; workerPid: number; peers: number }[] };
  close(): Promise<void>;
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

export async function createLiveService(opts: { numWorkers?: number } = {}): Promise<LiveService> {
  const config = loadLiveConfig(process.env, { numWorkers: opts.numWorkers });
  const pool = await WorkerPool.create(config);
  return new LiveServiceImpl(config, pool);
}

class LiveServiceImpl implements LiveService {
  private readonly config: LiveConfig;
  private readonly pool: WorkerPool;
  private readonly log = createLogger("service");
  private readonly rooms = new Map<string, Room>();
  private readonly creating = new Map<string, Promise<Room>>();
  private readonly attached = new Map<Server, (socket: Socket) => void>();
  private readonly connections = new Set<Connection>();
  private closed = false;

  constructor(config: LiveConfig, pool: WorkerPool) {
    this.config = config;
    this.pool = pool;
  }

  attach(io: Server): void {
    if (this.closed) throw new Error("live service is closed");
    if (this.attached.has(io)) return;
    const onConnection = (socket: Socket) => this.onConnection(socket);
    this.attached.set(io, onConnection);
    io.on("connection", onConnection);
  }

  health(): PoolHealth {
    const h = this.pool.health();
    return { ok: h.ok && !this.closed, workers: h.workers };
  }

  inspect(): { rooms: { id: string; workerPid: number; peers: number }[] } {
    return {
      rooms: [...this.rooms.values()].map((r) => ({ id: r.id, workerPid: r.workerPid, peers: r.peerCount })),
    };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const [io, onConnection] of this.attached) io.off("connection", onConnection);
    this.attached.clear();
    await Promise.allSettled([...this.creating.values()]);
    for (const room of [...this.rooms.values()]) room.close("shutdown");
    this.rooms.clear();
    for (const conn of this.connections) {
      conn.peer = null;
      conn.room = null;
    }
    this.pool.close();
    this.log.info("closed");
  }

  // -------------------------------------------------------------------------------------
  // Connection and handler wrapper

  private onConnection(socket: Socket): void {
    const conn: Connection = { socket, peer: null, room: null, joining: false, disconnected: false };
    this.connections.add(conn);

    const handlers: { [E in RequestName]: Handler<E> } = {
      "room:join": (p, ctx) => this.join(p, ctx),
      "room:leave": (_p, ctx) => {
        this.requirePeer(ctx.conn);
        this.leave(ctx.conn);
        return {};
      },
      "transport:create": (p, ctx) => {
        const { peer, room } = this.requirePeer(ctx.conn);
        return peer.createTransport(room.router, p.direction);
      },
      "transport:connect": async (p, ctx) => {
        const { peer } = this.requirePeer(ctx.conn);
        await peer.connectTransport(p.transportId, p.dtlsParameters);
        return {};
      },
      produce: async (p, ctx) => {
        const { peer, room } = this.requirePeer(ctx.conn);
        const producer = await peer.produce(p.transportId, p.kind, p.rtpParameters, p.appData);
        room.broadcast("producer:new", { peerId: peer.id, producerId: producer.id, kind: producer.kind }, peer);
        return { id: producer.id };
      },
      consume: async (p, ctx) => {
        const { peer, room } = this.requirePeer(ctx.conn);
        // Only producers of the caller's own room are visible: any other id is "not found".
        const found = room.findProducer(p.producerId);
        if (!found) throw new LiveError("not_found", "no such producer in your room");
        const consumer = await peer.consume(room.router, found.producer, p.rtpCapabilities, p.transportId);
        return {
          id: consumer.id,
          producerId: found.producer.id,
          kind: consumer.kind,
          rtpParameters: consumer.rtpParameters,
        };
      },
      "consumer:resume": async (p, ctx) => {
        const { peer } = this.requirePeer(ctx.conn);
        await peer.resumeConsumer(p.consumerId);
        return {};
      },
      "producer:close": (p, ctx) => {
        const { peer } = this.requirePeer(ctx.conn);
        peer.closeProducer(p.producerId);
        return {};
      },
    };

    for (const event of Object.keys(handlers) as RequestName[]) {
      this.register(conn, event, handlers[event] as Handler<RequestName>);
    }

    socket.on("disconnect", () => {
      conn.disconnected = true;
      this.leave(conn);
      this.connections.delete(conn);
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

  // -------------------------------------------------------------------------------------
  // Handlers

  private requirePeer(conn: Connection): { peer: Peer; room: Room } {
    const { peer, room } = conn;
    if (!peer || !room || peer.closed || room.closed) {
      conn.peer = null;
      conn.room = null;
      throw new LiveError("not_in_room", "join a room first");
    }
    return { peer, room };
  }

  private async join(
    { roomId }: RequestPayload<"room:join">,
    { conn, user }: Context,
  ): Promise<ResponseMap["room:join"]> {
    if (conn.peer && !conn.peer.closed) throw new LiveError("bad_request", "already in a room; leave it first");
    if (conn.joining) throw new LiveError("bad_request", "a join is already in progress");
    // Access rule for now: any authenticated user may join any well-formed room id.
    conn.joining = true;
    try {
      for (let attempt = 0; attempt < 3; attempt++) {
        const room = await this.getOrCreateRoom(roomId);
        if (conn.disconnected || this.closed) {
          if (room.peerCount === 0) room.close("empty");
          throw new LiveError("not_in_room", "disconnected");
        }
        if (room.closed) continue; // closed while we waited (e.g. its last peer left): retry
        const notify = <N extends NotificationName>(event: N, payload: NotificationPayload<N>) => {
          conn.socket.emit(event, payload);
        };
        const { peer, others } = room.addPeer({ userId: user.id, name: user.name }, notify);
        conn.peer = peer;
        conn.room = room;
        return {
          roomId: room.id,
          peerId: peer.id,
          routerRtpCapabilities: room.router.rtpCapabilities,
          peers: others,
        };
      }
      throw new LiveError("internal", "could not join the room; try again");
    } finally {
      conn.joining = false;
    }
  }

  private leave(conn: Connection): void {
    const { peer, room } = conn;
    conn.peer = null;
    conn.room = null;
    if (peer && room) room.removePeer(peer);
  }

  private getOrCreateRoom(roomId: string): Promise<Room> {
    const existing = this.rooms.get(roomId);
    if (existing && !existing.closed) return Promise.resolve(existing);
    let pending = this.creating.get(roomId);
    if (!pending) {
      pending = (async () => {
        try {
          const worker = await this.pool.pick();
          const room = await Room.create({
            id: roomId,
            worker,
            config: this.config,
            onClose: (closedRoom) => {
              if (this.rooms.get(roomId) === closedRoom) this.rooms.delete(roomId);
            },
          });
          if (this.closed) {
            room.close("shutdown");
            throw new LiveError("internal", "live service is shutting down");
          }
          this.rooms.set(roomId, room);
          return room;
        } finally {
          this.creating.delete(roomId);
        }
      })();
      this.creating.set(roomId, pending);
    }
    return pending;
  }
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

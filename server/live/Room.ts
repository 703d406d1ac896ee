/**
 * A live room: one mediasoup Router on one worker, and the peers in it. Created by the
 * async factory `Room.create()`. The room closes itself when its last peer leaves, and
 * when its worker dies (then every peer is told to rejoin with "room:rejoin").
 */
import type { types as ms } from "mediasoup";
import { createLogger, type LiveConfig, type Logger } from "./config.js";
import { Peer, type Notify } from "./Peer.js";
import { LiveError, type NotificationName, type NotificationPayload, type PeerInfo } from "./protocol.js";

export type RoomCloseReason = "empty" | "worker_died" | "shutdown";

export class Room {
  readonly id: string;
  readonly router: ms.Router;
  readonly workerPid: number;
  readonly log: Logger;
  private readonly config: LiveConfig;
  private readonly peers = new Map<string, Peer>();
  private readonly onClose: (room: Room, reason: RoomCloseReason) => void;
  private closing = false;
  private _closed = false;

  static async create(opts: {
    id: string;
    worker: ms.Worker;
    config: LiveConfig;
    onClose: (room: Room, reason: RoomCloseReason) => void;
  }): Promise<Room> {
    const router = await opts.worker.createRouter({ mediaCodecs: opts.config.mediaCodecs });
    return new Room({ ...opts, router });
  }

  private constructor(opts: {
    id: string;
    worker: ms.Worker;
    router: ms.Router;
    config: LiveConfig;
    onClose: (room: Room, reason: RoomCloseReason) => void;
  }) {
    this.id = opts.id;
    this.router = opts.router;
    this.workerPid = opts.worker.pid;
    this.config = opts.config;
    this.onClose = opts.onClose;
    this.log = createLogger(`room:${this.id}`);
    this.router.on("workerclose", () => {
      this.log.error(`media worker (pid ${this.workerPid}) died: closing the room, peers must rejoin`);
      this.close("worker_died");
    });
    this.log.info(`created on worker pid ${this.workerPid}`);
  }

  get closed(): boolean {
    return this._closed;
  }

  get peerCount(): number {
    return this.peers.size;
  }

  /** Adds a peer (synchronously, so the returned snapshot and later notifications don't miss anything). */
  addPeer(user: { userId: string; name: string }, notify: Notify): { peer: Peer; others: PeerInfo[] } {
    if (this._closed || this.closing) throw new LiveError("internal", "room is closing; try again");
    if (this.peers.size >= this.config.limits.maxPeersPerRoom) {
      throw new LiveError("limit", `room is full (${this.config.limits.maxPeersPerRoom} peers)`);
    }
    const peer = new Peer({
      userId: user.userId,
      name: user.name,
      roomId: this.id,
      notify,
      config: this.config,
      log: this.log,
      hooks: {
        onProducerClosed: (p, producerId) => this.broadcast("producer:closed", { peerId: p.id, producerId }, p),
        isRoomClosing: () => this.closing || this._closed || this.router.closed,
      },
    });
    const others = [...this.peers.values()].map((p) => p.info());
    this.peers.set(peer.id, peer);
    this.broadcast("peer:joined", { peer: peer.info() }, peer);
    this.log.info(`peer ${peer.id} (user ${peer.userId}) joined; ${this.peers.size} peer(s)`);
    return { peer, others };
  }

  /** Removes and closes a peer; closes the room when it was the last one. */
  removePeer(peer: Peer): void {
    if (this.peers.get(peer.id) !== peer) return;
    this.peers.delete(peer.id);
    peer.close();
    this.log.info(`peer ${peer.id} (user ${peer.userId}) left; ${this.peers.size} peer(s)`);
    if (this.closing || this._closed) return;
    this.broadcast("peer:left", { peerId: peer.id });
    if (this.peers.size === 0) this.close("empty");
  }

  /** A producer of a peer of THIS room, or undefined (producers of other rooms are invisible). */
  findProducer(producerId: string): { peer: Peer; producer: ms.Producer } | undefined {
    for (const peer of this.peers.values()) {
      const producer = peer.getProducer(producerId);
      if (producer && !producer.closed) return { peer, producer };
    }
    return undefined;
  }

  broadcast<E extends NotificationName>(event: E, payload: NotificationPayload<E>, except?: Peer): void {
    for (const peer of this.peers.values()) {
      if (peer !== except) peer.notify(event, payload);
    }
  }

  close(reason: RoomCloseReason): void {
    if (this._closed || this.closing) return;
    this.closing = true;
    if (reason === "worker_died") {
      // Tell the peers first: they are no longer in a room after this.
      this.broadcast("room:rejoin", { roomId: this.id, reason: "worker_died" });
    }
    for (const peer of this.peers.values()) peer.close();
    this.peers.clear();
    if (!this.router.closed) this.router.close();
    this._closed = true;
    this.log.info(`closed (${reason})`);
    this.onClose(this, reason);
  }
}

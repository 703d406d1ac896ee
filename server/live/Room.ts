/**
 * A live room: the session's routers (one primary, more on other workers when the room
 * grows past `routerMaxConsumers`), its peers, its audio-level observer, spotlight and
 * recorder. Created by the async factory `Room.create()`. The room closes itself when its
 * last peer leaves, and when a worker of one of its routers dies (then every peer is told
 * to rejoin with "room:rejoin").
 *
 * Scale (docs/live-architecture.md): a peer's transports live on ONE router of the room
 * (its "slot"). A producer is consumed on another slot after `pipeToRouter` copies it there
 * (the piped producer keeps its id); pipes are made on demand and cached per router.
 */
import type { types as ms } from "mediasoup";
import { createLogger, errorMessage, type LiveConfig, type Logger } from "./config.js";
import { chooseLayers, downlinkScore, ownDownlinkScores, qualityFromScores, updateLink } from "./layers.js";
import { Peer, type ConsumerEntry, type Notify, type ProducerEntry, type RouterSlot } from "./Peer.js";
import {
  LiveError,
  type BreakoutView,
  type NotificationName,
  type MediaSource,
  type NotificationPayload,
  type PeerInfo,
  type PeerRole,
  type RoomState,
  type Spotlight,
} from "./protocol.js";
import type { RoomStatsSink } from "./stats.js";
import type { WorkerPool } from "./WorkerPool.js";

export type RoomCloseReason = "empty" | "worker_died" | "shutdown" | "ended";

export interface RoomSession {
  id: string;
  title: string;
  hostId: string;
  capacity: number;
}

/** What a recorder needs from its room (Recorder.ts). */
export interface RecordingSources {
  router: ms.Router;
  audio: string[];
  video: string | null;
}

const QUALITY_INTERVAL_MS = 2_000;

/** Breakout rooms while they run (docs/decisions/030-breakout-rooms.md). */
interface Breakouts {
  count: number;
  startedAt: Date;
  endsAt: Date;
  /** Where each PERSON belongs (set by open / move): their new tabs and rejoins land there. */
  assigned: Map<string, number>;
  timer: NodeJS.Timeout;
}

/** Map key of a group (null = the main room). */
const groupKey = (group: number | null) => (group === null ? "main" : String(group));
/** The AudioLevelObserver's interval: each "volumes" event credits this much talk time (stats.ts). */
const AUDIO_LEVEL_INTERVAL_MS = 800;

/**
 * What the room tells the other processes of its session (docs/decisions/033): set by the
 * cascade (server/live/cascade.ts) when REDIS_URL is set, else null.
 */
export interface RoomLink {
  peerChanged(info: PeerInfo): void;
  peerLeft(peerId: string, reason: "left" | "disconnected" | "removed"): void;
  /** A local producer (of a peer of this process) appeared on the primary router. */
  producerAdded(producerId: string): void;
  /** The room stays open while other processes are fed from it (an origin with edges). */
  holdsOpen(): boolean;
}

/** A peer of the session on another process, as that process described it. */
export interface RemotePeer {
  info: PeerInfo;
  /** The process (this room's link) the news about it comes through. */
  via: string;
}

/** A producer of a remote peer, piped in (same id as the original) on the primary router. */
export interface RemoteProducer {
  producer: ms.Producer;
  ownerId: string;
  source: MediaSource;
  via: string;
}

/**
 * A place in the room held for a join that is still awaiting its router: taken
 * synchronously (no await between the capacity check and the reservation), turned into a
 * peer by addPeer() or given back with release().
 */
export interface Reservation {
  readonly userId: string;
  readonly role: PeerRole;
}

export class Room {
  readonly id: string;
  readonly session: RoomSession;
  readonly log: Logger;
  private readonly config: LiveConfig;
  private readonly pool: WorkerPool;
  private readonly slots: RouterSlot[] = [];
  private creatingSlot: Promise<RouterSlot> | null = null;
  private readonly peers = new Map<string, Peer>();
  /** Peers of the session on other processes, and their producers piped in (docs/decisions/033). */
  private readonly remotePeers = new Map<string, RemotePeer>();
  private readonly remoteProducers = new Map<string, RemoteProducer>();
  link: RoomLink | null = null;
  private readonly reservations = new Set<Reservation>();
  private screenShareAllowed = false;
  private readonly pipes = new Map<string, Promise<void>>();
  private readonly audioObserver: ms.AudioLevelObserver;
  private readonly onClose: (room: Room, reason: RoomCloseReason, peers: Peer[]) => void;
  /** Session analytics: talk time from "volumes", quality from the tick (server/live/stats.ts). */
  private readonly stats: RoomStatsSink | null;
  private spotlight: Spotlight | null = null;
  /** The stage last broadcast in "room:state": a change of media that moves it broadcasts again. */
  private readonly sentStages = new Map<string, Spotlight | null>();
  private breakouts: Breakouts | null = null;
  private recording: { startedAt: Date } | null = null;
  /** Called (debounced by the recorder) whenever what should be recorded may have changed. */
  onSourcesChanged: (() => void) | null = null;
  private readonly qualityTimer: NodeJS.Timeout;
  private ticking = false;
  private closing = false;
  private _closed = false;

  static async create(opts: {
    session: RoomSession;
    pool: WorkerPool;
    config: LiveConfig;
    onClose: (room: Room, reason: RoomCloseReason, peers: Peer[]) => void;
    stats?: RoomStatsSink;
  }): Promise<Room> {
    const worker = await opts.pool.pick();
    const router = await worker.createRouter({ mediaCodecs: opts.config.mediaCodecs });
    let observer: ms.AudioLevelObserver;
    try {
      observer = await router.createAudioLevelObserver({ maxEntries: 5, threshold: -70, interval: AUDIO_LEVEL_INTERVAL_MS });
    } catch (error) {
      router.close();
      throw error;
    }
    return new Room({ ...opts, primary: { router, workerPid: worker.pid, consumers: 0, peers: 0 }, observer });
  }

  private constructor(opts: {
    session: RoomSession;
    pool: WorkerPool;
    config: LiveConfig;
    primary: RouterSlot;
    observer: ms.AudioLevelObserver;
    onClose: (room: Room, reason: RoomCloseReason, peers: Peer[]) => void;
    stats?: RoomStatsSink;
  }) {
    this.id = opts.session.id;
    this.session = opts.session;
    this.pool = opts.pool;
    this.config = opts.config;
    this.onClose = opts.onClose;
    this.stats = opts.stats ?? null;
    this.log = createLogger(`room:${this.id}`);
    this.audioObserver = opts.observer;
    this.addSlot(opts.primary);
    this.audioObserver.on("volumes", (volumes: ms.AudioLevelObserverVolume[]) => {
      const speakers: { peerId: string; volume: number; group: number | null }[] = [];
      const talking: string[] = [];
      for (const { producer, volume } of volumes) {
        const owner = this.findProducer(producer.id);
        if (owner) {
          speakers.push({ peerId: owner.peer.id, volume, group: owner.peer.group });
          talking.push(owner.peer.userId);
          continue;
        }
        const remote = this.remoteProducers.get(producer.id);
        if (remote) speakers.push({ peerId: remote.ownerId, volume, group: null });
      }
      this.stats?.volumes(this.id, talking, AUDIO_LEVEL_INTERVAL_MS);
      // Each peer hears its own group only: the speakers of the others are not its business.
      for (const peer of this.peers.values()) {
        const own = speakers.filter((sp) => sp.group === peer.group).map(({ peerId, volume }) => ({ peerId, volume }));
        peer.notify("room:speakers", { speakers: own });
      }
    });
    this.audioObserver.on("silence", () => this.broadcast("room:speakers", { speakers: [] }));
    this.qualityTimer = setInterval(() => void this.tick(), QUALITY_INTERVAL_MS);
    this.qualityTimer.unref();
    this.log.info(`created on worker pid ${opts.primary.workerPid}`);
  }

  get closed(): boolean {
    return this._closed;
  }

  get peerCount(): number {
    return this.peers.size;
  }

  get primary(): RouterSlot {
    return this.slots[0]!;
  }

  get routerRtpCapabilities(): ms.RtpCapabilities {
    return this.primary.router.rtpCapabilities;
  }

  /** Diagnostics: every router of the room with its worker and load. */
  routers(): { routerId: string; workerPid: number; peers: number; consumers: number }[] {
    return this.slots.map((s) => ({ routerId: s.router.id, workerPid: s.workerPid, peers: s.peers, consumers: s.consumers }));
  }

  /** The room's state as a peer of `group` sees it (its stage is its own group's). */
  state(group: number | null = null): RoomState {
    return {
      spotlight: this.spotlight,
      recording: { active: this.recording !== null, startedAt: this.recording?.startedAt.toISOString() ?? null },
      screenShareAllowed: this.screenShareAllowed,
      stage: this.stage(group),
    };
  }

  private broadcastState(): void {
    const states = new Map<string, RoomState>();
    for (const group of this.groups()) {
      const state = this.state(group);
      states.set(groupKey(group), state);
      this.sentStages.set(groupKey(group), state.stage);
    }
    for (const peer of this.peers.values()) peer.notify("room:state", { state: states.get(groupKey(peer.group)) ?? this.state(peer.group) });
  }

  /** The main room, and the breakout rooms while they run. */
  private groups(): (number | null)[] {
    const count = this.breakouts?.count ?? 0;
    return [null, ...Array.from({ length: count }, (_, i) => i + 1)];
  }

  /** The stage as the clients of `group` see it: who and which source spotlightVideo() picks. */
  private stage(group: number | null = null): Spotlight | null {
    const spot = this.spotlightVideo(group);
    const source = spot?.entry.source;
    if (spot && (source === "camera" || source === "screen")) return { peerId: spot.peer.id, source };
    const remote = spot || group !== null ? null : this.remoteStage();
    return remote ? { peerId: remote.ownerId, source: remote.source as "camera" | "screen" } : null;
  }

  /** No local stage: a remote host's (then moderator's) screen share, else the remote host's camera. */
  private remoteStage(): RemoteProducer | null {
    const live = [...this.remoteProducers.values()].filter((r) => !r.producer.closed);
    const role = (r: RemoteProducer) => this.remotePeers.get(r.ownerId)?.info.role;
    return (
      live.find((r) => r.source === "screen" && role(r) === "host") ??
      live.find((r) => r.source === "screen" && role(r) === "admin") ??
      live.find((r) => r.source === "camera" && role(r) === "host") ??
      null
    );
  }

  get participantsMayShareScreen(): boolean {
    return this.screenShareAllowed;
  }

  getPeer(peerId: string): Peer | undefined {
    return this.peers.get(peerId);
  }

  peerList(): Peer[] {
    return [...this.peers.values()];
  }

  /** Distinct users with the participant role, joined or about to (the session's capacity counts these). */
  participantUserIds(): Set<string> {
    const ids = new Set([...this.peers.values()].filter((p) => p.role === "participant").map((p) => p.userId));
    for (const r of this.reservations) if (r.role === "participant") ids.add(r.userId);
    return ids;
  }

  /**
   * Holds a place for a join, synchronously. The room counts PEOPLE against the session's
   * capacity (and the server-wide `maxPeersPerRoom`); moderators never count and are never
   * refused for the room's size. Each person may hold `maxPeersPerPerson` peers (tabs,
   * devices); past that, their peers still "reconnecting" (a reloaded tab) give way —
   * returned in `evict` for the caller to remove — else the join is refused.
   */
  reserve(userId: string, role: PeerRole, capacity: number): { reservation: Reservation; evict: Peer[] } {
    if (this._closed || this.closing) throw new LiveError("internal", "room is closing; try again");
    const { limits } = this.config;
    const limit = role === "participant" ? limits.maxPeersPerPerson : limits.maxPeersPerModerator;
    const mine = [...this.peers.values()].filter((p) => p.userId === userId);
    const held = mine.length + [...this.reservations].filter((r) => r.userId === userId).length;
    const evict: Peer[] = [];
    if (held >= limit) {
      const stale = mine.filter((p) => p.status === "reconnecting").sort((a, b) => +a.disconnectedAt! - +b.disconnectedAt!);
      evict.push(...stale.slice(0, held - limit + 1));
      if (held - evict.length >= limit) {
        throw new LiveError("limit", `you are already in this room ${limit} times; close another tab or device first`);
      }
    }
    if (role === "participant") {
      const people = this.participantUserIds();
      const max = Math.min(capacity, limits.maxPeersPerRoom);
      if (!people.has(userId) && people.size >= max) {
        throw new LiveError("limit", `this session is full (${max} participants)`);
      }
    }
    const reservation: Reservation = { userId, role };
    this.reservations.add(reservation);
    return { reservation, evict };
  }

  /** Gives a reservation back (the join failed); an empty room with nothing pending closes. */
  release(reservation: Reservation): void {
    if (!this.reservations.delete(reservation)) return;
    this.closeIfEmpty();
  }

  // -------------------------------------------------------------------------------------
  // Routers and pipes

  /**
   * The router a new peer's transports go to: the least-loaded one under the threshold; past
   * it (every router of the room serves `routerMaxConsumers` consumers), a new router on a
   * worker the room doesn't use yet — when there is one.
   */
  async assignRouter(): Promise<RouterSlot> {
    const alive = this.slots.filter((s) => !s.router.closed);
    let best = alive[0] ?? this.primary;
    for (const slot of alive) if (slot.consumers < best.consumers) best = slot;
    if (best.consumers < this.config.routerMaxConsumers) return best;
    const used = new Set(this.slots.map((s) => s.workerPid));
    if (!this.pool.hasWorkerBesides(used)) return best;
    this.creatingSlot ??= (async () => {
      try {
        const worker = await this.pool.pick({ exclude: used });
        const router = await worker.createRouter({ mediaCodecs: this.config.mediaCodecs });
        if (this.closing || this._closed) {
          router.close();
          throw new LiveError("internal", "room is closing; try again");
        }
        const slot: RouterSlot = { router, workerPid: worker.pid, consumers: 0, peers: 0 };
        this.addSlot(slot);
        this.log.info(`room grew past ${this.config.routerMaxConsumers} consumers per router: added a router on worker pid ${worker.pid}`);
        return slot;
      } finally {
        this.creatingSlot = null;
      }
    })();
    return this.creatingSlot;
  }

  private addSlot(slot: RouterSlot): void {
    this.slots.push(slot);
    slot.router.on("workerclose", () => {
      this.log.error(`media worker (pid ${slot.workerPid}) died: closing the room, peers must rejoin`);
      this.close("worker_died");
    });
  }

  /** Makes `producerId` consumable on `slot`'s router (pipeToRouter once per router). */
  async ensureProducerOn(producerId: string, slot: RouterSlot): Promise<void> {
    const found = this.findProducer(producerId);
    const remote = found ? undefined : this.remoteProducers.get(producerId);
    if (!found && !remote) throw new LiveError("not_found", "no such producer in your room");
    // Remote producers are piped in on the primary router.
    const source = found ? found.peer.slot : this.primary;
    const producer = found ? found.entry.producer : remote!.producer;
    if (source === slot) return;
    const key = `${producerId}:${slot.router.id}`;
    let pipe = this.pipes.get(key);
    if (!pipe) {
      pipe = source.router.pipeToRouter({ producerId, router: slot.router }).then(() => undefined);
      this.pipes.set(key, pipe);
      pipe.catch(() => this.pipes.delete(key));
      producer.observer.once("close", () => this.pipes.delete(key));
    }
    await pipe;
  }

  // -------------------------------------------------------------------------------------
  // Peers

  /** Adds a peer (synchronously, so the returned snapshot and later notifications don't miss anything). */
  addPeer(
    user: { userId: string; name: string; role: PeerRole },
    slot: RouterSlot,
    notify: Notify,
    reservation: Reservation,
  ): { peer: Peer; others: PeerInfo[] } {
    if (this._closed || this.closing || slot.router.closed) throw new LiveError("internal", "room is closing; try again");
    if (!this.reservations.delete(reservation)) throw new LiveError("internal", "join without a reservation; try again");
    const peer = new Peer({
      userId: user.userId,
      name: user.name,
      role: user.role,
      roomId: this.id,
      slot,
      notify,
      config: this.config,
      log: this.log,
      hooks: {
        onProducerClosed: (p, producerId) => {
          this.broadcast("producer:closed", { peerId: p.id, producerId }, p);
          this.mediaChanged();
        },
        isRoomClosing: () => this.closing || this._closed,
        onConsumerChanged: (p, entry) => this.applyPolicy(p, entry),
      },
    });
    // A person assigned to a breakout room (a new tab, a rejoin) goes back there.
    peer.group = this.breakouts?.assigned.get(peer.userId) ?? null;
    const others = [...[...this.peers.values()].map((p) => p.info()), ...this.remoteInfos()];
    this.peers.set(peer.id, peer);
    slot.peers++;
    this.broadcast("peer:joined", { peer: peer.info() }, peer);
    this.link?.peerChanged(peer.info());
    this.log.info(`peer ${peer.id} (user ${peer.userId}, ${peer.role}) joined on worker ${slot.workerPid}; ${this.peers.size} peer(s)`);
    return { peer, others };
  }

  /**
   * The peer's socket dropped: it stays as "reconnecting" for the grace period, WITH its
   * media. Transports, producers and consumers run over ICE, not over the socket: a
   * signalling hiccup (a ping timeout, a TCP connection stuck in retransmission backoff)
   * must not cut audio that still flows. They close when the grace period ends
   * (removePeer) or when the resume says the client no longer holds them.
   */
  detachPeer(peer: Peer): void {
    if (this.peers.get(peer.id) !== peer || peer.status === "reconnecting") return;
    peer.status = "reconnecting";
    peer.disconnectedAt = new Date();
    this.broadcastPeer(peer);
  }

  /**
   * A new socket of the same user takes the peer over (after a drop, or before we noticed
   * one). `held` = the media the client still has: kept; the rest of the peer's media closes.
   */
  resumePeer(
    peer: Peer,
    notify: Notify,
    held: { transports: string[]; producers: string[]; consumers: string[] },
  ): { others: PeerInfo[]; kept: { transports: string[]; producers: string[]; consumers: string[] } } {
    if (this.peers.get(peer.id) !== peer) throw new LiveError("not_found", "no such peer to resume");
    if (peer.graceTimer) clearTimeout(peer.graceTimer);
    peer.graceTimer = null;
    const kept = peer.keepMedia(held);
    peer.rebind(notify);
    peer.status = "connected";
    peer.disconnectedAt = null;
    this.broadcastPeer(peer);
    this.mediaChanged();
    return { others: [...[...this.peers.values()].filter((p) => p !== peer).map((p) => p.info()), ...this.remoteInfos()], kept };
  }

  /** Removes and closes a peer; closes the room when it was the last one. */
  removePeer(peer: Peer, reason: "left" | "disconnected" | "removed"): void {
    if (this.peers.get(peer.id) !== peer) return;
    this.peers.delete(peer.id);
    peer.slot.peers = Math.max(0, peer.slot.peers - 1);
    peer.close();
    this.log.info(`peer ${peer.id} (user ${peer.userId}) ${reason}; ${this.peers.size} peer(s)`);
    if (![...this.peers.values()].some((p) => p.userId === peer.userId)) this.stats?.left(this.id, peer.userId);
    if (this.closing || this._closed) return;
    if (this.spotlight?.peerId === peer.id) this.setSpotlight(null);
    this.broadcast("peer:left", { peerId: peer.id, reason });
    this.link?.peerLeft(peer.id, reason);
    this.mediaChanged();
    this.closeIfEmpty();
  }

  /** Closes the room when nobody is in it, nothing is pending and no other process is fed from it. */
  closeIfEmpty(): void {
    if (this.closing || this._closed) return;
    if (this.peers.size === 0 && this.reservations.size === 0 && !this.link?.holdsOpen()) this.close("empty");
  }

  // -------------------------------------------------------------------------------------
  // Peers and producers of other processes (docs/decisions/033)

  /** A remote peer as the local clients see it: only the producers piped in so far. */
  private remoteInfo(rp: RemotePeer): PeerInfo {
    // A peer in a breakout room of its own process is seen here without media (breakouts are per process).
    const producers = rp.info.group !== null ? [] : rp.info.producers.flatMap((p) => {
      const piped = this.remoteProducers.get(p.id);
      return piped && !piped.producer.closed ? [{ ...p, paused: piped.producer.paused }] : [];
    });
    return { ...rp.info, producers, group: null };
  }

  remoteInfos(): PeerInfo[] {
    return [...this.remotePeers.values()].map((rp) => this.remoteInfo(rp));
  }

  getRemotePeer(peerId: string): RemotePeer | undefined {
    return this.remotePeers.get(peerId);
  }

  remotePeerList(): RemotePeer[] {
    return [...this.remotePeers.values()];
  }

  /** Raw infos (all producers listed) of the remote peers not known through `except`: what another link is told. */
  remotePeersBesides(except: string): PeerInfo[] {
    return [...this.remotePeers.values()].filter((rp) => rp.via !== except).map((rp) => rp.info);
  }

  /** A peer on another process joined or changed. Ignored when it is one of ours. */
  upsertRemotePeer(info: PeerInfo, via: string): void {
    if (this.closing || this._closed || this.peers.has(info.id)) return;
    const known = this.remotePeers.get(info.id);
    if (known && known.via !== via) return;
    const rp: RemotePeer = { info, via };
    this.remotePeers.set(info.id, rp);
    if (known) this.broadcast("peer:updated", { peer: this.remoteInfo(rp) });
    else this.broadcast("peer:joined", { peer: this.remoteInfo(rp) });
  }

  removeRemotePeer(peerId: string, via: string, reason: "left" | "disconnected" | "removed"): void {
    const rp = this.remotePeers.get(peerId);
    if (!rp || rp.via !== via) return;
    this.remotePeers.delete(peerId);
    for (const [id, remote] of [...this.remoteProducers]) {
      if (remote.ownerId === peerId && !remote.producer.closed) remote.producer.close();
      if (remote.ownerId === peerId) this.remoteProducers.delete(id);
    }
    if (this.closing || this._closed) return;
    if (this.spotlight?.peerId === peerId) this.setSpotlight(null);
    this.broadcast("peer:left", { peerId, reason });
    this.mediaChanged();
  }

  /** Everything that came through `via` is gone (its link closed). */
  dropRemote(via: string): void {
    for (const rp of [...this.remotePeers.values()]) if (rp.via === via) this.removeRemotePeer(rp.info.id, via, "disconnected");
    for (const [id, remote] of [...this.remoteProducers]) {
      if (remote.via !== via) continue;
      this.remoteProducers.delete(id);
      if (!remote.producer.closed) remote.producer.close();
    }
  }

  findRemoteProducer(producerId: string): RemoteProducer | undefined {
    const remote = this.remoteProducers.get(producerId);
    return remote && !remote.producer.closed ? remote : undefined;
  }

  /** A remote producer this process's main room may consume: its owner is not in a breakout room of its own process. */
  consumableRemoteProducer(producerId: string): RemoteProducer | undefined {
    const remote = this.findRemoteProducer(producerId);
    return remote && this.remotePeers.get(remote.ownerId)?.info.group === null ? remote : undefined;
  }

  /** Producers another link gets: ours and those piped in through other links. */
  producerIdsBesides(except: string): string[] {
    const ids: string[] = [];
    for (const peer of this.peers.values()) for (const e of peer.producerEntries()) if (!e.producer.closed) ids.push(e.producer.id);
    for (const [id, remote] of this.remoteProducers) if (remote.via !== except && !remote.producer.closed) ids.push(id);
    return ids;
  }

  /** A producer piped in from another process (its owner must be a remote peer known through `via`). */
  async remoteProducerAdded(remote: RemoteProducer): Promise<boolean> {
    const { producer, ownerId, source, via } = remote;
    const rp = this.remotePeers.get(ownerId);
    if (!rp || rp.via !== via || this.closing || this._closed || this.remoteProducers.has(producer.id)) return false;
    this.remoteProducers.set(producer.id, remote);
    producer.observer.once("close", () => {
      if (this.remoteProducers.get(producer.id) !== remote) return;
      this.remoteProducers.delete(producer.id);
      if (this.closing || this._closed) return;
      this.broadcast("producer:closed", { peerId: ownerId, producerId: producer.id });
      const owner = this.remotePeers.get(ownerId);
      if (owner) this.broadcast("peer:updated", { peer: this.remoteInfo(owner) });
      this.mediaChanged();
    });
    for (const other of this.peers.values()) {
      if (other.group !== null) continue;
      other.notify("producer:new", { peerId: ownerId, producerId: producer.id, kind: producer.kind, source, paused: producer.paused });
    }
    this.broadcast("peer:updated", { peer: this.remoteInfo(rp) });
    if (source === "mic") {
      await this.audioObserver.addProducer({ producerId: producer.id }).catch((error: unknown) => {
        if (!producer.closed) this.log.warn(`audio level of remote ${producer.id} not observed: ${errorMessage(error)}`);
      });
    }
    this.mediaChanged();
    return true;
  }

  async remoteProducerPaused(producerId: string, paused: boolean): Promise<void> {
    const remote = this.remoteProducers.get(producerId);
    if (!remote || remote.producer.closed || remote.producer.paused === paused) return;
    if (paused) await remote.producer.pause();
    else await remote.producer.resume();
    this.broadcast("producer:paused", { peerId: remote.ownerId, producerId, paused });
    const owner = this.remotePeers.get(remote.ownerId);
    if (owner) this.broadcast("peer:updated", { peer: this.remoteInfo(owner) });
  }

  /** A producer of a peer of THIS room, or undefined (producers of other rooms are invisible). */
  findProducer(producerId: string): { peer: Peer; entry: ProducerEntry } | undefined {
    for (const peer of this.peers.values()) {
      const entry = peer.getProducer(producerId);
      if (entry && !entry.producer.closed) return { peer, entry };
    }
    return undefined;
  }

  /** A new producer: tell the others, observe its audio level, re-apply policies. */
  async producerAdded(peer: Peer, entry: ProducerEntry): Promise<void> {
    const { producer, source } = entry;
    // Only the producer's own group consumes it (breakout rooms: docs/decisions/030).
    for (const other of this.peers.values()) {
      if (other === peer || other.group !== peer.group) continue;
      other.notify("producer:new", { peerId: peer.id, producerId: producer.id, kind: producer.kind, source, paused: producer.paused });
    }
    this.broadcastPeer(peer);
    if (this.link) {
      // Other processes are fed from the primary router.
      try {
        await this.ensureProducerOn(producer.id, this.primary);
        if (!producer.closed) this.link.producerAdded(producer.id);
      } catch (error) {
        if (!producer.closed) this.log.warn(`producer ${producer.id} not offered to other processes: ${errorMessage(error)}`);
      }
    }
    if (source === "mic") {
      try {
        await this.ensureProducerOn(producer.id, this.primary);
        if (!producer.closed) await this.audioObserver.addProducer({ producerId: producer.id });
        this.log.debug(`observing the audio level of ${producer.id}`);
      } catch (error) {
        if (!producer.closed) this.log.warn(`audio level of ${producer.id} not observed: ${errorMessage(error)}`);
      }
    }
    this.mediaChanged();
  }

  producerPauseChanged(peer: Peer, producerId: string, paused: boolean): void {
    this.broadcast("producer:paused", { peerId: peer.id, producerId, paused });
    this.broadcastPeer(peer);
  }

  // -------------------------------------------------------------------------------------
  // Breakout rooms (docs/decisions/030-breakout-rooms.md): a partition of this room's peers.
  // Same routers and transports; a peer consumes the producers of its own group only.

  get breakoutCount(): number {
    return this.breakouts?.count ?? 0;
  }

  breakoutView(peer: Peer): BreakoutView | null {
    const b = this.breakouts;
    if (!b) return null;
    return { count: b.count, startedAt: b.startedAt.toISOString(), endsAt: b.endsAt.toISOString(), yourRoom: peer.group };
  }

  /** The participants (people, in the order they joined) round-robin over rooms 1…count. */
  autoAssignment(count: number): Map<string, number> {
    const assigned = new Map<string, number>();
    for (const peer of this.peers.values()) {
      if (peer.isModerator || assigned.has(peer.userId)) continue;
      assigned.set(peer.userId, (assigned.size % count) + 1);
    }
    return assigned;
  }

  /** Opens `count` rooms for `durationMs`; `assigned` = person → room. Calls everyone back when the time is up. */
  openBreakouts(count: number, durationMs: number, assigned: Map<string, number>): void {
    if (this.breakouts) throw new LiveError("bad_request", "breakout rooms are already open; close them first");
    if (this.closing || this._closed) throw new LiveError("internal", "room is closing; try again");
    const startedAt = new Date();
    const timer = setTimeout(() => {
      this.log.info("breakout time is up: everyone back to the main room");
      this.closeBreakouts();
    }, durationMs);
    timer.unref();
    this.breakouts = { count, startedAt, endsAt: new Date(startedAt.getTime() + durationMs), assigned, timer };
    this.regroup(new Map([...this.peers.values()].map((p) => [p, assigned.get(p.userId) ?? null])));
    this.log.info(`opened ${count} breakout rooms for ${Math.round(durationMs / 1000)} s`);
    this.breakoutChanged();
  }

  /** A person (all their peers) to room 1…count or back to the main room (null). */
  moveUser(userId: string, group: number | null): void {
    const b = this.requireBreakouts(group);
    if (group === null) b.assigned.delete(userId);
    else b.assigned.set(userId, group);
    this.regroup(new Map(this.peersOfUser(userId).map((p) => [p, group])));
    this.breakoutChanged();
  }

  /** One peer (a visiting moderator) to a room, without changing anyone's assignment. */
  visit(peer: Peer, group: number | null): void {
    this.requireBreakouts(group);
    this.regroup(new Map([[peer, group]]));
    this.breakoutChanged();
  }

  /** Everyone back to the main room (the host's "close all rooms", or the timer). */
  closeBreakouts(): void {
    const b = this.breakouts;
    if (!b || this.closing || this._closed) return;
    clearTimeout(b.timer);
    this.regroup(new Map([...this.peers.values()].map((p) => [p, null])));
    this.breakouts = null;
    this.log.info("breakout rooms closed");
    this.breakoutChanged();
  }

  /** Peers of one group (chat of a breakout room, a broadcast to the main room). */
  groupPeers(group: number | null): Peer[] {
    return [...this.peers.values()].filter((p) => p.group === group);
  }

  private peersOfUser(userId: string): Peer[] {
    return [...this.peers.values()].filter((p) => p.userId === userId);
  }

  private requireBreakouts(group: number | null): Breakouts {
    const b = this.breakouts;
    if (!b) throw new LiveError("bad_request", "no breakout rooms are open");
    if (group !== null && (group < 1 || group > b.count)) throw new LiveError("bad_request", `there are rooms 1 to ${b.count}`);
    return b;
  }

  private breakoutChanged(): void {
    for (const peer of this.peers.values()) peer.notify("breakout:state", { breakout: this.breakoutView(peer) });
    // Every group's stage may have changed (a visiting host, a screen share that moved).
    this.broadcastState();
    this.mediaChanged();
  }

  /**
   * Moves peers to other groups, all at once: closes the consumers that now cross groups
   * (each holder told with "consumer:closed") and announces with "producer:new" the
   * producers of the pairs that now share a group, so the clients change their tiles without
   * reloading. Transports, producers and attendance records are untouched.
   */
  private regroup(moves: Map<Peer, number | null>): void {
    const before = new Map([...this.peers.values()].map((p) => [p, p.group] as const));
    const moved: Peer[] = [];
    for (const [peer, group] of moves) {
      if (peer.group === group || this.peers.get(peer.id) !== peer) continue;
      peer.group = group;
      moved.push(peer);
    }
    if (moved.length === 0) return;
    for (const holder of this.peers.values()) {
      for (const entry of holder.consumerEntries()) {
        const owner = this.peers.get(entry.ownerId);
        if (!owner || owner.group === holder.group) continue;
        if (!entry.consumer.closed) entry.consumer.close();
        holder.notify("consumer:closed", { consumerId: entry.consumer.id, producerId: entry.producerId });
      }
    }
    const announce = (to: Peer, owner: Peer) => {
      for (const { producer, source } of owner.producerEntries()) {
        if (!producer.closed) to.notify("producer:new", { peerId: owner.id, producerId: producer.id, kind: producer.kind, source, paused: producer.paused });
      }
    };
    const movedSet = new Set(moved);
    for (const peer of moved) {
      for (const other of this.peers.values()) {
        if (other === peer || other.group !== peer.group || before.get(other) === before.get(peer)) continue;
        announce(peer, other);
        // A peer that moved too hears of this one in its own turn.
        if (!movedSet.has(other)) announce(other, peer);
      }
    }
    for (const peer of moved) this.broadcastPeer(peer);
  }

  // -------------------------------------------------------------------------------------
  // Spotlight, layers, quality

  setSpotlight(spotlight: Spotlight | null): void {
    if (spotlight && !this.peers.has(spotlight.peerId)) throw new LiveError("not_found", "no such peer in your room");
    this.spotlight = spotlight;
    this.broadcastState();
    this.mediaChanged();
  }

  /**
   * Lets participants share their screen, or not. Forbidding it returns the participants'
   * screen producers, for the caller to close.
   */
  setScreenShareAllowed(allowed: boolean): { peer: Peer; entry: ProducerEntry }[] {
    this.screenShareAllowed = allowed;
    const stopped: { peer: Peer; entry: ProducerEntry }[] = [];
    if (!allowed) {
      for (const peer of this.peers.values()) {
        if (peer.isModerator) continue;
        for (const source of ["screen", "screen-audio"] as const) {
          const entry = peer.producerBySource(source);
          if (entry) stopped.push({ peer, entry });
        }
      }
    }
    this.broadcastState();
    return stopped;
  }

  setRecording(active: { startedAt: Date } | null): void {
    this.recording = active;
    this.broadcastState();
  }

  /**
   * The video everyone's big stage shows (data-saver viewers get only this one): the
   * moderator's spotlight, else a screen share (the host's first), else the host's camera.
   */
  spotlightVideo(group: number | null = null): { peer: Peer; entry: ProducerEntry } | null {
    if (this.spotlight) {
      const peer = this.peers.get(this.spotlight.peerId);
      const entry = peer?.producerBySource(this.spotlight.source);
      if (peer && entry && peer.group === group) return { peer, entry };
    }
    // Each group has its own stage: a breakout room's screen share, or the visiting host.
    const ordered = [...this.peers.values()].filter((p) => p.group === group).sort((a, b) => rank(a.role) - rank(b.role));
    for (const peer of ordered) {
      if (!peer.isModerator && !this.screenShareAllowed) continue;
      const entry = peer.producerBySource("screen");
      if (entry) return { peer, entry };
    }
    for (const peer of ordered) {
      if (peer.role !== "host") continue;
      const entry = peer.producerBySource("camera");
      if (entry) return { peer, entry };
    }
    return null;
  }

  /** What a recording of the room should contain now: every microphone (and screen audio), the spotlight video. */
  recordingSources(): RecordingSources {
    const audio: string[] = [];
    // While breakouts run, the recording is the main room's (docs/decisions/030).
    const ordered = [...this.peers.values()].filter((p) => p.group === null).sort((a, b) => rank(a.role) - rank(b.role));
    for (const peer of ordered) {
      // A "reconnecting" peer keeps its media (its audio may still flow): it stays recorded.
      for (const source of ["mic", "screen-audio"] as const) {
        const entry = peer.producerBySource(source);
        if (entry) audio.push(entry.producer.id);
      }
    }
    return { router: this.primary.router, audio, video: this.spotlightVideo()?.entry.producer.id ?? null };
  }

  /** Media of the room changed: re-apply every consumer's policy, let the recorder look. */
  mediaChanged(): void {
    if (this.closing || this._closed) return;
    const moved = this.groups().some((group) => {
      const stage = this.stage(group);
      const sent = this.sentStages.get(groupKey(group)) ?? null;
      return stage?.peerId !== sent?.peerId || stage?.source !== sent?.source;
    });
    if (moved) this.broadcastState();
    for (const peer of this.peers.values()) for (const entry of peer.consumerEntries()) this.applyPolicy(peer, entry);
    this.onSourcesChanged?.();
  }

  applyPolicy(peer: Peer, entry: ConsumerEntry): void {
    const { consumer } = entry;
    if (consumer.closed || peer.closed) return;
    const spot = this.spotlightVideo(peer.group);
    const { spatialLayers, temporalLayers } = layerCounts(consumer);
    const decision = chooseLayers({
      kind: consumer.kind,
      source: entry.source,
      spatialLayers,
      temporalLayers,
      tile: entry.tile,
      dataSaver: peer.dataSaver,
      isSpotlight: spot ? spot.entry.producer.id === entry.producerId : peer.group === null && this.remoteStage()?.producer.id === entry.producerId,
      linkCap: peer.link.cap,
    });
    const fail = (what: string) => (error: unknown) => {
      // Usually the consumer closed in the worker meanwhile (its transport or producer went away).
      if (!consumer.closed) this.log.debug(`${what} consumer ${consumer.id} failed: ${errorMessage(error)}`);
    };
    if (decision.paused || !entry.clientResumed) {
      if (!consumer.paused) {
        consumer.pause().catch(fail("pausing"));
        if (entry.clientResumed && consumer.kind === "video") {
          peer.notify("consumer:layers", { consumerId: consumer.id, spatialLayer: null, temporalLayer: null });
        }
      }
      return;
    }
    let keyFrame = false;
    if (consumer.type === "simulcast" || consumer.type === "svc") {
      const wanted = { spatialLayer: decision.spatialLayer, temporalLayer: decision.temporalLayer };
      if (entry.preferred?.spatialLayer !== wanted.spatialLayer) keyFrame = true;
      if (entry.preferred?.spatialLayer !== wanted.spatialLayer || entry.preferred?.temporalLayer !== wanted.temporalLayer) {
        entry.preferred = wanted;
        consumer.setPreferredLayers(wanted).catch(fail("setting layers of"));
      }
    }
    if (consumer.paused) {
      keyFrame = consumer.kind === "video";
      consumer.resume().catch(fail("resuming"));
    }
    // A new or switched video shows nothing until a key frame of its layer: ask right away.
    if (keyFrame) consumer.requestKeyFrame().catch(fail("requesting a key frame for"));
  }

  /** Every 2 s: each peer's quality indicator and link cap from mediasoup's scores and BWE. */
  private async tick(): Promise<void> {
    if (this.ticking || this.closing || this._closed) return;
    this.ticking = true;
    try {
      const now = Date.now();
      for (const peer of [...this.peers.values()]) {
        if (peer.closed || peer.status !== "connected") continue;
        const active = peer.consumerEntries().filter((c) => !c.consumer.closed && !c.consumer.paused && !c.consumer.producerPaused);
        const scores = [
          ...peer.producerEntries().filter((p) => !p.producer.paused && p.score !== null).map((p) => p.score!),
          // Own downlink only: consumers of a lossy sender do not count against this receiver.
          ...ownDownlinkScores(active),
        ];
        const quality = qualityFromScores(scores);
        const videoScore = downlinkScore(active.filter((c) => c.consumer.kind === "video"));
        let availableBitrate: number | undefined;
        const recv = peer.recvTransport();
        if (recv && !recv.closed) {
          try {
            const [stat] = await recv.getStats();
            const videos = Math.max(1, active.filter((c) => c.consumer.kind === "video").length);
            if (stat?.availableOutgoingBitrate) availableBitrate = stat.availableOutgoingBitrate / videos;
          } catch {
            // transport closed meanwhile
          }
        }
        if (peer.closed) continue;
        const link = updateLink(peer.link, { score: videoScore, availableBitrate }, now);
        const capChanged = link.cap !== peer.link.cap;
        peer.link = link;
        if (capChanged) {
          this.log.debug(`peer ${peer.id} link cap → ${link.cap}`);
          for (const entry of peer.consumerEntries()) this.applyPolicy(peer, entry);
        }
        this.stats?.quality(this.id, peer.userId, quality, now);
        if (quality !== peer.quality) {
          peer.quality = quality;
          this.broadcastPeer(peer);
        }
      }
    } finally {
      this.ticking = false;
    }
  }

  // -------------------------------------------------------------------------------------

  broadcastPeer(peer: Peer): void {
    if (this.peers.get(peer.id) !== peer) return;
    this.broadcast("peer:updated", { peer: peer.info() });
    this.link?.peerChanged(peer.info());
  }

  broadcast<E extends NotificationName>(event: E, payload: NotificationPayload<E>, except?: Peer): void {
    for (const peer of this.peers.values()) {
      if (peer !== except) peer.notify(event, payload);
    }
  }

  close(reason: RoomCloseReason): void {
    if (this._closed || this.closing) return;
    this.closing = true;
    clearInterval(this.qualityTimer);
    if (this.breakouts) clearTimeout(this.breakouts.timer);
    this.breakouts = null;
    if (reason === "worker_died") {
      // Tell the peers first: they are no longer in a room after this.
      this.broadcast("room:rejoin", { roomId: this.id, reason: "worker_died" });
    } else if (reason === "ended") {
      this.broadcast("room:ended", {});
    }
    const peers = [...this.peers.values()];
    for (const peer of peers) peer.close();
    for (const userId of new Set(peers.map((p) => p.userId))) this.stats?.left(this.id, userId);
    this.peers.clear();
    this.remotePeers.clear();
    this.remoteProducers.clear();
    for (const slot of this.slots) if (!slot.router.closed) slot.router.close();
    this._closed = true;
    this.log.info(`closed (${reason})`);
    this.onClose(this, reason, peers);
  }
}

function rank(role: PeerRole): number {
  return role === "host" ? 0 : role === "admin" ? 1 : 2;
}

/** Spatial/temporal layer counts of a consumer, from its "S3T3"/"L1T3" scalability mode. */
function layerCounts(consumer: ms.Consumer): { spatialLayers: number; temporalLayers: number } {
  const mode = consumer.rtpParameters.encodings?.[0]?.scalabilityMode ?? "";
  const m = /^[LS](\d+)T(\d+)/.exec(mode);
  if (!m) return { spatialLayers: 1, temporalLayers: 1 };
  return { spatialLayers: Number(m[1]), temporalLayers: Number(m[2]) };
}

/**
 * Rooms across processes and hosts (REDIS_URL set; docs/decisions/033-rooms-across-processes.md).
 *
 * Every process with participants of a session has its own Room for it. A room directory in
 * Redis (`<prefix>:live:room:<session id>` → { processId, ip }) names the session's ORIGIN:
 * the process whose room came first (SET NX). Every other process's room is an EDGE: it
 * makes one mediasoup PipeTransport pair with the origin (over the network, MEDIASOUP_PIPE_IP)
 * and the two exchange, over Redis pub/sub (`<prefix>:live:pipe:<process id>`, validated with
 * `pipeMessageSchema`):
 *   - their peers (PeerInfo; shown in the other's peer list) and their departures;
 *   - their producers: the sender consumes a producer on its pipe transport, the receiver
 *     produces it on its own with the same id — so the origin sends each stream once per
 *     edge, and an edge's viewers consume it on the edge's router;
 *   - pause/resume and close of those producers; a moderator's mute of a peer elsewhere.
 * The origin relays between its edges (a star): an edge's peers and producers reach the
 * other edges through the origin.
 *
 * Healing: the origin renews its directory entry on every heartbeat (expiry
 * LIVE_ROOM_DIRECTORY_TTL_MS); edges send "alive" on theirs and the origin drops links silent
 * for the TTL. An edge whose origin's entry vanished or changed, or that is refused, drops
 * everything it had from the origin (its viewers see those peers leave) and places its room
 * again: it may become the origin itself.
 * Redis away: a room that cannot be placed stays alone (this process only) and tries again
 * on the next heartbeat.
 */
import { randomUUID } from "node:crypto";
import type { types as ms } from "mediasoup";
import { redisClient, redisPrefix } from "~/domains/redis.server";
import { createLogger, errorMessage, type LiveConfig } from "./config.js";
import { pipeMessageSchema, roomDirectoryEntrySchema, type PeerInfo, type PipeMessage, type RoomDirectoryEntry } from "./protocol.js";
import type { Room, RoomLink } from "./Room.js";

/** One origin↔edge pair of pipe transports of one session, seen from one end. */
interface Link {
  id: string;
  /** The process at the other end. */
  peer: string;
  transport: ms.PipeTransport;
  connected: boolean;
  /** Pipe consumers: producers this end sends over the link. */
  out: Map<string, ms.Consumer>;
  lastSeen: number;
  createdAt: number;
}

interface Entry {
  room: Room;
  role: "origin" | "edge" | "alone";
  /** Origin: its edges, by link id. */
  edges: Map<string, Link>;
  /** Edge: the link to the origin. */
  up: Link | null;
  placing: Promise<void> | null;
}

export interface CascadeStats {
  sessionId: string;
  role: "origin" | "edge" | "alone";
  links: number;
  streamsOut: number;
  streamsIn: number;
  remotePeers: number;
}

export interface CascadeDeps {
  processId: string;
  config: LiveConfig;
  /** Mutes a peer of this process (the moderator is elsewhere). */
  mute(room: Room, peerId: string, by: string): Promise<void>;
}

const DIRECTORY_RENEW = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end`;
const DIRECTORY_DELETE = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;

export class Cascade {
  private readonly log = createLogger("cascade");
  private readonly entries = new Map<string, Entry>();
  /** Incoming messages of one session, one at a time (a link's setup awaits mediasoup). */
  private readonly queues = new Map<string, Promise<void>>();
  private readonly prefix = redisPrefix();
  private readonly value: string;
  private closed = false;

  constructor(private readonly deps: CascadeDeps) {
    const entry: RoomDirectoryEntry = { processId: deps.processId, ip: deps.config.pipeIp, at: Date.now() };
    this.value = JSON.stringify(entry);
  }

  private get redis() {
    return redisClient("live", { failFast: true })!;
  }

  channel(processId: string): string {
    return `${this.prefix}:live:pipe:${processId}`;
  }

  directoryKey(sessionId: string): string {
    return `${this.prefix}:live:room:${sessionId}`;
  }

  async start(): Promise<void> {
    // Created now so it is connected by the first placement (it fails fast while offline).
    void this.redis;
    const sub = redisClient("sub")!;
    await sub.subscribe(this.channel(this.deps.processId), (message: string) => this.received(message));
    this.log.info(`rooms across processes: process ${this.deps.processId}, pipe address ${this.deps.config.pipeIp}`);
  }

  async close(): Promise<void> {
    this.closed = true;
    // Redis away: the subscription ends with the connection. The subscriber queues commands while
    // offline, so an unsubscribe then would wait for Redis for ever and hold up the shutdown.
    const sub = redisClient("sub");
    if (!sub?.isReady) return;
    try {
      await Promise.race([sub.unsubscribe(this.channel(this.deps.processId)), new Promise((r) => setTimeout(r, 2_000).unref())]);
    } catch {
      // lost meanwhile: same as above
    }
  }

  stats(): CascadeStats[] {
    return [...this.entries.values()].map((e) => {
      const links = e.role === "origin" ? [...e.edges.values()] : e.up ? [e.up] : [];
      return {
        sessionId: e.room.id,
        role: e.role,
        links: links.filter((l) => l.connected).length,
        streamsOut: links.reduce((n, l) => n + [...l.out.values()].filter((c) => !c.closed).length, 0),
        streamsIn: e.room.remotePeerList().reduce((n, rp) => n + rp.info.producers.filter((p) => e.room.findRemoteProducer(p.id)).length, 0),
        remotePeers: e.room.remotePeerList().length,
      };
    });
  }

  // -------------------------------------------------------------------------------------
  // A room of this process opens / closes

  /** A new room of this process: give it its link hooks and place it (does not wait). */
  roomOpened(room: Room): void {
    if (this.closed) return;
    const entry: Entry = { room, role: "alone", edges: new Map(), up: null, placing: null };
    this.entries.set(room.id, entry);
    room.link = this.hooks(entry);
    this.place(entry);
  }

  roomClosed(room: Room): void {
    const entry = this.entries.get(room.id);
    if (!entry || entry.room !== room) return;
    this.entries.delete(room.id);
    for (const link of entry.edges.values()) {
      this.send(link.peer, { type: "close", sessionId: room.id, from: this.deps.processId, link: link.id });
      if (!link.transport.closed) link.transport.close();
    }
    entry.edges.clear();
    if (entry.up) {
      this.send(entry.up.peer, { type: "close", sessionId: room.id, from: this.deps.processId, link: entry.up.id });
      if (!entry.up.transport.closed) entry.up.transport.close();
      entry.up = null;
    }
    if (entry.role === "origin") {
      this.redis.eval(DIRECTORY_DELETE, { keys: [this.directoryKey(room.id)], arguments: [this.value] }).catch(() => undefined);
    }
  }

  private hooks(entry: Entry): RoomLink {
    return {
      peerChanged: (info) => {
        for (const link of this.linksOf(entry)) this.sendOn(entry, link, { type: "peer", peer: info });
      },
      peerLeft: (peerId, reason) => {
        for (const link of this.linksOf(entry)) this.sendOn(entry, link, { type: "peerLeft", peerId, reason });
      },
      producerAdded: (producerId) => {
        for (const link of this.linksOf(entry)) void this.pipeOut(entry, link, producerId);
      },
      holdsOpen: () => entry.role === "origin" && entry.edges.size > 0,
    };
  }

  /** The connected links of a room: an origin's edges, or an edge's link up. */
  private linksOf(entry: Entry): Link[] {
    const links = entry.role === "origin" ? [...entry.edges.values()] : entry.up ? [entry.up] : [];
    return links.filter((l) => l.connected && !l.transport.closed);
  }

  // -------------------------------------------------------------------------------------
  // Placement (the room directory)

  private place(entry: Entry): void {
    if (entry.placing || this.closed) return;
    entry.placing = this.runPlace(entry)
      .catch((error: unknown) => {
        // Redis away (or mediasoup refused): this room serves this process only for now.
        entry.role = "alone";
        this.log.warn(`room ${entry.room.id} not placed (${errorMessage(error)}): serving this process only; retrying on the next heartbeat`);
      })
      .finally(() => (entry.placing = null));
  }

  /** The directory client connected, or an error after `ms` (its commands fail fast while offline). */
  private async connected(ms = 3_000): Promise<void> {
    const deadline = Date.now() + ms;
    while (!this.redis.isReady) {
      if (Date.now() > deadline || this.closed) throw new Error("Redis is not reachable");
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  private async runPlace(entry: Entry): Promise<void> {
    await this.connected();
    const { room } = entry;
    const key = this.directoryKey(room.id);
    const ttl = this.deps.config.roomDirectoryTtlMs;
    const claimed = await this.redis.set(key, this.value, { condition: "NX", expiration: { type: "PX", value: ttl } });
    if (room.closed || this.entries.get(room.id) !== entry) return;
    if (claimed === "OK") {
      entry.role = "origin";
      this.log.info(`room ${room.id}: origin here`);
      return;
    }
    const raw = await this.redis.get(key);
    const found = parseEntry(raw);
    if (!found) {
      // Expired in between, or garbage: take it over (garbage only by a bad writer; it expires).
      if (raw === null) return this.runPlace(entry);
      throw new Error(`unreadable room directory entry for ${room.id}`);
    }
    if (found.processId === this.deps.processId) {
      entry.role = "origin";
      return;
    }
    await this.offer(entry, found);
  }

  /** Edge: makes its pipe transport and offers it to the origin. */
  private async offer(entry: Entry, origin: RoomDirectoryEntry): Promise<void> {
    const { room } = entry;
    const transport = await this.createPipeTransport(room);
    if (room.closed || this.entries.get(room.id) !== entry) {
      transport.close();
      return;
    }
    const link: Link = { id: randomUUID(), peer: origin.processId, transport, connected: false, out: new Map(), lastSeen: Date.now(), createdAt: Date.now() };
    entry.role = "edge";
    entry.up = link;
    const peers = room.peerList().map((p) => p.info());
    this.send(origin.processId, {
      type: "offer",
      sessionId: room.id,
      from: this.deps.processId,
      link: link.id,
      ip: this.deps.config.pipeIp,
      port: transport.tuple.localPort,
      peers,
    });
    this.log.info(`room ${room.id}: edge of process ${origin.processId} (${origin.ip}); offered link ${link.id}`);
  }

  private createPipeTransport(room: Room): Promise<ms.PipeTransport> {
    const { listenIp, pipeIp } = this.deps.config;
    const wildcard = listenIp === "0.0.0.0" || listenIp === "::";
    return room.primary.router.createPipeTransport({
      listenIp: wildcard ? { ip: listenIp, announcedIp: pipeIp } : { ip: pipeIp },
      enableRtx: true,
      enableSrtp: false,
      appData: { sessionId: room.id },
    });
  }

  /** Edge: everything from the origin is gone; place the room again (it may become the origin). */
  private relink(entry: Entry, why: string): void {
    const up = entry.up;
    entry.up = null;
    entry.role = "alone";
    if (up) {
      if (!up.transport.closed) up.transport.close();
      entry.room.dropRemote(up.id);
    }
    this.log.warn(`room ${entry.room.id}: ${why}; placing it again`);
    if (!entry.room.closed) this.place(entry);
  }

  /** Every heartbeat: renew the directory entries of our origins, check our edges' origins, drop silent links. */
  async heartbeat(): Promise<void> {
    if (this.closed) return;
    const ttl = this.deps.config.roomDirectoryTtlMs;
    const now = Date.now();
    for (const entry of [...this.entries.values()]) {
      const { room } = entry;
      if (room.closed || entry.placing) continue;
      try {
        if (entry.role === "alone") {
          this.place(entry);
        } else if (entry.role === "origin") {
          const renewed = await this.redis.eval(DIRECTORY_RENEW, { keys: [this.directoryKey(room.id)], arguments: [this.value, String(ttl)] });
          if (!renewed) {
            // Our entry expired (Redis was away, or we were late): claim it again if free.
            const claimed = await this.redis.set(this.directoryKey(room.id), this.value, { condition: "NX", expiration: { type: "PX", value: ttl } });
            if (claimed !== "OK") {
              // Another process is the origin now (ours was taken for dead): one tree per session,
              // so this room lets its edges go (they re-place) and becomes an edge itself.
              for (const link of [...entry.edges.values()]) {
                this.sendOn(entry, link, { type: "close" });
                this.dropEdge(entry, link, "another process is the origin now");
              }
              if (room.closed) continue;
              entry.role = "alone";
              this.log.warn(`room ${room.id}: another process took the room directory entry; joining it as an edge`);
              this.place(entry);
              continue;
            }
          }
          for (const link of [...entry.edges.values()]) {
            if (now - link.lastSeen > ttl) this.dropEdge(entry, link, "silent");
          }
        } else if (entry.up) {
          const found = parseEntry(await this.redis.get(this.directoryKey(room.id)));
          if (!found || found.processId !== entry.up.peer) {
            this.relink(entry, found ? "the room directory names another origin" : "the origin's directory entry expired");
          } else if (!entry.up.connected && now - entry.up.createdAt > ttl) {
            this.relink(entry, "the origin did not answer");
          } else if (entry.up.connected) {
            this.sendOn(entry, entry.up, { type: "alive" });
          }
        }
      } catch (error) {
        this.log.warn(`room ${room.id}: directory heartbeat failed: ${errorMessage(error)}`);
      }
    }
  }

  private dropEdge(entry: Entry, link: Link, why: string): void {
    if (entry.edges.get(link.id) !== link) return;
    entry.edges.delete(link.id);
    if (!link.transport.closed) link.transport.close();
    // Peers of that edge leave; what other edges had of them goes with their producers.
    for (const rp of entry.room.remotePeerList()) {
      if (rp.via === link.id) for (const other of this.linksOf(entry)) this.sendOn(entry, other, { type: "peerLeft", peerId: rp.info.id, reason: "disconnected" });
    }
    entry.room.dropRemote(link.id);
    this.log.info(`room ${entry.room.id}: link ${link.id} to process ${link.peer} dropped (${why})`);
    entry.room.closeIfEmpty();
  }

  // -------------------------------------------------------------------------------------
  // Messages

  private send(to: string, message: PipeMessage): void {
    try {
      this.redis.publish(this.channel(to), JSON.stringify(message)).catch(() => undefined);
    } catch {
      // the guarded client reports
    }
  }

  private sendOn(entry: Entry, link: Link, body: DistributiveOmit<PipeMessage, "sessionId" | "from" | "link">): void {
    this.send(link.peer, { ...body, sessionId: entry.room.id, from: this.deps.processId, link: link.id } as PipeMessage);
  }

  private received(raw: string): void {
    if (this.closed) return;
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch {
      this.log.warn("ignored an inter-process message that is not JSON");
      return;
    }
    const parsed = pipeMessageSchema.safeParse(json);
    if (!parsed.success || parsed.data.from === this.deps.processId) {
      if (!parsed.success) this.log.warn(`ignored a malformed inter-process message: ${parsed.error.issues[0]?.path.join(".") ?? "?"} ${parsed.error.issues[0]?.message ?? ""}`);
      return;
    }
    const message = parsed.data;
    const previous = this.queues.get(message.sessionId) ?? Promise.resolve();
    const next = previous.then(() => this.handle(message)).catch((error: unknown) => {
      this.log.warn(`"${message.type}" of session ${message.sessionId} from process ${message.from} failed: ${errorMessage(error)}`);
    });
    this.queues.set(message.sessionId, next);
    void next.finally(() => {
      if (this.queues.get(message.sessionId) === next) this.queues.delete(message.sessionId);
    });
  }

  /** The link a message belongs to, only if it comes from the process at its other end. */
  private linkFor(entry: Entry, message: PipeMessage): Link | undefined {
    const link = entry.role === "origin" ? entry.edges.get(message.link) : entry.up?.id === message.link ? entry.up : undefined;
    return link && link.peer === message.from ? link : undefined;
  }

  private async handle(message: PipeMessage): Promise<void> {
    if (this.closed) return;
    const entry = this.entries.get(message.sessionId);
    const refuse = () => this.send(message.from, { type: "refuse", sessionId: message.sessionId, from: this.deps.processId, link: message.link });
    if (message.type === "offer") {
      // Only the origin of a room open here takes edges: nobody can make this process pipe a
      // session it does not hold (a room exists only once a participant was authorised here).
      if (!entry || entry.role !== "origin" || entry.room.closed) return refuse();
      return this.acceptEdge(entry, message);
    }
    if (!entry || entry.room.closed) {
      if (message.type === "alive") refuse();
      return;
    }
    const link = this.linkFor(entry, message);
    if (!link) {
      if (message.type === "alive") refuse();
      return;
    }
    link.lastSeen = Date.now();
    const { room } = entry;
    switch (message.type) {
      case "answer": {
        if (entry.role !== "edge" || link.connected) return;
        await link.transport.connect({ ip: message.ip, port: message.port });
        link.connected = true;
        for (const info of message.peers) room.upsertRemotePeer(info as PeerInfo, link.id);
        // Our peers as they are now (some may have come since the offer), then our producers.
        for (const peer of room.peerList()) this.sendOn(entry, link, { type: "peer", peer: peer.info() });
        for (const id of room.producerIdsBesides(link.id)) await this.pipeOut(entry, link, id);
        this.log.info(`room ${room.id}: link ${link.id} to origin ${link.peer} up`);
        return;
      }
      case "refuse":
        if (entry.role === "edge") this.relink(entry, "the origin refused the link");
        return;
      case "close":
        if (entry.role === "edge") this.relink(entry, "the origin closed its room");
        else this.dropEdge(entry, link, "closed by the edge");
        return;
      case "alive":
        return;
      case "peer":
        room.upsertRemotePeer(message.peer as PeerInfo, link.id);
        this.relay(entry, link, { type: "peer", peer: message.peer });
        return;
      case "peerLeft":
        room.removeRemotePeer(message.peerId, link.id, message.reason);
        this.relay(entry, link, { type: "peerLeft", peerId: message.peerId, reason: message.reason });
        return;
      case "producer": {
        if (room.findProducer(message.producerId) || room.findRemoteProducer(message.producerId)) return;
        const producer = await link.transport.produce({
          id: message.producerId,
          kind: message.kind,
          rtpParameters: message.rtpParameters as ms.RtpParameters,
          paused: message.paused,
          appData: { source: message.source, peerId: message.peerId, remote: true },
        });
        const added = await room.remoteProducerAdded({ producer, ownerId: message.peerId, source: message.source, via: link.id });
        if (!added) {
          producer.close();
          return;
        }
        // An origin feeds its other edges with it.
        if (entry.role === "origin") for (const other of this.linksOf(entry)) if (other !== link) await this.pipeOut(entry, other, producer.id);
        return;
      }
      case "producerClosed": {
        const remote = room.findRemoteProducer(message.producerId);
        if (remote && remote.via === link.id) remote.producer.close();
        return;
      }
      case "producerPaused": {
        const remote = room.findRemoteProducer(message.producerId);
        if (remote && remote.via === link.id) await room.remoteProducerPaused(message.producerId, message.paused);
        return;
      }
      case "mute": {
        if (room.getPeer(message.peerId)) return this.deps.mute(room, message.peerId, message.by);
        const rp = room.getRemotePeer(message.peerId);
        // The origin forwards to the edge holding that peer.
        const target = rp && entry.role === "origin" ? entry.edges.get(rp.via) : undefined;
        if (target && target !== link) this.sendOn(entry, target, { type: "mute", peerId: message.peerId, by: message.by });
        return;
      }
    }
  }

  /** Origin: news from one edge goes to the others. */
  private relay(entry: Entry, from: Link, body: DistributiveOmit<PipeMessage, "sessionId" | "from" | "link">): void {
    if (entry.role !== "origin") return;
    for (const link of this.linksOf(entry)) if (link !== from) this.sendOn(entry, link, body);
  }

  private async acceptEdge(entry: Entry, offer: Extract<PipeMessage, { type: "offer" }>): Promise<void> {
    const { room } = entry;
    if (entry.edges.has(offer.link)) return;
    const transport = await this.createPipeTransport(room);
    if (room.closed || this.entries.get(room.id) !== entry) {
      transport.close();
      return;
    }
    await transport.connect({ ip: offer.ip, port: offer.port });
    const link: Link = { id: offer.link, peer: offer.from, transport, connected: true, out: new Map(), lastSeen: Date.now(), createdAt: Date.now() };
    entry.edges.set(link.id, link);
    // Everyone the edge does not have: our peers and the other edges' (raw infos).
    const peers = [...room.peerList().map((p) => p.info()), ...room.remotePeersBesides(link.id)];
    this.sendOn(entry, link, { type: "answer", ip: this.deps.config.pipeIp, port: transport.tuple.localPort, peers });
    for (const info of offer.peers) {
      room.upsertRemotePeer(info as PeerInfo, link.id);
      this.relay(entry, link, { type: "peer", peer: info });
    }
    for (const id of room.producerIdsBesides(link.id)) await this.pipeOut(entry, link, id);
    this.log.info(`room ${room.id}: edge process ${link.peer} linked (${offer.ip}:${offer.port}), ${link.out.size} stream(s) out`);
  }

  /** Sends one producer over a link: a pipe consumer here, "producer" for the other end to produce. */
  private async pipeOut(entry: Entry, link: Link, producerId: string): Promise<void> {
    const { room } = entry;
    if (link.out.has(producerId) || link.transport.closed) return;
    const local = room.findProducer(producerId);
    const remote = local ? undefined : room.findRemoteProducer(producerId);
    // Never back where it came from.
    if (!local && (!remote || remote.via === link.id)) return;
    const ownerId = local ? local.peer.id : remote!.ownerId;
    const source = local ? local.entry.source : remote!.source;
    try {
      await room.ensureProducerOn(producerId, room.primary);
      if (link.out.has(producerId) || link.transport.closed) return;
      const consumer = await link.transport.consume({ producerId });
      link.out.set(producerId, consumer);
      const forget = () => {
        if (link.out.get(producerId) === consumer) link.out.delete(producerId);
      };
      consumer.observer.once("close", forget);
      consumer.on("producerclose", () => {
        forget();
        if (!link.transport.closed) this.sendOn(entry, link, { type: "producerClosed", producerId });
      });
      consumer.on("producerpause", () => this.sendOn(entry, link, { type: "producerPaused", producerId, paused: true }));
      consumer.on("producerresume", () => this.sendOn(entry, link, { type: "producerPaused", producerId, paused: false }));
      this.sendOn(entry, link, {
        type: "producer",
        peerId: ownerId,
        producerId,
        kind: consumer.kind,
        source,
        paused: consumer.producerPaused,
        rtpParameters: consumer.rtpParameters as PipeRtp,
      });
    } catch (error) {
      if (!link.transport.closed) this.log.warn(`room ${room.id}: producer ${producerId} not piped to process ${link.peer}: ${errorMessage(error)}`);
    }
  }

  /** A moderator here mutes a peer on another process: to the link its news comes through. */
  muteRemote(room: Room, peerId: string, by: string): boolean {
    const entry = this.entries.get(room.id);
    const rp = room.getRemotePeer(peerId);
    if (!entry || !rp) return false;
    const link = entry.role === "origin" ? entry.edges.get(rp.via) : entry.up?.id === rp.via ? entry.up : undefined;
    if (!link) return false;
    this.sendOn(entry, link, { type: "mute", peerId, by });
    return true;
  }
}

type PipeRtp = Extract<PipeMessage, { type: "producer" }>["rtpParameters"];
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

function parseEntry(raw: string | null | undefined): RoomDirectoryEntry | null {
  if (!raw) return null;
  try {
    const parsed = roomDirectoryEntrySchema.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

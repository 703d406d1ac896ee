/**
 * One participant of a room. A Peer owns its transports, producers and consumers and closes
 * all of them when it closes. Ids sent by the client are only ever looked up in this peer's
 * own maps, so a peer can't touch another peer's media objects.
 *
 * A peer outlives its socket for a grace period: when the socket drops it is "reconnecting"
 * but its transports, producers and consumers stay open (media flows over ICE, not over the
 * socket); a new socket of the same user can resume it ("room:join" with `resume` and the
 * media ids the client still holds), which keeps its id, hand, role, attendance record and
 * the media both sides still have (docs/decisions/020-reconnect-without-media-teardown.md).
 */
import { randomUUID } from "node:crypto";
import type { types as ms } from "mediasoup";
import { errorMessage, type LiveConfig, type Logger } from "./config.js";
import { initialLink, type LinkState } from "./layers.js";
import {
  LiveError,
  SOURCES,
  type DataSaverMode,
  type DtlsParameters,
  type IceParameters,
  type MediaKind,
  type MediaSource,
  type NotificationName,
  type NotificationPayload,
  type PeerInfo,
  type PeerRole,
  type Quality,
  type RtpCapabilities,
  type RtpParameters,
  type TransportCreateResponse,
} from "./protocol.js";

export type Notify = <E extends NotificationName>(event: E, payload: NotificationPayload<E>) => void;

/** Where a peer's transports live: one router of the room (see Room.assignRouter). */
export interface RouterSlot {
  router: ms.Router;
  workerPid: number;
  /** Open consumers on this router (the room's load measure for spreading peers). */
  consumers: number;
  peers: number;
}

export interface PeerHooks {
  /** A producer of this peer closed (for any reason) while the peer stays in the room. */
  onProducerClosed(peer: Peer, producerId: string): void;
  /** True while the room is tearing down (suppresses per-object notifications). */
  isRoomClosing(): boolean;
  /** A consumer's state changed in a way the layer policy cares about. */
  onConsumerChanged(peer: Peer, entry: ConsumerEntry): void;
}

interface PeerTransport {
  /** A PlainTransport only with LIVE_PLAIN_RTP=1 (benches and tests). */
  transport: ms.WebRtcTransport | ms.PlainTransport;
  plain: boolean;
  direction: "send" | "recv";
  connected: boolean;
  createdAt: number;
}

export interface ProducerEntry {
  producer: ms.Producer;
  source: MediaSource;
  /** Best encoding score (0–10) from the last "score" event; null = none yet. */
  score: number | null;
}

export interface ConsumerEntry {
  consumer: ms.Consumer;
  producerId: string;
  /** Peer id of the producer's owner. */
  ownerId: string;
  source: MediaSource;
  /** The client has set up its side and asked to receive. */
  clientResumed: boolean;
  tile: { width: number; height: number } | null;
  score: number | null;
  /** The producer side's score as seen by this consumer (the sender's uplink), 0–10. */
  producerScore: number | null;
  /** Last preferred layers sent to mediasoup, to skip no-op requests. */
  preferred: { spatialLayer: number; temporalLayer: number } | null;
}

export class Peer {
  readonly id = randomUUID();
  readonly userId: string;
  readonly name: string;
  readonly role: PeerRole;
  readonly roomId: string;
  readonly slot: RouterSlot;
  status: "connected" | "reconnecting" = "connected";
  handRaised = false;
  /** Breakout room 1…count, null = the main room: the peer sees and hears only its own group (Room.regroup). */
  group: number | null = null;
  dataSaver: DataSaverMode = "off";
  quality: Quality = "unknown";
  link: LinkState = initialLink();
  /** When the socket dropped (attendance leftAt if the peer never comes back). */
  disconnectedAt: Date | null = null;
  graceTimer: NodeJS.Timeout | null = null;

  private notifyClient: Notify;
  private readonly hooks: PeerHooks;
  private readonly config: LiveConfig;
  private readonly log: Logger;

  private readonly transports = new Map<string, PeerTransport>();
  private readonly producers = new Map<string, ProducerEntry>();
  private readonly consumers = new Map<string, ConsumerEntry>();
  /** Creations in flight, counted against the limits so a burst can't overshoot them. */
  private readonly pending = { transports: 0, producers: 0, consumers: 0 };
  private readonly pendingSources = new Set<MediaSource>();
  private _closed = false;

  constructor(opts: {
    userId: string;
    name: string;
    role: PeerRole;
    roomId: string;
    slot: RouterSlot;
    notify: Notify;
    hooks: PeerHooks;
    config: LiveConfig;
    log: Logger;
  }) {
    this.userId = opts.userId;
    this.name = opts.name;
    this.role = opts.role;
    this.roomId = opts.roomId;
    this.slot = opts.slot;
    this.notifyClient = opts.notify;
    this.hooks = opts.hooks;
    this.config = opts.config;
    this.log = opts.log.child(`peer:${this.id.slice(0, 8)}`);
  }

  get closed(): boolean {
    return this._closed;
  }

  get isModerator(): boolean {
    return this.role === "host" || this.role === "admin";
  }

  info(): PeerInfo {
    return {
      id: this.id,
      userId: this.userId,
      name: this.name,
      role: this.role,
      status: this.status,
      handRaised: this.handRaised,
      quality: this.status === "reconnecting" ? "unknown" : this.quality,
      producers: [...this.producers.values()].map(({ producer, source }) => ({
        id: producer.id,
        kind: producer.kind,
        source,
        paused: producer.paused,
      })),
      group: this.group,
    };
  }

  notify: Notify = (event, payload) => {
    if (this._closed || this.status === "reconnecting") return;
    this.notifyClient(event, payload);
  };

  /** A resumed peer talks to its new socket. */
  rebind(notify: Notify): void {
    this.notifyClient = notify;
  }

  getProducer(producerId: string): ProducerEntry | undefined {
    return this.producers.get(producerId);
  }

  producerBySource(source: MediaSource): ProducerEntry | undefined {
    for (const entry of this.producers.values()) if (entry.source === source && !entry.producer.closed) return entry;
    return undefined;
  }

  producerEntries(): ProducerEntry[] {
    return [...this.producers.values()];
  }

  consumerEntries(): ConsumerEntry[] {
    return [...this.consumers.values()];
  }

  recvTransport(): ms.WebRtcTransport | ms.PlainTransport | undefined {
    let entry: PeerTransport | undefined;
    for (const t of this.transports.values()) {
      if (t.direction === "recv" && (!entry || t.createdAt >= entry.createdAt)) entry = t;
    }
    return entry?.transport;
  }

  counts(): { transports: number; producers: number; consumers: number } {
    return { transports: this.transports.size, producers: this.producers.size, consumers: this.consumers.size };
  }

  // -------------------------------------------------------------------------------------

  async createTransport(direction: "send" | "recv", plain = false): Promise<TransportCreateResponse> {
    const { limits } = this.config;
    if (plain && !this.config.plainRtp) throw new LiveError("forbidden", "plain-RTP transports are off (LIVE_PLAIN_RTP)");
    if (this.transports.size + this.pending.transports >= limits.maxTransportsPerPeer) {
      throw new LiveError("limit", `at most ${limits.maxTransportsPerPeer} transports per peer`);
    }
    if (plain) return this.createPlainTransport(direction);
    const transport = await this.adopt(direction, false, () =>
      this.slot.router.createWebRtcTransport({
        // `listenIps` is deprecated in current mediasoup v3 (still accepted there):
        // upgrading means switching this one place to `listenInfos`.
        listenIps: [{ ip: this.config.listenIp, announcedIp: this.config.announcedIp }],
        enableUdp: true,
        enableTcp: true,
        preferUdp: true,
        initialAvailableOutgoingBitrate: this.config.initialAvailableOutgoingBitrate,
        appData: { peerId: this.id, direction },
      }),
    );
    transport.on("dtlsstatechange", (state: ms.DtlsState) => {
      if (state === "failed" || state === "closed") this.log.debug(`transport ${transport.id} DTLS ${state}`);
    });
    if (direction === "send" && this.config.maxIncomingBitrate > 0) {
      transport.setMaxIncomingBitrate(this.config.maxIncomingBitrate).catch(() => undefined);
    }
    this.log.debug(`created ${direction} transport ${transport.id}`);
    return {
      id: transport.id,
      iceParameters: transport.iceParameters,
      iceCandidates: transport.iceCandidates,
      dtlsParameters: transport.dtlsParameters,
    };
  }

  /**
   * LIVE_PLAIN_RTP=1 only: a plain-RTP transport (benches and tests feed and drain media
   * without a browser through the real signalling path). Send: comedia (the first packet
   * fixes the remote address); recv: "transport:plainConnect" says where to send.
   */
  private async createPlainTransport(direction: "send" | "recv"): Promise<TransportCreateResponse> {
    const transport = await this.adopt(direction, true, () =>
      this.slot.router.createPlainTransport({
        listenIp: { ip: this.config.listenIp, announcedIp: this.config.announcedIp },
        rtcpMux: true,
        comedia: direction === "send",
        appData: { peerId: this.id, direction },
      }),
    );
    return {
      id: transport.id,
      iceParameters: { usernameFragment: "", password: "", iceLite: true },
      iceCandidates: [],
      dtlsParameters: { role: "auto", fingerprints: [] },
      plain: { ip: transport.tuple.localIp, port: transport.tuple.localPort },
    };
  }

  /** Creates a transport (counted as pending meanwhile) and makes it this peer's, unless the peer closed meanwhile. */
  private async adopt<T extends ms.WebRtcTransport | ms.PlainTransport>(direction: "send" | "recv", plain: boolean, create: () => Promise<T>): Promise<T> {
    this.pending.transports++;
    let transport: T;
    try {
      transport = await create();
    } finally {
      this.pending.transports--;
    }
    if (this._closed) {
      transport.close();
      throw new LiveError("not_in_room", "left the room");
    }
    // A plain send transport is comedia: connected by its first packet.
    this.transports.set(transport.id, { transport, direction, plain, connected: plain && direction === "send", createdAt: Date.now() });
    transport.observer.once("close", () => this.transports.delete(transport.id));
    return transport;
  }

  async connectPlainTransport(transportId: string, ip: string, port: number): Promise<void> {
    if (!this.config.plainRtp) throw new LiveError("forbidden", "plain-RTP transports are off (LIVE_PLAIN_RTP)");
    const entry = this.ownTransport(transportId);
    if (!entry.plain) throw new LiveError("bad_request", "not a plain-RTP transport");
    if (entry.connected) throw new LiveError("bad_request", "transport already connected");
    entry.connected = true;
    try {
      await (entry.transport as ms.PlainTransport).connect({ ip, port });
    } catch (error) {
      entry.connected = false;
      throw error;
    }
  }

  async connectTransport(transportId: string, dtlsParameters: DtlsParameters): Promise<void> {
    const entry = this.ownTransport(transportId);
    if (entry.plain) throw new LiveError("bad_request", "a plain-RTP transport has no DTLS");
    if (entry.connected) throw new LiveError("bad_request", "transport already connected");
    entry.connected = true;
    try {
      await (entry.transport as ms.WebRtcTransport).connect({ dtlsParameters });
    } catch (error) {
      entry.connected = false;
      throw error;
    }
  }

  async restartIce(transportId: string): Promise<IceParameters> {
    const entry = this.ownTransport(transportId);
    if (entry.plain) throw new LiveError("bad_request", "a plain-RTP transport has no ICE");
    return (await (entry.transport as ms.WebRtcTransport).restartIce()) as IceParameters;
  }

  async produce(
    transportId: string,
    kind: MediaKind,
    rtpParameters: RtpParameters,
    appData: Record<string, unknown> | undefined,
  ): Promise<ms.Producer> {
    const entry = this.ownTransport(transportId);
    if (entry.direction !== "send") throw new LiveError("bad_request", "not a send transport");
    const source = (appData?.source ?? (kind === "audio" ? "mic" : "camera")) as MediaSource;
    if (!(SOURCES as readonly string[]).includes(source)) {
      throw new LiveError("bad_request", `appData.source must be one of ${SOURCES.join(", ")}`);
    }
    const expectedKind: MediaKind = source === "mic" || source === "screen-audio" ? "audio" : "video";
    if (kind !== expectedKind) throw new LiveError("bad_request", `a ${source} producer must be ${expectedKind}`);
    if (this.producerBySource(source) || this.pendingSources.has(source)) {
      throw new LiveError("bad_request", `you already produce ${source}; close it first`);
    }
    const { limits } = this.config;
    if (this.producers.size + this.pending.producers >= limits.maxProducersPerPeer) {
      throw new LiveError("limit", `at most ${limits.maxProducersPerPeer} producers per peer`);
    }
    this.pending.producers++;
    this.pendingSources.add(source);
    let producer: ms.Producer;
    try {
      producer = await entry.transport.produce({
        kind,
        rtpParameters,
        appData: { source, peerId: this.id },
      });
    } finally {
      this.pending.producers--;
      this.pendingSources.delete(source);
    }
    if (this._closed || producer.closed) {
      producer.close();
      throw new LiveError("not_in_room", "left the room");
    }
    const producerEntry: ProducerEntry = { producer, source, score: null };
    this.producers.set(producer.id, producerEntry);
    producer.on("score", (scores: ms.ProducerScore[]) => {
      producerEntry.score = scores.length ? Math.max(...scores.map((s) => s.score)) : null;
    });
    producer.observer.once("close", () => {
      this.producers.delete(producer.id);
      if (!this._closed && !this.hooks.isRoomClosing()) this.hooks.onProducerClosed(this, producer.id);
    });
    this.log.debug(`producing ${source} ${producer.id}`);
    return producer;
  }

  closeProducer(producerId: string): void {
    const entry = this.producers.get(producerId);
    if (!entry) throw new LiveError("not_found", "no such producer of yours");
    entry.producer.close();
  }

  async setProducerPaused(producerId: string, paused: boolean): Promise<boolean> {
    const entry = this.producers.get(producerId);
    if (!entry) throw new LiveError("not_found", "no such producer of yours");
    if (entry.producer.paused === paused) return false;
    if (paused) await entry.producer.pause();
    else await entry.producer.resume();
    return true;
  }

  async consume(
    producer: ms.Producer,
    ownerId: string,
    source: MediaSource,
    rtpCapabilities: RtpCapabilities,
    transportId: string | undefined,
  ): Promise<ConsumerEntry> {
    let entry: PeerTransport | undefined;
    if (transportId) {
      entry = this.ownTransport(transportId);
      if (entry.direction !== "recv") throw new LiveError("bad_request", "not a recv transport");
    } else {
      for (const t of this.transports.values()) {
        if (t.direction === "recv" && (!entry || t.createdAt >= entry.createdAt)) entry = t;
      }
      if (!entry) throw new LiveError("bad_request", "create a recv transport first");
    }
    const { limits } = this.config;
    if (this.consumers.size + this.pending.consumers >= limits.maxConsumersPerPeer) {
      throw new LiveError("limit", `at most ${limits.maxConsumersPerPeer} consumers per peer`);
    }
    if (!this.slot.router.canConsume({ producerId: producer.id, rtpCapabilities })) {
      throw new LiveError("bad_request", "your rtpCapabilities can't receive this producer");
    }
    this.pending.consumers++;
    let consumer: ms.Consumer;
    try {
      consumer = await entry.transport.consume({
        producerId: producer.id,
        rtpCapabilities,
        paused: true,
        appData: { peerId: this.id },
      });
    } finally {
      this.pending.consumers--;
    }
    if (this._closed || consumer.closed) {
      consumer.close();
      throw new LiveError("not_in_room", "left the room");
    }
    const consumerEntry: ConsumerEntry = {
      consumer,
      producerId: producer.id,
      ownerId,
      source,
      clientResumed: false,
      tile: null,
      score: null,
      producerScore: null,
      preferred: null,
    };
    this.consumers.set(consumer.id, consumerEntry);
    this.slot.consumers++;
    consumer.observer.once("close", () => {
      this.consumers.delete(consumer.id);
      this.slot.consumers = Math.max(0, this.slot.consumers - 1);
    });
    consumer.on("producerclose", () => {
      if (this.hooks.isRoomClosing()) return;
      this.notify("consumer:closed", { consumerId: consumer.id, producerId: producer.id });
    });
    consumer.on("score", (score: ms.ConsumerScore) => {
      consumerEntry.score = score.score;
      consumerEntry.producerScore = score.producerScore;
    });
    consumer.on("layerschange", (layers?: ms.ConsumerLayers) => {
      this.notify("consumer:layers", {
        consumerId: consumer.id,
        spatialLayer: layers?.spatialLayer ?? null,
        temporalLayer: layers?.temporalLayer ?? null,
      });
    });
    return consumerEntry;
  }

  resumeConsumer(consumerId: string): ConsumerEntry {
    const entry = this.consumers.get(consumerId);
    if (!entry) throw new LiveError("not_found", "no such consumer of yours");
    entry.clientResumed = true;
    this.hooks.onConsumerChanged(this, entry);
    return entry;
  }

  setTile(consumerId: string, width: number, height: number): void {
    const entry = this.consumers.get(consumerId);
    if (!entry) throw new LiveError("not_found", "no such consumer of yours");
    entry.tile = { width, height };
    this.hooks.onConsumerChanged(this, entry);
  }

  /**
   * A resume: keeps the transports, producers and consumers the client still holds (and
   * this peer still has), closes the rest. Returns what was kept.
   */
  keepMedia(held: { transports: string[]; producers: string[]; consumers: string[] }): {
    transports: string[];
    producers: string[];
    consumers: string[];
  } {
    const keep = {
      transports: new Set(held.transports),
      producers: new Set(held.producers),
      consumers: new Set(held.consumers),
    };
    for (const { transport } of [...this.transports.values()]) {
      if (keep.transports.has(transport.id) && !transport.closed) continue;
      try {
        transport.close();
      } catch (error) {
        this.log.warn(`closing transport ${transport.id} failed: ${errorMessage(error)}`);
      }
      this.transports.delete(transport.id);
    }
    for (const { producer } of [...this.producers.values()]) {
      if (!keep.producers.has(producer.id) && !producer.closed) producer.close();
    }
    for (const { consumer } of [...this.consumers.values()]) {
      if (!keep.consumers.has(consumer.id) && !consumer.closed) consumer.close();
    }
    return {
      transports: [...this.transports.keys()],
      producers: [...this.producers.values()].filter((p) => !p.producer.closed).map((p) => p.producer.id),
      consumers: [...this.consumers.values()].filter((c) => !c.consumer.closed).map((c) => c.consumer.id),
    };
  }

  /** Transport ids with their ICE and DTLS states (diagnostics and tests). */
  transportStates(): { id: string; direction: "send" | "recv"; iceState: string; dtlsState: string; tupleProtocol: string | null }[] {
    return [...this.transports.values()].map(({ transport, direction, plain }) =>
      plain
        ? { id: transport.id, direction, iceState: "plain", dtlsState: "plain", tupleProtocol: "udp" }
        : {
            id: transport.id,
            direction,
            iceState: (transport as ms.WebRtcTransport).iceState,
            dtlsState: (transport as ms.WebRtcTransport).dtlsState,
            tupleProtocol: (transport as ms.WebRtcTransport).iceSelectedTuple?.protocol ?? null,
          },
    );
  }

  /** Closes every transport (so every producer and consumer) but keeps the peer. */
  closeMedia(): void {
    for (const { transport } of [...this.transports.values()]) {
      try {
        transport.close();
      } catch (error) {
        this.log.warn(`closing transport ${transport.id} failed: ${errorMessage(error)}`);
      }
    }
    this.transports.clear();
  }

  /** Closes every transport (and so every producer and consumer) of this peer. */
  close(): void {
    if (this._closed) return;
    this._closed = true;
    if (this.graceTimer) clearTimeout(this.graceTimer);
    this.graceTimer = null;
    this.closeMedia();
    this.producers.clear();
    this.consumers.clear();
    this.log.debug("closed");
  }

  private ownTransport(transportId: string): PeerTransport {
    const entry = this.transports.get(transportId);
    // Another peer's transport id is reported exactly like an unknown one.
    if (!entry) throw new LiveError("not_found", "no such transport of yours");
    return entry;
  }
}

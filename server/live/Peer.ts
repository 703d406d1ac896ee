/**
 * One participant of a room: one socket in one room. A Peer owns its transports,
 * producers and consumers and closes all of them when it closes. Ids sent by the client
 * are only ever looked up in this peer's own maps, so a peer can't touch another peer's
 * media objects.
 */
import { randomUUID } from "node:crypto";
import type { types as ms } from "mediasoup";
import { errorMessage, type LiveConfig, type Logger } from "./config.js";
import {
  LiveError,
  type DtlsParameters,
  type MediaKind,
  type NotificationName,
  type NotificationPayload,
  type PeerInfo,
  type RtpCapabilities,
  type RtpParameters,
  type TransportCreateResponse,
} from "./protocol.js";

export type Notify = <E extends NotificationName>(event: E, payload: NotificationPayload<E>) => void;

export interface PeerHooks {
  /** A producer of this peer closed (for any reason) while the peer stays in the room. */
  onProducerClosed(peer: Peer, producerId: string): void;
  /** True while the room is tearing down (suppresses per-object notifications). */
  isRoomClosing(): boolean;
}

interface PeerTransport {
  transport: ms.WebRtcTransport;
  direction: "send" | "recv";
  connected: boolean;
  createdAt: number;
}

export class Peer {
  readonly id = randomUUID();
  readonly userId: string;
  readonly name: string;
  readonly roomId: string;
  private readonly notifyClient: Notify;
  private readonly hooks: PeerHooks;
  private readonly config: LiveConfig;
  private readonly log: Logger;

  private readonly transports = new Map<string, PeerTransport>();
  private readonly producers = new Map<string, ms.Producer>();
  private readonly consumers = new Map<string, ms.Consumer>();
  /** Creations in flight, counted against the limits so a burst can't overshoot them. */
  private readonly pending = { transports: 0, producers: 0, consumers: 0 };
  private _closed = false;

  constructor(opts: {
    userId: string;
    name: string;
    roomId: string;
    notify: Notify;
    hooks: PeerHooks;
    config: LiveConfig;
    log: Logger;
  }) {
    this.userId = opts.userId;
    this.name = opts.name;
    this.roomId = opts.roomId;
    this.notifyClient = opts.notify;
    this.hooks = opts.hooks;
    this.config = opts.config;
    this.log = opts.log.child(`peer:${this.id.slice(0, 8)}`);
  }

  get closed(): boolean {
    return this._closed;
  }

  info(): PeerInfo {
    return {
      id: this.id,
      userId: this.userId,
      name: this.name,
      producers: [...this.producers.values()].map((p) => ({ id: p.id, kind: p.kind })),
    };
  }

  notify: Notify = (event, payload) => {
    if (this._closed) return;
    this.notifyClient(event, payload);
  };

  getProducer(producerId: string): ms.Producer | undefined {
    return this.producers.get(producerId);
  }

  counts(): { transports: number; producers: number; consumers: number } {
    return { transports: this.transports.size, producers: this.producers.size, consumers: this.consumers.size };
  }

  // -------------------------------------------------------------------------------------

  async createTransport(router: ms.Router, direction: "send" | "recv"): Promise<TransportCreateResponse> {
    const { limits } = this.config;
    if (this.transports.size + this.pending.transports >= limits.maxTransportsPerPeer) {
      throw new LiveError("limit", `at most ${limits.maxTransportsPerPeer} transports per peer`);
    }
    this.pending.transports++;
    let transport: ms.WebRtcTransport;
    try {
      transport = await router.createWebRtcTransport({
        // `listenIps` is deprecated in current mediasoup v3 (still accepted there):
        // upgrading means switching this one place to `listenInfos`.
        listenIps: [{ ip: this.config.listenIp, announcedIp: this.config.announcedIp }],
        enableUdp: true,
        enableTcp: true,
        preferUdp: true,
        initialAvailableOutgoingBitrate: this.config.initialAvailableOutgoingBitrate,
        appData: { peerId: this.id, direction },
      });
    } finally {
      this.pending.transports--;
    }
    if (this._closed) {
      transport.close();
      throw new LiveError("not_in_room", "left the room");
    }
    this.transports.set(transport.id, { transport, direction, connected: false, createdAt: Date.now() });
    transport.observer.once("close", () => this.transports.delete(transport.id));
    transport.on("dtlsstatechange", (state: ms.DtlsState) => {
      if (state === "failed" || state === "closed") this.log.warn(`transport ${transport.id} DTLS ${state}`);
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

  async connectTransport(transportId: string, dtlsParameters: DtlsParameters): Promise<void> {
    const entry = this.ownTransport(transportId);
    if (entry.connected) throw new LiveError("bad_request", "transport already connected");
    entry.connected = true;
    try {
      await entry.transport.connect({ dtlsParameters });
    } catch (error) {
      entry.connected = false;
      throw error;
    }
  }

  async produce(
    transportId: string,
    kind: MediaKind,
    rtpParameters: RtpParameters,
    appData: Record<string, unknown> | undefined,
  ): Promise<ms.Producer> {
    const entry = this.ownTransport(transportId);
    if (entry.direction !== "send") throw new LiveError("bad_request", "not a send transport");
    const { limits } = this.config;
    if (this.producers.size + this.pending.producers >= limits.maxProducersPerPeer) {
      throw new LiveError("limit", `at most ${limits.maxProducersPerPeer} producers per peer`);
    }
    this.pending.producers++;
    let producer: ms.Producer;
    try {
      producer = await entry.transport.produce({
        kind,
        rtpParameters,
        appData: { ...appData, peerId: this.id },
      });
    } finally {
      this.pending.producers--;
    }
    if (this._closed || producer.closed) {
      producer.close();
      throw new LiveError("not_in_room", "left the room");
    }
    this.producers.set(producer.id, producer);
    producer.observer.once("close", () => {
      this.producers.delete(producer.id);
      if (!this._closed && !this.hooks.isRoomClosing()) this.hooks.onProducerClosed(this, producer.id);
    });
    this.log.debug(`producing ${kind} ${producer.id}`);
    return producer;
  }

  closeProducer(producerId: string): void {
    const producer = this.producers.get(producerId);
    if (!producer) throw new LiveError("not_found", "no such producer of yours");
    producer.close();
  }

  async consume(
    router: ms.Router,
    producer: ms.Producer,
    rtpCapabilities: RtpCapabilities,
    transportId: string | undefined,
  ): Promise<ms.Consumer> {
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
    if (!router.canConsume({ producerId: producer.id, rtpCapabilities })) {
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
    this.consumers.set(consumer.id, consumer);
    consumer.observer.once("close", () => {
      this.consumers.delete(consumer.id);
    });
    consumer.on("producerclose", () => {
      if (this.hooks.isRoomClosing()) return;
      this.notify("consumer:closed", { consumerId: consumer.id, producerId: producer.id });
    });
    return consumer;
  }

  async resumeConsumer(consumerId: string): Promise<void> {
    const consumer = this.consumers.get(consumerId);
    if (!consumer) throw new LiveError("not_found", "no such consumer of yours");
    await consumer.resume();
  }

  /** Closes every transport (and so every producer and consumer) of this peer. */
  close(): void {
    if (this._closed) return;
    this._closed = true;
    for (const { transport } of this.transports.values()) {
      try {
        transport.close();
      } catch (error) {
        this.log.warn(`closing transport ${transport.id} failed: ${errorMessage(error)}`);
      }
    }
    this.transports.clear();
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

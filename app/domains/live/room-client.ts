/**
 * Browser client of a live room (mediasoup-client + socket.io-client).
 *
 * ONLY import this module dynamically (`await import("~/domains/live/room-client")`) from
 * the live page, so mediasoup-client and socket.io-client stay out of every other page's
 * bundle. The signalling protocol (server/live/protocol.ts, docs/protocol.md) is imported
 * with `import type` only.
 *
 *   const handle = joinRoom({ roomId, onChange: (snapshot) => render(snapshot) });
 *   ...
 *   handle.leave();
 *
 * While a room is open, `window.__liveStats()` returns byte counters summed from the
 * send/recv transports' getStats() (used by the end-to-end tests; harmless otherwise).
 */
import { Device, type types as msc } from "mediasoup-client";
import { io, type Socket } from "socket.io-client";
import type {
  Ack,
  NotificationName,
  NotificationPayload,
  PeerInfo,
  RequestName,
  RequestPayload,
  ResponseMap,
} from "../../../server/live/protocol";

export type LiveStatus = "connecting" | "connected" | "reconnecting" | "error" | "left";

/** Local-media problems: the room still works, receive-only. */
export type MediaProblem = "media_denied" | "media_unavailable" | "media_insecure";

export interface RemoteMedia {
  consumerId: string;
  producerId: string;
  kind: "audio" | "video";
  /** A stream holding just this consumer's track: use it as a media element's srcObject. */
  stream: MediaStream;
}

export interface Participant {
  peerId: string;
  userId: string;
  name: string;
  videos: RemoteMedia[];
  audios: RemoteMedia[];
}

export interface LiveSnapshot {
  status: LiveStatus;
  /** Set when status is "error": a server error code (see docs/protocol.md) or a client one. */
  error: { code: string; message: string } | null;
  mediaProblem: MediaProblem | null;
  localStream: MediaStream | null;
  participants: Participant[];
  peerId: string | null;
}

export interface LiveStats {
  inboundVideoBytes: number;
  inboundAudioBytes: number;
  outboundVideoBytes: number;
}

export interface JoinRoomOptions {
  roomId: string;
  onChange: (snapshot: LiveSnapshot) => void;
  /** Default: same origin. */
  url?: string;
  /** getUserMedia constraints; `false` joins receive-only. */
  media?: MediaStreamConstraints | false;
}

export interface LiveRoomHandle {
  /** Leaves the room, stops the camera and microphone and closes the connection. */
  leave(): void;
  /** After an error: try joining again. */
  retry(): void;
  snapshot(): LiveSnapshot;
}

declare global {
  interface Window {
    __liveStats?: () => Promise<LiveStats>;
  }
}

export class LiveClientError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.name = "LiveClientError";
    this.code = code;
  }
}

const REQUEST_TIMEOUT_MS = 10_000;

const DEFAULT_MEDIA: MediaStreamConstraints = {
  audio: { echoCancellation: true, noiseSuppression: true, autoGainControl: true },
  video: { width: { ideal: 640 }, height: { ideal: 360 }, frameRate: { ideal: 24, max: 30 } },
};

export function joinRoom(options: JoinRoomOptions): LiveRoomHandle {
  const client = new LiveRoomClient(options);
  client.start();
  return {
    leave: () => client.leave(),
    retry: () => client.retry(),
    snapshot: () => client.snapshot(),
  };
}

interface RemoteEntry extends RemoteMedia {
  consumer: msc.Consumer;
  peerId: string;
}

interface ParticipantEntry {
  info: Omit<PeerInfo, "producers">;
  media: Map<string, RemoteEntry>;
}

class LiveRoomClient {
  private readonly options: JoinRoomOptions;
  private socket: Socket | null = null;
  private status: LiveStatus = "connecting";
  private error: LiveSnapshot["error"] = null;
  private mediaProblem: MediaProblem | null = null;
  private localStream: MediaStream | null = null;
  private localMedia: Promise<MediaStream | null> | null = null;
  private left = false;
  /** Whether the server currently counts this socket as a peer of the room. */
  private inRoomOnServer = false;

  /** Incremented whenever a session ends: async steps of an older session stop. */
  private generation = 0;
  private peerId: string | null = null;
  private device: Device | null = null;
  private sendTransport: msc.Transport | null = null;
  private recvTransport: msc.Transport | null = null;
  private readonly participants = new Map<string, ParticipantEntry>();
  /** Producers announced before the recv transport was ready. */
  private pendingProducers: { peerId: string; producerId: string }[] = [];

  constructor(options: JoinRoomOptions) {
    this.options = options;
  }

  snapshot(): LiveSnapshot {
    const participants: Participant[] = [...this.participants.values()].map(({ info, media }) => {
      const all = [...media.values()].map(
        ({ consumerId, producerId, kind, stream }): RemoteMedia => ({ consumerId, producerId, kind, stream }),
      );
      return {
        peerId: info.id,
        userId: info.userId,
        name: info.name,
        videos: all.filter((m) => m.kind === "video"),
        audios: all.filter((m) => m.kind === "audio"),
      };
    });
    return {
      status: this.status,
      error: this.error,
      mediaProblem: this.mediaProblem,
      localStream: this.localStream,
      participants,
      peerId: this.peerId,
    };
  }

  start(): void {
    window.__liveStats = () => this.stats();
    this.localMedia = this.acquireMedia();
    const socket = io(this.options.url ?? "", {
      withCredentials: true,
      reconnectionDelayMax: 5_000,
    });
    this.socket = socket;

    socket.on("connect", () => {
      if (this.left) return;
      void this.startSession();
    });
    socket.on("disconnect", (reason) => {
      this.inRoomOnServer = false;
      if (this.left) return;
      this.endSession();
      this.setStatus("reconnecting");
      // A server-side disconnect is final for socket.io: reconnect ourselves.
      if (reason === "io server disconnect") socket.connect();
    });
    socket.on("connect_error", (err: Error & { data?: { code?: string } }) => {
      if (this.left) return;
      if (!socket.active) {
        // Refused by the server's middleware (e.g. not logged in): no automatic retry.
        this.fail(new LiveClientError(err.data?.code ?? "connect_failed", err.message));
      } else if (this.status !== "connecting") {
        this.setStatus("reconnecting");
      }
    });

    this.on("peer:joined", ({ peer }) => {
      this.participants.set(peer.id, {
        info: { id: peer.id, userId: peer.userId, name: peer.name },
        media: new Map(),
      });
      this.emit();
    });
    this.on("peer:left", ({ peerId }) => {
      const entry = this.participants.get(peerId);
      if (!entry) return;
      for (const m of entry.media.values()) m.consumer.close();
      this.participants.delete(peerId);
      this.pendingProducers = this.pendingProducers.filter((p) => p.peerId !== peerId);
      this.emit();
    });
    this.on("producer:new", ({ peerId, producerId }) => {
      this.queueConsume(peerId, producerId);
    });
    this.on("producer:closed", ({ producerId }) => this.dropMedia((m) => m.producerId === producerId));
    this.on("consumer:closed", ({ consumerId }) => this.dropMedia((m) => m.consumerId === consumerId));
    this.on("room:rejoin", () => {
      // The server closed our room (its media worker died): join again.
      this.inRoomOnServer = false;
      this.endSession();
      this.setStatus("reconnecting");
      void this.startSession();
    });
  }

  leave(): void {
    if (this.left) return;
    this.left = true;
    const socket = this.socket;
    if (socket?.connected) socket.emit("room:leave", {}, () => undefined);
    this.endSession();
    socket?.disconnect();
    this.socket = null;
    for (const track of this.localStream?.getTracks() ?? []) track.stop();
    this.localStream = null;
    if (window.__liveStats) delete window.__liveStats;
    this.status = "left";
    this.error = null;
    try {
      this.options.onChange(this.snapshot());
    } catch (error) {
      console.warn("[live] onChange listener failed:", error);
    }
  }

  retry(): void {
    if (this.left || this.status !== "error") return;
    this.error = null;
    this.setStatus("connecting");
    const socket = this.socket;
    if (!socket) return;
    if (socket.connected) {
      this.endSession();
      void this.startSession();
    } else {
      socket.connect();
    }
  }

  // -------------------------------------------------------------------------------------
  // Session: join, transports, produce, consume

  private async startSession(): Promise<void> {
    this.endSession();
    const generation = this.generation;
    const current = () => generation === this.generation && !this.left;
    try {
      if (this.inRoomOnServer) {
        // Retrying after a failure that left us in the room server-side: start clean.
        this.inRoomOnServer = false;
        await this.request("room:leave", {}).catch(() => undefined);
        if (!current()) return;
      }
      const joined = await this.request("room:join", { roomId: this.options.roomId });
      this.inRoomOnServer = true;
      if (!current()) return;
      this.peerId = joined.peerId;
      for (const peer of joined.peers) {
        this.participants.set(peer.id, {
          info: { id: peer.id, userId: peer.userId, name: peer.name },
          media: new Map(),
        });
        for (const producer of peer.producers) {
          this.pendingProducers.push({ peerId: peer.id, producerId: producer.id });
        }
      }
      this.emit();

      const device = new Device();
      await device.load({
        routerRtpCapabilities: joined.routerRtpCapabilities as msc.RtpCapabilities,
      });
      if (!current()) return;
      this.device = device;

      this.recvTransport = await this.createTransport(device, "recv");
      if (!current()) return;
      const queued = this.pendingProducers;
      this.pendingProducers = [];
      for (const p of queued) this.queueConsume(p.peerId, p.producerId);

      const stream = await this.localMedia;
      if (!current()) return;
      if (stream && stream.getTracks().length > 0) {
        this.sendTransport = await this.createTransport(device, "send");
        if (!current()) return;
        for (const track of stream.getTracks()) {
          const kind = track.kind as "audio" | "video";
          if (!device.canProduce(kind)) continue;
          await this.sendTransport.produce({
            track,
            stopTracks: false, // the same tracks are produced again after a rejoin
            ...(kind === "video"
              ? { encodings: [{ maxBitrate: 600_000 }], codecOptions: { videoGoogleStartBitrate: 400 } }
              : { codecOptions: { opusStereo: false, opusDtx: true, opusFec: true } }),
            appData: { source: kind === "video" ? "camera" : "mic" },
          });
          if (!current()) return;
        }
      }
      this.error = null;
      this.setStatus("connected");
    } catch (error) {
      if (!current()) return;
      this.fail(error);
    }
  }

  /** Drops everything of the current session locally (the server drops its side itself). */
  private endSession(): void {
    this.generation++;
    this.sendTransport?.close();
    this.recvTransport?.close();
    this.sendTransport = null;
    this.recvTransport = null;
    this.device = null;
    this.peerId = null;
    this.pendingProducers = [];
    if (this.participants.size > 0) {
      for (const entry of this.participants.values()) {
        for (const m of entry.media.values()) m.consumer.close();
      }
      this.participants.clear();
      this.emit();
    }
  }

  private async createTransport(device: Device, direction: "send" | "recv"): Promise<msc.Transport> {
    const params = await this.request("transport:create", { direction });
    const options: msc.TransportOptions = {
      id: params.id,
      iceParameters: params.iceParameters,
      iceCandidates: params.iceCandidates as unknown as msc.IceCandidate[],
      dtlsParameters: params.dtlsParameters as msc.DtlsParameters,
    };
    const transport = direction === "send" ? device.createSendTransport(options) : device.createRecvTransport(options);
    transport.on("connect", ({ dtlsParameters }, callback, errback) => {
      this.request("transport:connect", { transportId: transport.id, dtlsParameters }).then(
        () => callback(),
        (err: unknown) => errback(toError(err)),
      );
    });
    if (direction === "send") {
      transport.on("produce", ({ kind, rtpParameters, appData }, callback, errback) => {
        this.request("produce", {
          transportId: transport.id,
          kind,
          rtpParameters: rtpParameters as RequestPayload<"produce">["rtpParameters"],
          appData: appData as RequestPayload<"produce">["appData"],
        }).then(
          ({ id }) => callback({ id }),
          (err: unknown) => errback(toError(err)),
        );
      });
    }
    transport.on("connectionstatechange", (state) => {
      const ours = transport === this.recvTransport || transport === this.sendTransport;
      if (state === "failed" && ours) {
        this.fail(new LiveClientError("ice_failed", `media connection failed (${direction})`));
      }
    });
    return transport;
  }

  private queueConsume(peerId: string, producerId: string): void {
    if (!this.recvTransport || !this.device) {
      this.pendingProducers.push({ peerId, producerId });
      return;
    }
    void this.consume(peerId, producerId);
  }

  private async consume(peerId: string, producerId: string): Promise<void> {
    const generation = this.generation;
    const device = this.device;
    const transport = this.recvTransport;
    if (!device || !transport) return;
    try {
      const data = await this.request("consume", {
        producerId,
        transportId: transport.id,
        rtpCapabilities: device.rtpCapabilities as RequestPayload<"consume">["rtpCapabilities"],
      });
      if (generation !== this.generation || transport.closed) return;
      const consumer = await transport.consume({
        id: data.id,
        producerId: data.producerId,
        kind: data.kind,
        rtpParameters: data.rtpParameters as msc.RtpParameters,
      });
      const participant = this.participants.get(peerId);
      if (generation !== this.generation || !participant) {
        consumer.close();
        return;
      }
      participant.media.set(consumer.id, {
        consumerId: consumer.id,
        producerId,
        peerId,
        kind: consumer.kind,
        consumer,
        stream: new MediaStream([consumer.track]),
      });
      this.emit();
      await this.request("consumer:resume", { consumerId: consumer.id });
    } catch (error) {
      // A producer can close while we subscribe to it: nothing to show then.
      if (error instanceof LiveClientError && error.code === "not_found") return;
      if (generation !== this.generation) return;
      console.warn(`[live] consuming ${producerId} failed:`, error);
    }
  }

  private dropMedia(match: (m: RemoteEntry) => boolean): void {
    let changed = false;
    for (const entry of this.participants.values()) {
      for (const [id, m] of entry.media) {
        if (match(m)) {
          m.consumer.close();
          entry.media.delete(id);
          changed = true;
        }
      }
    }
    if (changed) this.emit();
  }

  // -------------------------------------------------------------------------------------
  // Local media

  private async acquireMedia(): Promise<MediaStream | null> {
    const constraints = this.options.media ?? DEFAULT_MEDIA;
    if (constraints === false) return null;
    if (!navigator.mediaDevices?.getUserMedia) {
      this.mediaProblem = "media_insecure"; // getUserMedia needs HTTPS (or localhost)
      this.emit();
      return null;
    }
    const attempts: MediaStreamConstraints[] = [constraints];
    if (constraints.audio && constraints.video) {
      attempts.push({ audio: constraints.audio }, { video: constraints.video });
    }
    let problem: MediaProblem = "media_unavailable";
    for (const attempt of attempts) {
      try {
        const stream = await navigator.mediaDevices.getUserMedia(attempt);
        if (this.left) {
          for (const track of stream.getTracks()) track.stop();
          return null;
        }
        this.localStream = stream;
        // Partial success (e.g. no camera) is still worth telling the user.
        this.mediaProblem = attempt === constraints ? null : problem;
        this.emit();
        return stream;
      } catch (error) {
        if (error instanceof DOMException && (error.name === "NotAllowedError" || error.name === "SecurityError")) {
          problem = "media_denied";
          break; // asking again for less won't change a refusal
        }
      }
    }
    this.mediaProblem = problem;
    this.emit();
    return null;
  }

  // -------------------------------------------------------------------------------------
  // Plumbing

  private on<E extends NotificationName>(event: E, listener: (payload: NotificationPayload<E>) => void): void {
    this.socket?.on(event as string, (payload: NotificationPayload<E>) => {
      if (this.left) return;
      try {
        listener(payload);
      } catch (error) {
        console.warn(`[live] handling "${event}" failed:`, error);
      }
    });
  }

  private async request<E extends RequestName>(event: E, payload: RequestPayload<E>): Promise<ResponseMap[E]> {
    const socket = this.socket;
    if (!socket?.connected) throw new LiveClientError("disconnected", "not connected");
    let response: Ack<ResponseMap[E]>;
    try {
      response = (await socket.timeout(REQUEST_TIMEOUT_MS).emitWithAck(event, payload)) as Ack<ResponseMap[E]>;
    } catch {
      throw new LiveClientError("timeout", `"${event}" got no answer`);
    }
    if ("error" in response) throw new LiveClientError(response.error.code, response.error.message);
    return response.data;
  }

  private fail(error: unknown): void {
    const err = error instanceof LiveClientError ? error : new LiveClientError("client_error", toError(error).message);
    this.endSession();
    this.error = { code: err.code, message: err.message };
    this.setStatus("error");
  }

  private setStatus(status: LiveStatus): void {
    if (this.left) return;
    this.status = status;
    this.emit();
  }

  private emit(): void {
    if (this.left) return;
    try {
      this.options.onChange(this.snapshot());
    } catch (error) {
      console.warn("[live] onChange listener failed:", error);
    }
  }

  private async stats(): Promise<LiveStats> {
    const result: LiveStats = { inboundVideoBytes: 0, inboundAudioBytes: 0, outboundVideoBytes: 0 };
    const collect = async (transport: msc.Transport | null) => {
      if (!transport || transport.closed) return;
      const report = await transport.getStats();
      report.forEach((s: { type?: string; kind?: string; mediaType?: string; bytesReceived?: number; bytesSent?: number }) => {
        const kind = s.kind ?? s.mediaType;
        if (s.type === "inbound-rtp") {
          if (kind === "video") result.inboundVideoBytes += s.bytesReceived ?? 0;
          else if (kind === "audio") result.inboundAudioBytes += s.bytesReceived ?? 0;
        } else if (s.type === "outbound-rtp" && kind === "video") {
          result.outboundVideoBytes += s.bytesSent ?? 0;
        }
      });
    };
    await Promise.all([collect(this.recvTransport), collect(this.sendTransport)]);
    return result;
  }
}

function toError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

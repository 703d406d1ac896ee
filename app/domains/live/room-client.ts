/**
 * Browser client of a live room (mediasoup-client + socket.io-client).
 *
 * ONLY import this module dynamically (`await import("~/domains/live/room-client")`) from
 * the live page, so mediasoup-client and socket.io-client stay out of every other page's
 * bundle. The signalling protocol (server/live/protocol.ts, docs/protocol.md) is imported
 * with `import type` only.
 *
 *   const room = joinRoom({ roomId, localStream, onChange: (snapshot) => render(snapshot) });
 *   room.toggleMic(); room.sendChat("hello"); ...
 *   room.leave();
 *
 * Reconnection (docs/decisions/020-reconnect-without-media-teardown.md): a dropped socket
 * does NOT close the media. Transports, producers and consumers stay up on both sides (media
 * flows over ICE, which recovers by itself when the network returns); the socket reconnects
 * by itself (socket.io) and the client rejoins with `resume` = its peer id and `media` = the
 * ids it still holds, keeps what the server kept and creates only what is missing. ICE is
 * restarted only when signalling works and the media path doesn't; if that fails too, the
 * transports are recreated. The status says "reconnecting" while the socket is down or a
 * transport's ICE is disconnected/failed, and "lost" after CONNECTION_LOST_MS of that.
 *
 * Test hooks while a room is open: `window.__liveStats()` (byte counters and per-video frame
 * sizes from getStats), `window.__liveTest.dropSocket()` (closes the socket's transport
 * as a network drop would, and holds reconnection until `restoreNetwork()`), `window.__liveTest.producers()` (each local source's producer,
 * track and device), `transports()` (ids and connection states) and `transportStats()`
 * (the transports' raw candidate-pair / candidate / transport stats).
 */
import { Device, type types as msc } from "mediasoup-client";
import { io, type Socket } from "socket.io-client";
import type {
  BreakoutView,
  ChatMessageInfo,
  DataSaverMode,
  MediaSource,
  NotificationName,
  NotificationPayload,
  PeerInfo,
  PeerRole,
  Quality,
  RequestName,
  RequestPayload,
  ResponseMap,
  RoomState,
} from "../../../server/live/protocol";
import {
  clearResumeId,
  CONNECTION_LOST_MS,
  connectivityStatus,
  ICE_DISCONNECTED_RESTART_MS,
  ICE_RESTART_GIVE_UP_MS,
  readResumeId,
  request,
  RESUMED_RECENTLY_MS,
  SIGNALLING_FRESH_MS,
  SOCKET_OPTIONS,
  toError,
  writeResumeId,
} from "./client/connection";
import { collectStats, outboundStreams, transportQuality } from "./client/quality";
import { applyDataSaverToProducer, cameraCapture, DEFAULT_AUDIO, produceTrack } from "./client/sending";
import { SCREEN_CAPTURE } from "./client/encodings";
import { BoardChannel } from "./client/board-channel";
import { addSample, shouldSuggestDataSaver, worseQuality, type QualitySample } from "./client/advice";
import {
  LiveClientError,
  type JoinRoomOptions,
  type LiveRoomHandle,
  type LiveSnapshot,
  type LiveStats,
  type LiveStatus,
  type MediaProblem,
  type Notice,
  type Participant,
  type PollView,
  type RemoteMedia,
} from "./client/types";

export type {
  BoardEvent,
  BoardHandle,
  BoardOp,
  BoardOpInput,
  BoardState,
  BreakoutView,
  ChatMessageInfo,
  DataSaverMode,
  JoinRoomOptions,
  LiveRoomHandle,
  LiveSnapshot,
  LiveStats,
  LiveStatus,
  MediaProblem,
  Notice,
  Participant,
  PeerRole,
  PollInfo,
  PollKind,
  PollResults,
  PollView,
  Quality,
  RemoteMedia,
  RoomState,
  SelfState,
} from "./client/types";
export { LiveClientError } from "./client/types";
export { cameraCapture, DEFAULT_AUDIO } from "./client/sending";
export { measureRtt } from "./client/quality";

export function joinRoom(options: JoinRoomOptions): LiveRoomHandle {
  const client = new LiveRoomClient(options);
  client.start();
  return {
    leave: () => client.leave(),
    retry: () => client.retry(),
    snapshot: () => client.snapshot(),
    toggleMic: () => client.toggleMic(),
    toggleCamera: () => client.toggleCamera(),
    switchDevice: (kind, deviceId) => client.switchDevice(kind, deviceId),
    startScreenShare: () => client.startScreenShare(),
    stopScreenShare: () => client.stopScreenShare(),
    setHand: (raised) => client.command("hand:set", { raised }),
    sendChat: (body) => client.command("chat:send", { body }),
    answerPoll: (pollId, answer) => client.answerPoll(pollId, answer),
    setDataSaver: (mode) => client.setDataSaver(mode),
    setTile: (consumerId, width, height) => client.setTile(consumerId, width, height),
    dismissNotice: () => client.dismissNotice(),
    dismissDataSaverSuggestion: () => client.dismissDataSaverSuggestion(),
    dismissBreakoutMessage: () => client.dismissBreakoutMessage(),
    board: client.board.handle(),
    host: {
      mute: (peerId) => client.command("host:mute", { peerId }),
      muteAll: () => client.command("host:muteAll", {}),
      stopVideo: (peerId) => client.command("host:stopVideo", { peerId }),
      remove: (peerId) => client.command("host:remove", { peerId }),
      spotlight: (spotlight) => client.command("host:spotlight", { spotlight }),
      lowerHand: (peerId) => client.command("host:lowerHand", { peerId }),
      allowScreenShare: (allowed) => client.command("host:allowScreenShare", { allowed }),
      end: () => client.command("host:end", {}),
      startRecording: () => client.command("recording:start", {}),
      stopRecording: () => client.command("recording:stop", {}),
      createPoll: (input) =>
        client.command("poll:create", {
          question: input.question,
          kind: input.kind,
          anonymous: input.anonymous,
          ...(input.kind === "single" || input.kind === "multiple" ? { options: input.options } : {}),
        }),
      closePoll: (pollId) => client.command("poll:close", { pollId }),
      releasePoll: (pollId) => client.command("poll:release", { pollId }),
      setBoard: (patch) => client.command("board:set", patch),
      allowDrawing: (peerId, allowed) => client.command("board:allow", { peerId, allowed }),
      clearBoardPage: (page) => client.command("board:clear", { page }),
      openBreakouts: (input) => client.command("breakout:open", input),
      moveToBreakout: (peerId, room) => client.command("breakout:move", { peerId, room }),
      broadcastToBreakouts: (text) => client.command("breakout:broadcast", { text }),
      visitBreakout: (room) => client.command("breakout:visit", { room }),
      closeBreakouts: () => client.command("breakout:close", {}),
    },
  };
}

interface RemoteEntry extends RemoteMedia {
  consumer: msc.Consumer;
  peerId: string;
}

interface ParticipantEntry {
  info: PeerInfo;
  media: Map<string, RemoteEntry>;
}

interface LocalSource {
  track: MediaStreamTrack;
  producer: msc.Producer | null;
  /** Muted (paused) by the user or a moderator. */
  paused: boolean;
}

class LiveRoomClient {
  private readonly options: JoinRoomOptions;
  private socket: Socket | null = null;
  private status: LiveStatus = "connecting";
  private error: LiveSnapshot["error"] = null;
  private mediaProblem: MediaProblem | null = null;
  private notice: Notice | null = null;
  private localMedia: Promise<void> | null = null;
  private left = false;
  /** Whether the server currently counts this socket as a peer of the room. */
  private inRoomOnServer = false;

  /** Incremented whenever a session ends: async steps of an older session stop. */
  private generation = 0;
  private peerId: string | null = null;
  private role: PeerRole | null = null;
  private handRaised = false;
  private session: LiveSnapshot["session"] = null;
  private state: RoomState = { spotlight: null, recording: { active: false, startedAt: null }, screenShareAllowed: false, stage: null };
  private chat: ChatMessageInfo[] = [];
  private poll: PollView | null = null;
  private breakout: BreakoutView | null = null;
  private breakoutMessage: LiveSnapshot["breakoutMessage"] = null;
  readonly board = new BoardChannel((event, payload) => this.request(event, payload), () => this.emit());
  private volumes = new Map<string, number>();
  private dataSaver: DataSaverMode;
  private localQuality: Quality = "unknown";
  /** The server's view of this peer's link (own uplink scores and own downlink). */
  private serverQuality: Quality = "unknown";
  private qualitySamples: QualitySample[] = [];
  private suggestDataSaver = false;
  private suggestionDismissedAt: number | null = null;
  /** Test hook: the quality the link "measures" (see window.__liveTest.forceQuality). */
  private forcedQuality: Quality | null = null;
  private device: Device | null = null;
  private sendTransport: msc.Transport | null = null;
  private recvTransport: msc.Transport | null = null;
  private readonly participants = new Map<string, ParticipantEntry>();
  /** Producers announced before the recv transport was ready. */
  private pendingProducers: { peerId: string; producerId: string }[] = [];
  private readonly consuming = new Set<string>();
  private readonly sources: Partial<Record<MediaSource, LocalSource>> = {};
  private localStream: MediaStream | null = null;
  private screenStream: MediaStream | null = null;
  private iceTimers = new Map<
    msc.Transport,
    { restart?: ReturnType<typeof setTimeout>; giveUp?: ReturnType<typeof setTimeout>; restarting?: boolean; downSince?: number }
  >();
  /** performance.now() of the last server ping (socket.io heartbeat): signalling is alive. */
  private lastPing = 0;
  /** Since when the room is unreachable (socket down or media disconnected); null = fine. */
  private outageSince: number | null = null;
  private lostTimer: ReturnType<typeof setTimeout> | null = null;
  /** performance.now() when the last resume after a socket drop completed (0 = none). */
  private resumedAt = 0;
  private qualityTimer: ReturnType<typeof setInterval> | null = null;
  private lastLoss = { lost: 0, sent: 0 };
  private readonly tiles = new Map<string, { width: number; height: number }>();
  /** performance.now() of the first time each step of a join happened (diagnostics, bench). */
  private readonly marks: Record<string, number> = {};

  private mark(name: string): void {
    this.marks[name] ??= performance.now();
  }

  constructor(options: JoinRoomOptions) {
    this.options = options;
    this.dataSaver = options.dataSaver ?? "off";
  }

  snapshot(): LiveSnapshot {
    const participants: Participant[] = [...this.participants.values()].map(({ info, media }) => {
      const all = [...media.values()].map(
        ({ consumerId, producerId, kind, source, stream }): RemoteMedia => ({ consumerId, producerId, kind, source, stream }),
      );
      const live = (source: MediaSource) => info.producers.find((p) => p.source === source);
      const mic = live("mic");
      return {
        peerId: info.id,
        userId: info.userId,
        name: info.name,
        role: info.role,
        status: info.status,
        handRaised: info.handRaised,
        quality: info.quality,
        micOn: !!mic && !mic.paused,
        cameraOn: !!live("camera"),
        screenOn: !!live("screen"),
        volume: this.volumes.get(info.id) ?? null,
        videos: all.filter((m) => m.kind === "video"),
        audios: all.filter((m) => m.kind === "audio"),
        group: info.group ?? null,
      };
    });
    return {
      status: this.status,
      error: this.error,
      mediaProblem: this.mediaProblem,
      notice: this.notice,
      localStream: this.localStream,
      screenStream: this.screenStream,
      self: {
        peerId: this.peerId,
        role: this.role,
        handRaised: this.handRaised,
        micOn: !!this.sources.mic && !this.sources.mic.paused,
        cameraOn: !!this.sources.camera,
        screenOn: !!this.sources.screen,
        volume: this.peerId ? (this.volumes.get(this.peerId) ?? null) : null,
      },
      participants,
      chat: this.chat,
      state: this.state,
      poll: this.poll,
      board: this.board.state,
      session: this.session,
      dataSaver: this.dataSaver,
      localQuality: this.localQuality,
      suggestDataSaver: this.suggestDataSaver,
      breakout: this.breakout,
      breakoutMessage: this.breakoutMessage,
    };
  }

  start(): void {
    window.__liveStats = () => this.stats();
    window.__liveTest = {
      // The network "goes down": the transport closes and socket.io may not reconnect until
      // restoreNetwork(), so tests see the drop deterministically whatever the CPU load.
      dropSocket: () => {
        this.socket?.io.reconnection(false);
        this.socket?.io.engine?.close();
      },
      restoreNetwork: () => {
        const socket = this.socket;
        if (!socket) return;
        socket.io.reconnection(true);
        if (!socket.connected) socket.connect();
      },
      failIce: () => {
        for (const t of [this.sendTransport, this.recvTransport]) if (t) void this.restartIce(t);
      },
      timings: () => ({ ...this.marks }),
      transports: () =>
        [this.sendTransport, this.recvTransport]
          .filter((t): t is msc.Transport => !!t)
          .map((t) => ({ id: t.id, direction: t.direction, connectionState: t.connectionState, closed: t.closed })),
      transportStats: async () => {
        const out: Record<string, unknown>[] = [];
        for (const t of [this.sendTransport, this.recvTransport]) {
          if (!t || t.closed) continue;
          (await t.getStats()).forEach((s: Record<string, unknown>) => {
            if (["candidate-pair", "local-candidate", "remote-candidate", "transport"].includes(String(s.type))) {
              out.push({ ...s, direction: t.direction });
            }
          });
        }
        return out;
      },
      // The link "measures" this quality from now on (null: the real measurement again), as a
      // shaped network would make it; the 3-second readings and the advice go on as usual.
      forceQuality: (quality) => {
        this.forcedQuality = quality;
        if (quality) this.recordQuality(quality);
      },
      outbound: () =>
        outboundStreams(
          (Object.entries(this.sources) as [MediaSource, LocalSource][]).flatMap(([source, l]) => (l.producer ? [{ source, producer: l.producer }] : [])),
        ),
      producers: () =>
        Object.entries(this.sources).map(([source, local]) => ({
          source,
          producerId: local.producer?.id ?? null,
          trackId: local.track.id,
          deviceId: local.track.getSettings().deviceId ?? null,
          width: local.track.getSettings().width ?? null,
          height: local.track.getSettings().height ?? null,
          readyState: local.track.readyState,
          senderTrackId: local.producer?.track?.id ?? null,
        })),
    };
    this.localMedia = this.acquireMedia();
    const socket = io(this.options.url ?? "", {
      withCredentials: true,
      ...SOCKET_OPTIONS,
      transports: ["websocket", "polling"],
      // Not read by the server: a load balancer in front of several processes hashes on it so
      // every participant of a session reaches the process that holds its room
      // (docs/operations.md), and a polling socket's requests stay on one process.
      query: { room: this.options.roomId },
    });
    socket.io.on("ping", () => {
      this.lastPing = performance.now();
      // Signalling works: a transport whose media path stayed down can be restarted now.
      this.checkIce();
    });
    this.socket = socket;
    this.qualityTimer = setInterval(() => void this.measureQuality(), 3_000);

    socket.on("connect", () => {
      this.mark("socketConnected");
      this.lastPing = performance.now();
      if (this.left) return;
      void this.startSession();
    });
    socket.on("disconnect", (reason) => {
      this.inRoomOnServer = false;
      // Requests of the old connection are void; the media is NOT: it keeps flowing over ICE
      // and the resume keeps it (room:join with `media`).
      this.generation++;
      if (this.left || this.isFinal()) return;
      if (this.status === "connected" || this.status === "reconnecting" || this.status === "lost") this.updateConnectivity();
      // A server-side disconnect is final for socket.io: reconnect ourselves.
      if (reason === "io server disconnect") socket.connect();
    });
    socket.on("connect_error", (err: Error & { data?: { code?: string } }) => {
      if (this.left || this.isFinal()) return;
      if (!socket.active) {
        // Refused by the server's middleware (e.g. not logged in): no automatic retry.
        this.fail(new LiveClientError(err.data?.code ?? "connect_failed", err.message));
      } else if (this.status !== "connecting") {
        this.updateConnectivity();
      }
    });

    this.on("peer:joined", ({ peer }) => {
      this.participants.set(peer.id, { info: peer, media: new Map() });
      this.emit();
    });
    this.on("peer:left", ({ peerId }) => {
      const entry = this.participants.get(peerId);
      if (!entry) return;
      for (const m of entry.media.values()) m.consumer.close();
      this.participants.delete(peerId);
      this.volumes.delete(peerId);
      this.pendingProducers = this.pendingProducers.filter((p) => p.peerId !== peerId);
      this.emit();
    });
    this.on("peer:updated", ({ peer }) => {
      if (peer.id === this.peerId) {
        this.handRaised = peer.handRaised;
        this.serverQuality = peer.quality;
        this.emit();
        return;
      }
      const entry = this.participants.get(peer.id);
      if (entry) entry.info = peer;
      else this.participants.set(peer.id, { info: peer, media: new Map() });
      this.emit();
    });
    this.on("producer:new", ({ peerId, producerId, kind, source, paused }) => {
      const entry = this.participants.get(peerId);
      if (entry && !entry.info.producers.some((p) => p.id === producerId)) {
        entry.info = { ...entry.info, producers: [...entry.info.producers, { id: producerId, kind, source, paused }] };
      }
      this.queueConsume(peerId, producerId);
      this.emit();
    });
    this.on("producer:closed", ({ peerId, producerId }) => {
      const entry = this.participants.get(peerId);
      if (entry) entry.info = { ...entry.info, producers: entry.info.producers.filter((p) => p.id !== producerId) };
      this.dropMedia((m) => m.producerId === producerId);
      this.emit();
    });
    this.on("producer:paused", ({ peerId, producerId, paused }) => {
      const entry = this.participants.get(peerId);
      if (!entry) return;
      entry.info = { ...entry.info, producers: entry.info.producers.map((p) => (p.id === producerId ? { ...p, paused } : p)) };
      this.emit();
    });
    this.on("consumer:closed", ({ consumerId }) => this.dropMedia((m) => m.consumerId === consumerId));
    this.on("consumer:layers", () => undefined);
    this.on("room:speakers", ({ speakers }) => {
      this.volumes = new Map(speakers.map((s) => [s.peerId, s.volume]));
      this.emit();
    });
    this.on("chat:message", ({ message }) => this.addChat([message]));
    this.on("poll:opened", ({ poll }) => {
      // Moderators watch the results from the start (nobody answered yet).
      const n = poll.kind === "true_false" ? 2 : poll.kind === "short" ? 0 : poll.options.length;
      const empty = { pollId: poll.id, total: 0, counts: new Array<number>(n).fill(0), answers: [] };
      this.poll = { poll, myAnswer: null, results: this.isModerator() ? empty : null };
      this.emit();
    });
    this.on("poll:closed", ({ pollId }) => {
      if (this.poll?.poll.id !== pollId || this.poll.poll.status !== "open") return;
      this.poll = { ...this.poll, poll: { ...this.poll.poll, status: "closed" } };
      this.emit();
    });
    this.on("poll:results", ({ results }) => {
      if (this.poll?.poll.id !== results.pollId) return;
      this.poll = { ...this.poll, results };
      this.emit();
    });
    this.on("poll:released", ({ poll, results }) => {
      const mine = this.poll?.poll.id === poll.id ? this.poll.myAnswer : null;
      // Moderators keep their live view (with names); everyone else gets the released one.
      const own = this.poll?.poll.id === poll.id && this.isModerator() ? this.poll.results : null;
      this.poll = { poll, myAnswer: mine, results: own ?? results };
      this.emit();
    });
    this.on("board:op", (p) => this.board.onOp(p));
    this.on("board:removed", (p) => this.board.onRemoved(p));
    this.on("board:cleared", (p) => this.board.onCleared(p));
    this.on("board:state", (p) => this.board.onState(p));
    this.on("board:laser", (p) => this.board.onLaser(p));
    // Breakout rooms: the server closes the consumers that cross rooms ("consumer:closed") and
    // announces the ones that now match ("producer:new"); this only keeps the view.
    this.on("breakout:state", ({ breakout }) => {
      this.breakout = breakout;
      this.emit();
    });
    this.on("breakout:message", (message) => {
      this.breakoutMessage = message;
      this.emit();
    });
    this.on("room:state", ({ state }) => {
      this.state = state;
      this.emit();
    });
    this.on("moderation:applied", ({ action, by }) => {
      if (action === "muted") {
        const mic = this.sources.mic;
        if (mic) {
          mic.paused = true;
          mic.producer?.pause();
        }
      } else if (action === "video_stopped") {
        this.dropLocal("camera", false);
      } else if (action === "screen_stopped") {
        this.dropLocal("screen-audio", false);
        this.dropLocal("screen", false);
      } else if (action === "hand_lowered") {
        this.handRaised = false;
      }
      this.notice = { kind: action, by };
      this.emit();
    });
    this.on("room:removed", () => this.finish("removed"));
    this.on("room:ended", () => this.finish("ended"));
    // Log-out elsewhere, expired log-in, lost access: the server disconnects us right after.
    this.on("session:ended", () => {
      clearResumeId(this.options.roomId);
      this.finish("signed_out");
    });
    this.on("room:rejoin", () => {
      // The server closed our room (its media worker died): join again.
      this.inRoomOnServer = false;
      this.endSession(true);
      this.setStatus("reconnecting");
      void this.startSession();
    });
    window.addEventListener("pagehide", this.onPageHide);
  }

  private readonly onPageHide = () => {
    // Closing the tab: say goodbye so the others don't see us "reconnecting" for a while.
    if (!this.left && this.socket?.connected) this.socket.disconnect();
  };

  private isFinal(): boolean {
    return this.status === "removed" || this.status === "ended" || this.status === "signed_out";
  }

  leave(): void {
    if (this.left) return;
    const socket = this.socket;
    if (socket?.connected && this.inRoomOnServer) socket.emit("room:leave", {}, () => undefined);
    this.teardown();
    this.status = "left";
    this.error = null;
    try {
      this.options.onChange(this.snapshot());
    } catch (error) {
      console.warn("[live] onChange listener failed:", error);
    }
  }

  /** Removed or ended: everything stops, no reconnection. */
  private finish(status: "removed" | "ended" | "signed_out"): void {
    if (this.left) return;
    this.teardown();
    this.status = status;
    try {
      this.options.onChange(this.snapshot());
    } catch (error) {
      console.warn("[live] onChange listener failed:", error);
    }
  }

  private teardown(): void {
    this.left = true;
    this.endSession(true);
    window.removeEventListener("pagehide", this.onPageHide);
    this.socket?.disconnect();
    this.socket = null;
    if (this.qualityTimer) clearInterval(this.qualityTimer);
    if (this.lostTimer) clearTimeout(this.lostTimer);
    this.lostTimer = null;
    for (const source of Object.keys(this.sources) as MediaSource[]) this.dropLocal(source, false);
    for (const track of this.localStream?.getTracks() ?? []) track.stop();
    this.localStream = null;
    this.screenStream = null;
    if (window.__liveStats) delete window.__liveStats;
    if (window.__liveTest) delete window.__liveTest;
  }

  retry(): void {
    if (this.left || this.status !== "error") return;
    this.error = null;
    this.setStatus("connecting");
    const socket = this.socket;
    if (!socket) return;
    if (socket.connected) {
      this.endSession(true);
      void this.startSession();
    } else {
      socket.connect();
    }
  }

  dismissNotice(): void {
    this.notice = null;
    this.emit();
  }

  // -------------------------------------------------------------------------------------
  // Session: join, transports, produce, consume

  private async startSession(): Promise<void> {
    // What this client still holds of its media (null: nothing, a fresh start).
    const held = this.heldMedia();
    if (!held) this.endSession(false);
    else this.generation++;
    let generation = this.generation;
    const current = () => generation === this.generation && !this.left;
    try {
      const resume = this.peerId ?? readResumeId(this.options.roomId) ?? undefined;
      const joined = await this.request("room:join", {
        roomId: this.options.roomId,
        ...(resume ? { resume } : {}),
        ...(resume && held ? { media: held } : {}),
        dataSaver: this.dataSaver,
      });
      this.inRoomOnServer = true;
      this.mark("joined");
      if (!current()) return;
      if (held && !(joined.resumed && joined.peerId === this.peerId && this.keepMedia(joined.kept))) {
        // A new peer (the grace period ended) or nothing kept: start over.
        this.endSession(false);
        generation = this.generation;
      }
      this.peerId = joined.peerId;
      writeResumeId(this.options.roomId, joined.peerId);
      this.role = joined.role;
      this.session = joined.session;
      this.state = joined.state;
      this.breakout = joined.breakout;
      this.applyPeers(joined.peers);
      this.addChat(joined.chat);
      this.poll = joined.poll;
      this.board.joined(joined.board);
      this.emit();

      let device = this.device;
      if (!device) {
        device = new Device();
        await device.load({ routerRtpCapabilities: joined.routerRtpCapabilities as msc.RtpCapabilities });
        if (!current()) return;
        this.device = device;
      }

      if (!this.recvTransport) {
        this.recvTransport = await this.createTransport(device, "recv");
        if (!current()) return;
      }
      const queued = this.pendingProducers;
      this.pendingProducers = [];
      for (const p of queued) this.queueConsume(p.peerId, p.producerId);

      await this.localMedia;
      if (!current()) return;
      if (this.handRaised) await this.request("hand:set", { raised: true }).catch(() => undefined);
      const toSend = (["mic", "camera", "screen", "screen-audio"] as MediaSource[]).filter((s) => this.sources[s] && !this.sources[s]!.producer);
      if (toSend.length > 0 && (device.canProduce("audio") || device.canProduce("video"))) {
        if (!this.sendTransport) {
          this.sendTransport = await this.createTransport(device, "send");
          if (!current()) return;
        }
        for (const source of toSend) {
          await this.produce(source);
          if (!current()) return;
        }
      }
      this.error = null;
      if (held) this.resumedAt = performance.now();
      this.mark("sessionReady");
      this.updateConnectivity(true);
      // Signalling is back: a kept transport whose ICE failed meanwhile is restarted now.
      this.checkIce();
    } catch (error) {
      if (!current()) return;
      // The socket dropped again mid-join: the next "connect" resumes.
      if (error instanceof LiveClientError && (error.code === "disconnected" || error.code === "timeout") && !this.socket?.connected) return;
      this.fail(error);
    }
  }

  /** The transports, producers and consumers this client still has (for a resume), or null. */
  private heldMedia(): { transports: string[]; producers: string[]; consumers: string[] } | null {
    if (!this.device) return null;
    const transports = [this.sendTransport, this.recvTransport].filter((t): t is msc.Transport => !!t && !t.closed).map((t) => t.id);
    if (transports.length === 0) return null;
    const producers: string[] = [];
    for (const local of Object.values(this.sources)) if (local?.producer && !local.producer.closed) producers.push(local.producer.id);
    const consumers: string[] = [];
    for (const entry of this.participants.values()) for (const m of entry.media.values()) if (!m.consumer.closed) consumers.push(m.consumerId);
    return { transports, producers, consumers };
  }

  /**
   * A resume: keeps what the server kept, closes locally what it didn't (created again
   * below). False when no transport survived (then everything starts over).
   */
  private keepMedia(kept: { transports: string[]; producers: string[]; consumers: string[] }): boolean {
    const transports = new Set(kept.transports);
    const producers = new Set(kept.producers);
    const consumers = new Set(kept.consumers);
    if (this.sendTransport && !transports.has(this.sendTransport.id)) {
      this.sendTransport.close();
      this.sendTransport = null;
    }
    if (this.recvTransport && !transports.has(this.recvTransport.id)) {
      this.recvTransport.close();
      this.recvTransport = null;
    }
    if (!this.sendTransport && !this.recvTransport) return false;
    for (const local of Object.values(this.sources)) {
      if (local?.producer && (local.producer.closed || !producers.has(local.producer.id))) {
        local.producer.close();
        local.producer = null;
      }
    }
    this.dropMedia((m) => m.consumer.closed || !consumers.has(m.consumerId));
    return true;
  }

  /** The room's peers from a join: media still held is kept, what is missing gets consumed. */
  private applyPeers(peers: PeerInfo[]): void {
    const old = new Map(this.participants);
    this.participants.clear();
    this.pendingProducers = [];
    for (const peer of peers) {
      const media = old.get(peer.id)?.media ?? new Map<string, RemoteEntry>();
      old.delete(peer.id);
      const live = new Set(peer.producers.map((p) => p.id));
      for (const [id, m] of media) {
        if (live.has(m.producerId)) continue;
        m.consumer.close();
        media.delete(id);
      }
      this.participants.set(peer.id, { info: peer, media });
      // Only your own (breakout) room's producers can be consumed.
      if ((peer.group ?? null) !== (this.breakout?.yourRoom ?? null)) continue;
      for (const producer of peer.producers) {
        if (![...media.values()].some((m) => m.producerId === producer.id)) this.pendingProducers.push({ peerId: peer.id, producerId: producer.id });
      }
    }
    // Peers that left while we were away.
    for (const [peerId, entry] of old) {
      for (const m of entry.media.values()) m.consumer.close();
      this.volumes.delete(peerId);
    }
  }

  /**
   * The status from what actually works: "connected" when the socket is in the room and no
   * transport's ICE is disconnected/failed, else "reconnecting", and "lost" once that has
   * lasted CONNECTION_LOST_MS. `ready`: the session has just been (re)established.
   */
  private updateConnectivity(ready = false): void {
    if (this.left || this.isFinal() || this.status === "error") return;
    if (!ready && this.status === "connecting") return;
    const now = performance.now();
    const next = connectivityStatus({
      socketInRoom: !!this.socket?.connected && this.inRoomOnServer,
      transportStates: [this.sendTransport, this.recvTransport].filter((t) => t && !t.closed).map((t) => t!.connectionState),
      outageSince: this.outageSince,
      now,
    });
    this.outageSince = next.outageSince;
    if (next.status === "connected") {
      if (this.lostTimer) clearTimeout(this.lostTimer);
      this.lostTimer = null;
    } else if (next.status === "reconnecting" && !this.lostTimer) {
      this.lostTimer = setTimeout(() => {
        this.lostTimer = null;
        this.updateConnectivity();
      }, CONNECTION_LOST_MS - (now - next.outageSince!) + 50);
    }
    const status: LiveStatus = next.status;
    if (this.status !== status) this.setStatus(status);
  }

  /** Drops everything of the current session locally (the server drops its side itself). */
  private endSession(clearParticipants: boolean): void {
    this.generation++;
    for (const timers of this.iceTimers.values()) {
      clearTimeout(timers.restart);
      clearTimeout(timers.giveUp);
    }
    this.iceTimers.clear();
    this.sendTransport?.close();
    this.recvTransport?.close();
    this.sendTransport = null;
    this.recvTransport = null;
    this.device = null;
    this.pendingProducers = [];
    for (const source of Object.values(this.sources)) if (source) source.producer = null;
    let changed = false;
    for (const entry of this.participants.values()) {
      for (const m of entry.media.values()) m.consumer.close();
      if (entry.media.size) changed = true;
      entry.media.clear();
    }
    if (clearParticipants && this.participants.size) {
      this.participants.clear();
      changed = true;
    }
    if (changed) this.emit();
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
      if (!ours) return;
      const timers = this.iceTimers.get(transport) ?? {};
      this.iceTimers.set(transport, timers);
      if (state === "connected") {
        this.mark(`${direction}Connected`);
        clearTimeout(timers.restart);
        clearTimeout(timers.giveUp);
        timers.restart = timers.giveUp = timers.downSince = undefined;
      } else if (state === "disconnected" || state === "failed") {
        timers.downSince ??= performance.now();
        // Often transient (the network blinked, and ICE recovers by itself): look again later.
        clearTimeout(timers.restart);
        timers.restart = setTimeout(() => {
          timers.restart = undefined;
          this.checkIce();
        }, state === "failed" || this.justResumed() ? 0 : ICE_DISCONNECTED_RESTART_MS);
      }
      this.updateConnectivity();
    });
    return transport;
  }

  /**
   * Just back from a socket drop: a media path still (or newly) down now most likely lost
   * its address (another network), so it is restarted without waiting.
   */
  private justResumed(): boolean {
    return this.resumedAt > 0 && performance.now() - this.resumedAt < RESUMED_RECENTLY_MS;
  }

  /** Signalling is alive (a recent server ping) and the peer is in the room on the server. */
  private signallingAlive(): boolean {
    return !!this.socket?.connected && this.inRoomOnServer && performance.now() - this.lastPing < SIGNALLING_FRESH_MS;
  }

  /**
   * Restarts ICE of each transport whose media path has been down a while (or failed) —
   * only while signalling works; when the whole network is down this waits (called again on
   * every server ping and after a resume).
   */
  private checkIce(): void {
    if (this.left || !this.signallingAlive()) return;
    for (const transport of [this.sendTransport, this.recvTransport]) {
      if (!transport || transport.closed) continue;
      const state = transport.connectionState;
      const timers = this.iceTimers.get(transport);
      if (!timers?.downSince || timers.restarting || timers.giveUp) continue;
      const longEnough =
        state === "failed" ||
        (state === "disconnected" && (this.justResumed() || performance.now() - timers.downSince >= ICE_DISCONNECTED_RESTART_MS));
      if (longEnough) void this.restartIce(transport);
    }
  }

  /** ICE restart; if the transport isn't connected again soon after, recreate everything (resume without media). */
  private async restartIce(transport: msc.Transport): Promise<void> {
    if (transport.closed || this.left) return;
    const timers = this.iceTimers.get(transport) ?? {};
    this.iceTimers.set(transport, timers);
    clearTimeout(timers.restart);
    timers.restart = undefined;
    if (timers.restarting) return;
    timers.restarting = true;
    const generation = this.generation;
    try {
      const { iceParameters } = await this.request("transport:restartIce", { transportId: transport.id });
      if (transport.closed || generation !== this.generation) return;
      await transport.restartIce({ iceParameters: iceParameters as msc.IceParameters });
      clearTimeout(timers.giveUp);
      timers.giveUp = setTimeout(() => {
        timers.giveUp = undefined;
        if (transport.closed || this.left || transport.connectionState === "connected" || !this.signallingAlive()) return;
        // Signalling works, the restarted ICE doesn't: new transports (the resume closes the old ones).
        this.endSession(false);
        this.updateConnectivity();
        void this.startSession();
      }, ICE_RESTART_GIVE_UP_MS);
    } catch (error) {
      // The socket went away meanwhile: the resume looks again.
      console.warn("[live] ICE restart failed:", error);
    } finally {
      timers.restarting = false;
    }
  }

  private async produce(source: MediaSource): Promise<void> {
    const local = this.sources[source];
    const transport = this.sendTransport;
    const device = this.device;
    if (!local || !transport || !device || local.producer) return;
    const kind = local.track.kind as "audio" | "video";
    if (!device.canProduce(kind)) return;
    const producer = await produceTrack(transport, source, local.track, { lowVideo: !!this.options.lowVideo, dataSaver: this.dataSaver });
    if (this.sources[source] !== local || transport !== this.sendTransport) {
      producer.close();
      return;
    }
    local.producer = producer;
    if (local.paused) {
      producer.pause();
      await this.request("producer:pause", { producerId: producer.id }).catch(() => undefined);
    }
    this.emit();
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
    for (const entry of this.participants.values()) {
      for (const m of entry.media.values()) if (m.producerId === producerId) return; // already
    }
    // A producer can be announced twice (listed at join and "producer:new" racing): once is enough.
    if (this.consuming.has(producerId)) return;
    this.consuming.add(producerId);
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
      const source = participant.info.producers.find((p) => p.id === producerId)?.source ?? (consumer.kind === "audio" ? "mic" : "camera");
      participant.media.set(consumer.id, {
        consumerId: consumer.id,
        producerId,
        peerId,
        kind: consumer.kind,
        source,
        consumer,
        stream: new MediaStream([consumer.track]),
      });
      this.emit();
      await this.request("consumer:resume", { consumerId: consumer.id });
      this.mark(`${consumer.kind}Resumed`);
    } catch (error) {
      // A producer can close while we subscribe to it: nothing to show then.
      if (error instanceof LiveClientError && error.code === "not_found") return;
      if (generation !== this.generation) return;
      console.warn(`[live] consuming ${producerId} failed:`, error);
    } finally {
      this.consuming.delete(producerId);
    }
  }

  private dropMedia(match: (m: RemoteEntry) => boolean): void {
    let changed = false;
    for (const entry of this.participants.values()) {
      for (const [id, m] of entry.media) {
        if (match(m)) {
          m.consumer.close();
          entry.media.delete(id);
          this.tiles.delete(id);
          changed = true;
        }
      }
    }
    if (changed) this.emit();
  }

  setTile(consumerId: string, width: number, height: number): void {
    const w = Math.round(width);
    const h = Math.round(height);
    const last = this.tiles.get(consumerId);
    // Ignore small changes: they can't change the chosen layer.
    if (last && Math.abs(last.width - w) < 16 && Math.abs(last.height - h) < 16) return;
    this.tiles.set(consumerId, { width: w, height: h });
    this.request("consumer:tile", { consumerId, width: w, height: h }).catch(() => undefined);
  }

  async setDataSaver(mode: DataSaverMode): Promise<void> {
    this.dataSaver = mode;
    if (mode !== "off") this.suggestDataSaver = false;
    this.emit();
    // The own upload is spared too (only the lowest camera layer, a leaner Opus).
    for (const [source, local] of Object.entries(this.sources) as [MediaSource, LocalSource][]) {
      if (local.producer) void applyDataSaverToProducer(local.producer, source, mode);
    }
    if (this.inRoomOnServer) await this.request("peer:dataSaver", { mode });
  }

  dismissBreakoutMessage(): void {
    this.breakoutMessage = null;
    this.emit();
  }

  dismissDataSaverSuggestion(): void {
    if (!this.suggestDataSaver) return;
    this.suggestDataSaver = false;
    this.suggestionDismissedAt = Date.now();
    this.emit();
  }

  private isModerator(): boolean {
    return this.role === "host" || this.role === "admin";
  }

  async answerPoll(pollId: string, answer: { choices: number[] } | { text: string }): Promise<void> {
    await this.request("poll:answer", { pollId, ...answer });
    if (this.poll?.poll.id === pollId) {
      this.poll = {
        ...this.poll,
        myAnswer: "text" in answer ? { choices: [], text: answer.text.trim() } : { choices: [...answer.choices].sort((a, b) => a - b), text: null },
      };
      this.emit();
    }
  }

  /** A request whose failure the UI shows (moderation, chat). */
  async command<E extends RequestName>(event: E, payload: RequestPayload<E>): Promise<void> {
    await this.request(event, payload);
    if (event === "hand:set") {
      this.handRaised = (payload as RequestPayload<"hand:set">).raised;
      this.emit();
    }
  }

  // -------------------------------------------------------------------------------------
  // Local media

  private async acquireMedia(): Promise<void> {
    const given = this.options.localStream;
    if (given !== undefined && given !== null) {
      this.adoptStream(given);
      return;
    }
    const constraints = this.options.media ?? { audio: DEFAULT_AUDIO, video: this.cameraConstraints() };
    if (constraints === false) return;
    if (!navigator.mediaDevices?.getUserMedia) {
      this.mediaProblem = "media_insecure"; // getUserMedia needs HTTPS (or localhost)
      this.emit();
      return;
    }
    const attempts: MediaStreamConstraints[] = [constraints];
    if (constraints.audio && constraints.video) attempts.push({ audio: constraints.audio }, { video: constraints.video });
    let problem: MediaProblem = "media_unavailable";
    for (const attempt of attempts) {
      try {
        const stream = await navigator.mediaDevices.getUserMedia(attempt);
        if (this.left) {
          for (const track of stream.getTracks()) track.stop();
          return;
        }
        this.adoptStream(stream);
        // Partial success (e.g. no camera) is still worth telling the user.
        this.mediaProblem = attempt === constraints ? null : problem;
        this.emit();
        return;
      } catch (error) {
        if (error instanceof DOMException && (error.name === "NotAllowedError" || error.name === "SecurityError")) {
          problem = "media_denied";
          break; // asking again for less won't change a refusal
        }
      }
    }
    this.mediaProblem = problem;
    this.emit();
  }

  private cameraConstraints(): MediaTrackConstraints {
    return cameraCapture({ host: !!this.options.hostCamera, lowVideo: !!this.options.lowVideo });
  }

  private adoptStream(stream: MediaStream): void {
    const audio = stream.getAudioTracks()[0];
    const video = stream.getVideoTracks()[0];
    if (audio) this.sources.mic = { track: audio, producer: null, paused: !audio.enabled };
    if (video) this.sources.camera = { track: video, producer: null, paused: false };
    if (audio) audio.enabled = true;
    this.refreshLocalStream();
  }

  private refreshLocalStream(): void {
    const tracks = [this.sources.mic?.track, this.sources.camera?.track].filter((t): t is MediaStreamTrack => !!t);
    this.localStream = tracks.length ? new MediaStream(tracks) : null;
    this.emit();
  }

  /** Stops a local source: closes its producer (telling the server), stops the track. */
  private dropLocal(source: MediaSource, tellServer = true): void {
    const local = this.sources[source];
    if (!local) return;
    delete this.sources[source];
    const producer = local.producer;
    if (producer && !producer.closed) {
      producer.close();
      if (tellServer) this.request("producer:close", { producerId: producer.id }).catch(() => undefined);
    }
    local.track.stop();
    if (source === "screen" || source === "screen-audio") {
      if (!this.sources.screen && !this.sources["screen-audio"]) this.screenStream = null;
    } else {
      this.refreshLocalStream();
    }
    this.emit();
  }

  async toggleMic(): Promise<void> {
    const mic = this.sources.mic;
    if (!mic) {
      try {
        const stream = await navigator.mediaDevices.getUserMedia({ audio: DEFAULT_AUDIO });
        this.sources.mic = { track: stream.getAudioTracks()[0]!, producer: null, paused: false };
        this.refreshLocalStream();
        await this.ensureSendTransport();
        await this.produce("mic");
      } catch (error) {
        this.notice = { kind: "device_failed", message: toError(error).message };
        this.emit();
      }
      return;
    }
    mic.paused = !mic.paused;
    this.emit();
    const producer = mic.producer;
    if (!producer) return;
    if (mic.paused) {
      producer.pause();
      await this.request("producer:pause", { producerId: producer.id }).catch(() => undefined);
    } else {
      producer.resume();
      await this.request("producer:resume", { producerId: producer.id }).catch(() => undefined);
    }
  }

  async toggleCamera(deviceId?: string): Promise<void> {
    if (this.sources.camera && !deviceId) {
      this.dropLocal("camera");
      return;
    }
    try {
      const video = { ...this.cameraConstraints(), ...(deviceId ? { deviceId: { exact: deviceId } } : {}) };
      const stream = await navigator.mediaDevices.getUserMedia({ video });
      this.sources.camera = { track: stream.getVideoTracks()[0]!, producer: null, paused: false };
      this.refreshLocalStream();
      await this.ensureSendTransport();
      await this.produce("camera");
    } catch (error) {
      this.notice = { kind: "device_failed", message: toError(error).message };
      this.emit();
    }
  }

  /** Another camera or microphone, without rejoining: the producer's track is replaced. */
  async switchDevice(kind: "audioinput" | "videoinput", deviceId: string): Promise<void> {
    const source: MediaSource = kind === "audioinput" ? "mic" : "camera";
    const local = this.sources[source];
    if (!local) {
      if (source === "camera") await this.toggleCamera(deviceId);
      return;
    }
    try {
      const constraints: MediaStreamConstraints =
        source === "mic"
          ? { audio: { ...DEFAULT_AUDIO, deviceId: { exact: deviceId } } }
          : { video: { ...this.cameraConstraints(), deviceId: { exact: deviceId } } };
      const stream = await navigator.mediaDevices.getUserMedia(constraints);
      const track = (source === "mic" ? stream.getAudioTracks() : stream.getVideoTracks())[0]!;
      const old = local.track;
      if (local.producer && !local.producer.closed) await local.producer.replaceTrack({ track });
      local.track = track;
      old.stop();
      this.refreshLocalStream();
    } catch (error) {
      this.notice = { kind: "device_failed", message: toError(error).message };
      this.emit();
    }
  }

  async startScreenShare(): Promise<void> {
    if (this.sources.screen) return;
    try {
      if (!navigator.mediaDevices?.getDisplayMedia) throw new Error("screen sharing is not supported by this browser");
      const stream = await navigator.mediaDevices.getDisplayMedia({ video: SCREEN_CAPTURE, audio: true });
      const video = stream.getVideoTracks()[0];
      if (!video) throw new Error("no screen was shared");
      // Text and drawings stay sharp: the browser drops frames before resolution.
      if ("contentHint" in video) video.contentHint = "detail";
      this.sources.screen = { track: video, producer: null, paused: false };
      const audio = stream.getAudioTracks()[0];
      if (audio) this.sources["screen-audio"] = { track: audio, producer: null, paused: false };
      this.screenStream = new MediaStream([video]);
      video.addEventListener("ended", () => this.stopScreenShare());
      this.emit();
      await this.ensureSendTransport();
      await this.produce("screen");
      if (audio) await this.produce("screen-audio");
    } catch (error) {
      this.stopScreenShare();
      if (error instanceof DOMException && error.name === "NotAllowedError") return; // the user cancelled
      this.notice = { kind: "screen_failed", message: toError(error).message };
      this.emit();
    }
  }

  stopScreenShare(): void {
    this.dropLocal("screen-audio");
    this.dropLocal("screen");
  }

  private async ensureSendTransport(): Promise<void> {
    if (this.sendTransport || !this.device || !this.inRoomOnServer) return;
    const generation = this.generation;
    const transport = await this.createTransport(this.device, "send");
    if (generation !== this.generation) {
      transport.close();
      return;
    }
    this.sendTransport = transport;
  }

  // -------------------------------------------------------------------------------------
  // Plumbing

  private addChat(messages: ChatMessageInfo[]): void {
    if (messages.length === 0) return;
    const seen = new Set(this.chat.map((m) => m.id));
    const fresh = messages.filter((m) => !seen.has(m.id));
    if (fresh.length === 0) return;
    this.chat = [...this.chat, ...fresh].sort((a, b) => a.createdAt.localeCompare(b.createdAt)).slice(-300);
    this.emit();
  }

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

  private request<E extends RequestName>(event: E, payload: RequestPayload<E>): Promise<ResponseMap[E]> {
    return request(this.socket, event, payload);
  }

  private fail(error: unknown): void {
    const err = error instanceof LiveClientError ? error : new LiveClientError("client_error", toError(error).message);
    // A refused join: the peer id we tried to resume is no longer worth keeping.
    if (err.code === "forbidden" || err.code === "not_found") clearResumeId(this.options.roomId);
    this.endSession(true);
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

  /** Own link quality from the transports' stats: round-trip time and inbound loss. */
  private async measureQuality(): Promise<void> {
    const measured = await transportQuality([this.recvTransport, this.sendTransport], this.lastLoss);
    if (this.forcedQuality) {
      this.recordQuality(this.forcedQuality);
      return;
    }
    if (!measured) return;
    this.lastLoss = measured.totals;
    this.recordQuality(measured.quality);
  }

  /** One quality reading: the indicator, and the data-saver advice after ~10 s of "poor". */
  private recordQuality(quality: Quality): void {
    if (this.left) return;
    const now = Date.now();
    let changed = false;
    if (quality !== this.localQuality) {
      this.localQuality = quality;
      changed = true;
    }
    this.qualitySamples = addSample(this.qualitySamples, { at: now, quality: worseQuality(quality, this.serverQuality) });
    const suggest =
      this.status === "connected" &&
      shouldSuggestDataSaver(this.qualitySamples, { now, dataSaver: this.dataSaver, dismissedAt: this.suggestionDismissedAt });
    if (suggest && !this.suggestDataSaver) {
      this.suggestDataSaver = true;
      changed = true;
    }
    if (changed) this.emit();
  }

  private stats(): Promise<LiveStats> {
    const byTrack = new Map<string, RemoteMedia>();
    for (const entry of this.participants.values()) for (const m of entry.media.values()) byTrack.set(m.consumer.track.id, m);
    return collectStats([this.recvTransport, this.sendTransport], byTrack);
  }
}

// The room client's public shapes: what the live page renders (LiveSnapshot) and calls (LiveRoomHandle).
import type { BoardOp, BoardOpInput, BoardState, BreakoutView, ChatMessageInfo, DataSaverMode, MediaSource, PeerRole, PollInfo, PollKind, PollResults, Quality, RoomState } from "../../../../server/live/protocol";

export type { BoardOp, BoardOpInput, BoardState, BreakoutView, ChatMessageInfo, DataSaverMode, PeerRole, PollInfo, PollKind, PollResults, Quality, RoomState } from "../../../../server/live/protocol";

/** The room's current poll as the page shows it. */
export interface PollView {
  poll: PollInfo;
  /** What you answered (choice indexes or text); null = not yet. */
  myAnswer: { choices: number[]; text: string | null } | null;
  /** Moderators: live results; everyone else: once released. */
  results: PollResults | null;
}

/** "reconnecting": the socket is down or a transport's ICE is disconnected; "lost": that for 30 s (still retrying). */
export type LiveStatus = "connecting" | "connected" | "reconnecting" | "lost" | "error" | "left" | "removed" | "ended" | "signed_out";

/** Local-media problems: the room still works, receive-only. */
export type MediaProblem = "media_denied" | "media_unavailable" | "media_insecure";

export interface RemoteMedia {
  consumerId: string;
  producerId: string;
  kind: "audio" | "video";
  source: MediaSource;
  /** A stream holding just this consumer's track: use it as a media element's srcObject. */
  stream: MediaStream;
}

export interface Participant {
  peerId: string;
  userId: string;
  name: string;
  role: PeerRole;
  status: "connected" | "reconnecting";
  handRaised: boolean;
  quality: Quality;
  micOn: boolean;
  cameraOn: boolean;
  screenOn: boolean;
  /** dBov of the last audio-level report (-127…0), null when silent. */
  volume: number | null;
  videos: RemoteMedia[];
  audios: RemoteMedia[];
  /** Breakout room 1…count, null = the main room (you see and hear your own room only). */
  group: number | null;
}

export interface SelfState {
  peerId: string | null;
  role: PeerRole | null;
  handRaised: boolean;
  micOn: boolean;
  cameraOn: boolean;
  screenOn: boolean;
  volume: number | null;
}

export type Notice =
  | { kind: "muted" | "video_stopped" | "screen_stopped" | "hand_lowered"; by: string }
  | { kind: "screen_failed"; message: string }
  | { kind: "device_failed"; message: string };

export interface LiveSnapshot {
  status: LiveStatus;
  /** Set when status is "error": a server error code (see docs/protocol.md) or a client one. */
  error: { code: string; message: string } | null;
  mediaProblem: MediaProblem | null;
  notice: Notice | null;
  /** Camera + microphone being sent (or ready to be sent). */
  localStream: MediaStream | null;
  screenStream: MediaStream | null;
  self: SelfState;
  participants: Participant[];
  chat: ChatMessageInfo[];
  state: RoomState;
  /** The session's latest poll (null = none yet). */
  poll: PollView | null;
  /** The whiteboard's state (open, blank page, page, who may draw); its ops: `handle.board`. */
  board: BoardState;
  session: { id: string; title: string; hostId: string } | null;
  dataSaver: DataSaverMode;
  /** From this browser's own transport stats (round trip, loss), every 3 s. */
  localQuality: Quality;
  /** The own link has been poor for ~10 s: offer the data saver (one click). */
  suggestDataSaver: boolean;
  /** Breakout rooms while they run (your room: `yourRoom`); null = none. */
  breakout: BreakoutView | null;
  /** The last message a moderator sent to every room, until dismissed. */
  breakoutMessage: { text: string; by: string; at: string } | null;
}

/** What the Whiteboard component hears: the page's ops changed (read `ops()`), or a laser moved (`by` = user id). */
export type BoardEvent = { type: "ops" } | { type: "laser"; by: string; x: number; y: number };

export interface BoardHandle {
  /** The ops on the page being shown (any order: sort by id). */
  ops(): BoardOp[];
  subscribe(listener: (event: BoardEvent) => void): () => void;
  /** Draw on the current page (moderators, or when the host allowed you). */
  draw(op: BoardOpInput): Promise<void>;
  /** Your laser pointer (quantised board coordinates); throttled to 10 a second. */
  laser(x: number, y: number): void;
  /** Take back your own last op. */
  undo(): Promise<void>;
}

export interface LiveStats {
  inboundVideoBytes: number;
  inboundAudioBytes: number;
  outboundVideoBytes: number;
  outboundAudioBytes: number;
  /** Every inbound video stream with its current frame size. */
  inboundVideos: {
    producerId: string | null;
    source: string | null;
    bytesReceived: number;
    frameWidth: number;
    frameHeight: number;
    framesDecoded: number;
    packetsReceived: number;
    packetsLost: number;
    /** Chromium's own freeze detection on the rendered track (0 where not reported). */
    freezeCount: number;
    totalFreezesDuration: number;
  }[];
  /** Every inbound audio stream: what arrived and how much of it the jitter buffer had to make up. */
  inboundAudios: {
    producerId: string | null;
    source: string | null;
    packetsReceived: number;
    packetsLost: number;
    totalSamplesReceived: number;
    /** Sum of squared levels × duration: > 0 when sound (not silence) was played out. */
    totalAudioEnergy: number;
    concealedSamples: number;
    silentConcealedSamples: number;
  }[];
}

export interface JoinRoomOptions {
  roomId: string;
  onChange: (snapshot: LiveSnapshot) => void;
  /** Default: same origin. */
  url?: string;
  /** Camera/microphone from the pre-join screen (the client owns and stops them). null = ask now. */
  localStream?: MediaStream | null;
  /** getUserMedia constraints when no localStream is given; `false` joins receive-only. */
  media?: MediaStreamConstraints | false;
  /** Send low-resolution video only (one 180p layer) to spare a weak uplink. */
  lowVideo?: boolean;
  /** This user hosts the session: its camera is captured at 720p (three layers), else 360p. */
  hostCamera?: boolean;
  dataSaver?: DataSaverMode;
}

export interface LiveRoomHandle {
  /** Leaves the room, stops the camera and microphone and closes the connection. */
  leave(): void;
  /** After an error: try joining again. */
  retry(): void;
  snapshot(): LiveSnapshot;
  toggleMic(): Promise<void>;
  toggleCamera(): Promise<void>;
  switchDevice(kind: "audioinput" | "videoinput", deviceId: string): Promise<void>;
  startScreenShare(): Promise<void>;
  stopScreenShare(): void;
  setHand(raised: boolean): Promise<void>;
  sendChat(body: string): Promise<void>;
  /** Answer the open poll (choice indexes, or the text of a short answer); again to change it. */
  answerPoll(pollId: string, answer: { choices: number[] } | { text: string }): Promise<void>;
  setDataSaver(mode: DataSaverMode): Promise<void>;
  /** Report a video's on-screen size (device pixels); 0×0 = hidden. */
  setTile(consumerId: string, width: number, height: number): void;
  dismissNotice(): void;
  /** "Not now" on the data-saver suggestion (asked again after 10 minutes at the earliest). */
  dismissDataSaverSuggestion(): void;
  dismissBreakoutMessage(): void;
  board: BoardHandle;
  host: {
    mute(peerId: string): Promise<void>;
    muteAll(): Promise<void>;
    stopVideo(peerId: string): Promise<void>;
    remove(peerId: string): Promise<void>;
    spotlight(spotlight: { peerId: string; source: "camera" | "screen" } | null): Promise<void>;
    lowerHand(peerId: string): Promise<void>;
    /** Let participants share their screen, or not (stops their shares). */
    allowScreenShare(allowed: boolean): Promise<void>;
    end(): Promise<void>;
    startRecording(): Promise<void>;
    stopRecording(): Promise<void>;
    createPoll(input: { question: string; kind: PollKind; options: string[]; anonymous: boolean }): Promise<void>;
    closePoll(pollId: string): Promise<void>;
    releasePoll(pollId: string): Promise<void>;
    /** Open / close the whiteboard, blank page or over the stage, turn the page. */
    setBoard(patch: { open?: boolean; blank?: boolean; page?: number }): Promise<void>;
    /** Let a participant draw, or not. */
    allowDrawing(peerId: string, allowed: boolean): Promise<void>;
    clearBoardPage(page: number): Promise<void>;
    /** Breakout rooms: `assignment` "auto" or { peerId: room 1…count | null = main room }. */
    openBreakouts(input: { count: number; minutes: number; assignment: "auto" | Record<string, number | null> }): Promise<void>;
    moveToBreakout(peerId: string, room: number | null): Promise<void>;
    broadcastToBreakouts(text: string): Promise<void>;
    /** Join a room's media and chat yourself (null = back to the main room). */
    visitBreakout(room: number | null): Promise<void>;
    closeBreakouts(): Promise<void>;
  };
}

declare global {
  interface Window {
    __liveStats?: () => Promise<LiveStats>;
    __liveTest?: {
      dropSocket(): void;
      restoreNetwork(): void;
      failIce(): void;
      timings(): Record<string, number>;
      forceQuality(quality: Quality | null): void;
      outbound(): Promise<import("./quality").OutboundStream[]>;
      producers(): {
        source: string;
        producerId: string | null;
        trackId: string;
        deviceId: string | null;
        /** The captured size (track settings; null for audio). */
        width: number | null;
        height: number | null;
        readyState: string;
        senderTrackId: string | null;
      }[];
      transports(): { id: string; direction: string; connectionState: string; closed: boolean }[];
      transportStats(): Promise<Record<string, unknown>[]>;
    };
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

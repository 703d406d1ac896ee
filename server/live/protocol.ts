/**
 * The socket.io signalling protocol of the live room: ONE definition per message.
 *
 * - Client → server requests: a zod schema per event (`requestSchemas`), validated by the
 *   server's handler wrapper before any handler runs; the response type per event
 *   (`ResponseMap`). Every request must carry an acknowledgement callback, which receives
 *   an `Ack<T>`: `{ data: T }` or `{ error: { code, message } }`.
 * - Server → client notifications: a zod schema per event (`notificationSchemas`).
 *
 * Documented in docs/protocol.md. The browser client imports this file with
 * `import type` only, so zod never ships to the browser through it.
 */
import { z } from "zod";
import { BOARD_COLORS, BOARD_LIMITS, BOARD_SHAPES, BOARD_TEXT_SIZES, BOARD_WIDTHS } from "./board-constants.js";

// ---------------------------------------------------------------------------------------
// Errors

export const ERROR_CODES = [
  "bad_request", // payload failed validation, or request not valid in the current state
  "unauthorized", // no authenticated user on the socket
  "forbidden", // authenticated, but not allowed
  "not_found", // unknown id (also: an id that belongs to another peer or another room)
  "not_in_room", // request needs a joined room
  "limit", // a per-peer / per-room limit was reached
  "rate_limited", // too many requests of this kind from this person: slow down (see rateLimits)
  "internal", // server-side failure (logged); retrying may help
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export interface ErrorBody {
  code: ErrorCode;
  message: string;
}
export type Ack<T> = { data: T } | { error: ErrorBody };

/** Thrown by the server's handlers; the handler wrapper turns it into an error ack. */
export class LiveError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string) {
    super(message);
    this.name = "LiveError";
    this.code = code;
  }
}

// ---------------------------------------------------------------------------------------
// Shared pieces

/**
 * socket.io heartbeat of the live signalling (server/app.ts): a silent connection is closed
 * after pingInterval + pingTimeout. Short on purpose: a socket drop keeps the peer's media.
 */
export const SOCKET_PING_INTERVAL_MS = 3_000;
export const SOCKET_PING_TIMEOUT_MS = 4_000;

export const ROOM_ID_RE = /^[a-z0-9-]{1,64}$/i;
export const RoomIdSchema = z.string().regex(ROOM_ID_RE, "room id must match /^[a-z0-9-]{1,64}$/i");

/** Ids of transports, producers and consumers (mediasoup generates UUIDs). */
const MediaId = z.string().uuid();

export const MediaKindSchema = z.enum(["audio", "video"]);
export type MediaKind = z.infer<typeof MediaKindSchema>;

const ParamValue = z.union([z.string().max(1024), z.number().finite()]);
const ParamRecord = z
  .record(z.string().max(64), ParamValue)
  .refine((o) => Object.keys(o).length <= 32, "too many parameters");

const RtcpFeedbackSchema = z.object({
  type: z.string().min(1).max(64),
  parameter: z.string().max(64).optional(),
});

// Nested objects use zod's default "strip" mode: unknown keys are dropped, so mediasoup
// only ever sees the fields typed here. Top-level payloads are `.strict()`.

export const RtpCodecCapabilitySchema = z.object({
  kind: MediaKindSchema,
  mimeType: z.string().min(3).max(64),
  preferredPayloadType: z.number().int().min(0).max(127).optional(),
  clockRate: z.number().int().positive().max(1_000_000),
  channels: z.number().int().min(1).max(16).optional(),
  parameters: ParamRecord.optional(),
  rtcpFeedback: z.array(RtcpFeedbackSchema).max(32).optional(),
});

export const RtpHeaderExtensionSchema = z.object({
  kind: MediaKindSchema,
  uri: z.string().min(1).max(256),
  preferredId: z.number().int().min(1).max(255),
  preferredEncrypt: z.boolean().optional(),
  direction: z.enum(["sendrecv", "sendonly", "recvonly", "inactive"]).optional(),
});

export const RtpCapabilitiesSchema = z.object({
  codecs: z.array(RtpCodecCapabilitySchema).max(64).optional(),
  headerExtensions: z.array(RtpHeaderExtensionSchema).max(64).optional(),
});
export type RtpCapabilities = z.infer<typeof RtpCapabilitiesSchema>;

const uint32 = z.number().int().min(0).max(0xffffffff);

export const RtpParametersSchema = z.object({
  mid: z.string().max(32).optional(),
  codecs: z
    .array(
      z.object({
        mimeType: z.string().min(3).max(64),
        payloadType: z.number().int().min(0).max(127),
        clockRate: z.number().int().positive().max(1_000_000),
        channels: z.number().int().min(1).max(16).optional(),
        parameters: ParamRecord.optional(),
        rtcpFeedback: z.array(RtcpFeedbackSchema).max(32).optional(),
      }),
    )
    .min(1)
    .max(16),
  headerExtensions: z
    .array(
      z.object({
        uri: z.string().min(1).max(256),
        id: z.number().int().min(1).max(255),
        encrypt: z.boolean().optional(),
        parameters: ParamRecord.optional(),
      }),
    )
    .max(32)
    .optional(),
  encodings: z
    .array(
      z.object({
        ssrc: uint32.optional(),
        rid: z.string().max(32).optional(),
        codecPayloadType: z.number().int().min(0).max(127).optional(),
        rtx: z.object({ ssrc: uint32 }).optional(),
        dtx: z.boolean().optional(),
        scalabilityMode: z.string().max(16).optional(),
        scaleResolutionDownBy: z.number().min(1).max(64).optional(),
        maxBitrate: z.number().int().positive().optional(),
      }),
    )
    .max(8)
    .optional(),
  rtcp: z
    .object({
      cname: z.string().max(256).optional(),
      reducedSize: z.boolean().optional(),
      mux: z.boolean().optional(),
    })
    .optional(),
});
export type RtpParameters = z.infer<typeof RtpParametersSchema>;

export const DtlsParametersSchema = z.object({
  role: z.enum(["auto", "client", "server"]).optional(),
  fingerprints: z
    .array(z.object({ algorithm: z.string().min(1).max(16), value: z.string().min(1).max(256) }))
    .min(1)
    .max(8),
});
export type DtlsParameters = z.infer<typeof DtlsParametersSchema>;

/** Small, flat, client-chosen metadata of a producer (e.g. `{ source: "camera" }`). */
export const AppDataSchema = z
  .record(z.string().max(32), z.union([z.string().max(128), z.number().finite(), z.boolean(), z.null()]))
  .refine((o) => Object.keys(o).length <= 8, "too many appData keys");

export interface IceParameters {
  usernameFragment: string;
  password: string;
  iceLite?: boolean;
}
export interface IceCandidate {
  foundation: string;
  priority: number;
  ip: string;
  protocol: "udp" | "tcp";
  port: number;
  type: "host";
  tcpType?: "passive";
}

export const SOURCES = ["mic", "camera", "screen", "screen-audio"] as const;
/** What a producer carries; one producer per source per peer. */
export type MediaSource = (typeof SOURCES)[number];
export const MediaSourceSchema = z.enum(SOURCES);

export const PEER_ROLES = ["host", "admin", "participant"] as const;
/** host = the session's expert; admin = a platform admin; both are moderators. */
export type PeerRole = (typeof PEER_ROLES)[number];

export const QUALITIES = ["good", "fair", "poor", "unknown"] as const;
export type Quality = (typeof QUALITIES)[number];

export const DATA_SAVER_MODES = ["off", "low", "audio"] as const;
/** off = everything; low = audio + the spotlighted video at its lowest layer; audio = audio only. */
export type DataSaverMode = (typeof DATA_SAVER_MODES)[number];

export interface ProducerInfo {
  id: string;
  kind: MediaKind;
  source: MediaSource;
  paused: boolean;
}

export interface PeerInfo {
  /** Server-generated id of this peer (one socket in one room; kept across a resume). */
  id: string;
  userId: string;
  name: string;
  role: PeerRole;
  /** "reconnecting": the peer's connection dropped; it has a grace period to come back. */
  status: "connected" | "reconnecting";
  handRaised: boolean;
  /** From the peer's transport stats (producer and consumer scores), every 2 s. */
  quality: Quality;
  producers: ProducerInfo[];
  /** The breakout room the peer is in (1…count), null = the main room (docs/decisions/030). */
  group: number | null;
}

export interface ChatMessageInfo {
  id: string;
  userId: string;
  name: string;
  body: string;
  /** ISO 8601 */
  createdAt: string;
  /** Sent in a breakout room (1…count): only that room got it, and it is not kept. Absent: the main room. */
  room?: number;
}

export interface Spotlight {
  peerId: string;
  source: "camera" | "screen";
}

export interface RoomState {
  /** Set by a moderator; null = automatic (a screen share, else the host's camera). */
  spotlight: Spotlight | null;
  recording: { active: boolean; startedAt: string | null };
  /** Participants may share their screen (a moderator allows it with "host:allowScreenShare"). */
  screenShareAllowed: boolean;
  /** The video on everyone's big stage, chosen by the server (Room.spotlightVideo); null = none. */
  stage: Spotlight | null;
}

// Breakout rooms (docs/decisions/030-breakout-rooms.md)

export const BREAKOUT_LIMITS = { minRooms: 2, maxRooms: 20, maxMinutes: 240, messageChars: 300 } as const;

/** The breakout rooms as one peer sees them (every peer gets its own `yourRoom`). */
export interface BreakoutView {
  /** Rooms 1…count are open. */
  count: number;
  /** ISO 8601 */
  startedAt: string;
  /** ISO 8601: everyone is called back to the main room then. */
  endsAt: string;
  /** Where you are: 1…count, null = the main room. Who else is where: PeerInfo.group. */
  yourRoom: number | null;
}

export const POLL_KINDS = ["single", "multiple", "true_false", "short"] as const;
export type PollKind = (typeof POLL_KINDS)[number];
export const POLL_STATUSES = ["open", "closed", "released"] as const;
export const POLL_LIMITS = { perSession: 20, options: 10, optionChars: 100, questionChars: 300, shortAnswerChars: 200 } as const;

export interface PollInfo {
  id: string;
  question: string;
  kind: PollKind;
  /** single / multiple: the choices; true_false (shown as True / False) and short: []. */
  options: string[];
  anonymous: boolean;
  status: (typeof POLL_STATUSES)[number];
  /** ISO 8601 */
  createdAt: string;
}

export interface PollResults {
  pollId: string;
  /** How many people answered. */
  total: number;
  /** Answers per option (true_false: [true, false]); [] for short answers. */
  counts: number[];
  /** Short answers, newest first (at most 100); `name` only for moderators of a poll that is not anonymous. */
  answers: { name: string | null; text: string }[];
}

export interface CurrentPoll {
  poll: PollInfo;
  myAnswer: { choices: number[]; text: string | null } | null;
  results: PollResults | null;
}

// Whiteboard (docs/decisions/024-live-whiteboard.md). Coordinates are fractions of the
// board (16:9), quantised to integers 0..BOARD_LIMITS.coord; colours and sizes are indexes
// into small fixed palettes, so one op is a few hundred bytes.
// The limits and palettes are in board-constants.ts (no zod: the room's board code imports them).
export { BOARD_COLORS, BOARD_LIMITS, BOARD_SHAPES, BOARD_TEXT_SIZES, BOARD_WIDTHS, type BoardShape } from "./board-constants.js";

const BoardCoord = z.number().int().min(0).max(BOARD_LIMITS.coord);
const BoardColor = z.number().int().min(0).max(BOARD_COLORS.length - 1);
const BoardWidth = z.number().int().min(0).max(BOARD_WIDTHS.length - 1);
const BoardPage = z.number().int().min(0).max(BOARD_LIMITS.pages - 1);

/**
 * What a drawer sends: a pen stroke (`points` = x0, y0, x1, y1, … at most 400 points), a
 * shape (two corners / ends: x1, y1, x2, y2), or a text (its top-left corner, ≤ 200 characters).
 */
export const BoardOpInputSchema = z.discriminatedUnion("kind", [
  z
    .object({
      kind: z.literal("stroke"),
      color: BoardColor,
      width: BoardWidth,
      points: z.array(BoardCoord).min(2).max(BOARD_LIMITS.points * 2),
    })
    .strict(),
  z
    .object({
      kind: z.literal("shape"),
      shape: z.enum(BOARD_SHAPES),
      color: BoardColor,
      width: BoardWidth,
      points: z.array(BoardCoord).length(4),
    })
    .strict(),
  z
    .object({
      kind: z.literal("text"),
      color: BoardColor,
      size: z.number().int().min(0).max(BOARD_TEXT_SIZES.length - 1),
      points: z.array(BoardCoord).length(2),
      text: z.string().max(800).transform(cleanText).pipe(z.string().trim().min(1, "empty text").max(BOARD_LIMITS.textChars)),
    })
    .strict(),
]);
export type BoardOpInput = z.infer<typeof BoardOpInputSchema>;

/** An op on the board: what was drawn, with the server's id (order), page and author (user id). */
export type BoardOp = BoardOpInput & { id: string; page: number; by: string };

export interface BoardState {
  /** The board is shown in the room (over the stage or as a blank page). */
  open: boolean;
  /** true: a white page; false: transparent, over the stage (e.g. a screen share). */
  blank: boolean;
  /** The page everyone sees (0-based, < BOARD_LIMITS.pages). */
  page: number;
  /** User ids that may draw besides the moderators (the host allows them one by one). */
  drawers: string[];
}

// ---------------------------------------------------------------------------------------
// Text from people (chat, names)

/** C0 control characters but tab and newline, DEL and C1 controls: never stored or shown. */
const CONTROL_CHARS = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/g;
/** Half of a UTF-16 surrogate pair without its other half: not text (the database driver fails on it). */
const LONE_SURROGATES = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** A name or message without control characters or broken characters (a NUL byte breaks PostgreSQL text). */
export function cleanText(text: string): string {
  return text.replace(CONTROL_CHARS, "").replace(LONE_SURROGATES, "");
}

// ---------------------------------------------------------------------------------------
// Client → server requests

const PeerIdSchema = z.string().uuid();
/** A breakout room's number, 1…count (the count is checked by the server). */
const BreakoutRoomSchema = z.number().int().min(1).max(BREAKOUT_LIMITS.maxRooms);
/** Poll ids are database ids (cuid). */
const PollIdSchema = z.string().regex(/^[a-z0-9]{1,64}$/i, "not a poll id");
const TileSize = z.number().int().min(0).max(8192);

export const requestSchemas = {
  /**
   * Join the live room of a session (roomId = the LiveSession id). Authorised against the
   * database: the host, invited (not removed) or booked learners, and admins. `resume` = your
   * previous peer id after a dropped connection: you get the same peer back (same
   * attendance record, others saw you as "reconnecting"). `media` (with `resume`) = the
   * transports, producers and consumers you still hold: the server keeps those of them it
   * still has (media kept flowing during the drop) and closes the peer's others; without
   * `media` a resumed peer starts with no media. See `kept` in the answer.
   */
  "room:join": z
    .object({
      roomId: RoomIdSchema,
      resume: PeerIdSchema.optional(),
      media: z
        .object({
          transports: z.array(MediaId).max(8),
          producers: z.array(MediaId).max(8),
          consumers: z.array(MediaId).max(200),
        })
        .strict()
        .optional(),
      dataSaver: z.enum(DATA_SAVER_MODES).optional(),
    })
    .strict(),
  /** Leave the room: closes this peer's transports, producers and consumers. */
  "room:leave": z.object({}).strict().optional(),
  /** Create a WebRTC transport for sending or receiving. */
  "transport:create": z.object({ direction: z.enum(["send", "recv"]), plain: z.literal(true).optional() }).strict(),
  /**
   * LIVE_PLAIN_RTP=1 only (benches, tests): where one of your plain recv transports sends its
   * RTP. Refused ("forbidden") otherwise.
   */
  "transport:plainConnect": z.object({ transportId: MediaId, ip: z.string().ip(), port: z.number().int().min(1).max(65535) }).strict(),
  /** Give one of your transports the client's DTLS parameters. */
  "transport:connect": z.object({ transportId: MediaId, dtlsParameters: DtlsParametersSchema }).strict(),
  /** ICE restart of one of your transports (after an ICE failure): new ICE parameters. */
  "transport:restartIce": z.object({ transportId: MediaId }).strict(),
  /** Start sending a track on one of your send transports. */
  produce: z
    .object({
      transportId: MediaId,
      kind: MediaKindSchema,
      rtpParameters: RtpParametersSchema,
      appData: AppDataSchema.optional(),
    })
    .strict()
    .refine((p) => p.rtpParameters.codecs.every((c) => c.mimeType.toLowerCase().startsWith(`${p.kind}/`)), {
      message: "codec mimeTypes must match kind",
      path: ["rtpParameters", "codecs"],
    }),
  /**
   * Receive a producer of your room, on `transportId` (one of your recv transports) or by
   * default on your most recent recv transport. The consumer is created paused.
   */
  consume: z
    .object({
      producerId: MediaId,
      rtpCapabilities: RtpCapabilitiesSchema,
      transportId: MediaId.optional(),
    })
    .strict(),
  /** Resume one of your consumers (after the client created it locally). */
  "consumer:resume": z.object({ consumerId: MediaId }).strict(),
  /**
   * The on-screen size (device pixels) of one of your video consumers; 0×0 = not shown
   * (the server stops sending it). The server picks the simulcast layer from it.
   */
  "consumer:tile": z.object({ consumerId: MediaId, width: TileSize, height: TileSize }).strict(),
  /** Stop one of your producers. */
  "producer:close": z.object({ producerId: MediaId }).strict(),
  /** Mute (pause) / unmute (resume) one of your producers. */
  "producer:pause": z.object({ producerId: MediaId }).strict(),
  "producer:resume": z.object({ producerId: MediaId }).strict(),
  /** Data-saver mode for what you receive. */
  "peer:dataSaver": z.object({ mode: z.enum(DATA_SAVER_MODES) }).strict(),
  /** Raise or lower your hand. */
  "hand:set": z.object({ raised: z.boolean() }).strict(),
  /** Send a chat message to the room (stored with the session). */
  "chat:send": z
    .object({ body: z.string().max(1000).transform(cleanText).pipe(z.string().trim().min(1, "empty message")) })
    .strict(),
  // Moderator requests (host or admin): "forbidden" for everyone else.
  /** Mute a peer's microphone (they may unmute themselves). */
  "host:mute": z.object({ peerId: PeerIdSchema }).strict(),
  /** Mute every microphone but your own. */
  "host:muteAll": z.object({}).strict().optional(),
  /** Stop a peer's camera and screen share (closes its camera, screen and screen-audio producers). */
  "host:stopVideo": z.object({ peerId: PeerIdSchema }).strict(),
  /**
   * Allow or forbid participants to share their screen (default: forbidden). Forbidding it
   * stops every participant's running screen share.
   */
  "host:allowScreenShare": z.object({ allowed: z.boolean() }).strict(),
  /** Remove a participant: they leave and cannot rejoin this session. */
  "host:remove": z.object({ peerId: PeerIdSchema }).strict(),
  /** Spotlight a peer's camera or screen share for everyone; null = automatic. */
  "host:spotlight": z
    .object({ spotlight: z.object({ peerId: PeerIdSchema, source: z.enum(["camera", "screen"]) }).strict().nullable() })
    .strict(),
  /** Lower someone's raised hand. */
  "host:lowerHand": z.object({ peerId: PeerIdSchema }).strict(),
  /** End the session for everyone (it cannot be rejoined). */
  "host:end": z.object({}).strict().optional(),
  /** Start / stop recording the room (audio + the spotlighted video) to a WebM file. */
  "recording:start": z.object({}).strict().optional(),
  "recording:stop": z.object({}).strict().optional(),
  // Polls (docs/protocol.md "Polls"). Create, close and release: moderators only.
  /**
   * Ask a poll (one open poll at a time, at most 20 per session). single / multiple: 2–10
   * options of ≤ 100 characters; true_false / short: no options. `anonymous`: nobody sees
   * who answered what (not even the host; the CSV export leaves the names out).
   */
  "poll:create": z
    .object({
      question: z.string().max(1000).transform(cleanText).pipe(z.string().trim().min(1, "empty question").max(POLL_LIMITS.questionChars)),
      kind: z.enum(POLL_KINDS),
      options: z
        .array(z.string().max(400).transform(cleanText).pipe(z.string().trim().min(1, "empty option").max(POLL_LIMITS.optionChars)))
        .max(POLL_LIMITS.options)
        .optional(),
      anonymous: z.boolean().optional(),
    })
    .strict()
    .refine(
      (p) =>
        p.kind === "single" || p.kind === "multiple"
          ? (p.options?.length ?? 0) >= 2 && new Set(p.options).size === p.options!.length
          : !p.options?.length,
      { message: "single / multiple choice: 2 to 10 different options; true/false and short answer: none", path: ["options"] },
    ),
  /**
   * Answer the open poll of your room (or change your answer while it is open). Choice
   * polls: `choices` = option indexes (true/false: 0 = true, 1 = false; single and
   * true/false exactly one); short answer: `text` (≤ 200 characters).
   */
  "poll:answer": z
    .object({
      pollId: PollIdSchema,
      choices: z.array(z.number().int().min(0).max(POLL_LIMITS.options - 1)).min(1).max(POLL_LIMITS.options).optional(),
      text: z.string().max(800).transform(cleanText).pipe(z.string().trim().min(1, "empty answer").max(POLL_LIMITS.shortAnswerChars)).optional(),
    })
    .strict()
    .refine((p) => (p.choices === undefined) !== (p.text === undefined), { message: "send either choices or text" }),
  /** Stop taking answers (the results stay with the moderators until released). */
  "poll:close": z.object({ pollId: PollIdSchema }).strict(),
  /** Show the results to everyone in the room (closes the poll if it is still open). */
  "poll:release": z.object({ pollId: PollIdSchema }).strict(),
  // Whiteboard (docs/protocol.md "Whiteboard"). Drawing: moderators and the participants
  // a moderator allowed (board:allow); the board must be open.
  /** Draw one op on a page of the board (stored with the session; the others get "board:op"). */
  "board:draw": z
    .object({ page: BoardPage, op: BoardOpInputSchema })
    .strict()
    .refine((p) => p.op.points.length % 2 === 0, { message: "points are x, y pairs", path: ["op", "points"] }),
  /** Where your laser pointer is (relayed to the room, never stored; send at most 10 per second). */
  "board:laser": z.object({ x: BoardCoord, y: BoardCoord }).strict(),
  /** Take back your own last op that is still on the board. */
  "board:undo": z.object({}).strict().optional(),
  /** The ops of one page (e.g. after the host turned the page). */
  "board:page": z.object({ page: BoardPage }).strict(),
  // Moderators only:
  /** Open or close the board for everyone, switch blank page / over the stage, turn the page. */
  "board:set": z
    .object({ open: z.boolean().optional(), blank: z.boolean().optional(), page: BoardPage.optional() })
    .strict(),
  /** Allow or forbid a participant to draw (default: only moderators draw). */
  "board:allow": z.object({ peerId: PeerIdSchema, allowed: z.boolean() }).strict(),
  /** Wipe one page (its ops stay out of the board and of the PDF). */
  "board:clear": z.object({ page: BoardPage }).strict(),
  // Breakout rooms (docs/protocol.md "Breakout rooms"). Moderators only.
  /**
   * Split the room into `count` breakout rooms for `minutes`. assignment "auto": the
   * participants (people, in the order they joined) round-robin; or { peerId: room 1…count
   * or null = stay in the main room } (peers not listed stay in the main room).
   */
  "breakout:open": z
    .object({
      count: z.number().int().min(BREAKOUT_LIMITS.minRooms).max(BREAKOUT_LIMITS.maxRooms),
      minutes: z.number().int().min(1).max(BREAKOUT_LIMITS.maxMinutes),
      assignment: z.union([
        z.literal("auto"),
        z
          .record(PeerIdSchema, BreakoutRoomSchema.nullable())
          .refine((o) => Object.keys(o).length <= 200, "too many peers"),
      ]),
    })
    .strict(),
  /** Move a person (all their peers) to room 1…count, or back to the main room (null), while breakouts run. */
  "breakout:move": z.object({ peerId: PeerIdSchema, room: BreakoutRoomSchema.nullable() }).strict(),
  /** A message to everyone in every room ("breakout:message"). */
  "breakout:broadcast": z
    .object({
      text: z.string().max(1200).transform(cleanText).pipe(z.string().trim().min(1, "empty message").max(BREAKOUT_LIMITS.messageChars)),
    })
    .strict(),
  /** Join a breakout room's media and chat yourself (null = back to the main room). */
  "breakout:visit": z.object({ room: BreakoutRoomSchema.nullable() }).strict(),
  /** Call everyone back to the main room (also happens by itself when the time is up). */
  "breakout:close": z.object({}).strict().optional(),
} as const;

export type RequestName = keyof typeof requestSchemas;

/**
 * Per PERSON (user id, over all their sockets) and request kind: a token bucket of `burst`
 * tokens refilled at `perSecond`. A request without a token gets `{ error: { code:
 * "rate_limited" } }` before its payload is even parsed. Fan-out requests (what others
 * receive: hand, chat, mute state, producers, moderation) are the tightest.
 */
export const rateLimits: { [E in RequestName]: { burst: number; perSecond: number } } = {
  "room:join": { burst: 20, perSecond: 1 },
  "room:leave": { burst: 10, perSecond: 0.5 },
  "transport:create": { burst: 12, perSecond: 1 },
  "transport:connect": { burst: 12, perSecond: 1 },
  "transport:plainConnect": { burst: 12, perSecond: 1 },
  "transport:restartIce": { burst: 6, perSecond: 0.5 },
  produce: { burst: 8, perSecond: 0.5 },
  consume: { burst: 200, perSecond: 20 },
  "consumer:resume": { burst: 200, perSecond: 20 },
  "consumer:tile": { burst: 100, perSecond: 20 },
  "producer:close": { burst: 8, perSecond: 0.5 },
  "producer:pause": { burst: 10, perSecond: 1 },
  "producer:resume": { burst: 10, perSecond: 1 },
  "peer:dataSaver": { burst: 6, perSecond: 0.5 },
  "hand:set": { burst: 6, perSecond: 0.5 },
  "chat:send": { burst: 10, perSecond: 1 },
  "host:mute": { burst: 20, perSecond: 2 },
  "host:muteAll": { burst: 5, perSecond: 0.5 },
  "host:stopVideo": { burst: 20, perSecond: 2 },
  "host:allowScreenShare": { burst: 6, perSecond: 0.5 },
  "host:remove": { burst: 20, perSecond: 2 },
  "host:spotlight": { burst: 10, perSecond: 1 },
  "host:lowerHand": { burst: 20, perSecond: 2 },
  "host:end": { burst: 3, perSecond: 0.2 },
  "recording:start": { burst: 4, perSecond: 0.1 },
  "recording:stop": { burst: 4, perSecond: 0.1 },
  "poll:create": { burst: 5, perSecond: 0.2 },
  "poll:answer": { burst: 10, perSecond: 1 },
  "poll:close": { burst: 10, perSecond: 0.5 },
  "poll:release": { burst: 10, perSecond: 0.5 },
  "board:draw": { burst: 20, perSecond: 5 },
  "board:laser": { burst: 20, perSecond: 12 },
  "board:undo": { burst: 10, perSecond: 3 },
  "board:page": { burst: 10, perSecond: 1 },
  "board:set": { burst: 10, perSecond: 1 },
  "board:allow": { burst: 20, perSecond: 2 },
  "board:clear": { burst: 5, perSecond: 0.5 },
  "breakout:open": { burst: 10, perSecond: 0.2 },
  "breakout:move": { burst: 20, perSecond: 2 },
  "breakout:broadcast": { burst: 5, perSecond: 0.2 },
  "breakout:visit": { burst: 10, perSecond: 1 },
  "breakout:close": { burst: 5, perSecond: 0.2 },
};
/** Events that are not requests (unknown names) share one bucket per person. */
export const UNKNOWN_EVENT_RATE = { burst: 20, perSecond: 2 };
export type RequestPayload<E extends RequestName> = z.infer<(typeof requestSchemas)[E]>;
export const REQUEST_NAMES = Object.keys(requestSchemas) as RequestName[];

export interface RoomJoinResponse {
  roomId: string;
  /** Your own peer id in this room. */
  peerId: string;
  /** true when `resume` matched: same peer as before the drop. */
  resumed: boolean;
  /**
   * Of the `media` you listed (resume only), what the server still has and kept: keep using
   * exactly these; create anew what is missing. Empty when not resumed.
   */
  kept: { transports: string[]; producers: string[]; consumers: string[] };
  role: PeerRole;
  session: { id: string; title: string; hostId: string };
  routerRtpCapabilities: RtpCapabilities;
  /** The other peers already in the room, with their producers. */
  peers: PeerInfo[];
  /** The last 100 chat messages, oldest first. */
  chat: ChatMessageInfo[];
  state: RoomState;
  /**
   * The session's most recent poll, with your answer to it; `results` when released, or
   * always for moderators (their live view); null = no poll yet.
   */
  poll: CurrentPoll | null;
  /** The whiteboard: its state, and the ops of its current page when it is open ([] when closed). */
  board: { state: BoardState; ops: BoardOp[] };
  /** The breakout rooms while they run (you may land in the room you were assigned before); null = none. */
  breakout: BreakoutView | null;
}
export interface TransportCreateResponse {
  id: string;
  iceParameters: IceParameters;
  iceCandidates: IceCandidate[];
  dtlsParameters: DtlsParameters;
  /** Plain-RTP transports only (LIVE_PLAIN_RTP=1): where to send RTP (ICE and DTLS fields are empty). */
  plain?: { ip: string; port: number };
}
export interface ConsumeResponse {
  id: string;
  producerId: string;
  kind: MediaKind;
  rtpParameters: RtpParameters;
}
export type EmptyResponse = Record<string, never>;

export interface ResponseMap {
  "room:join": RoomJoinResponse;
  "room:leave": EmptyResponse;
  "transport:create": TransportCreateResponse;
  "transport:connect": EmptyResponse;
  "transport:plainConnect": EmptyResponse;
  "transport:restartIce": { iceParameters: IceParameters };
  produce: { id: string };
  consume: ConsumeResponse;
  "consumer:resume": EmptyResponse;
  "consumer:tile": EmptyResponse;
  "producer:close": EmptyResponse;
  "producer:pause": EmptyResponse;
  "producer:resume": EmptyResponse;
  "peer:dataSaver": EmptyResponse;
  "hand:set": EmptyResponse;
  "chat:send": ChatMessageInfo;
  "host:mute": EmptyResponse;
  "host:muteAll": EmptyResponse;
  "host:stopVideo": EmptyResponse;
  "host:allowScreenShare": EmptyResponse;
  "host:remove": EmptyResponse;
  "host:spotlight": EmptyResponse;
  "host:lowerHand": EmptyResponse;
  "host:end": EmptyResponse;
  "recording:start": EmptyResponse;
  "recording:stop": EmptyResponse;
  "poll:create": { poll: PollInfo };
  "poll:answer": EmptyResponse;
  "poll:close": { poll: PollInfo };
  "poll:release": { poll: PollInfo };
  "board:draw": { op: BoardOp };
  "board:laser": EmptyResponse;
  /** The op taken back; null = you had nothing left to undo. */
  "board:undo": { opId: string | null };
  "board:page": { page: number; ops: BoardOp[] };
  "board:set": { state: BoardState };
  "board:allow": { state: BoardState };
  "board:clear": EmptyResponse;
  "breakout:open": { breakout: BreakoutView };
  "breakout:move": EmptyResponse;
  "breakout:broadcast": EmptyResponse;
  "breakout:visit": EmptyResponse;
  "breakout:close": EmptyResponse;
}

// ---------------------------------------------------------------------------------------
// Server → client notifications

export const SESSION_END_REASONS = [
  "logout",
  "sessions_ended",
  "password_changed",
  "role_changed",
  "disabled",
  "removed_from_school",
  "expired", // the log-in session expired or was deleted (found by the periodic re-check)
  "access_lost", // the room no longer admits you (found by the periodic re-check)
] as const;
export type SessionEndReason = (typeof SESSION_END_REASONS)[number];

const ProducerInfoSchema = z.object({
  id: z.string(),
  kind: MediaKindSchema,
  source: MediaSourceSchema,
  paused: z.boolean(),
});
const PeerInfoSchema = z.object({
  id: z.string(),
  userId: z.string(),
  name: z.string(),
  role: z.enum(PEER_ROLES),
  status: z.enum(["connected", "reconnecting"]),
  handRaised: z.boolean(),
  quality: z.enum(QUALITIES),
  producers: z.array(ProducerInfoSchema),
  group: z.number().int().nullable(),
});
const ChatMessageSchema = z.object({
  id: z.string(),
  userId: z.string(),
  name: z.string(),
  body: z.string(),
  createdAt: z.string(),
  room: z.number().int().optional(),
});
const PollInfoSchema = z.object({
  id: z.string(),
  question: z.string(),
  kind: z.enum(POLL_KINDS),
  options: z.array(z.string()),
  anonymous: z.boolean(),
  status: z.enum(POLL_STATUSES),
  createdAt: z.string(),
});
const PollResultsSchema = z.object({
  pollId: z.string(),
  total: z.number(),
  counts: z.array(z.number()),
  answers: z.array(z.object({ name: z.string().nullable(), text: z.string() })),
});
const RoomStateSchema = z.object({
  spotlight: z.object({ peerId: z.string(), source: z.enum(["camera", "screen"]) }).nullable(),
  recording: z.object({ active: z.boolean(), startedAt: z.string().nullable() }),
  screenShareAllowed: z.boolean(),
  stage: z.object({ peerId: z.string(), source: z.enum(["camera", "screen"]) }).nullable(),
});

const BoardStateSchema = z.object({ open: z.boolean(), blank: z.boolean(), page: z.number(), drawers: z.array(z.string()) });
const BoardOpWireSchema = z.intersection(BoardOpInputSchema, z.object({ id: z.string(), page: z.number(), by: z.string() }));

export const notificationSchemas = {
  /** Another peer joined your room. */
  "peer:joined": z.object({ peer: PeerInfoSchema }),
  /** Another peer left your room (its producers and your consumers of them are gone). */
  "peer:left": z.object({ peerId: z.string(), reason: z.enum(["left", "disconnected", "removed"]).optional() }),
  /** A peer's status, hand, quality or producers changed (the whole PeerInfo; yours too). */
  "peer:updated": z.object({ peer: PeerInfoSchema }),
  /** Another peer of your room started producing: consume it. */
  "producer:new": z.object({
    peerId: z.string(),
    producerId: z.string(),
    kind: MediaKindSchema,
    source: MediaSourceSchema,
    paused: z.boolean(),
  }),
  /** Another peer of your room closed a producer. */
  "producer:closed": z.object({ peerId: z.string(), producerId: z.string() }),
  /** A producer of your room was paused (muted) or resumed. */
  "producer:paused": z.object({ peerId: z.string(), producerId: z.string(), paused: z.boolean() }),
  /** One of your consumers was closed server-side (its producer or transport closed). */
  "consumer:closed": z.object({ consumerId: z.string(), producerId: z.string() }),
  /** The layers the server now sends on one of your video consumers (null = none, paused). */
  "consumer:layers": z.object({
    consumerId: z.string(),
    spatialLayer: z.number().nullable(),
    temporalLayer: z.number().nullable(),
  }),
  /** Audio levels (dBov, -127…0) of the loudest speakers, loudest first; [] = silence. */
  "room:speakers": z.object({ speakers: z.array(z.object({ peerId: z.string(), volume: z.number() })) }),
  /** A chat message (yours too). */
  "chat:message": z.object({ message: ChatMessageSchema }),
  /** A moderator asked a poll (everyone in the room; small: no results). */
  "poll:opened": z.object({ poll: PollInfoSchema }),
  /** The poll stopped taking answers (everyone). */
  "poll:closed": z.object({ pollId: z.string() }),
  /**
   * Live results of a poll, to moderators only, after answers come in (at most about every
   * 300 ms per poll). Names next to short answers unless the poll is anonymous.
   */
  "poll:results": z.object({ results: PollResultsSchema }),
  /** A moderator released a poll's results: everyone sees them (never with names). */
  "poll:released": z.object({ poll: PollInfoSchema, results: PollResultsSchema }),
  /** Someone drew on the board (not sent back to the drawer's own socket: it has the ack). */
  "board:op": z.object({ op: BoardOpWireSchema }),
  /** Ops left the board (undone by their author). */
  "board:removed": z.object({ opIds: z.array(z.string()) }),
  /** A moderator wiped a page. */
  "board:cleared": z.object({ page: z.number() }),
  /** The board was opened / closed, switched page or mode, or who may draw changed. */
  "board:state": z.object({ state: BoardStateSchema }),
  /** A laser pointer moved (`by` = user id); hide it after ~1.5 s without news. */
  "board:laser": z.object({ by: z.string(), x: z.number(), y: z.number() }),
  /**
   * Breakout rooms opened, changed (someone moved, you visit) or closed (null: everyone is
   * back in the main room). Each peer gets its own `yourRoom`.
   */
  "breakout:state": z.object({
    breakout: z
      .object({ count: z.number().int(), startedAt: z.string(), endsAt: z.string(), yourRoom: z.number().int().nullable() })
      .nullable(),
  }),
  /** A moderator's message to every room (`by` = their name). */
  "breakout:message": z.object({ text: z.string(), by: z.string(), at: z.string() }),
  /** Spotlight or recording changed (each peer gets its own room's stage). */
  "room:state": z.object({ state: RoomStateSchema }),
  /**
   * A moderator changed your media: "muted" (your mic producer was paused), "video_stopped"
   * (your camera producer closed), "screen_stopped" (your screen share closed: stopped by a
   * moderator, or screen sharing was forbidden), "hand_lowered".
   */
  "moderation:applied": z.object({
    action: z.enum(["muted", "video_stopped", "screen_stopped", "hand_lowered"]),
    by: z.string(),
  }),
  /** You were removed from the session by a moderator; do not rejoin (you can't). */
  "room:removed": z.object({ by: z.string() }),
  /** The session was ended for everyone. */
  "room:ended": z.object({}),
  /**
   * Your room was closed server-side (its media worker died): you are no longer in a
   * room; send "room:join" again (you will get a fresh room on a healthy worker).
   */
  "room:rejoin": z.object({ roomId: z.string(), reason: z.enum(["worker_died"]) }),
  /**
   * Your log-in no longer holds (log-out, ended sessions, password or role change, deleted
   * account, lost access to the room, the session ended): the server disconnects this
   * socket right after. Sign in again (or reload) rather than reconnecting.
   */
  "session:ended": z.object({ reason: z.enum(SESSION_END_REASONS) }),
} as const;

export type NotificationName = keyof typeof notificationSchemas;
export type NotificationPayload<E extends NotificationName> = z.infer<(typeof notificationSchemas)[E]>;

/** socket.io typing helpers (optional): `Socket<ServerToClientEvents, ...>` on the client. */
export type ServerToClientEvents = {
  [E in NotificationName]: (payload: NotificationPayload<E>) => void;
};
export type ClientToServerEvents = {
  [E in RequestName]: (payload: RequestPayload<E>, ack: (response: Ack<ResponseMap[E]>) => void) => void;
};

// ---------------------------------------------------------------------------------------
// Between server processes (REDIS_URL set): rooms across processes (docs/decisions/033).
// Published on Redis to `<REDIS_PREFIX>:live:pipe:<process id>`, one JSON message each; the
// receiver validates it here and ignores what fails (Redis is the trust boundary: only the
// servers can publish, but a malformed or stale message must never crash one). `link` names
// one origin↔edge pair of pipe transports of one session.

const ProcessIdSchema = z.string().uuid();
const PipeEnvelope = { sessionId: RoomIdSchema, from: ProcessIdSchema, link: z.string().uuid() };
const PipeIp = z.string().ip();
const PipePort = z.number().int().min(1).max(65535);
/** A peer as other processes see it (its producers listed; only the piped ones are shown). */
export const RemotePeerInfoSchema = z
  .object({
    id: PeerIdSchema,
    userId: z.string().min(1).max(128),
    name: z.string().max(200),
    role: z.enum(PEER_ROLES),
    status: z.enum(["connected", "reconnecting"]),
    handRaised: z.boolean(),
    quality: z.enum(QUALITIES),
    producers: z.array(z.object({ id: MediaId, kind: MediaKindSchema, source: MediaSourceSchema, paused: z.boolean() })).max(8),
    group: z.number().int().nullable(),
  })
  .strict();
const PeerListSchema = z.array(RemotePeerInfoSchema).max(2_000);

export const pipeMessageSchema = z.discriminatedUnion("type", [
  /** Edge → origin: here is my pipe transport; pipe the session to me. `peers`: the edge's own. */
  z.object({ type: z.literal("offer"), ...PipeEnvelope, ip: PipeIp, port: PipePort, peers: PeerListSchema }).strict(),
  /** Origin → edge: my pipe transport for this link; `peers`: every peer not on the edge. */
  z.object({ type: z.literal("answer"), ...PipeEnvelope, ip: PipeIp, port: PipePort, peers: PeerListSchema }).strict(),
  /** "I hold no such room / link": the edge places its room again. */
  z.object({ type: z.literal("refuse"), ...PipeEnvelope }).strict(),
  /** The sender's end of the link is gone (its room closed). */
  z.object({ type: z.literal("close"), ...PipeEnvelope }).strict(),
  /** Edge → origin, every heartbeat: the link is still wanted. */
  z.object({ type: z.literal("alive"), ...PipeEnvelope }).strict(),
  /** A peer joined or changed (whole info). */
  z.object({ type: z.literal("peer"), ...PipeEnvelope, peer: RemotePeerInfoSchema }).strict(),
  z.object({ type: z.literal("peerLeft"), ...PipeEnvelope, peerId: PeerIdSchema, reason: z.enum(["left", "disconnected", "removed"]) }).strict(),
  /** The sender consumes `producerId` on its pipe transport: produce it on yours (same id). */
  z
    .object({
      type: z.literal("producer"),
      ...PipeEnvelope,
      peerId: PeerIdSchema,
      producerId: MediaId,
      kind: MediaKindSchema,
      source: MediaSourceSchema,
      paused: z.boolean(),
      rtpParameters: RtpParametersSchema,
    })
    .strict(),
  z.object({ type: z.literal("producerClosed"), ...PipeEnvelope, producerId: MediaId }).strict(),
  z.object({ type: z.literal("producerPaused"), ...PipeEnvelope, producerId: MediaId, paused: z.boolean() }).strict(),
  /** A moderator muted a peer held by the receiver (or beyond it: the origin forwards). */
  z.object({ type: z.literal("mute"), ...PipeEnvelope, peerId: PeerIdSchema, by: z.string().max(200) }).strict(),
]);
export type PipeMessage = z.infer<typeof pipeMessageSchema>;

/** The room directory entry of a session (Redis `<prefix>:live:room:<session id>`, JSON). */
export const roomDirectoryEntrySchema = z.object({ processId: ProcessIdSchema, ip: PipeIp, at: z.number() }).strict();
export type RoomDirectoryEntry = z.infer<typeof roomDirectoryEntrySchema>;

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

// ---------------------------------------------------------------------------------------
// Errors

export const ERROR_CODES = [
  "bad_request", // payload failed validation, or request not valid in the current state
  "unauthorized", // no authenticated user on the socket
  "forbidden", // authenticated, but not allowed
  "not_found", // unknown id (also: an id that belongs to another peer or another room)
  "not_in_room", // request needs a joined room
  "limit", // a per-peer / per-room limit was reached
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

export interface PeerInfo {
  /** Server-generated id of this peer (one socket in one room). */
  id: string;
  userId: string;
  name: string;
  producers: { id: string; kind: MediaKind }[];
}

// ---------------------------------------------------------------------------------------
// Client → server requests

export const requestSchemas = {
  /** Join a room (created on demand). One socket is in at most one room. */
  "room:join": z.object({ roomId: RoomIdSchema }).strict(),
  /** Leave the room: closes this peer's transports, producers and consumers. */
  "room:leave": z.object({}).strict().optional(),
  /** Create a WebRTC transport for sending or receiving. */
  "transport:create": z.object({ direction: z.enum(["send", "recv"]) }).strict(),
  /** Give one of your transports the client's DTLS parameters. */
  "transport:connect": z.object({ transportId: MediaId, dtlsParameters: DtlsParametersSchema }).strict(),
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
  /** Stop one of your producers. */
  "producer:close": z.object({ producerId: MediaId }).strict(),
} as const;

export type RequestName = keyof typeof requestSchemas;
export type RequestPayload<E extends RequestName> = z.infer<(typeof requestSchemas)[E]>;
export const REQUEST_NAMES = Object.keys(requestSchemas) as RequestName[];

export interface RoomJoinResponse {
  roomId: string;
  /** Your own peer id in this room. */
  peerId: string;
  routerRtpCapabilities: RtpCapabilities;
  /** The other peers already in the room, with their producers. */
  peers: PeerInfo[];
}
export interface TransportCreateResponse {
  id: string;
  iceParameters: IceParameters;
  iceCandidates: IceCandidate[];
  dtlsParameters: DtlsParameters;
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
  produce: { id: string };
  consume: ConsumeResponse;
  "consumer:resume": EmptyResponse;
  "producer:close": EmptyResponse;
}

// ---------------------------------------------------------------------------------------
// Server → client notifications

const PeerInfoSchema = z.object({
  id: z.string(),
  userId: z.string(),
  name: z.string(),
  producers: z.array(z.object({ id: z.string(), kind: MediaKindSchema })),
});

export const notificationSchemas = {
  /** Another peer joined your room. */
  "peer:joined": z.object({ peer: PeerInfoSchema }),
  /** Another peer left your room (its producers and your consumers of them are gone). */
  "peer:left": z.object({ peerId: z.string() }),
  /** Another peer of your room started producing: consume it. */
  "producer:new": z.object({ peerId: z.string(), producerId: z.string(), kind: MediaKindSchema }),
  /** Another peer of your room closed a producer. */
  "producer:closed": z.object({ peerId: z.string(), producerId: z.string() }),
  /** One of your consumers was closed server-side (its producer or transport closed). */
  "consumer:closed": z.object({ consumerId: z.string(), producerId: z.string() }),
  /**
   * Your room was closed server-side (its media worker died): you are no longer in a
   * room; send "room:join" again (you will get a fresh room on a healthy worker).
   */
  "room:rejoin": z.object({ roomId: z.string(), reason: z.enum(["worker_died"]) }),
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

// Connection and reconnection: the socket's request/answer, timeouts, and the peer id kept
// in sessionStorage so a reload or a dropped socket rejoins as the same peer (resume).
import type { Socket } from "socket.io-client";
import type { Ack, RequestName, RequestPayload, ResponseMap } from "../../../../server/live/protocol";
import { LiveClientError } from "./types";

export const REQUEST_TIMEOUT_MS = 10_000;
/**
 * A transport whose ICE stays "disconnected" this long is restarted — but only while the
 * signalling is alive (a server ping within SIGNALLING_FRESH_MS): then the media path broke
 * on its own (a new address, a NAT rebinding). When the whole network is down, ICE recovers
 * by itself once it returns, and an ICE restart sent into a dead socket would only arrive
 * late and break the path that came back (docs/decisions/020-reconnect-without-media-teardown.md).
 */
export const ICE_DISCONNECTED_RESTART_MS = 3_000;
/**
 * Within this long after a resume (the socket came back from a drop), a transport whose ICE
 * is down is restarted at once: the network is back, so its old path is gone for good (a new
 * address, another network).
 */
export const RESUMED_RECENTLY_MS = 10_000;
/** After an ICE restart was applied: not connected this much later → new transports. */
export const ICE_RESTART_GIVE_UP_MS = 8_000;
/** The server pings every 3 s (SOCKET_PING_INTERVAL_MS): a ping this recent means signalling works. */
export const SIGNALLING_FRESH_MS = 4_500;
/** Reconnecting this long (the server's default grace period): "Connection lost". */
export const CONNECTION_LOST_MS = 30_000;
/**
 * socket.io-client Manager options: a new attempt at most ~1 s after a failed one, and an
 * attempt whose handshake hangs (a SYN lost while the network was down) given up after 3 s,
 * so a returning network is used within about a second or two.
 */
export const SOCKET_OPTIONS = {
  reconnectionDelay: 300,
  reconnectionDelayMax: 1_000,
  randomizationFactor: 0.3,
  timeout: 3_000,
} as const;


/**
 * The room's connection status from what actually works: "connected" when the socket is in
 * the room and no transport's ICE is disconnected/failed; otherwise "reconnecting", and
 * "lost" once the outage (since `outageSince`, performance.now() ms) has lasted
 * CONNECTION_LOST_MS. Returns the status and the outage start to keep.
 */
export function connectivityStatus(input: {
  socketInRoom: boolean;
  transportStates: string[];
  outageSince: number | null;
  now: number;
}): { status: "connected" | "reconnecting" | "lost"; outageSince: number | null } {
  const down = input.transportStates.some((s) => s === "disconnected" || s === "failed");
  if (input.socketInRoom && !down) return { status: "connected", outageSince: null };
  const since = input.outageSince ?? input.now;
  return { status: input.now - since >= CONNECTION_LOST_MS ? "lost" : "reconnecting", outageSince: since };
}

/** One request over the socket; the server's error answer becomes a LiveClientError. */
export async function request<E extends RequestName>(socket: Socket | null, event: E, payload: RequestPayload<E>): Promise<ResponseMap[E]> {
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

const RESUME_KEY = (roomId: string) => `skillrelay:live:${roomId}:peer`;

export function readResumeId(roomId: string): string | null {
  try {
    return sessionStorage.getItem(RESUME_KEY(roomId));
  } catch {
    return null;
  }
}

export function writeResumeId(roomId: string, peerId: string): void {
  try {
    sessionStorage.setItem(RESUME_KEY(roomId), peerId);
  } catch {
    // storage unavailable: a reload then simply joins as a new peer
  }
}

export function clearResumeId(roomId: string): void {
  try {
    sessionStorage.removeItem(RESUME_KEY(roomId));
  } catch {
    // ignore
  }
}

export function toError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

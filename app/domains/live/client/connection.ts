// Connection and reconnection: the socket's request/answer, timeouts, and the peer id kept
// in sessionStorage so a reload or a dropped socket rejoins as the same peer (resume).
import type { Socket } from "socket.io-client";
import type { Ack, RequestName, RequestPayload, ResponseMap } from "../../../../server/live/protocol";
import { LiveClientError } from "./types";

export const REQUEST_TIMEOUT_MS = 10_000;
export const ICE_DISCONNECTED_RESTART_MS = 2_000;
export const ICE_RESTART_GIVE_UP_MS = 6_000;


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

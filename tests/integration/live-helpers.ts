/**
 * Helpers for the live-room integration tests: the REAL server (startServer: Express +
 * socket.io + Lucia cookie auth + mediasoup workers) on an ephemeral port with this file's
 * database, users and sessions created with Prisma, sockets logged in with real session
 * cookies.
 */
import { expect } from "vitest";
import { io as connectClient, type Socket as ClientSocket } from "socket.io-client";
import { prisma } from "~/domains/db.server";
import { createSessionCookie } from "~/domains/auth/session.server";
import type { RtpParameters } from "../../server/live/protocol.js";
import type { RunningServer } from "../../server/app.js";

export type AckResponse = { data?: any; error?: { code: string; message: string } };

export interface Harness {
  server: RunningServer;
  url: string;
  sockets: ClientSocket[];
}

export async function startLiveServer(env: Record<string, string> = {}): Promise<Harness> {
  process.env.LIVE_LOG_LEVEL ??= "warn";
  process.env.MEDIASOUP_NUM_WORKERS ??= "2";
  Object.assign(process.env, env);
  const { startServer } = await import("../../server/app.js");
  const server = await startServer({ port: 0, host: "127.0.0.1", log: () => undefined });
  return { server, url: server.url.replace("localhost", "127.0.0.1"), sockets: [] };
}

export async function stopLiveServer(h: Harness | undefined): Promise<void> {
  if (!h) return;
  for (const s of h.sockets) s.disconnect();
  await h.server.close();
}

let counter = 0;
export async function makeUser(role: "learner" | "expert" | "admin" | "school_admin" = "learner", name?: string) {
  counter++;
  const tag = `${Date.now().toString(36)}${counter}`;
  return prisma.user.create({
    data: { email: `${role}-${tag}@live.test`, name: name ?? `${role} ${tag}`, role, passwordHash: "x" },
    select: { id: true, name: true, email: true, role: true },
  });
}

export async function makeSession(
  hostId: string,
  opts: { invite?: string[]; book?: string[]; startsAt?: Date; minutes?: number; capacity?: number; title?: string } = {},
) {
  const startsAt = opts.startsAt ?? new Date();
  return prisma.liveSession.create({
    data: {
      hostId,
      title: opts.title ?? "Welding basics",
      kind: "group",
      capacity: opts.capacity ?? 10,
      startsAt,
      endsAt: new Date(startsAt.getTime() + (opts.minutes ?? 60) * 60_000),
      invites: { create: (opts.invite ?? []).map((userId) => ({ userId })) },
      bookings: { create: (opts.book ?? []).map((learnerId) => ({ learnerId })) },
    },
  });
}

export async function cookieFor(userId: string): Promise<string> {
  return (await createSessionCookie(userId)).split(";")[0]!;
}

export async function connect(h: Harness, userId: string | null): Promise<ClientSocket> {
  const cookie = userId ? await cookieFor(userId) : undefined;
  const socket = connectClient(h.url, {
    transports: ["websocket"],
    forceNew: true,
    reconnection: false,
    extraHeaders: cookie ? { cookie } : {},
  });
  h.sockets.push(socket);
  await new Promise<void>((resolve, reject) => {
    socket.once("connect", () => resolve());
    socket.once("connect_error", reject);
  });
  return socket;
}

/** Emits `event` with the given arguments plus an ack callback; resolves with the ack. */
export function send(socket: ClientSocket, event: string, ...args: unknown[]): Promise<AckResponse> {
  return socket.timeout(8_000).emitWithAck(event, ...args) as Promise<AckResponse>;
}

export async function ok(socket: ClientSocket, event: string, payload?: unknown): Promise<any> {
  const res = await send(socket, event, payload);
  expect(res.error, `${event} failed: ${JSON.stringify(res.error)}`).toBeUndefined();
  return res.data;
}

export async function errorOf(socket: ClientSocket, event: string, ...args: unknown[]): Promise<{ code: string; message: string }> {
  const res = await send(socket, event, ...args);
  expect(res.data, `${event} should fail`).toBeUndefined();
  expect(typeof res.error?.message).toBe("string");
  return res.error!;
}

export async function errorCode(socket: ClientSocket, event: string, ...args: unknown[]): Promise<string> {
  return (await errorOf(socket, event, ...args)).code;
}

export function next<T = any>(socket: ClientSocket, event: string, timeoutMs = 6_000, match?: (payload: T) => boolean): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.off(event, listener);
      reject(new Error(`no "${event}" within ${timeoutMs} ms`));
    }, timeoutMs);
    const listener = (payload: T) => {
      if (match && !match(payload)) return;
      clearTimeout(timer);
      socket.off(event, listener);
      resolve(payload);
    };
    socket.on(event, listener);
  });
}

export async function until(check: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 50));
  }
}

export async function joined(h: Harness, userId: string, roomId: string, extra: Record<string, unknown> = {}) {
  const socket = await connect(h, userId);
  const data = await ok(socket, "room:join", { roomId, ...extra });
  return { socket, data };
}

/** An expert's session with `learners` invited learners, everyone joined (host first). */
export async function classroom(h: Harness, learners = 2, opts: { hostName?: string; learnerName?: string; title?: string } = {}) {
  const host = await makeUser("expert", opts.hostName ?? "Host");
  const people = await Promise.all(Array.from({ length: learners }, (_, i) => makeUser("learner", `${opts.learnerName ?? "Learner"} ${i + 1}`)));
  const session = await makeSession(host.id, { invite: people.map((p) => p.id), ...(opts.title ? { title: opts.title } : {}) });
  const hostSide = await joined(h, host.id, session.id);
  const learnerSides = [];
  for (const p of people) learnerSides.push(await joined(h, p.id, session.id));
  return { host, people, session, hostSide, hostSocket: hostSide.socket, learnerSides, learners: learnerSides.map((l) => l.socket) };
}

export const FAKE_DTLS = {
  role: "client",
  fingerprints: [
    {
      algorithm: "sha-256",
      value: "E5:F5:CA:A7:2D:93:E6:16:AC:21:09:9F:23:51:62:8C:D0:66:E9:0C:22:54:2B:82:0C:DF:E0:C5:2C:7E:CD:53",
    },
  ],
};

export function audioRtpParameters(ssrc: number): RtpParameters {
  return {
    codecs: [
      {
        mimeType: "audio/opus",
        payloadType: 111,
        clockRate: 48000,
        channels: 2,
        parameters: { useinbandfec: 1, minptime: 10 },
        rtcpFeedback: [{ type: "transport-cc" }],
      },
    ],
    headerExtensions: [{ uri: "urn:ietf:params:rtp-hdrext:sdes:mid", id: 1 }],
    encodings: [{ ssrc }],
    rtcp: { cname: `cname-${ssrc}`, reducedSize: true },
  };
}

export function videoRtpParameters(ssrc: number, simulcast = false): RtpParameters {
  return {
    codecs: [
      {
        mimeType: "video/VP8",
        payloadType: 96,
        clockRate: 90000,
        rtcpFeedback: [{ type: "nack" }, { type: "nack", parameter: "pli" }, { type: "ccm", parameter: "fir" }],
      },
    ],
    encodings: simulcast
      ? [
          { ssrc, scalabilityMode: "L1T3" },
          { ssrc: ssrc + 1, scalabilityMode: "L1T3" },
          { ssrc: ssrc + 2, scalabilityMode: "L1T3" },
        ]
      : [{ ssrc }],
    rtcp: { cname: `cname-${ssrc}`, reducedSize: true },
  };
}

/** A peer that produces (fake RTP parameters: no media flows) mic and/or camera. */
export async function produceFake(socket: ClientSocket, sources: ("mic" | "camera")[], ssrcBase: number) {
  const transport = await ok(socket, "transport:create", { direction: "send" });
  await ok(socket, "transport:connect", { transportId: transport.id, dtlsParameters: FAKE_DTLS });
  const ids: Record<string, string> = {};
  for (const [i, source] of sources.entries()) {
    const kind = source === "mic" ? "audio" : "video";
    const rtpParameters = kind === "audio" ? audioRtpParameters(ssrcBase + i * 10) : videoRtpParameters(ssrcBase + i * 10, true);
    ids[source] = (await ok(socket, "produce", { transportId: transport.id, kind, rtpParameters, appData: { source } })).id;
  }
  return { transportId: transport.id as string, ids };
}

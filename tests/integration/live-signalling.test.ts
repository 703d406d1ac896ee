/**
 * Live-room signalling against a REAL mediasoup worker pool and a REAL socket.io server
 * on an ephemeral port, driven by socket.io-client.
 *
 * Run: MEDIASOUP_WORKER_BIN=/usr/lib/x86_64-linux-gnu/mediasoup/mediasoup-worker \
 *        npx vitest run tests/integration/live-signalling.test.ts
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Server } from "socket.io";
import { io as connectClient, type Socket as ClientSocket } from "socket.io-client";
import { createLiveService, type LiveService } from "../../server/live/index.js";
import { ERROR_CODES, type RtpCapabilities, type RtpParameters } from "../../server/live/protocol.js";

process.env.LIVE_LOG_LEVEL ??= "warn";

type AckResponse = { data?: any; error?: { code: string; message: string } };

let live: LiveService;
let io: Server;
let url: string;
const clients: ClientSocket[] = [];

beforeAll(async () => {
  live = await createLiveService({ numWorkers: 2 });
  const httpServer = http.createServer();
  io = new Server(httpServer);
  // TEST-ONLY identity harness: the real server authenticates the handshake from the Lucia
  // session cookie (server/socket-auth.ts). Here the client simply states who it is in
  // `auth`; a socket without `auth.userId` gets no user, like a bypassed middleware would.
  io.use((socket, next) => {
    const auth = socket.handshake.auth as { userId?: unknown; name?: unknown };
    if (typeof auth.userId === "string") {
      socket.data.user = { id: auth.userId, name: String(auth.name ?? auth.userId), role: "learner" };
    }
    next();
  });
  live.attach(io);
  await new Promise<void>((resolve) => httpServer.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(httpServer.address() as AddressInfo).port}`;
}, 30_000);

afterAll(async () => {
  for (const c of clients) c.disconnect();
  await new Promise<void>((resolve) => io?.close(() => resolve()));
  await live?.close();
}, 30_000);

// ---------------------------------------------------------------------------------------
// helpers

async function connect(userId: string | null, name = userId ?? "anon"): Promise<ClientSocket> {
  const socket = connectClient(url, {
    transports: ["websocket"],
    forceNew: true,
    reconnection: false,
    auth: userId ? { userId, name } : {},
  });
  clients.push(socket);
  await new Promise<void>((resolve, reject) => {
    socket.once("connect", () => resolve());
    socket.once("connect_error", reject);
  });
  return socket;
}

/** Emits `event` with the given arguments plus an ack callback; resolves with the ack. */
function send(socket: ClientSocket, event: string, ...args: unknown[]): Promise<AckResponse> {
  return socket.timeout(5_000).emitWithAck(event, ...args) as Promise<AckResponse>;
}

async function ok(socket: ClientSocket, event: string, payload?: unknown): Promise<any> {
  const res = await send(socket, event, payload);
  expect(res.error, `${event} failed: ${JSON.stringify(res.error)}`).toBeUndefined();
  return res.data;
}

async function errorCode(socket: ClientSocket, event: string, ...args: unknown[]): Promise<string | undefined> {
  const res = await send(socket, event, ...args);
  expect(res.data).toBeUndefined();
  expect(typeof res.error?.message).toBe("string");
  return res.error?.code;
}

function next<T = any>(socket: ClientSocket, event: string, timeoutMs = 5_000): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no "${event}" within ${timeoutMs} ms`)), timeoutMs);
    socket.once(event, (payload: T) => {
      clearTimeout(timer);
      resolve(payload);
    });
  });
}

async function until(check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 50));
  }
}

const FAKE_DTLS = {
  role: "client",
  fingerprints: [
    {
      algorithm: "sha-256",
      value: "E5:F5:CA:A7:2D:93:E6:16:AC:21:09:9F:23:51:62:8C:D0:66:E9:0C:22:54:2B:82:0C:DF:E0:C5:2C:7E:CD:53",
    },
  ],
};

function audioRtpParameters(ssrc: number): RtpParameters {
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

function videoRtpParameters(ssrc: number): RtpParameters {
  return {
    codecs: [
      {
        mimeType: "video/VP8",
        payloadType: 96,
        clockRate: 90000,
        rtcpFeedback: [{ type: "nack" }, { type: "nack", parameter: "pli" }, { type: "ccm", parameter: "fir" }],
      },
    ],
    encodings: [{ ssrc }],
    rtcp: { cname: `cname-${ssrc}`, reducedSize: true },
  };
}

async function joined(userId: string, roomId: string) {
  const socket = await connect(userId);
  const data = await ok(socket, "room:join", { roomId });
  return { socket, data: data as { peerId: string; routerRtpCapabilities: RtpCapabilities; peers: any[] } };
}

// ---------------------------------------------------------------------------------------

describe("live signalling", () => {
  it("health() reports every worker alive", () => {
    const h = live.health();
    expect(h.ok).toBe(true);
    expect(h.workers).toHaveLength(2);
    for (const w of h.workers) {
      expect(w.alive).toBe(true);
      expect(w.pid).toBeGreaterThan(0);
    }
  });

  it("join returns the router's capabilities and the peers already there", async () => {
    const a = await joined("user-a", "join-room");
    const mimeTypes = (a.data.routerRtpCapabilities.codecs ?? []).map((c) => c.mimeType.toLowerCase());
    expect(mimeTypes).toContain("audio/opus");
    expect(mimeTypes).toContain("video/vp8");
    expect(a.data.peers).toEqual([]);
    expect(typeof a.data.peerId).toBe("string");

    const announced = next(a.socket, "peer:joined");
    const b = await joined("user-b", "join-room");
    expect(b.data.peers).toEqual([{ id: a.data.peerId, userId: "user-a", name: "user-a", producers: [] }]);
    expect((await announced).peer).toMatchObject({ id: b.data.peerId, userId: "user-b" });

    // One socket is one peer in at most one room.
    expect(await errorCode(a.socket, "room:join", { roomId: "another-room" })).toBe("bad_request");

    const left = next(a.socket, "peer:left");
    await ok(b.socket, "room:leave", {});
    expect(await left).toEqual({ peerId: b.data.peerId });
    expect(await errorCode(b.socket, "transport:create", { direction: "send" })).toBe("not_in_room");
  });

  it("refuses sockets without an authenticated user", async () => {
    const anon = await connect(null);
    expect(await errorCode(anon, "room:join", { roomId: "anon-room" })).toBe("unauthorized");
    expect(await errorCode(anon, "transport:create", { direction: "send" })).toBe("unauthorized");
  });

  it("answers bad payloads with bad_request and keeps serving", async () => {
    const s = await connect("user-bad");
    const bad: [string, unknown[]][] = [
      ["room:join", [{ roomId: 123 }]], // wrong type
      ["room:join", [{}]], // missing field
      ["room:join", [{ roomId: "ok-room", extra: "garbage" }]], // extra field
      ["room:join", ["ok-room"]], // not an object
      ["room:join", [null]],
      ["room:join", [[{ roomId: "ok-room" }]]],
      ["room:join", []], // no payload at all
      ["room:join", [{ roomId: "bad id!" }]], // invalid room id
      ["room:join", [{ roomId: "x".repeat(65) }]],
      ["room:join", [{ roomId: "ok-room" }, "second argument"]],
      ["transport:create", [{ direction: "sideways" }]],
      ["transport:connect", [{ transportId: "not-a-uuid", dtlsParameters: FAKE_DTLS }]],
      ["produce", [{ transportId: crypto.randomUUID(), kind: "audio", rtpParameters: { codecs: [] } }]],
      ["consume", [{ producerId: crypto.randomUUID(), rtpCapabilities: "everything" }]],
      ["room:leave", [{ please: true }]],
    ];
    for (const [event, args] of bad) {
      expect(await errorCode(s, event, ...args), `${event} ${JSON.stringify(args)}`).toBe("bad_request");
    }

    // Requests without an ack callback are ignored: this join must not happen...
    s.emit("room:join", { roomId: "ok-room" });
    s.emit("room:join", { roomId: "ok-room" }, "not a function");
    // ...so a proper join afterwards succeeds (it would be refused if already joined).
    const data = await ok(s, "room:join", { roomId: "ok-room" });
    expect(data.peers).toEqual([]);
    // Valid payload, but the request needs a transport of yours.
    expect(await errorCode(s, "transport:connect", { transportId: crypto.randomUUID(), dtlsParameters: FAKE_DTLS })).toBe(
      "not_found",
    );
  });

  it("keeps transports, producers and consumers private to their peer and room", async () => {
    const a = await joined("owner", "private-room");
    const b = await joined("intruder", "private-room");
    const c = await joined("outsider", "other-room");

    const aSend = await ok(a.socket, "transport:create", { direction: "send" });
    expect(aSend).toMatchObject({ id: expect.any(String), iceParameters: expect.any(Object) });
    expect(aSend.iceCandidates.length).toBeGreaterThan(0);
    expect(aSend.iceCandidates[0].ip).toBe("127.0.0.1");

    // B can't use A's transport, not even knowing its id.
    expect(await errorCode(b.socket, "transport:connect", { transportId: aSend.id, dtlsParameters: FAKE_DTLS })).toBe(
      "not_found",
    );
    expect(
      await errorCode(b.socket, "produce", { transportId: aSend.id, kind: "audio", rtpParameters: audioRtpParameters(1111) }),
    ).toBe("not_found");

    // A can.
    await ok(a.socket, "transport:connect", { transportId: aSend.id, dtlsParameters: FAKE_DTLS });
    expect(await errorCode(a.socket, "transport:connect", { transportId: aSend.id, dtlsParameters: FAKE_DTLS })).toBe(
      "bad_request",
    );
    const announced = next(b.socket, "producer:new");
    const audio = await ok(a.socket, "produce", {
      transportId: aSend.id,
      kind: "audio",
      rtpParameters: audioRtpParameters(1111),
      appData: { source: "mic" },
    });
    expect(await announced).toEqual({ peerId: a.data.peerId, producerId: audio.id, kind: "audio" });
    const video = await ok(a.socket, "produce", {
      transportId: aSend.id,
      kind: "video",
      rtpParameters: videoRtpParameters(2222),
    });
    // Codecs of the wrong kind are refused by the schema...
    expect(
      await errorCode(a.socket, "produce", {
        transportId: aSend.id,
        kind: "video",
        rtpParameters: audioRtpParameters(3333),
      }),
    ).toBe("bad_request");
    // ...and a codec the router doesn't have is refused by mediasoup: bad_request too.
    const pcmu = audioRtpParameters(4444);
    pcmu.codecs = [{ mimeType: "audio/PCMU", payloadType: 0, clockRate: 8000 }];
    expect(await errorCode(a.socket, "produce", { transportId: aSend.id, kind: "audio", rtpParameters: pcmu })).toBe(
      "bad_request",
    );

    // B consumes A's producers on its own recv transport; consumers start paused.
    const bRecv = await ok(b.socket, "transport:create", { direction: "recv" });
    expect(
      await errorCode(b.socket, "consume", { producerId: audio.id, rtpCapabilities: b.data.routerRtpCapabilities, transportId: aSend.id }),
    ).toBe("not_found");
    const consumer = await ok(b.socket, "consume", {
      producerId: audio.id,
      rtpCapabilities: b.data.routerRtpCapabilities,
    });
    expect(consumer).toMatchObject({ producerId: audio.id, kind: "audio" });
    expect(consumer.rtpParameters.codecs[0].mimeType.toLowerCase()).toBe("audio/opus");
    await ok(b.socket, "consumer:resume", { consumerId: consumer.id });
    const videoConsumer = await ok(b.socket, "consume", {
      producerId: video.id,
      rtpCapabilities: b.data.routerRtpCapabilities,
      transportId: bRecv.id,
    });
    expect(videoConsumer.kind).toBe("video");

    // A can't resume B's consumer; B can't close A's producer.
    expect(await errorCode(a.socket, "consumer:resume", { consumerId: consumer.id })).toBe("not_found");
    expect(await errorCode(b.socket, "producer:close", { producerId: audio.id })).toBe("not_found");

    // C, in another room, can't consume A's producer even with its id.
    await ok(c.socket, "transport:create", { direction: "recv" });
    expect(
      await errorCode(c.socket, "consume", { producerId: audio.id, rtpCapabilities: c.data.routerRtpCapabilities }),
    ).toBe("not_found");

    // Closing a producer closes its consumers and tells the room.
    const consumerClosed = next(b.socket, "consumer:closed");
    const producerClosed = next(b.socket, "producer:closed");
    await ok(a.socket, "producer:close", { producerId: audio.id });
    expect(await consumerClosed).toEqual({ consumerId: consumer.id, producerId: audio.id });
    expect(await producerClosed).toEqual({ peerId: a.data.peerId, producerId: audio.id });
    expect(await errorCode(b.socket, "consumer:resume", { consumerId: consumer.id })).toBe("not_found");

    // A newcomer sees A's remaining producer in the join answer.
    const d = await joined("newcomer", "private-room");
    const aInfo = d.data.peers.find((p: { id: string }) => p.id === a.data.peerId);
    expect(aInfo.producers).toEqual([{ id: video.id, kind: "video" }]);

    // A disconnecting closes everything of A's: B's video consumer and the peer.
    const videoGone = next(b.socket, "consumer:closed");
    const aLeft = next(b.socket, "peer:left");
    a.socket.disconnect();
    expect(await aLeft).toEqual({ peerId: a.data.peerId });
    expect(await videoGone).toEqual({ consumerId: videoConsumer.id, producerId: video.id });
  });

  it("enforces per-peer limits", async () => {
    const p = await joined("greedy", "limits-room");
    for (let i = 0; i < 4; i++) await ok(p.socket, "transport:create", { direction: i === 0 ? "send" : "recv" });
    expect(await errorCode(p.socket, "transport:create", { direction: "recv" })).toBe("limit");
  });

  it("survives a burst of ~200 malformed events, then serves normally", async () => {
    const joinedSocket = await joined("fuzz-joined", "fuzz-room");
    const fresh = await connect("fuzz-fresh");
    const events = [
      "room:join",
      "room:leave",
      "transport:create",
      "transport:connect",
      "produce",
      "consume",
      "consumer:resume",
      "producer:close",
    ];
    let seed = 42;
    const rand = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const pick = <T>(xs: T[]): T => xs[Math.floor(rand() * xs.length)]!;
    const junk = (depth = 0): unknown => {
      const generators: (() => unknown)[] = [
        () => null,
        () => undefined,
        () => rand() * 1e12 - 5e11,
        () => NaN,
        () => "x".repeat(Math.floor(rand() * 5000)),
        () => crypto.randomUUID(),
        () => "__proto__",
        () => true,
        () => [junk(depth + 1), junk(depth + 1)],
        () => JSON.parse('{"__proto__": {"polluted": true}, "constructor": {"prototype": {"x": 1}}}'),
        () => ({ roomId: junk(depth + 1), direction: pick(["send", "recv", 7, null]) }),
        () => ({ transportId: pick([crypto.randomUUID(), 5, "", {}]), dtlsParameters: junk(depth + 1) }),
        () => ({
          transportId: crypto.randomUUID(),
          kind: pick(["audio", "video", "data"]),
          rtpParameters: depth < 2 ? { codecs: [junk(depth + 1)], encodings: junk(depth + 1) } : {},
        }),
        () => ({ producerId: crypto.randomUUID(), rtpCapabilities: { codecs: [{ kind: "audio", mimeType: 5 }] } }),
      ];
      return depth > 3 ? null : pick(generators)();
    };

    const pending: Promise<AckResponse>[] = [];
    for (let i = 0; i < 200; i++) {
      const socket = i % 2 ? joinedSocket.socket : fresh;
      const event = pick(events);
      const mode = rand();
      if (mode < 0.1) {
        socket.emit(event, junk()); // no ack: must be ignored
      } else if (mode < 0.15) {
        socket.emit(event, junk(), junk()); // non-function "ack": ignored
      } else if (mode < 0.2) {
        pending.push(send(socket, event, junk(), junk())); // extra argument
      } else if (mode < 0.25) {
        pending.push(send(socket, event)); // no payload
      } else {
        pending.push(send(socket, event, junk()));
      }
    }
    const responses = await Promise.all(pending);
    for (const res of responses) {
      const isData = res.data !== undefined && res.error === undefined;
      const isError = res.error !== undefined && (ERROR_CODES as readonly string[]).includes(res.error.code);
      expect(isData || isError, JSON.stringify(res).slice(0, 200)).toBe(true);
      if (isError) expect(res.error!.code).not.toBe("internal");
    }
    expect(responses.filter((r) => r.error?.code === "bad_request").length).toBeGreaterThan(100);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();

    // Everything still works.
    expect(live.health().ok).toBe(true);
    const after = await joined("after-fuzz", "after-fuzz-room");
    await ok(after.socket, "transport:create", { direction: "send" });
  }, 30_000);

  it("replaces a killed worker and tells the peers of its rooms to rejoin", async () => {
    const a = await joined("victim-a", "doomed-room");
    const b = await joined("victim-b", "doomed-room");
    await ok(a.socket, "transport:create", { direction: "send" });
    const room = live.inspect().rooms.find((r) => r.id === "doomed-room");
    expect(room?.peers).toBe(2);
    const deadPid = room!.workerPid;
    const pidsBefore = live.health().workers.map((w) => w.pid);
    expect(pidsBefore).toContain(deadPid);

    const rejoinA = next(a.socket, "room:rejoin");
    const rejoinB = next(b.socket, "room:rejoin");
    process.kill(deadPid, "SIGKILL");
    expect(await rejoinA).toEqual({ roomId: "doomed-room", reason: "worker_died" });
    expect(await rejoinB).toEqual({ roomId: "doomed-room", reason: "worker_died" });

    // The peers are out of the room now.
    expect(await errorCode(a.socket, "transport:create", { direction: "send" })).toBe("not_in_room");

    // The pool replaces the worker and is healthy again.
    await until(() => {
      const h = live.health();
      return h.ok && !h.workers.some((w) => w.pid === deadPid);
    });
    expect(live.health().workers).toHaveLength(2);

    // Rejoining gives a fresh room on a live worker, with everything working.
    const again = await ok(a.socket, "room:join", { roomId: "doomed-room" });
    expect(again.peers).toEqual([]);
    const againB = await ok(b.socket, "room:join", { roomId: "doomed-room" });
    expect(againB.peers.map((p: { id: string }) => p.id)).toEqual([again.peerId]);
    const newRoom = live.inspect().rooms.find((r) => r.id === "doomed-room");
    expect(newRoom?.workerPid).not.toBe(deadPid);
    await ok(a.socket, "transport:create", { direction: "send" });
  }, 30_000);
});

/**
 * Live-room signalling against the REAL server (server/app.ts: Express + socket.io with the
 * Lucia cookie handshake + mediasoup workers) on an ephemeral port, with this file's own
 * database; sockets log in with real session cookies.
 *
 * Run: npx vitest run tests/integration/live-signalling.test.ts
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ERROR_CODES, type RtpCapabilities } from "../../server/live/protocol.js";
import {
  FAKE_DTLS,
  audioRtpParameters,
  connect as connectAs,
  errorCode,
  makeSession,
  makeUser,
  next,
  ok,
  send,
  startLiveServer,
  stopLiveServer,
  until,
  videoRtpParameters,
  type AckResponse,
  type Harness,
} from "./live-helpers.js";

let h: Harness;
const users = new Map<string, string>(); // label → user id
const rooms = new Map<string, string>(); // label → session id
let host: { id: string };

beforeAll(async () => {
  h = await startLiveServer();
  host = await makeUser("expert", "Host");
}, 60_000);

afterAll(async () => {
  await stopLiveServer(h);
}, 30_000);

/** A user per label (name = label), invited to the session of `room` (created on first use). */
async function userFor(label: string): Promise<string> {
  let id = users.get(label);
  if (!id) {
    id = (await makeUser("learner", label)).id;
    users.set(label, id);
  }
  return id;
}

async function roomFor(label: string, userId: string): Promise<string> {
  const { prisma } = await import("~/domains/db.server");
  let id = rooms.get(label);
  if (!id) {
    id = (await makeSession(host.id, { title: label })).id;
    rooms.set(label, id);
  }
  await prisma.liveSessionInvite.upsert({
    where: { sessionId_userId: { sessionId: id, userId } },
    create: { sessionId: id, userId },
    update: {},
  });
  return id;
}

async function connect(label: string | null) {
  return connectAs(h, label ? await userFor(label) : null);
}

async function joined(label: string, roomLabel: string) {
  const userId = await userFor(label);
  const roomId = await roomFor(roomLabel, userId);
  const socket = await connectAs(h, userId);
  const data = await ok(socket, "room:join", { roomId });
  return { socket, data: data as { peerId: string; routerRtpCapabilities: RtpCapabilities; peers: any[] }, roomId, userId };
}

// ---------------------------------------------------------------------------------------

describe("live signalling", () => {
  it("health() reports every worker alive", () => {
    const health = h.server.live.health();
    expect(health.ok).toBe(true);
    expect(health.workers).toHaveLength(2);
    for (const w of health.workers) {
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

    expect((a.data as any).role).toBe("participant");
    expect((a.data as any).session).toMatchObject({ id: a.roomId, title: "join-room", hostId: host.id });
    expect((a.data as any).chat).toEqual([]);
    expect((a.data as any).state).toEqual({ screenShareAllowed: false, spotlight: null, recording: { active: false, startedAt: null }, stage: null });

    const announced = next(a.socket, "peer:joined");
    const b = await joined("user-b", "join-room");
    expect(b.data.peers).toEqual([
      {
        id: a.data.peerId,
        userId: a.userId,
        name: "user-a",
        role: "participant",
        status: "connected",
        handRaised: false,
        quality: "unknown",
        producers: [],
        group: null,
      },
    ]);
    expect((await announced).peer).toMatchObject({ id: b.data.peerId, userId: b.userId });

    // One socket is one peer in at most one room.
    const other = await roomFor("another-room", a.userId);
    expect(await errorCode(a.socket, "room:join", { roomId: other })).toBe("bad_request");

    const left = next(a.socket, "peer:left");
    await ok(b.socket, "room:leave", {});
    expect(await left).toEqual({ peerId: b.data.peerId, reason: "left" });
    expect(await errorCode(b.socket, "transport:create", { direction: "send" })).toBe("not_in_room");
  });

  it("refuses sockets without a valid session cookie at the handshake", async () => {
    await expect(connect(null)).rejects.toMatchObject({ message: "unauthorized", data: { code: "unauthorized" } });
    const { io } = await import("socket.io-client");
    const forged = io(h.url, {
      transports: ["websocket"],
      forceNew: true,
      reconnection: false,
      extraHeaders: { cookie: "auth_session=forged-session-id" },
    });
    const error = await new Promise<Error & { data?: { code?: string } }>((resolve) => forged.once("connect_error", resolve));
    expect(error.data?.code).toBe("unauthorized");
    forged.disconnect();
  });

  it("answers bad payloads with bad_request and keeps serving", async () => {
    const s = await connect("user-bad");
    const okRoom = await roomFor("ok-room", await userFor("user-bad"));
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
    s.emit("room:join", { roomId: okRoom });
    s.emit("room:join", { roomId: okRoom }, "not a function");
    // ...so a proper join afterwards succeeds (it would be refused if already joined).
    const data = await ok(s, "room:join", { roomId: okRoom });
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
    // A codec the router doesn't have is refused by mediasoup: bad_request.
    const pcmu = audioRtpParameters(4444);
    pcmu.codecs = [{ mimeType: "audio/PCMU", payloadType: 0, clockRate: 8000 }];
    expect(await errorCode(a.socket, "produce", { transportId: aSend.id, kind: "audio", rtpParameters: pcmu, appData: { source: "mic" } })).toBe(
      "bad_request",
    );
    const audio = await ok(a.socket, "produce", {
      transportId: aSend.id,
      kind: "audio",
      rtpParameters: audioRtpParameters(1111),
      appData: { source: "mic" },
    });
    expect(await announced).toEqual({ peerId: a.data.peerId, producerId: audio.id, kind: "audio", source: "mic", paused: false });
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
    // ...and a learner's screen share needs the host's permission.
    expect(
      await errorCode(a.socket, "produce", { transportId: aSend.id, kind: "audio", rtpParameters: audioRtpParameters(3344), appData: { source: "screen-audio" } }),
    ).toBe("forbidden");
    // One producer per source: a second microphone is refused.
    expect(
      await errorCode(a.socket, "produce", { transportId: aSend.id, kind: "audio", rtpParameters: audioRtpParameters(5555), appData: { source: "mic" } }),
    ).toBe("bad_request");

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
    expect(aInfo.producers).toEqual([{ id: video.id, kind: "video", source: "camera", paused: false }]);

    // A disconnecting on purpose closes everything of A's: B's video consumer and the peer.
    const videoGone = next(b.socket, "consumer:closed");
    const aLeft = next(b.socket, "peer:left");
    a.socket.disconnect();
    expect(await aLeft).toEqual({ peerId: a.data.peerId, reason: "left" });
    expect(await videoGone).toEqual({ consumerId: videoConsumer.id, producerId: video.id });
  });

  it("enforces per-peer limits", async () => {
    const p = await joined("greedy", "limits-room");
    for (let i = 0; i < 4; i++) await ok(p.socket, "transport:create", { direction: i === 0 ? "send" : "recv" });
    expect(await errorCode(p.socket, "transport:create", { direction: "recv" })).toBe("limit");
  });

  it("survives a burst of ~300 malformed events, then serves normally", async () => {
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
      "transport:restartIce",
      "consumer:tile",
      "producer:pause",
      "producer:resume",
      "peer:dataSaver",
      "hand:set",
      "chat:send",
      "host:mute",
      "host:muteAll",
      "host:stopVideo",
      "host:remove",
      "host:spotlight",
      "host:lowerHand",
      "host:end",
      "recording:start",
      "recording:stop",
      "no:such-event",
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
        () => ({ consumerId: pick([crypto.randomUUID(), -1, "x"]), width: pick([0, 100, -5, 1e9, "big"]), height: junk(depth + 1) }),
        () => ({ peerId: pick([crypto.randomUUID(), joinedSocket.data.peerId, 0]) }),
        () => ({ body: pick(["", " ", "hello", "y".repeat(1001), 42, null]) }),
        () => ({ mode: pick(["off", "low", "audio", "video", 1]) }),
        () => ({ raised: pick([true, false, "yes"]) }),
        () => ({ spotlight: pick([null, { peerId: crypto.randomUUID(), source: "camera" }, { peerId: 1 }, "all"]) }),
      ];
      return depth > 3 ? null : pick(generators)();
    };

    const pending: Promise<AckResponse>[] = [];
    for (let i = 0; i < 300; i++) {
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
    expect(responses.filter((r) => r.error?.code === "bad_request").length).toBeGreaterThan(80);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();

    // Everything still works.
    expect(h.server.live.health().ok).toBe(true);
    const after = await joined("after-fuzz", "after-fuzz-room");
    await ok(after.socket, "transport:create", { direction: "send" });
  }, 30_000);

  it("replaces a killed worker and tells the peers of its rooms to rejoin", async () => {
    const a = await joined("victim-a", "doomed-room");
    const b = await joined("victim-b", "doomed-room");
    await ok(a.socket, "transport:create", { direction: "send" });
    const room = h.server.live.inspect().rooms.find((r) => r.id === a.roomId);
    expect(room?.peers).toBe(2);
    const deadPid = room!.workerPid;
    const pidsBefore = h.server.live.health().workers.map((w) => w.pid);
    expect(pidsBefore).toContain(deadPid);

    const rejoinA = next(a.socket, "room:rejoin");
    const rejoinB = next(b.socket, "room:rejoin");
    process.kill(deadPid, "SIGKILL");
    expect(await rejoinA).toEqual({ roomId: a.roomId, reason: "worker_died" });
    expect(await rejoinB).toEqual({ roomId: a.roomId, reason: "worker_died" });

    // The peers are out of the room now.
    expect(await errorCode(a.socket, "transport:create", { direction: "send" })).toBe("not_in_room");

    // The pool replaces the worker and is healthy again.
    await until(() => {
      const health = h.server.live.health();
      return health.ok && !health.workers.some((w) => w.pid === deadPid);
    });
    expect(h.server.live.health().workers).toHaveLength(2);

    // Rejoining gives a fresh room on a live worker, with everything working.
    const again = await ok(a.socket, "room:join", { roomId: a.roomId });
    expect(again.peers).toEqual([]);
    const againB = await ok(b.socket, "room:join", { roomId: a.roomId });
    expect(againB.peers.map((p: { id: string }) => p.id)).toEqual([again.peerId]);
    const newRoom = h.server.live.inspect().rooms.find((r) => r.id === a.roomId);
    expect(newRoom?.workerPid).not.toBe(deadPid);
    await ok(a.socket, "transport:create", { direction: "send" });
  }, 30_000);
});

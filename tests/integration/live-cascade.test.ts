// Rooms across processes (issue 14, docs/decisions/033-rooms-across-processes.md): two real
// server processes on one Redis and one PostgreSQL. The expert's producer lives on process A
// (the session's origin in the Redis room directory); a learner whose socket is on process B
// joins B's edge room, fed from A through mediasoup pipe transports, and receives the media.
//
// Media without a browser, through the real signalling path: LIVE_PLAIN_RTP=1 gives plain-RTP
// transports; this file sends Opus-shaped RTP packets into the expert's send transport and
// counts the RTP packets that B's consumer delivers to a UDP socket of this file.
import dgram from "node:dgram";
import { createClient } from "redis";
import type { Socket as ClientSocket } from "socket.io-client";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { prisma } from "~/domains/db.server";
import { makeSession, makeUser, next } from "./live-helpers";
import { ok, processFleet, REDIS_URL, until, type Proc } from "./server-processes";

const HEARTBEAT_MS = 400;
const TTL_MS = 2_000;
const fleet = processFleet({
  tmpName: "skillrelay-cascade-",
  env: {
    LIVE_PLAIN_RTP: "1",
    LIVE_LOG_LEVEL: "info",
    LIVE_PROCESS_HEARTBEAT_MS: String(HEARTBEAT_MS),
    LIVE_PROCESS_STALE_MS: "4000",
    LIVE_ROOM_DIRECTORY_TTL_MS: String(TTL_MS),
  },
});
const redis = createClient({ url: REDIS_URL });

let A: Proc;
let B: Proc;
const timers: NodeJS.Timeout[] = [];
const udp: dgram.Socket[] = [];

beforeAll(async () => {
  await redis.connect();
  [A, B] = await Promise.all([fleet.start("A"), fleet.start("B")]);
}, 180_000);

// A failure shows what the two processes said (their warnings: placement, links, ignored messages).
afterEach((ctx) => {
  if (ctx.task.result?.state === "fail") for (const p of [A, B]) if (p) console.log(`--- ${p.name}:\n${p.stderr().slice(-4_000)}`);
});

afterAll(async () => {
  for (const t of timers) clearInterval(t);
  for (const s of udp) s.close();
  await redis.close();
  await fleet.stop();
}, 60_000);

const OPUS = {
  codecs: [{ mimeType: "audio/opus", payloadType: 100, clockRate: 48000, channels: 2, parameters: { "sprop-stereo": 1 } }],
  encodings: [{ ssrc: 11111111 }],
};

/** Opus-shaped RTP packets (20 ms apart) into a plain send transport, until the file ends. */
function rtpInto(ip: string, port: number, ssrc = 11111111) {
  const socket = dgram.createSocket("udp4");
  udp.push(socket);
  let seq = 0;
  const timer = setInterval(() => {
    const packet = Buffer.alloc(12 + 60, 0xab);
    packet[0] = 0x80;
    packet[1] = 100;
    packet.writeUInt16BE(seq++ & 0xffff, 2);
    packet.writeUInt32BE((seq * 960) >>> 0, 4);
    packet.writeUInt32BE(ssrc, 8);
    socket.send(packet, port, ip);
  }, 20);
  timers.push(timer);
}

/** A UDP socket that counts the RTP packets (not RTCP) it receives. */
async function sink() {
  const socket = dgram.createSocket("udp4");
  udp.push(socket);
  const counter = { packets: 0, bytes: 0, port: 0 };
  socket.on("message", (m) => {
    if (m.length > 1 && (m[1]! < 200 || m[1]! > 206)) {
      counter.packets++;
      counter.bytes += m.length;
    }
  });
  await new Promise<void>((r) => socket.bind(0, "127.0.0.1", () => r()));
  counter.port = socket.address().port;
  return counter;
}

async function directory(sessionId: string): Promise<{ processId: string; ip: string } | null> {
  const raw = await redis.get(`${fleet.prefix}:live:room:${sessionId}`);
  return raw ? JSON.parse(raw) : null;
}

async function metric(proc: Proc, line: RegExp): Promise<number> {
  const text = await (await fetch(`${proc.url}/metrics`)).text();
  const m = text.split("\n").find((l) => line.test(l));
  return m ? Number(m.split(" ").pop()) : NaN;
}

/** A plain recv transport sending to a sink, and a resumed consumer of `producerId`. */
async function receive(socket: ClientSocket, joined: any, producerId: string) {
  const counter = await sink();
  const recv = await ok(socket, "transport:create", { direction: "recv", plain: true });
  await ok(socket, "transport:plainConnect", { transportId: recv.id, ip: "127.0.0.1", port: counter.port });
  const consumer = await ok(socket, "consume", { producerId, rtpCapabilities: joined.routerRtpCapabilities, transportId: recv.id });
  await ok(socket, "consumer:resume", { consumerId: consumer.id });
  return { counter, consumer };
}

let lecture: { originId: string; sessionId: string; hostPeer: string; mic: string; learnerSocket: ClientSocket; hostSocket: ClientSocket; received: { packets: number } };

describe("one session's room over two processes", () => {
  it("a learner on B receives the expert's media produced on A, sees the expert in the peer list, and the host's mute reaches B", async () => {
    const host = await makeUser("expert", "Expert on A");
    const learner = await makeUser("learner", "Learner on B");
    const session = await makeSession(host.id, { invite: [learner.id] });
    const hostSocket = await fleet.connect(A, host.id);
    const hostJoin = await ok(hostSocket, "room:join", { roomId: session.id });
    await until(async () => (await directory(session.id)) !== null, 5_000);
    const origin = (await directory(session.id))!;

    const send = await ok(hostSocket, "transport:create", { direction: "send", plain: true });
    expect(send.plain).toEqual({ ip: "127.0.0.1", port: expect.any(Number) });
    const { id: mic } = await ok(hostSocket, "produce", { transportId: send.id, kind: "audio", rtpParameters: OPUS, appData: { source: "mic" } });
    rtpInto(send.plain.ip, send.plain.port);

    const learnerSocket = await fleet.connect(B, learner.id);
    const hostSeesLearner = next(hostSocket, "peer:joined", 8_000, (p: any) => p.peer.userId === learner.id);
    // Everything B tells the learner about others, from before the join on.
    const onB: { peers: any[]; producers: any[] } = { peers: [], producers: [] };
    for (const event of ["peer:joined", "peer:updated"]) learnerSocket.on(event, (p: any) => onB.peers.push(p.peer));
    learnerSocket.on("producer:new", (p: any) => onB.producers.push(p));
    const learnerJoin = await ok(learnerSocket, "room:join", { roomId: session.id });
    onB.peers.push(...learnerJoin.peers);
    // The expert in B's peer list (in the join answer, or announced right after), with the mic.
    await until(() => onB.peers.some((p) => p.id === hostJoin.peerId && p.userId === host.id && p.name === "Expert on A"), 8_000);
    await until(() => onB.peers.some((p) => p.id === hostJoin.peerId && p.producers.some((x: any) => x.id === mic)) || onB.producers.some((p) => p.producerId === mic), 8_000);
    const announced = onB.producers.find((p) => p.producerId === mic);
    if (announced) expect(announced).toMatchObject({ peerId: hostJoin.peerId, kind: "audio", source: "mic" });
    // B's own room: an edge of A's, which is still the origin.
    expect((await hostSeesLearner).peer).toMatchObject({ name: "Learner on B", role: "participant" });
    expect((await directory(session.id))!.processId).toBe(origin.processId);

    const { counter } = await receive(learnerSocket, learnerJoin, mic);
    await until(() => counter.packets > 25, 8_000);
    console.log(`[measured] learner on B received ${counter.packets} RTP packets (${counter.bytes} bytes) of the expert's mic on A`);
    // A sends the stream once to B; B receives it once.
    expect(await metric(A, /^skillrelay_live_pipe_streams\{direction="out"\}/)).toBeGreaterThanOrEqual(1);
    expect(await metric(B, /^skillrelay_live_pipe_streams\{direction="in"\}/)).toBeGreaterThanOrEqual(1);

    // The other way: the learner (allowed to speak) produces on B; the host on A can consume it.
    const learnerSend = await ok(learnerSocket, "transport:create", { direction: "send", plain: true });
    const learnerMicOnA = next(hostSocket, "producer:new", 8_000, (p: any) => p.peerId === learnerJoin.peerId);
    const { id: learnerMic } = await ok(learnerSocket, "produce", { transportId: learnerSend.id, kind: "audio", rtpParameters: { ...OPUS, encodings: [{ ssrc: 22223333 }] }, appData: { source: "mic" } });
    rtpInto(learnerSend.plain.ip, learnerSend.plain.port, 22223333);
    expect(await learnerMicOnA).toMatchObject({ producerId: learnerMic, source: "mic" });
    const back = await receive(hostSocket, hostJoin, learnerMic);
    await until(() => back.counter.packets > 10, 8_000);

    // The host mutes the learner on the other process: B pauses the producer, everyone hears of it.
    const muted = next(learnerSocket, "moderation:applied");
    const pausedOnA = next(hostSocket, "producer:paused", 8_000, (p: any) => p.producerId === learnerMic);
    await ok(hostSocket, "host:mute", { peerId: learnerJoin.peerId });
    expect(await muted).toEqual({ action: "muted", by: "Expert on A" });
    expect(await pausedOnA).toMatchObject({ producerId: learnerMic, paused: true });

    lecture = { originId: origin.processId, sessionId: session.id, hostPeer: hostJoin.peerId, mic, learnerSocket, hostSocket, received: counter };
  }, 60_000);

  it("hostile: malformed inter-process messages are ignored; nobody can pipe another session or consume its producers", async () => {
    const origin = (await directory(lecture.sessionId))!;
    const channel = `${fleet.prefix}:live:pipe:${origin.processId}`;
    const pub = createClient({ url: REDIS_URL });
    await pub.connect();
    try {
      await pub.publish(channel, "not json {");
      await pub.publish(channel, JSON.stringify({ type: "offer", sessionId: "../../etc", from: "x" }));
      await pub.publish(channel, JSON.stringify({ type: "producer", sessionId: lecture.sessionId, from: crypto.randomUUID(), link: crypto.randomUUID(), peerId: crypto.randomUUID(), producerId: "nope" }));
      // Well formed, but for a session A holds no room of: refused, nothing piped.
      const other = await makeSession((await makeUser("expert")).id);
      await pub.publish(channel, JSON.stringify({ type: "offer", sessionId: other.id, from: crypto.randomUUID(), link: crypto.randomUUID(), ip: "127.0.0.1", port: 9, peers: [] }));
      // A producer message on a link A does not have: ignored.
      await pub.publish(
        channel,
        JSON.stringify({ type: "producer", sessionId: lecture.sessionId, from: crypto.randomUUID(), link: crypto.randomUUID(), peerId: crypto.randomUUID(), producerId: crypto.randomUUID(), kind: "audio", source: "mic", paused: false, rtpParameters: OPUS }),
      );
    } finally {
      await pub.close();
    }
    // A is alive, made no pipe for the forged offers (its one link is B's), and still feeds B.
    await new Promise((r) => setTimeout(r, 500));
    expect(await metric(A, /^skillrelay_live_pipe_links\{role="origin"\}/)).toBe(1);
    const before = lecture.received.packets;
    await until(() => lecture.received.packets > before + 10, 5_000);
    expect((await fetch(`${A.url}/healthz`)).status).toBe(200);

    // A learner of ANOTHER session on B: not invited to the lecture → refused, no room, no pipe.
    const stranger = await makeUser("learner");
    const strangerSocket = await fleet.connect(B, stranger.id);
    const refused = (await strangerSocket.timeout(8_000).emitWithAck("room:join", { roomId: lecture.sessionId })) as any;
    expect(refused.error.code).toBe("forbidden");
    // In a session of their own on B, the lecture's producer ids are "not found".
    const own = await makeSession((await makeUser("expert")).id, { invite: [stranger.id] });
    const ownJoin = await ok(strangerSocket, "room:join", { roomId: own.id });
    const recv = await ok(strangerSocket, "transport:create", { direction: "recv", plain: true });
    const stolen = (await strangerSocket.timeout(8_000).emitWithAck("consume", { producerId: lecture.mic, rtpCapabilities: ownJoin.routerRtpCapabilities, transportId: recv.id })) as any;
    expect(stolen.error.code).toBe("not_found");
    // Without LIVE_PLAIN_RTP plain transports are refused: see live-hostile (the default is off).
  }, 30_000);

  it("the host on A removes a learner whose socket is on B (a remote peer): B removes them, A's list loses them", async () => {
    const late = await makeUser("learner", "Removed on B");
    await prisma.liveSessionInvite.create({ data: { sessionId: lecture.sessionId, userId: late.id } });
    const socket = await fleet.connect(B, late.id);
    const seen = next(lecture.hostSocket, "peer:joined", 8_000, (p: any) => p.peer.userId === late.id);
    await ok(socket, "room:join", { roomId: lecture.sessionId });
    const { peer } = await seen;
    const removed = next(socket, "room:removed");
    const gone = next(lecture.hostSocket, "peer:left", 8_000, (p: any) => p.peerId === peer.id);
    await ok(lecture.hostSocket, "host:remove", { peerId: peer.id });
    expect(await removed).toEqual({ by: "Expert on A" });
    await gone;
  }, 30_000);

  it("process A gone: the directory entry expires, B's room heals (the expert leaves B's list) and B becomes the origin", async () => {
    const left = next(lecture.learnerSocket, "peer:left", TTL_MS + 10 * HEARTBEAT_MS + 8_000, (p: any) => p.peerId === lecture.hostPeer);
    await A.kill("SIGKILL");
    await left;
    await until(async () => {
      const entry = await directory(lecture.sessionId);
      return !!entry && entry.processId !== lecture.originId;
    }, TTL_MS * 3 + 5_000);
    expect((await fetch(`${B.url}/healthz`)).status).toBe(200);
    // The learner is still in B's room and can talk to it.
    await ok(lecture.learnerSocket, "hand:set", { raised: true });
  }, 40_000);
});


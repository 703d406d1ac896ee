/**
 * A socket drop keeps the peer's media (docs/decisions/020-reconnect-without-media-teardown.md):
 * real server, real mediasoup, socket.io clients. The resume keeps exactly what the client
 * lists and the server still has, closes the rest; nobody else's ids survive; the grace
 * period still closes everything.
 */
import crypto from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prisma } from "~/domains/db.server";
import {
  connect,
  errorCode,
  FAKE_DTLS,
  joined,
  makeSession,
  makeUser,
  next,
  ok,
  produceFake,
  startLiveServer,
  stopLiveServer,
  until,
  videoRtpParameters,
  type Harness,
} from "./live-helpers";

let h: Harness;
const GRACE_MS = 2_000;

beforeAll(async () => {
  h = await startLiveServer({ LIVE_RECONNECT_GRACE_MS: String(GRACE_MS) });
});
afterAll(async () => {
  await stopLiveServer(h);
});

const mediaOf = (roomId: string, peerId: string) =>
  h.server.live.inspect().rooms.find((r) => r.id === roomId)?.peerMedia.find((p) => p.id === peerId);

/** A learner with a send transport (mic + camera) and a recv transport consuming the host's mic. */
async function setUp() {
  const expert = await makeUser("expert");
  const learner = await makeUser();
  const session = await makeSession(expert.id, { invite: [learner.id] });
  const host = await joined(h, expert.id, session.id);
  const hostMedia = await produceFake(host.socket, ["mic"], 9000);
  const me = await joined(h, learner.id, session.id);
  const send = await produceFake(me.socket, ["mic", "camera"], 9100);
  const recv = await ok(me.socket, "transport:create", { direction: "recv" });
  await ok(me.socket, "transport:connect", { transportId: recv.id, dtlsParameters: FAKE_DTLS });
  const consumer = await ok(me.socket, "consume", {
    producerId: hostMedia.ids.mic,
    rtpCapabilities: me.data.routerRtpCapabilities,
    transportId: recv.id,
  });
  return { expert, learner, session, host, me, send, recv, consumer };
}

describe("a dropped socket keeps the peer's media", () => {
  it("drop: the peer is 'reconnecting' with all its transports, producers and consumers; the resume keeps what is listed", async () => {
    const { learner, session, host, me, send, recv, consumer } = await setUp();
    const before = mediaOf(session.id, me.data.peerId)!;
    expect(before.transports).toHaveLength(2);

    let closedProducers = 0;
    host.socket.on("producer:closed", () => closedProducers++);
    const reconnecting = next(host.socket, "peer:updated", 5_000, (p: any) => p.peer.id === me.data.peerId && p.peer.status === "reconnecting");
    (me.socket.io.engine as { close(): void }).close();
    const update = await reconnecting;
    // The others still see (and hear) its producers.
    expect(update.peer.producers.map((p: any) => p.id).sort()).toEqual(Object.values(send.ids).sort());
    await new Promise((r) => setTimeout(r, 300));
    const during = mediaOf(session.id, me.data.peerId)!;
    expect(during.status).toBe("reconnecting");
    expect(during.transports.map((t) => t.id).sort()).toEqual(before.transports.map((t) => t.id).sort());
    expect(during.producers.sort()).toEqual(before.producers.sort());
    expect(during.consumers).toEqual([consumer.id]);
    expect(closedProducers).toBe(0);

    // Resume listing everything but the camera producer: the camera closes, the rest stays.
    const back = await connect(h, learner.id);
    const camGone = next(host.socket, "producer:closed", 5_000, (p: any) => p.producerId === send.ids.camera);
    const resumed = await ok(back, "room:join", {
      roomId: session.id,
      resume: me.data.peerId,
      media: { transports: [send.transportId, recv.id], producers: [send.ids.mic], consumers: [consumer.id] },
    });
    expect(resumed.resumed).toBe(true);
    expect(resumed.peerId).toBe(me.data.peerId);
    expect(resumed.kept.transports.sort()).toEqual([send.transportId, recv.id].sort());
    expect(resumed.kept.producers).toEqual([send.ids.mic]);
    expect(resumed.kept.consumers).toEqual([consumer.id]);
    await camGone;
    const after = mediaOf(session.id, me.data.peerId)!;
    expect(after.status).toBe("connected");
    expect(after.transports.map((t) => t.id).sort()).toEqual([send.transportId, recv.id].sort());
    expect(after.producers).toEqual([send.ids.mic]);
    // The kept objects are usable on the new socket: resume the consumer, produce the camera again.
    await ok(back, "consumer:resume", { consumerId: consumer.id });
    const cam = await ok(back, "produce", {
      transportId: send.transportId,
      kind: "video",
      rtpParameters: videoRtpParameters(9200, true),
      appData: { source: "camera" },
    });
    expect(mediaOf(session.id, me.data.peerId)!.producers.sort()).toEqual([send.ids.mic, cam.id].sort());

    // Well past the grace period: the resumed peer and its media are still there.
    await new Promise((r) => setTimeout(r, GRACE_MS + 300));
    expect(mediaOf(session.id, me.data.peerId)!.transports).toHaveLength(2);
  });

  it("a resume keeps only the peer's own media: ids it doesn't hold (another peer's, unknown) are ignored", async () => {
    const { learner, session, host, me, send } = await setUp();
    const hostTransports = mediaOf(session.id, host.data.peerId)!.transports.map((t) => t.id);
    const hostProducers = mediaOf(session.id, host.data.peerId)!.producers;
    (me.socket.io.engine as { close(): void }).close();
    await until(() => mediaOf(session.id, me.data.peerId)?.status === "reconnecting");
    const back = await connect(h, learner.id);
    const resumed = await ok(back, "room:join", {
      roomId: session.id,
      resume: me.data.peerId,
      media: { transports: [...hostTransports, send.transportId], producers: [...hostProducers, crypto.randomUUID()], consumers: [] },
    });
    expect(resumed.kept).toEqual({ transports: [send.transportId], producers: [], consumers: [] });
    // The host's media is untouched; the learner's recv transport and producers closed.
    expect(mediaOf(session.id, host.data.peerId)!.transports.map((t) => t.id)).toEqual(hostTransports);
    expect(mediaOf(session.id, host.data.peerId)!.producers).toEqual(hostProducers);
    expect(mediaOf(session.id, me.data.peerId)!.transports.map((t) => t.id)).toEqual([send.transportId]);
    expect(mediaOf(session.id, me.data.peerId)!.producers).toEqual([]);
  });

  it("someone else can't take the peer (and its media) over; malformed media lists are refused", async () => {
    const { session, me, send } = await setUp();
    (me.socket.io.engine as { close(): void }).close();
    await until(() => mediaOf(session.id, me.data.peerId)?.status === "reconnecting");
    const intruder = await makeUser();
    await prisma.liveSessionInvite.create({ data: { sessionId: session.id, userId: intruder.id } });
    const other = await connect(h, intruder.id);
    const res = await ok(other, "room:join", {
      roomId: session.id,
      resume: me.data.peerId,
      media: { transports: [send.transportId], producers: [send.ids.mic], consumers: [] },
    });
    expect(res.resumed).toBe(false);
    expect(res.peerId).not.toBe(me.data.peerId);
    expect(res.kept).toEqual({ transports: [], producers: [], consumers: [] });
    // The dropped peer's media is untouched by the intruder's attempt.
    expect(mediaOf(session.id, me.data.peerId)!.producers.sort()).toEqual(Object.values(send.ids).sort());

    const bad = await connect(h, intruder.id);
    for (const media of [
      { transports: ["not-a-uuid"], producers: [], consumers: [] },
      { transports: Array.from({ length: 9 }, () => crypto.randomUUID()), producers: [], consumers: [] },
      { transports: [], producers: [] },
      { transports: [], producers: [], consumers: [], extra: 1 },
      "everything",
    ]) {
      expect(await errorCode(bad, "room:join", { roomId: session.id, resume: me.data.peerId, media })).toBe("bad_request");
    }
  });

  it("the grace period still ends a peer that never comes back, with all its media", async () => {
    const { session, host, me } = await setUp();
    const left = next(host.socket, "peer:left", GRACE_MS + 4_000, (p: any) => p.peerId === me.data.peerId);
    const closed = next(host.socket, "producer:closed", GRACE_MS + 4_000);
    (me.socket.io.engine as { close(): void }).close();
    await until(() => mediaOf(session.id, me.data.peerId)?.status === "reconnecting");
    expect(mediaOf(session.id, me.data.peerId)!.transports).toHaveLength(2);
    expect(await left).toEqual({ peerId: me.data.peerId, reason: "disconnected" });
    await closed.catch(() => undefined);
    expect(mediaOf(session.id, me.data.peerId)).toBeUndefined();
    const routers = h.server.live.inspect().rooms.find((r) => r.id === session.id)!.routers;
    // Only the host's consumers remain (it consumed nothing): the learner's consumer is gone.
    expect(routers.reduce((n, r) => n + r.consumers, 0)).toBe(0);
  });
});

/**
 * Link adaptation on the REAL server (real mediasoup consumers): when a receiver's consumer
 * scores badly, the room's 2-second tick lowers that peer's link cap one step at a time and
 * re-applies the consumer's preferred layers; clean scores raise it again. Fake RTP
 * parameters carry no packets, so the score mediasoup would compute from the receiver's RTCP
 * reports is set on the consumer's entry (where the "score" event puts it). The arithmetic
 * itself is unit-tested in tests/unit/live-layers.test.ts.
 *
 * Run: npx vitest run tests/integration/live-link.test.ts
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FAKE_DTLS, joined, makeSession, makeUser, ok, produceFake, startLiveServer, stopLiveServer, until, type Harness } from "./live-helpers.js";

let h: Harness;

beforeAll(async () => {
  h = await startLiveServer();
}, 60_000);

afterAll(async () => {
  await stopLiveServer(h);
}, 30_000);

describe("link adaptation", () => {
  it("lowers a poorly scoring receiver's preferred layers step by step, and raises them after clean scores", async () => {
    const expert = await makeUser("expert");
    const learner = await makeUser();
    const session = await makeSession(expert.id, { invite: [learner.id] });
    const hostPeer = await joined(h, expert.id, session.id);
    const hostMedia = await produceFake(hostPeer.socket, ["camera"], 7000);
    const s = await joined(h, learner.id, session.id);
    const recv = await ok(s.socket, "transport:create", { direction: "recv" });
    const cam = await ok(s.socket, "consume", { producerId: hostMedia.ids.camera, rtpCapabilities: s.data.routerRtpCapabilities, transportId: recv.id });
    await ok(s.socket, "consumer:resume", { consumerId: cam.id });
    // A big tile: the top layer.
    await ok(s.socket, "consumer:tile", { consumerId: cam.id, width: 1280, height: 720 });
    const room = (h.server.live as any).rooms.get(session.id);
    const peer = room.getPeer(s.data.peerId);
    const entry = () => peer.consumerEntries().find((e: any) => e.consumer.id === cam.id);
    const spatial = () => entry().consumer.preferredLayers?.spatialLayer;
    await until(() => spatial() === 2);
    expect(peer.link.cap).toBe(2);

    // The receiver's link goes bad (mediasoup's score from its RTCP loss reports): one step
    // down right away, the next after the 3-second cool-down — not both at once.
    const badSince = Date.now();
    entry().score = 3;
    await until(() => spatial() === 1, 5_000);
    expect(peer.link.cap).toBe(1);
    await until(() => spatial() === 0, 8_000);
    expect(Date.now() - badSince).toBeGreaterThanOrEqual(3_000);
    expect(peer.link.cap).toBe(0);
    expect(peer.quality).toBe("poor");

    // Clean again: after 10 s of clean scores the cap goes up one step.
    const cleanSince = Date.now();
    entry().score = 10;
    await until(() => spatial() === 1, 16_000);
    expect(Date.now() - cleanSince).toBeGreaterThanOrEqual(9_000);
    expect(peer.quality).toBe("good");
  }, 45_000);

  it("a screen share (two layers, as the client sends it) goes to a weak receiver as its lean half-size layer with fewer frames, never paused", async () => {
    const expert = await makeUser("expert");
    const learner = await makeUser();
    const session = await makeSession(expert.id, { invite: [learner.id] });
    const hostPeer = await joined(h, expert.id, session.id);
    const send = await ok(hostPeer.socket, "transport:create", { direction: "send" });
    await ok(hostPeer.socket, "transport:connect", { transportId: send.id, dtlsParameters: FAKE_DTLS });
    // The RTP parameters mediasoup-client sends for app/domains/live/client/encodings.ts screenEncodings().
    const screenParams = {
      codecs: [{ mimeType: "video/VP8", payloadType: 96, clockRate: 90000, rtcpFeedback: [{ type: "nack" }, { type: "nack", parameter: "pli" }] }],
      headerExtensions: [{ uri: "urn:ietf:params:rtp-hdrext:sdes:mid", id: 1 }, { uri: "urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id", id: 2 }],
      encodings: [
        { rid: "r0", scalabilityMode: "L1T2", scaleResolutionDownBy: 2, maxBitrate: 150_000 },
        { rid: "r1", scalabilityMode: "L1T2", scaleResolutionDownBy: 1, maxBitrate: 1_200_000 },
      ],
      rtcp: { cname: "screen", reducedSize: true },
      mid: "2",
    };
    const { id: screenId } = await ok(hostPeer.socket, "produce", { transportId: send.id, kind: "video", rtpParameters: screenParams, appData: { source: "screen" } });
    const s = await joined(h, learner.id, session.id);
    const recv = await ok(s.socket, "transport:create", { direction: "recv" });
    const screen = await ok(s.socket, "consume", { producerId: screenId, rtpCapabilities: s.data.routerRtpCapabilities, transportId: recv.id });
    await ok(s.socket, "consumer:resume", { consumerId: screen.id });
    await ok(s.socket, "consumer:tile", { consumerId: screen.id, width: 1280, height: 720 });
    const room = (h.server.live as any).rooms.get(session.id);
    const peer = room.getPeer(s.data.peerId);
    const entry = () => peer.consumerEntries().find((e: any) => e.consumer.id === screen.id);
    expect(entry().consumer.type).toBe("simulcast");
    const layers = () => entry().consumer.preferredLayers;
    // Clean link: the full picture at its full frame rate.
    await until(() => layers()?.spatialLayer === 1 && layers()?.temporalLayer === 1);
    // Weak link: the lean layer (half size, 5 fps), then its base frame rate — still flowing.
    entry().score = 3;
    await until(() => layers()?.spatialLayer === 0 && layers()?.temporalLayer === 1, 5_000);
    await until(() => layers()?.spatialLayer === 0 && layers()?.temporalLayer === 0, 8_000);
    expect(entry().consumer.paused).toBe(false);
  }, 45_000);
});

/**
 * A room that grows past LIVE_ROUTER_MAX_CONSUMERS gets a router on another worker; its
 * peers consume producers of the first router through pipeToRouter (the piped producer keeps
 * its id), and everything (pause, close) follows across the pipe.
 *
 * Run: npx vitest run tests/integration/live-scale.test.ts
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { joined, makeSession, makeUser, next, ok, produceFake, startLiveServer, stopLiveServer, until, type Harness } from "./live-helpers.js";

let h: Harness;

beforeAll(async () => {
  h = await startLiveServer({ LIVE_ROUTER_MAX_CONSUMERS: "2", MEDIASOUP_NUM_WORKERS: "2" });
}, 60_000);

afterAll(async () => {
  await stopLiveServer(h);
}, 30_000);

describe("one room over several workers", () => {
  it("puts later peers on a router of another worker and pipes producers to it", async () => {
    const expert = await makeUser("expert");
    const learners = [await makeUser(), await makeUser(), await makeUser()];
    const session = await makeSession(expert.id, { invite: learners.map((l) => l.id) });
    const hostPeer = await joined(h, expert.id, session.id);
    const media = await produceFake(hostPeer.socket, ["mic", "camera"], 4000);

    const consumeAll = async (peer: Awaited<ReturnType<typeof joined>>) => {
      const recv = await ok(peer.socket, "transport:create", { direction: "recv" });
      const out: Record<string, string> = {};
      for (const [source, producerId] of Object.entries(media.ids)) {
        const c = await ok(peer.socket, "consume", { producerId, rtpCapabilities: peer.data.routerRtpCapabilities, transportId: recv.id });
        await ok(peer.socket, "consumer:resume", { consumerId: c.id });
        out[source] = c.id;
      }
      return out;
    };

    // The first learner fills the first router (2 consumers)...
    const first = await joined(h, learners[0]!.id, session.id);
    await consumeAll(first);
    // ...so the next ones go to a router on the other worker and consume through a pipe.
    const second = await joined(h, learners[1]!.id, session.id);
    const secondConsumers = await consumeAll(second);
    const third = await joined(h, learners[2]!.id, session.id);
    await consumeAll(third);

    const room = h.server.live.inspect().rooms.find((r) => r.id === session.id)!;
    expect(room.routers).toHaveLength(2);
    expect(new Set(room.routers.map((r) => r.workerPid)).size).toBe(2);
    // The third learner: every router is at the threshold and no worker is left, so the least
    // loaded router takes it (the first one).
    expect(room.routers.map((r) => r.consumers)).toEqual([4, 2]);
    const workers = h.server.live.inspect().workers;
    expect(workers.every((w) => w.consumers >= 2)).toBe(true);

    // Pausing and closing the original producer reach the consumers on the other router.
    const paused = next(second.socket, "producer:paused");
    await ok(hostPeer.socket, "producer:pause", { producerId: media.ids.mic });
    expect(await paused).toMatchObject({ producerId: media.ids.mic, paused: true });
    const closed = next(second.socket, "consumer:closed", 5_000, (p: any) => p.consumerId === secondConsumers.camera);
    await ok(hostPeer.socket, "producer:close", { producerId: media.ids.camera });
    expect(await closed).toEqual({ consumerId: secondConsumers.camera, producerId: media.ids.camera });
    await until(() => h.server.live.inspect().rooms.find((r) => r.id === session.id)!.routers[1]!.consumers === 1);

    // A producer of a peer on the second router is piped back for the first one.
    const back = await produceFake(third.socket, ["mic"], 4500);
    const recv = await ok(hostPeer.socket, "transport:create", { direction: "recv" });
    const c = await ok(hostPeer.socket, "consume", { producerId: back.ids.mic, rtpCapabilities: hostPeer.data.routerRtpCapabilities, transportId: recv.id });
    expect(c.producerId).toBe(back.ids.mic);
  });
});

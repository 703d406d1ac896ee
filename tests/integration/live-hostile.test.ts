/**
 * A hostile client against the REAL server: for EVERY socket event of protocol.ts,
 * malformed, oversized and flooding payloads — from a stranger, a joined learner and a
 * joined host — after which the server still serves a legitimate client. Control
 * characters (a NUL byte) in chat messages and display names never raise an exception.
 *
 * Run: npx vitest run tests/integration/live-hostile.test.ts
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prisma } from "~/domains/db.server";
import { ERROR_CODES, REQUEST_NAMES } from "../../server/live/protocol.js";
import {
  connect,
  joined,
  makeSession,
  makeUser,
  next,
  ok,
  produceFake,
  send,
  startLiveServer,
  stopLiveServer,
  until,
  type AckResponse,
  type Harness,
} from "./live-helpers.js";

let h: Harness;

beforeAll(async () => {
  h = await startLiveServer();
}, 60_000);

afterAll(async () => {
  await stopLiveServer(h);
}, 30_000);

/** Payloads no request schema accepts (every payload is a strict object or an optional empty one). */
function malformed(peerId: string): unknown[] {
  return [
    null,
    42,
    "room:join",
    true,
    [],
    [{ roomId: "x" }],
    { extra: 1 },
    JSON.parse('{"__proto__": {"polluted": true}}'),
    JSON.parse('{"constructor": {"prototype": {"polluted": true}}}'),
    { roomId: "a\u0000b" },
    { peerId, extra: "\u0000" },
    { body: 7 },
    { raised: "yes" },
    { allowed: null },
    { direction: "send", transportId: {} },
    { producerId: "../../etc/passwd" },
    { consumerId: "x", width: -1, height: 1e12 },
    { spotlight: { peerId: 1 } },
    { mode: "turbo" },
    { transportId: crypto.randomUUID(), kind: "video", rtpParameters: { codecs: [{ mimeType: 5 }] } },
    { a: { b: { c: { d: { e: { f: ["deep"] } } } } } },
  ];
}

function expectAnswered(responses: AckResponse[]) {
  for (const res of responses) {
    const isData = res.data !== undefined && res.error === undefined;
    const isError = res.error !== undefined && (ERROR_CODES as readonly string[]).includes(res.error.code);
    expect(isData || isError, JSON.stringify(res).slice(0, 200)).toBe(true);
    if (isError) expect(res.error!.code, JSON.stringify(res.error)).not.toBe("internal");
  }
}

async function legitimateClientWorks() {
  expect(h.server.live.health().ok).toBe(true);
  const host = await makeUser("expert");
  const learner = await makeUser("learner");
  const session = await makeSession(host.id, { invite: [learner.id] });
  const a = await joined(h, host.id, session.id);
  const b = await joined(h, learner.id, session.id);
  const { ids } = await produceFake(a.socket, ["mic"], 91_000);
  await ok(b.socket, "transport:create", { direction: "recv" });
  const consumer = await ok(b.socket, "consume", { producerId: ids.mic, rtpCapabilities: b.data.routerRtpCapabilities });
  await ok(b.socket, "consumer:resume", { consumerId: consumer.id });
  const heard = next(a.socket, "chat:message");
  await ok(b.socket, "chat:send", { body: "still here" });
  expect((await heard).message.body).toBe("still here");
}

describe("hostile payloads for every socket event", () => {
  it("answers malformed payloads of every event with an error ack, never 'internal', for strangers, learners and hosts", async () => {
    const host = await makeUser("expert");
    const learner = await makeUser("learner");
    const session = await makeSession(host.id, { invite: [learner.id] });
    const hostPeer = await joined(h, host.id, session.id);
    const learnerPeer = await joined(h, learner.id, session.id);
    const stranger = await connect(h, (await makeUser("learner")).id);
    for (const event of REQUEST_NAMES) {
      for (const socket of [stranger, learnerPeer.socket, hostPeer.socket]) {
        const responses = await Promise.all(malformed(learnerPeer.data.peerId).map((p) => send(socket, event, p)));
        expectAnswered(responses);
        // Nothing malformed is ever accepted (rate_limited: the same person's budget ran out).
        for (const res of responses) expect(["bad_request", "rate_limited"], `${event}: ${JSON.stringify(res)}`).toContain(res.error?.code);
        expect(responses.some((r) => r.error?.code === "bad_request"), event).toBe(true);
      }
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    // The room is intact: nobody was ended, removed or muted by junk.
    expect(hostPeer.socket.connected && learnerPeer.socket.connected).toBe(true);
    expect(h.server.live.inspect().rooms.find((r) => r.id === session.id)?.peers).toBe(2);
    await legitimateClientWorks();
  }, 60_000);

  it("refuses oversized messages by closing that socket; the server carries on", async () => {
    const learner = await makeUser("learner");
    const host = await makeUser("expert");
    const session = await makeSession(host.id, { invite: [learner.id] });
    const p = await joined(h, learner.id, session.id);
    // Within the transport limit but over the schema's: an error ack.
    expect((await send(p.socket, "chat:send", { body: "x".repeat(20_000) })).error?.code).toBe("bad_request");
    // Over the transport limit (socket.io maxHttpBufferSize): the connection is closed, nothing parsed.
    const gone = new Promise<string>((resolve) => p.socket.once("disconnect", resolve));
    p.socket.emit("chat:send", { body: "x".repeat(2_000_000) }, () => undefined);
    expect(await gone).toMatch(/transport (close|error)/);
    const big = await connect(h, learner.id);
    const gone2 = new Promise<string>((resolve) => big.once("disconnect", resolve));
    big.emit("room:join", { roomId: session.id, junk: "y".repeat(100_000) }, () => undefined);
    await gone2;
    await legitimateClientWorks();
  });

  it("survives floods of every event (with and without acks, known and unknown), then serves normally", async () => {
    const host = await makeUser("expert");
    const learner = await makeUser("learner");
    const session = await makeSession(host.id, { invite: [learner.id] });
    const hostPeer = await joined(h, host.id, session.id);
    const learnerPeer = await joined(h, learner.id, session.id);
    const pending: Promise<AckResponse>[] = [];
    for (let round = 0; round < 40; round++) {
      for (const event of [...REQUEST_NAMES, "no:such-event"]) {
        // Learner floods valid-looking payloads, host floods junk, both without acks too.
        pending.push(send(learnerPeer.socket, event, { raised: round % 2 === 0 }));
        if (event !== "host:end") pending.push(send(hostPeer.socket, event, { body: `flood ${round}` }));
        learnerPeer.socket.emit(event, { raised: true });
      }
    }
    const responses = await Promise.all(pending);
    expectAnswered(responses);
    const limited = responses.filter((r) => r.error?.code === "rate_limited").length;
    expect(limited).toBeGreaterThan(responses.length / 2);
    expect(hostPeer.socket.connected && learnerPeer.socket.connected).toBe(true);
    await legitimateClientWorks();
  }, 60_000);
});

describe("plain-RTP transports (benches and tests only)", () => {
  it("are refused without LIVE_PLAIN_RTP=1: no plain transport, no plainConnect on a WebRTC transport", async () => {
    const host = await makeUser("expert");
    const session = await makeSession(host.id);
    const p = await joined(h, host.id, session.id);
    expect((await send(p.socket, "transport:create", { direction: "send", plain: true })).error?.code).toBe("forbidden");
    const webrtc = await ok(p.socket, "transport:create", { direction: "recv" });
    expect((await send(p.socket, "transport:plainConnect", { transportId: webrtc.id, ip: "127.0.0.1", port: 9 })).error?.code).toBe("forbidden");
    expect(webrtc.plain).toBeUndefined();
  });
});

describe("control characters", () => {
  it("a NUL byte or other control characters in a chat message are cleaned, never an exception", async () => {
    const host = await makeUser("expert");
    const learner = await makeUser("learner");
    const session = await makeSession(host.id, { invite: [learner.id] });
    const a = await joined(h, host.id, session.id);
    const b = await joined(h, learner.id, session.id);
    const sent = await ok(b.socket, "chat:send", { body: "weld\u0000ing\u0007 \u001b[31mred\u009b\nline 2\ttab" });
    expect(sent.body).toBe("welding [31mred\nline 2\ttab");
    expect((await send(b.socket, "chat:send", { body: "\u0000\u0001\u0002" })).error?.code).toBe("bad_request");
    expect((await send(b.socket, "chat:send", { body: "\ud800 lone surrogate" })).error?.code).not.toBe("internal");
    const stored = await prisma.chatMessage.findMany({ where: { sessionId: session.id } });
    expect(stored.every((m) => !/[\u0000-\u0008\u000b-\u001f]/.test(m.body))).toBe(true);
    expect(a.socket.connected).toBe(true);
  });

  it("a display name with control characters reaches the others cleaned", async () => {
    const host = await makeUser("expert");
    const learner = await makeUser("learner", "Evil\u0007Name\u001b[2J\u202e");
    const session = await makeSession(host.id, { invite: [learner.id] });
    const a = await joined(h, host.id, session.id);
    const seen = next(a.socket, "peer:joined");
    const b = await joined(h, learner.id, session.id);
    const { peer } = await seen;
    expect(peer.name).toBe("EvilName[2J\u202e");
    const heard = next(a.socket, "chat:message");
    await ok(b.socket, "chat:send", { body: "hi" });
    expect((await heard).message.name).toBe("EvilName[2J\u202e");
    await until(() => a.socket.connected);
  });
});

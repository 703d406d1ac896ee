/**
 * What the SFU really receives from a real Chromium sender (findings 2, 3, 4 and 8 of issue 13):
 * the REAL server (startServer, mediasoup) in this process, Debian's Chromium with its fake
 * camera, microphone and screen, the REAL pages (pre-join, room). Assertions read the
 * server-side producers: their RTP parameters and producer.getStats() (one entry per
 * simulcast stream, with rid and bitrate); the browser's own outbound stats (frame size per
 * layer) are printed beside them.
 *
 *  - the host's camera: three layers, all arriving (320×180 / 640×360 / 1280×720 from a 720p
 *    capture); a participant's: two (180p + 360p); a camera that only gives 360p/480p: two;
 *  - "send low-quality video": one stream of ≤ 180 lines at a low bit rate and frame rate;
 *  - screen share: two layers (half size lean + full), both arriving;
 *  - microphone: Opus with useinbandfec=1 and usedtx=1; data saver lowers it to 16 kbit/s and
 *    the camera to its lowest layer.
 *
 * Needs a current `npm run build` (the server serves the built pages).
 * Run: npx vitest run tests/integration/live-sender.test.ts
 */
import fs from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page } from "@playwright/test";
import { CHROMIUM, chromiumArgs } from "../support/chromium.js";
import { cookieFor, makeSession, makeUser, startLiveServer, stopLiveServer, until, type Harness } from "./live-helpers.js";


let h: Harness;
let browser: Browser;

beforeAll(async () => {
  h = await startLiveServer();
  const { chromium } = await import("@playwright/test");
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: chromiumArgs(),
  });
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await stopLiveServer(h);
}, 30_000);

interface ServerStream {
  rid: string | null;
  ssrc: number;
  bitrate: number;
  byteCount: number;
}

/** The server-side producers of one user in one room. */
function producersOf(sessionId: string, userId: string) {
  const room = (h.server.live as any).rooms.get(sessionId);
  if (!room) return [];
  const peer = [...room.peers.values()].find((p: any) => p.userId === userId && !p.closed);
  return peer ? (peer.producerEntries() as { producer: any; source: string }[]) : [];
}

async function serverStreams(producer: any): Promise<ServerStream[]> {
  const stats = (await producer.getStats()) as { rid?: string; ssrc: number; bitrate: number; byteCount: number }[];
  return stats.map((s) => ({ rid: s.rid ?? null, ssrc: s.ssrc, bitrate: s.bitrate, byteCount: s.byteCount }));
}

/** Mean bit rate of each stream over `ms`, from the server's byte counters. */
async function serverRates(producer: any, ms: number): Promise<Map<string, number>> {
  const a = await serverStreams(producer);
  await new Promise((r) => setTimeout(r, ms));
  const b = await serverStreams(producer);
  const out = new Map<string, number>();
  for (const s of b) {
    const before = a.find((x) => x.ssrc === s.ssrc)?.byteCount ?? 0;
    out.set(s.rid ?? String(s.ssrc), Math.round(((s.byteCount - before) * 8) / (ms / 1000)));
  }
  return out;
}

/**
 * The rates once every one of `rids` flows: Chromium switches its top layer off and on while
 * its bandwidth estimate ramps up (slower on a loaded machine), so a single window can catch
 * a layer paused. Measures again until all flow or `withinMs` is over; returns the last.
 */
async function steadyRates(producer: any, rids: string[], ms: number, withinMs = 30_000): Promise<Map<string, number>> {
  const deadline = Date.now() + withinMs;
  for (;;) {
    const rates = await serverRates(producer, ms);
    if (rids.every((rid) => (rates.get(rid) ?? 0) > 10_000) || Date.now() > deadline) return rates;
  }
}

async function openRoom(userId: string, sessionId: string, opts: { lowVideo?: boolean; camera?: { width: number; height: number } } = {}): Promise<Page> {
  const context = await browser.newContext({ permissions: ["camera", "microphone"], locale: "en-US" });
  if (opts.camera) {
    // A camera that cannot give 720p: the page's capture request is answered at this size.
    await context.addInitScript(`(() => {
      const size = ${JSON.stringify(opts.camera)};
      const md = navigator.mediaDevices;
      const original = md.getUserMedia.bind(md);
      md.getUserMedia = (c) => original(c && c.video ? { ...c, video: { ...(typeof c.video === "object" ? c.video : {}), width: { exact: size.width }, height: { exact: size.height } } } : c);
    })()`);
  }
  const [name, value] = (await cookieFor(userId)).split("=");
  await context.addCookies([{ name: name!, value: value!, url: h.url }]);
  const page = await context.newPage();
  page.on("console", (m) => {
    if (m.type() === "warning" || m.type() === "error") console.log(`[browser ${m.type()}] ${m.text()}`);
  });
  await page.goto(`${h.url}/live/${sessionId}`);
  await page.getByTestId("prejoin-preview").waitFor({ timeout: 20_000 });
  if (opts.lowVideo) await page.getByTestId("prejoin-low-video").check();
  await page.getByTestId("prejoin-join").click();
  await page.locator('[data-testid="live-status"][data-status="connected"]').waitFor({ timeout: 30_000 });
  return page;
}

type Outbound = {
  source: string;
  kind: string;
  rid: string | null;
  frameWidth: number | null;
  frameHeight: number | null;
  framesPerSecond: number | null;
  targetBitrate: number | null;
  qualityLimitationReason: string | null;
  encoding: Record<string, unknown> | null;
  degradationPreference: string | null;
};
function outbound(page: Page): Promise<Outbound[]> {
  // A string: tsx's transform would inject helpers the page doesn't have.
  return page.evaluate("window.__liveTest.outbound()") as Promise<Outbound[]>;
}

/** Prints the browser's view of each stream beside what the server receives of it. */
function print(label: string, streams: Outbound[], rates: Map<string, number>) {
  const lines = streams.map((s) => {
    const received = s.rid ? rates.get(s.rid) : rates.size === 1 ? [...rates.values()][0] : undefined;
    return (
      `  ${s.source}${s.rid ? `/${s.rid}` : ""}: ${s.frameWidth ?? "-"}×${s.frameHeight ?? "-"} @ ${s.framesPerSecond ?? "-"} fps, ` +
      `browser target ${s.targetBitrate ?? "-"} bit/s, server receives ${received ?? "-"} bit/s` +
      `, maxBitrate ${s.encoding?.maxBitrate ?? "-"}, priority ${s.encoding?.priority ?? "-"}` +
      (s.qualityLimitationReason && s.qualityLimitationReason !== "none" ? `, limited by ${s.qualityLimitationReason}` : "")
    );
  });
  console.log(`\n== ${label}\n${lines.join("\n")}`);
}

describe.skipIf(!fs.existsSync(CHROMIUM))("what the SFU receives from Chromium", () => {
  it("camera: three simulcast layers arrive; screen share: two (half-size lean + full); mic: Opus FEC + DTX; data saver spares the upload", async () => {
    const expert = await makeUser("expert");
    const session = await makeSession(expert.id);
    const page = await openRoom(expert.id, session.id);

    // Camera: every promised layer reaches the server.
    await until(() => producersOf(session.id, expert.id).some((p) => p.source === "camera"), 15_000);
    const camera = producersOf(session.id, expert.id).find((p) => p.source === "camera")!.producer;
    expect(camera.rtpParameters.encodings).toHaveLength(3);
    await until(async () => (await serverStreams(camera)).filter((s) => s.bitrate > 0).length === 3, 25_000);
    const camRates = await steadyRates(camera, ["r0", "r1", "r2"], 3_000);
    const camOut = (await outbound(page)).filter((s) => s.source === "camera");
    print("camera (720p capture)", camOut, camRates);
    expect([...camRates.keys()].sort()).toEqual(["r0", "r1", "r2"]);
    for (const rate of camRates.values()) expect(rate).toBeGreaterThan(10_000);
    const heights = camOut.map((s) => s.frameHeight ?? 0).sort((a, b) => a - b);
    expect(heights).toEqual([180, 360, 720]);

    // Microphone: FEC and DTX negotiated with the SFU; 32 kbit/s, high priority.
    const mic = producersOf(session.id, expert.id).find((p) => p.source === "mic")!.producer;
    const opus = mic.rtpParameters.codecs.find((c: any) => c.mimeType.toLowerCase() === "audio/opus");
    console.log(`\n== mic: server-side Opus parameters ${JSON.stringify(opus.parameters)}`);
    expect(opus.parameters.useinbandfec).toBe(1);
    expect(opus.parameters.usedtx).toBe(1);
    const micOut = (await outbound(page)).find((s) => s.source === "mic")!;
    print("mic", [micOut], await serverRates(mic, 3_000));
    expect(micOut.encoding?.maxBitrate).toBe(32_000);
    expect(micOut.encoding?.priority).toBe("high");

    // Screen share: two layers, the lean one at half size, both arriving.
    await page.getByTestId("screen-toggle").click();
    await until(() => producersOf(session.id, expert.id).some((p) => p.source === "screen"), 15_000);
    const screen = producersOf(session.id, expert.id).find((p) => p.source === "screen")!.producer;
    expect(screen.rtpParameters.encodings.length).toBeGreaterThanOrEqual(2);
    await until(async () => (await serverStreams(screen)).filter((s) => s.bitrate > 0).length === 2, 25_000);
    const screenRates = await steadyRates(screen, ["r0", "r1"], 3_000);
    const screenOut = (await outbound(page)).filter((s) => s.source === "screen");
    print("screen", screenOut, screenRates);
    expect([...screenRates.keys()].sort()).toEqual(["r0", "r1"]);
    const [low, full] = ["r0", "r1"].map((rid) => screenOut.find((s) => s.rid === rid)!);
    expect(low!.frameHeight! * 2).toBeLessThanOrEqual(full!.frameHeight! + 2);
    expect(low!.encoding?.maxBitrate).toBeLessThanOrEqual(150_000);
    expect(low!.encoding?.maxFramerate).toBeLessThanOrEqual(5);
    console.log(`   screen sender degradationPreference: ${full!.degradationPreference ?? "(not reported)"}`);
    // Where the browser reports it, it is what we set.
    if (full!.degradationPreference !== null) expect(full!.degradationPreference).toBe("maintain-resolution");
    await page.getByTestId("screen-toggle").click();

    // Data saver: the own upload is spared too — lowest camera layer only, Opus at 16 kbit/s.
    await page.getByTestId("data-saver-select").selectOption("low");
    await until(async () => {
      const out = await outbound(page);
      return out.find((s) => s.source === "mic")?.encoding?.maxBitrate === 16_000;
    }, 10_000);
    await until(async () => {
      const rates = await serverRates(camera, 1_500);
      return (rates.get("r1") ?? 0) < 5_000 && (rates.get("r2") ?? 0) < 5_000 && (rates.get("r0") ?? 0) > 10_000;
    }, 20_000);
    const saverRates = await serverRates(camera, 3_000);
    print("camera with data saver on", (await outbound(page)).filter((s) => s.source === "camera"), saverRates);
    print("mic with data saver on", (await outbound(page)).filter((s) => s.source === "mic"), await serverRates(mic, 3_000));
    await page.context().close();
  }, 150_000);

  it('"send low-quality video": one stream of at most 320×180, ≤ 15 fps, at a low bit rate', async () => {
    const expert = await makeUser("expert");
    const learner = await makeUser();
    const session = await makeSession(expert.id, { invite: [learner.id] });
    const page = await openRoom(learner.id, session.id, { lowVideo: true });
    await until(() => producersOf(session.id, learner.id).some((p) => p.source === "camera"), 15_000);
    const camera = producersOf(session.id, learner.id).find((p) => p.source === "camera")!.producer;
    expect(camera.rtpParameters.encodings).toHaveLength(1);
    expect(camera.rtpParameters.encodings[0].maxBitrate).toBeLessThanOrEqual(150_000);
    await until(async () => (await serverStreams(camera)).some((s) => s.bitrate > 0), 20_000);
    // Let the encoder settle past its start-up burst, then measure.
    await new Promise((r) => setTimeout(r, 4_000));
    const rates = await serverRates(camera, 5_000);
    const out = (await outbound(page)).filter((s) => s.source === "camera");
    print("camera, send low-quality video", out, rates);
    expect(out).toHaveLength(1);
    expect(out[0]!.frameHeight).toBeLessThanOrEqual(180);
    expect(out[0]!.framesPerSecond ?? 0).toBeLessThanOrEqual(16);
    const [rate] = [...rates.values()];
    expect(rate).toBeGreaterThan(5_000);
    expect(rate).toBeLessThanOrEqual(170_000);
    await page.context().close();
  }, 90_000);

  it.each([
    { width: 640, height: 360 },
    { width: 640, height: 480 },
  ])("a camera that gives only $width×$height: two layers promised, both arriving", async (size) => {
    const expert = await makeUser("expert");
    const session = await makeSession(expert.id);
    const page = await openRoom(expert.id, session.id, { camera: size });
    await until(() => producersOf(session.id, expert.id).some((p) => p.source === "camera"), 15_000);
    const camera = producersOf(session.id, expert.id).find((p) => p.source === "camera")!.producer;
    expect(camera.rtpParameters.encodings).toHaveLength(2);
    await until(async () => (await serverStreams(camera)).filter((s) => s.bitrate > 0).length === 2, 25_000);
    const rates = await serverRates(camera, 3_000);
    const out = (await outbound(page)).filter((s) => s.source === "camera");
    print(`camera (${size.width}×${size.height} capture)`, out, rates);
    expect([...rates.keys()].sort()).toEqual(["r0", "r1"]);
    expect(out.map((s) => s.frameHeight).sort((a, b) => a! - b!)).toEqual([size.height / 2, size.height]);
    await page.context().close();
  }, 90_000);

  it("a participant's camera (not the host's): captured at 640×360, two layers 320×180 + 640×360, both arriving", async () => {
    const expert = await makeUser("expert");
    const learner = await makeUser();
    const session = await makeSession(expert.id, { invite: [learner.id] });
    const page = await openRoom(learner.id, session.id);
    await until(() => producersOf(session.id, learner.id).some((p) => p.source === "camera"), 15_000);
    const camera = producersOf(session.id, learner.id).find((p) => p.source === "camera")!.producer;
    expect(camera.rtpParameters.encodings).toHaveLength(2);
    await until(async () => (await serverStreams(camera)).filter((s) => s.bitrate > 0).length === 2, 25_000);
    const rates = await serverRates(camera, 3_000);
    const out = (await outbound(page)).filter((s) => s.source === "camera");
    print("a participant's camera", out, rates);
    expect(out.map((s) => s.frameHeight).sort((a, b) => a! - b!)).toEqual([180, 360]);
    await page.context().close();
  }, 90_000);
});

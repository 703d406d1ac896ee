// Switching camera and microphone inside the room, without rejoining. Uses a Chromium of its
// own with several fake cameras and microphones (the shared config has one of each).
//
// Chromium's fake cameras cycle through pixel formats: fake_device_0 is I420, fake_device_1
// is Y16 (a depth format WebRTC does not encode: a sender given that track sends nothing —
// checked with a bare RTCPeerConnection, independent of SkillRelay), fake_device_2 is MJPEG.
// So three are launched and the test switches between fake_device_0 and fake_device_2.
import { chromium, expect, test, type Browser, type Page } from "@playwright/test";
import { CHROMIUM, chromiumArgs } from "../support/chromium";
import { DEMO, loginAs } from "./helpers";
import { createInstantSession, enterRoom, liveStats } from "./live-helpers";

const ARGS = chromiumArgs({ fakeDevices: 3 });

type Produced = { source: string; producerId: string | null; trackId: string; deviceId: string | null; readyState: string; senderTrackId: string | null };

async function producers(page: Page): Promise<Produced[]> {
  return page.evaluate(() => (window as unknown as { __liveTest: { producers(): Produced[] } }).__liveTest.producers());
}

/** Bytes received from one producer's video on `page`. */
async function videoBytesFrom(page: Page, producerId: string) {
  return (await liveStats(page)).inboundVideos.filter((v) => v.producerId === producerId).reduce((n, v) => n + v.bytesReceived, 0);
}

/** Frames of one producer's video decoded on `page`. */
async function framesFrom(page: Page, producerId: string) {
  const videos = (await liveStats(page)).inboundVideos as { producerId: string | null; framesDecoded?: number }[];
  return videos.filter((v) => v.producerId === producerId).reduce((n, v) => n + (v.framesDecoded ?? 0), 0);
}

/** The expert keeps receiving and decoding that video: 40 more frames get decoded and bytes grow. */
async function keepsReceiving(page: Page, producerId: string) {
  const bytes = await videoBytesFrom(page, producerId);
  const frames = await framesFrom(page, producerId);
  await expect.poll(() => framesFrom(page, producerId), { timeout: 15_000, intervals: [500] }).toBeGreaterThan(frames + 40);
  expect(await videoBytesFrom(page, producerId)).toBeGreaterThan(bytes + 1_000);
}

let browser: Browser;
test.beforeAll(async () => {
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
});
test.afterAll(async () => {
  await browser?.close();
});

test("a learner switches camera and microphone in the room without rejoining; the expert keeps receiving", async ({ baseURL }) => {
  test.setTimeout(120_000);
  const newContext = async (email: string) => {
    const context = await browser.newContext({ baseURL, locale: "en-US", permissions: ["camera", "microphone"] });
    await loginAs(context, baseURL!, email);
    return context;
  };
  const expertContext = await newContext(DEMO.expert);
  const learnerContext = await newContext(DEMO.learner);
  const expert = await expertContext.newPage();
  const learner = await learnerContext.newPage();

  // Every signalling message the learner sends (socket.io frames: `42<ack>["event",…]`).
  const sent: string[] = [];
  learner.on("websocket", (ws) => ws.on("framesent", (f) => typeof f.payload === "string" && sent.push(f.payload)));
  const joins = () => sent.filter((f) => /^42\d*\["room:join"/.test(f)).length;

  const sessionId = await createInstantSession(expert, `Devices ${Date.now()}`, [DEMO.learner]);
  await enterRoom(expert);
  await learner.goto(`/live/${sessionId}`);
  await enterRoom(learner);

  // The fake devices really are two of each.
  const inputs = await learner.evaluate(async () =>
    (await navigator.mediaDevices.enumerateDevices()).filter((d) => d.kind === "videoinput" || d.kind === "audioinput").map((d) => ({ kind: d.kind, deviceId: d.deviceId, label: d.label })),
  );
  const cams = inputs.filter((d) => d.kind === "videoinput" && d.label !== "fake_device_1");
  const mics = inputs.filter((d) => d.kind === "audioinput" && d.deviceId !== "default" && d.deviceId !== "communications");
  expect(cams.length, JSON.stringify(inputs)).toBeGreaterThanOrEqual(2);
  expect(mics.length, JSON.stringify(inputs)).toBeGreaterThanOrEqual(2);

  await expect(expert.getByTestId("remote-video")).toHaveCount(1, { timeout: 20_000 });
  await expect.poll(async () => (await producers(learner)).filter((p) => p.producerId).length, { timeout: 15_000 }).toBe(2);
  const before = await producers(learner);
  const cam0 = before.find((p) => p.source === "camera")!;
  const mic0 = before.find((p) => p.source === "mic")!;
  await expect.poll(() => videoBytesFrom(expert, cam0.producerId!), { timeout: 20_000, intervals: [500] }).toBeGreaterThan(30_000);
  const joinsBefore = joins();
  expect(joinsBefore).toBe(1);

  // Switch the camera through the room's device picker.
  const otherCam = cams.find((d) => d.deviceId !== cam0.deviceId)!;
  await learner.locator("summary").filter({ hasText: /Devices|设备/ }).click();
  await expect(learner.getByTestId("switch-camera").locator("option")).toHaveCount(cams.length + 1);
  await expect(learner.getByTestId("switch-camera")).toHaveValue(cam0.deviceId!);
  await learner.getByTestId("switch-camera").selectOption(otherCam.deviceId);
  await expect.poll(async () => (await producers(learner)).find((p) => p.source === "camera")?.deviceId, { timeout: 10_000 }).toBe(otherCam.deviceId);
  let now = await producers(learner);
  const cam1 = now.find((p) => p.source === "camera")!;
  // Same producer, new track, actually being sent; the old camera is released.
  expect(cam1.producerId).toBe(cam0.producerId);
  expect(cam1.trackId).not.toBe(cam0.trackId);
  expect(cam1.senderTrackId).toBe(cam1.trackId);
  expect(cam1.readyState).toBe("live");
  await expect(learner.getByTestId("switch-camera")).toHaveValue(otherCam.deviceId);
  // The local preview shows the new camera.
  await expect
    .poll(() => learner.getByTestId("local-video").evaluate((v: HTMLVideoElement) => (v.srcObject as MediaStream | null)?.getVideoTracks()[0]?.getSettings().deviceId))
    .toBe(otherCam.deviceId);
  // The expert keeps receiving the same producer's video: bytes keep growing.
  // (fake_device_2 shows a nearly still picture: few bytes per frame, so frames are counted.)
  await keepsReceiving(expert, cam0.producerId!);
  await expect
    .poll(() => expert.getByTestId("remote-video").first().evaluate((v: HTMLVideoElement) => v.videoWidth), { timeout: 10_000 })
    .toBeGreaterThan(0);

  // Switch the microphone.
  const otherMic = mics.find((d) => d.deviceId !== mic0.deviceId)!;
  await learner.getByTestId("switch-mic").selectOption(otherMic.deviceId);
  await expect.poll(async () => (await producers(learner)).find((p) => p.source === "mic")?.deviceId, { timeout: 10_000 }).toBe(otherMic.deviceId);
  now = await producers(learner);
  const mic1 = now.find((p) => p.source === "mic")!;
  expect(mic1.producerId).toBe(mic0.producerId);
  expect(mic1.trackId).not.toBe(mic0.trackId);
  expect(mic1.senderTrackId).toBe(mic1.trackId);
  await expect(learner.getByTestId("switch-mic")).toHaveValue(otherMic.deviceId);
  const audioAfterMicSwitch = (await liveStats(expert)).inboundAudioBytes;
  await expect.poll(async () => (await liveStats(expert)).inboundAudioBytes, { timeout: 10_000 }).toBeGreaterThan(audioAfterMicSwitch + 2_000);
  // The expert still hears the learner speaking (the fake microphone beeps).
  await expect(expert.locator('[data-testid="remote-participant"][data-speaking="true"]')).toHaveCount(1, { timeout: 15_000 });

  // Back to the first camera while the microphone is muted: still no rejoin, mute kept.
  const devicesMenu = learner.locator("summary").filter({ hasText: /Devices|设备/ });
  await devicesMenu.click(); // the open menu covers the controls
  await learner.getByTestId("mic-toggle").click();
  await expect(learner.getByTestId("mic-toggle")).toHaveAttribute("data-on", "false");
  await devicesMenu.click();
  await learner.getByTestId("switch-mic").selectOption(mic0.deviceId!);
  await expect.poll(async () => (await producers(learner)).find((p) => p.source === "mic")?.deviceId, { timeout: 10_000 }).toBe(mic0.deviceId);
  await expect(learner.getByTestId("mic-toggle")).toHaveAttribute("data-on", "false");
  await learner.getByTestId("switch-camera").selectOption(cam0.deviceId!);
  await expect.poll(async () => (await producers(learner)).find((p) => p.source === "camera")?.deviceId, { timeout: 10_000 }).toBe(cam0.deviceId);
  await keepsReceiving(expert, cam0.producerId!);

  // Never rejoined: one room:join, the same peer on the expert's side, one remote video.
  expect(joins()).toBe(joinsBefore);
  await expect(expert.getByTestId("remote-video")).toHaveCount(1);
  await expect(learner.getByTestId("live-status")).toHaveAttribute("data-status", "connected");

  await expertContext.close();
  await learnerContext.close();
});

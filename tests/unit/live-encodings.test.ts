import { describe, expect, it } from "vitest";
import {
  audioPlan,
  cameraCapture,
  cameraEncodings,
  cameraSendCap,
  chromiumMaxLayers,
  lowVideoEncodings,
  screenEncodings,
  sendPlan,
  withSenderPriority,
} from "../../app/domains/live/client/encodings";

// The figures Chromium really encodes are checked in tests/integration/live-sender.test.ts.
describe("camera encodings", () => {
  it("a 720p capture gives three layers an octave apart: 320×180, 640×360, 1280×720", async () => {
    const enc = cameraEncodings({ width: 1280, height: 720 });
    expect(enc.map((e) => 720 / e.scaleResolutionDownBy!)).toEqual([180, 360, 720]);
    expect(enc.map((e) => e.maxBitrate)).toEqual([150_000, 400_000, 1_000_000]);
    expect(enc.every((e) => e.scalabilityMode === "L1T3")).toBe(true);
    // Camera + screen + audio stay under the server's per-transport incoming cap.
    const { loadLiveConfig } = await import("../../server/live/config.js");
    const sum = (list: { maxBitrate?: number }[]) => list.reduce((n, e) => n + (e.maxBitrate ?? 0), 0);
    expect(sum(enc) + sum(screenEncodings()) + sum(audioPlan("mic", false).encodings)).toBeLessThanOrEqual(loadLiveConfig({} as NodeJS.ProcessEnv).maxIncomingBitrate);
  });

  it("asks only for the layers Chromium encodes for the captured size (never a promised layer that never comes)", () => {
    expect(chromiumMaxLayers(1280, 720)).toBe(3);
    expect(chromiumMaxLayers(960, 540)).toBe(3);
    expect(chromiumMaxLayers(640, 480)).toBe(2);
    expect(chromiumMaxLayers(640, 360)).toBe(2);
    expect(chromiumMaxLayers(320, 180)).toBe(1);
    const sd = cameraEncodings({ width: 640, height: 360 });
    expect(sd.map((e) => 360 / e.scaleResolutionDownBy!)).toEqual([180, 360]);
    expect(sd.map((e) => e.maxBitrate)).toEqual([150_000, 400_000]);
    expect(cameraEncodings({ width: 640, height: 480 }).map((e) => e.scaleResolutionDownBy)).toEqual([2, 1]);
    expect(cameraEncodings({ width: 320, height: 180 })).toHaveLength(1);
  });

  it("the sender priority is on the first encoding only (Chromium refuses it on the others)", () => {
    for (const enc of [cameraEncodings({ width: 1280, height: 720 }), screenEncodings()]) {
      expect(enc[0]!.priority).toBeDefined();
      expect(enc.slice(1).every((e) => e.priority === undefined && e.networkPriority === undefined)).toBe(true);
    }
    expect(withSenderPriority([{}, {}], "high")).toEqual([{ priority: "high", networkPriority: "high" }, {}]);
  });
});

describe("camera capture", () => {
  it("the host's camera at 720p (three layers), a participant's at 360p (two), low video at 180p", () => {
    expect(cameraCapture({ host: true, lowVideo: false })).toMatchObject({ width: { ideal: 1280 }, height: { ideal: 720 } });
    expect(cameraCapture({ host: false, lowVideo: false })).toMatchObject({ width: { ideal: 640 }, height: { ideal: 360 } });
    expect(cameraCapture({ host: true, lowVideo: true })).toMatchObject({ height: { ideal: 180 } });
    expect(cameraEncodings({ width: 640, height: 360 })).toHaveLength(2);
  });
});

describe("send low-quality video", () => {
  it("one layer of at most 180 lines scaled from the capture, ≤ 150 kbit/s, ≤ 15 fps, no temporal layers", () => {
    for (const height of [720, 480, 360, 180, 120]) {
      const enc = lowVideoEncodings({ width: (height * 16) / 9, height });
      expect(enc).toHaveLength(1);
      expect(height / enc[0]!.scaleResolutionDownBy!).toBeLessThanOrEqual(180);
      expect(enc[0]!.scaleResolutionDownBy).toBeGreaterThanOrEqual(1);
      expect(enc[0]!.maxBitrate).toBeGreaterThanOrEqual(100_000);
      expect(enc[0]!.maxBitrate).toBeLessThanOrEqual(150_000);
      expect(enc[0]!.maxFramerate).toBeLessThanOrEqual(15);
      // mediasoup 3.8 refuses one VP8 stream that announces temporal layers (an "SVC" producer).
      expect(enc[0]!.scalabilityMode).toBeUndefined();
    }
    expect(lowVideoEncodings({ width: 1280, height: 720 })[0]!.scaleResolutionDownBy).toBe(4);
  });
});

describe("screen share", () => {
  it("two layers: half size at 150 kbit/s and 5 fps, then the full picture; kept sharp (detail, maintain-resolution)", () => {
    const enc = screenEncodings();
    expect(enc).toHaveLength(2);
    expect(enc[0]).toMatchObject({ scaleResolutionDownBy: 2, maxBitrate: 150_000, maxFramerate: 5 });
    expect(enc[1]).toMatchObject({ scaleResolutionDownBy: 1 });
    expect(enc[1]!.maxBitrate!).toBeGreaterThan(enc[0]!.maxBitrate!);
    // mediasoup-client gives all encodings the same mode; the server reads 2 temporal layers.
    expect(new Set(enc.map((e) => e.scalabilityMode))).toEqual(new Set(["L1T2"]));
    const plan = sendPlan({ source: "screen", settings: { width: 1920, height: 1080 }, lowVideo: true, dataSaver: "low" });
    expect(plan.contentHint).toBe("detail");
    expect(plan.degradationPreference).toBe("maintain-resolution");
    expect(plan.encodings).toEqual(enc);
  });
});

describe("audio", () => {
  it("Opus with in-band FEC and DTX, mono 32 kbit/s, 16 in data saver, first in the sender's priorities", () => {
    const mic = audioPlan("mic", false);
    expect(mic.codecOptions).toMatchObject({ opusFec: true, opusDtx: true, opusStereo: false, opusMaxAverageBitrate: 32_000 });
    expect(mic.encodings).toEqual([{ maxBitrate: 32_000, priority: "high", networkPriority: "high" }]);
    const saver = audioPlan("mic", true);
    expect(saver.codecOptions?.opusMaxAverageBitrate).toBe(16_000);
    expect(saver.encodings[0]!.maxBitrate).toBe(16_000);
    // The screen's sound (music, a video) is stereo and never cut by DTX, FEC still on.
    expect(audioPlan("screen-audio", false).codecOptions).toMatchObject({ opusStereo: true, opusDtx: false, opusFec: true });
    expect(sendPlan({ source: "mic", settings: {}, lowVideo: false, dataSaver: "audio" }).codecOptions?.opusMaxAverageBitrate).toBe(16_000);
  });

  it("video is below audio in the sender's priorities", () => {
    const rank = { "very-low": 0, low: 1, medium: 2, high: 3 } as const;
    const audio = rank[audioPlan("mic", false).encodings[0]!.priority!];
    for (const source of ["camera", "screen"] as const) {
      const plan = sendPlan({ source, settings: { width: 1280, height: 720 }, lowVideo: false, dataSaver: "off" });
      expect(rank[plan.encodings[0]!.priority!]).toBeLessThan(audio);
    }
  });
});

describe("the plan per source", () => {
  it("camera: simulcast normally, the single low layer with lowVideo; data saver caps the own camera to its lowest layer", () => {
    expect(sendPlan({ source: "camera", settings: { width: 1280, height: 720 }, lowVideo: false, dataSaver: "off" }).encodings).toHaveLength(3);
    expect(sendPlan({ source: "camera", settings: { width: 1280, height: 720 }, lowVideo: true, dataSaver: "off" }).encodings).toHaveLength(1);
    // Unknown settings: assume a 360p camera (two layers), never promise three.
    expect(sendPlan({ source: "camera", settings: {}, lowVideo: false, dataSaver: "off" }).encodings).toHaveLength(2);
    expect(cameraSendCap("off", 3)).toBeNull();
    expect(cameraSendCap("low", 3)).toBe(0);
    expect(cameraSendCap("audio", 2)).toBe(0);
    expect(cameraSendCap("low", 1)).toBeNull();
  });
});

import { describe, expect, it } from "vitest";
import { chooseLayers, downlinkScore, initialLink, layerForTileHeight, ownDownlinkScores, qualityFromScores, updateLink, type LayerInput } from "../../server/live/layers.js";

const camera: LayerInput = {
  kind: "video",
  source: "camera",
  spatialLayers: 3,
  temporalLayers: 3,
  tile: null,
  dataSaver: "off",
  isSpotlight: false,
  linkCap: 2,
};

describe("layer choice", () => {
  it("picks the camera layer from the tile size", () => {
    expect(layerForTileHeight(90)).toBe(0);
    expect(layerForTileHeight(200)).toBe(0);
    expect(layerForTileHeight(300)).toBe(1);
    expect(layerForTileHeight(400)).toBe(1);
    expect(layerForTileHeight(480)).toBe(2);
    expect(layerForTileHeight(720)).toBe(2);
    expect(chooseLayers({ ...camera, tile: { width: 160, height: 90 } })).toEqual({ paused: false, spatialLayer: 0, temporalLayer: 2 });
    expect(chooseLayers({ ...camera, tile: { width: 1280, height: 720 } })).toEqual({ paused: false, spatialLayer: 2, temporalLayer: 2 });
    // Unknown tile: a medium layer until the client reports one.
    expect(chooseLayers(camera)).toMatchObject({ spatialLayer: 1 });
    // Hidden: paused.
    expect(chooseLayers({ ...camera, tile: { width: 0, height: 0 } })).toEqual({ paused: true });
  });

  it("caps the layer by the receiver's link", () => {
    const big = { ...camera, tile: { width: 1280, height: 720 } };
    expect(chooseLayers({ ...big, linkCap: 1 })).toMatchObject({ spatialLayer: 1, temporalLayer: 2 });
    expect(chooseLayers({ ...big, linkCap: 0 })).toMatchObject({ spatialLayer: 0, temporalLayer: 1 });
  });

  it("data saver: audio plus the spotlight at its lowest layer, or audio only", () => {
    expect(chooseLayers({ ...camera, dataSaver: "low" })).toEqual({ paused: true });
    expect(chooseLayers({ ...camera, dataSaver: "low", isSpotlight: true, tile: { width: 1280, height: 720 } })).toEqual({
      paused: false,
      spatialLayer: 0,
      temporalLayer: 1,
    });
    expect(chooseLayers({ ...camera, dataSaver: "audio", isSpotlight: true })).toEqual({ paused: true });
    expect(chooseLayers({ ...camera, kind: "audio", source: "mic", dataSaver: "audio" })).toMatchObject({ paused: false });
  });

  it("screen share: the full layer on a clean link, the lean half-size layer with fewer frames on a weak one (never nothing)", () => {
    const screen = { ...camera, source: "screen" as const, spatialLayers: 2, tile: { width: 320, height: 180 } };
    // A small tile still gets the full-resolution picture on a clean link.
    expect(chooseLayers(screen)).toEqual({ paused: false, spatialLayer: 1, temporalLayer: 2 });
    // As sent by the client (two layers, L1T2): full 15 fps / lean 5 fps / lean 2.5 fps.
    const sent = { ...screen, temporalLayers: 2 };
    expect(chooseLayers(sent)).toEqual({ paused: false, spatialLayer: 1, temporalLayer: 1 });
    expect(chooseLayers({ ...sent, linkCap: 1 })).toEqual({ paused: false, spatialLayer: 0, temporalLayer: 1 });
    expect(chooseLayers({ ...sent, linkCap: 0 })).toEqual({ paused: false, spatialLayer: 0, temporalLayer: 0 });
    expect(chooseLayers({ ...screen, linkCap: 1 })).toEqual({ paused: false, spatialLayer: 0, temporalLayer: 1 });
    expect(chooseLayers({ ...screen, linkCap: 0 })).toEqual({ paused: false, spatialLayer: 0, temporalLayer: 0 });
  });
});

describe("link adaptation", () => {
  it("lowers the cap under loss (once per burst) and raises it slowly when clean", () => {
    let link = initialLink();
    link = updateLink(link, { score: 3 }, 1_000);
    expect(link.cap).toBe(1);
    link = updateLink(link, { score: 3 }, 2_000); // same burst: cooldown
    expect(link.cap).toBe(1);
    link = updateLink(link, { score: 2 }, 4_500);
    expect(link.cap).toBe(0);
    link = updateLink(link, { score: 10 }, 5_000);
    link = updateLink(link, { score: 10 }, 14_000);
    expect(link.cap).toBe(0);
    link = updateLink(link, { score: 10 }, 15_100);
    expect(link.cap).toBe(1);
    link = updateLink(link, { score: 7 }, 16_000); // middling: holds
    expect(link.cap).toBe(1);
  });

  it("caps by the bandwidth estimate per video when the scores show trouble", () => {
    expect(updateLink(initialLink(), { score: 7, availableBitrate: 150_000 }, 0).cap).toBe(0);
    expect(updateLink(initialLink(), { score: 7, availableBitrate: 300_000 }, 0).cap).toBe(1);
    expect(updateLink(initialLink(), { score: 7, availableBitrate: 2_000_000 }, 0).cap).toBe(2);
    expect(updateLink(initialLink(), { score: 3, availableBitrate: 150_000 }, 0).cap).toBe(0);
  });

  it("a clean link is not capped by a low estimate (it follows what is sent, e.g. two small tiles)", () => {
    expect(updateLink(initialLink(), { score: 10, availableBitrate: 150_000 }, 0).cap).toBe(2);
    expect(updateLink(initialLink(), { score: 9, availableBitrate: 300_000 }, 0).cap).toBe(2);
    expect(updateLink(initialLink(), { score: null, availableBitrate: 150_000 }, 0).cap).toBe(2);
    // A lowered cap comes back after 10 s of clean scores, whatever the estimate says.
    let link = updateLink(initialLink(), { score: 7, availableBitrate: 150_000 }, 0);
    expect(link.cap).toBe(0);
    for (let t = 2_000; t <= 22_000; t += 2_000) link = updateLink(link, { score: 10, availableBitrate: 150_000 }, t);
    expect(link.cap).toBe(2);
  });

  it("turns scores into the quality indicator", () => {
    expect(qualityFromScores([])).toBe("unknown");
    expect(qualityFromScores([10, 9])).toBe("good");
    expect(qualityFromScores([10, 6])).toBe("fair");
    expect(qualityFromScores([10, 2])).toBe("poor");
  });
});

describe("own downlink only (a weak sender does not lower the receivers)", () => {
  it("a receiver with a perfect own downlink consuming a lossy producer keeps its cap", () => {
    // Consumer of the weak learner: the SFU forwards what it got (producerScore 3), the
    // stream towards this receiver is as good as its source (score 3) → explained upstream.
    const consumers = [
      { score: 3, producerScore: 3 },
      { score: 10, producerScore: 10 },
    ];
    expect(ownDownlinkScores(consumers)).toEqual([10]);
    expect(downlinkScore(consumers)).toBe(10);
    let link = initialLink();
    for (let t = 0; t <= 30_000; t += 2_000) link = updateLink(link, { score: downlinkScore(consumers) }, t);
    expect(link.cap).toBe(2);
    expect(qualityFromScores(ownDownlinkScores(consumers))).toBe("good");
    // The old rule (worst score over all consumers) would have lowered it.
    let old = initialLink();
    for (let t = 0; t <= 30_000; t += 2_000) old = updateLink(old, { score: Math.min(...consumers.map((c) => c.score)) }, t);
    expect(old.cap).toBe(0);
  });

  it("still lowers the cap when the receiver's own downlink is lossy", () => {
    // Clean source (producerScore 10) but a poor stream towards this receiver: its own link.
    const consumers = [{ score: 4, producerScore: 10 }];
    expect(downlinkScore(consumers)).toBe(4);
    const link = updateLink(initialLink(), { score: downlinkScore(consumers) }, 0);
    expect(link.cap).toBe(1);
    expect(downlinkScore([{ score: 3, producerScore: 10 }, { score: 2, producerScore: 7 }])).toBe(3);
  });

  it("a lossy source never counts against the receivers, however its stream scores there", () => {
    // Measured in bench:weak (B, perfect links for the expert and the clean learner): their
    // consumers of the weak learner's camera read 8/9, 7/9 and even 0/9.
    expect(downlinkScore([{ score: 8, producerScore: 9 }, { score: 10, producerScore: 10 }])).toBe(10);
    expect(downlinkScore([{ score: 0, producerScore: 9 }, { score: 10, producerScore: 10 }])).toBe(10);
    expect(downlinkScore([{ score: 2, producerScore: 7 }])).toBeNull();
    // A source not scored yet counts as clean.
    expect(downlinkScore([{ score: 4, producerScore: null }])).toBe(4);
    expect(downlinkScore([{ score: null, producerScore: 10 }])).toBeNull();
  });
});

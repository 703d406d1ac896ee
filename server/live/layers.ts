/**
 * Pure policy of what each consumer receives: which simulcast layer (from its tile size and
 * its receiver's link), and whether it is paused (data-saver, hidden tile). Plus the link
 * adaptation (lower under loss, raise slowly when clean) and the quality indicator.
 * Unit-tested in tests/unit/live-layers.test.ts; Room.ts applies the decisions.
 */
import type { DataSaverMode, MediaSource, Quality } from "./protocol.js";

export const MAX_LINK_CAP = 2;

export interface LayerInput {
  kind: "audio" | "video";
  source: MediaSource;
  /** Spatial layers the producer sends (3 for 720p cameras, 2 for 360p/480p ones and for screens). */
  spatialLayers: number;
  temporalLayers: number;
  /** Device pixels on the receiver's screen; null = not reported yet (treated as a medium tile). */
  tile: { width: number; height: number } | null;
  dataSaver: DataSaverMode;
  /** This consumer's producer is the room's spotlight video. */
  isSpotlight: boolean;
  /** 0…2: what the receiver's downlink carries now (see updateLink). */
  linkCap: number;
}

export type LayerDecision = { paused: true } | { paused: false; spatialLayer: number; temporalLayer: number };

/**
 * Tile height → camera layer. Camera layers are an octave apart, lowest 180 lines: 180/360/720
 * of a 720p capture, 180/360 of a 360p one (app/domains/live/client/encodings.ts).
 */
export function layerForTileHeight(height: number): number {
  if (height <= 200) return 0;
  if (height <= 400) return 1;
  return 2;
}

export function chooseLayers(input: LayerInput): LayerDecision {
  if (input.kind === "audio") return { paused: false, spatialLayer: 0, temporalLayer: 0 };
  const maxS = Math.max(0, input.spatialLayers - 1);
  const maxT = Math.max(0, input.temporalLayers - 1);
  const cap = clamp(input.linkCap, 0, MAX_LINK_CAP);

  if (input.dataSaver === "audio") return { paused: true };
  if (input.dataSaver === "low") {
    if (!input.isSpotlight) return { paused: true };
    // The lowest spatial layer at a reduced frame rate.
    return { paused: false, spatialLayer: 0, temporalLayer: Math.min(1, maxT) };
  }
  if (input.tile && (input.tile.width === 0 || input.tile.height === 0)) return { paused: true };

  if (input.source === "screen") {
    // Screen share: layer 0 is half size at ~150 kbit/s and 5 fps, the top one full size. A
    // receiver whose link is not at its best gets the lean layer (and fewer frames at cap 0):
    // a weak link still gets a picture every fraction of a second instead of nothing.
    const spatialLayer = Math.min(maxS, cap >= MAX_LINK_CAP ? maxS : 0);
    const temporalLayer = Math.min(maxT, cap);
    return { paused: false, spatialLayer, temporalLayer };
  }
  const wanted = input.tile ? layerForTileHeight(input.tile.height) : 1;
  const spatialLayer = Math.min(maxS, wanted, cap);
  const temporalLayer = cap === 0 ? Math.min(maxT, 1) : maxT;
  return { paused: false, spatialLayer, temporalLayer };
}

// ---------------------------------------------------------------------------------------
// Link adaptation

export interface LinkState {
  cap: number;
  /** Since when every sample was clean (ms), for stepping up. */
  cleanSince: number | null;
  /** When the cap was last lowered (ms), so one loss burst lowers it only once. */
  lastLowered: number;
}

export interface LinkSample {
  /** Worst score (0–10) of the receiver's active consumers; null = nothing to judge. */
  score: number | null;
  /** mediasoup's bandwidth estimate towards the receiver (bit/s), if known. */
  availableBitrate?: number;
}

export const LOWER_BELOW_SCORE = 6;
export const CLEAN_SCORE = 9;
export const LOWER_COOLDOWN_MS = 3_000;
export const RAISE_AFTER_MS = 10_000;

export function initialLink(): LinkState {
  return { cap: MAX_LINK_CAP, cleanSince: null, lastLowered: Number.NEGATIVE_INFINITY };
}

export function updateLink(state: LinkState, sample: LinkSample, now: number): LinkState {
  let { cap, cleanSince, lastLowered } = state;
  if (sample.score !== null && sample.score < LOWER_BELOW_SCORE) {
    cleanSince = null;
    if (now - lastLowered >= LOWER_COOLDOWN_MS && cap > 0) {
      cap -= 1;
      lastLowered = now;
    }
  } else if (sample.score === null || sample.score >= CLEAN_SCORE) {
    cleanSince ??= now;
    if (now - cleanSince >= RAISE_AFTER_MS && cap < MAX_LINK_CAP) {
      cap += 1;
      cleanSince = now;
    }
  } else {
    cleanSince = null;
  }
  // The bandwidth estimate caps it too (≈ what one 360p/180p/90p camera needs), but only when
  // the scores say the link is in trouble: mediasoup's estimate follows what it sends, so a
  // receiver on a clean link that gets little (two small tiles, a weak learner's lean camera)
  // read as "< 200 kbit/s per video" and was held at cap 0 (half frame rate, lowest layer)
  // for good, whatever its link (bench:weak, docs/decisions/032-weak-link-bench.md).
  // mediasoup's own BWE still picks within the preferred layers on a clean link.
  const troubled = sample.score !== null && sample.score < CLEAN_SCORE;
  if (troubled && sample.availableBitrate !== undefined && sample.availableBitrate > 0) {
    if (sample.availableBitrate < 200_000) cap = Math.min(cap, 0);
    else if (sample.availableBitrate < 450_000) cap = Math.min(cap, 1);
  }
  return { cap, cleanSince, lastLowered };
}

// ---------------------------------------------------------------------------------------
// Own downlink only

export interface ConsumerScoreSample {
  /** mediasoup ConsumerScore.score: the stream towards THIS receiver (0–10). */
  score: number | null;
  /** mediasoup ConsumerScore.producerScore: the sender's uplink into the SFU (0–10). */
  producerScore: number | null;
}

/**
 * The scores that describe a receiver's own downlink: those of its consumers whose source is
 * clean (producerScore 10, or not known yet). A consumer of a lossy source (a weak sender's
 * upload: the gaps are already in what the SFU forwards, and their late retransmissions at a
 * 400 ms round trip too) says nothing about this receiver and is left out, so one weak learner
 * cannot lower everyone's cap or turn everyone's indicator "poor". Measured (bench:weak, B):
 * on perfect links the consumers of the weak learner's camera read 8/9, 7/9, even 0/9
 * (score/producerScore) — the earlier rule "explained when within one of its source" counted
 * those as the receivers' own trouble and held the expert at cap 0.
 */
export function ownDownlinkScores(consumers: ConsumerScoreSample[]): number[] {
  const out: number[] = [];
  for (const c of consumers) {
    if (c.score === null) continue;
    if (c.producerScore !== null && c.producerScore < 10) continue;
    out.push(c.score);
  }
  return out;
}

/** Worst own-downlink score, or null when nothing judges this receiver's link. */
export function downlinkScore(consumers: ConsumerScoreSample[]): number | null {
  const scores = ownDownlinkScores(consumers);
  return scores.length ? Math.min(...scores) : null;
}

// ---------------------------------------------------------------------------------------
// Quality indicator

/** From the worst mediasoup score (0–10) among a peer's producers and consumers. */
export function qualityFromScores(scores: number[]): Quality {
  if (scores.length === 0) return "unknown";
  const worst = Math.min(...scores);
  if (worst >= 8) return "good";
  if (worst >= 5) return "fair";
  return "poor";
}

function clamp(n: number, min: number, max: number): number {
  return Math.max(min, Math.min(max, n));
}

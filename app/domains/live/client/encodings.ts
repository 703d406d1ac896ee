/**
 * Pure sender policy: what each local source captures and how it is encoded (simulcast layers,
 * bit rates, frame rates, priorities, Opus options). No browser objects here, so every choice
 * is unit-tested (tests/unit/live-encodings.test.ts); sending.ts applies it to mediasoup-client.
 * Why these figures: docs/decisions/018-weak-link-sender.md (measured in Chromium).
 *
 * Camera: the host's captured at 1280×720 (ideal) and sent as three simulcast layers
 * 320×180 / 640×360 / 1280×720; a participant's at 640×360, two layers (180p + 360p). Chromium limits the number of simulcast layers by the INPUT size (≥ 960×540: 3,
 * ≥ 640×360: 2, below: 1), so a camera that only gives 640×360 (or 640×480) gets two layers
 * (180p + 360p) and a tiny one gets one: we ask for exactly what Chromium will encode, so the
 * server never counts a layer that does not exist.
 *
 * "Send low-quality video" (lowVideo): one layer of at most 320×180 (scaled down from the
 * capture), ≤ 15 fps, ≤ 120 kbit/s (no temporal layers: mediasoup 3.8 refuses a single VP8
 * stream that announces them).
 *
 * Screen: two layers — half resolution at 150 kbit/s and 5 fps (what a weak link receives),
 * and full resolution at up to 1.2 Mbit/s, 15 fps. contentHint "detail" and
 * degradationPreference "maintain-resolution": text stays sharp, frames are dropped first.
 *
 * Audio: Opus with in-band FEC and DTX, mono at 32 kbit/s (16 kbit/s in data saver), first in
 * the sender's priorities.
 */
import type { DataSaverMode, MediaSource } from "../../../../server/live/protocol";

/** RTCRtpEncodingParameters plus the fields lib.dom does not type everywhere. */
export interface SendEncoding {
  rid?: string;
  scaleResolutionDownBy?: number;
  maxBitrate?: number;
  maxFramerate?: number;
  scalabilityMode?: string;
  priority?: RTCPriorityType;
  networkPriority?: RTCPriorityType;
  active?: boolean;
}

/** mediasoup-client's ProducerCodecOptions (the subset used here). */
export interface CodecOptions {
  opusStereo?: boolean;
  opusFec?: boolean;
  opusDtx?: boolean;
  opusMaxAverageBitrate?: number;
  opusPtime?: number;
  videoGoogleStartBitrate?: number;
}

export interface SendPlan {
  encodings: SendEncoding[];
  codecOptions?: CodecOptions;
  /** For video senders: RTCRtpSendParameters.degradationPreference to set after producing. */
  degradationPreference?: "maintain-framerate" | "maintain-resolution" | "balanced";
  /** MediaStreamTrack.contentHint to set before producing. */
  contentHint?: "motion" | "detail" | "text";
}

// ---------------------------------------------------------------------------------------
// Capture

/** The host's camera (the stage): 720p gives Chromium's three simulcast layers (see the header). */
export const CAMERA_CAPTURE: MediaTrackConstraints = {
  width: { ideal: 1280 },
  height: { ideal: 720 },
  frameRate: { ideal: 20, max: 30 },
};
/**
 * A participant's camera: 640×360, two layers (180p + 360p). Participants are seen in tiles,
 * are the ones on weak phones and links, and a 720p capture and encode costs their CPU and
 * upload for a picture nobody shows large (a spotlighted participant gets 360p).
 */
export const PARTICIPANT_CAMERA_CAPTURE: MediaTrackConstraints = {
  width: { ideal: 640 },
  height: { ideal: 360 },
  frameRate: { ideal: 20, max: 30 },
};

/** What to capture a camera at: the host's at 720p, everyone else's at 360p. */
export function cameraCapture(opts: { host: boolean; lowVideo: boolean }): MediaTrackConstraints {
  if (opts.lowVideo) return LOW_CAMERA_CAPTURE;
  return opts.host ? CAMERA_CAPTURE : PARTICIPANT_CAMERA_CAPTURE;
}
/** Camera capture when joining with "send low-quality video" and no preview stream. */
export const LOW_CAMERA_CAPTURE: MediaTrackConstraints = {
  width: { ideal: 320 },
  height: { ideal: 180 },
  frameRate: { ideal: 15, max: 15 },
};
export const SCREEN_CAPTURE: MediaTrackConstraints = { frameRate: { ideal: 15, max: 15 } };
export const MIC_CAPTURE: MediaTrackConstraints = { echoCancellation: true, noiseSuppression: true, autoGainControl: true };

// ---------------------------------------------------------------------------------------
// Figures

/** Camera layers, lowest first: target height, bit rate cap. */
export const CAMERA_LAYERS = [
  { height: 180, maxBitrate: 150_000 },
  { height: 360, maxBitrate: 400_000 },
  { height: 720, maxBitrate: 1_000_000 },
] as const;
export const LOW_VIDEO_HEIGHT = 180;
export const LOW_VIDEO_BITRATE = 120_000;
export const LOW_VIDEO_FRAMERATE = 15;
export const SCREEN_LOW = { scaleResolutionDownBy: 2, maxBitrate: 150_000, maxFramerate: 5 } as const;
export const SCREEN_FULL = { scaleResolutionDownBy: 1, maxBitrate: 1_200_000, maxFramerate: 15 } as const;
export const OPUS_BITRATE = 32_000;
export const OPUS_BITRATE_DATA_SAVER = 16_000;
export const SCREEN_AUDIO_BITRATE = 64_000;

/**
 * How many simulcast layers Chromium encodes for an input of this size (its
 * kSimulcastFormats table with the legacy layer limit, which is on by default): ≥ 960×540 → 3,
 * ≥ 640×360 → 2, else 1. Judged by pixel count like Chromium does.
 */
export function chromiumMaxLayers(width: number, height: number): number {
  const pixels = width * height;
  if (pixels >= 960 * 540) return 3;
  if (pixels >= 640 * 360) return 2;
  return 1;
}

/** Camera simulcast encodings for a captured size: lowest layer first, top = the capture. */
export function cameraEncodings(capture: { width: number; height: number }): SendEncoding[] {
  const height = Math.max(1, capture.height);
  const layers = Math.min(CAMERA_LAYERS.length, chromiumMaxLayers(capture.width, height));
  // Layers are an octave apart; the top one is the capture itself.
  const out: SendEncoding[] = [];
  for (let i = 0; i < layers; i++) {
    const scale = 2 ** (layers - 1 - i);
    // Bit rate by the layer's real height: the figure of the nearest target layer.
    const layerHeight = height / scale;
    const figures = CAMERA_LAYERS.reduce((best, l) => (Math.abs(l.height - layerHeight) < Math.abs(best.height - layerHeight) ? l : best));
    out.push({ scaleResolutionDownBy: scale, maxBitrate: figures.maxBitrate, scalabilityMode: "L1T3" });
  }
  return withSenderPriority(out, "low");
}

/** "Send low-quality video": one layer ≤ 180 lines scaled from the capture, low rate. */
export function lowVideoEncodings(capture: { width: number; height: number }): SendEncoding[] {
  const scale = Math.max(1, Math.max(1, capture.height) / LOW_VIDEO_HEIGHT);
  return [
    {
      scaleResolutionDownBy: round2(scale),
      maxBitrate: LOW_VIDEO_BITRATE,
      maxFramerate: LOW_VIDEO_FRAMERATE,
      // No scalabilityMode: one VP8 stream with temporal layers is an "SVC" producer for
      // mediasoup, which 3.8 refuses (measured: transport.produce() throws).
      priority: "low",
      networkPriority: "low",
    },
  ];
}

/** Screen share: a half-size lean layer for weak links and the full picture. */
export function screenEncodings(): SendEncoding[] {
  // mediasoup-client gives all simulcast encodings the same scalability mode (the highest).
  return withSenderPriority(
    [
      { ...SCREEN_LOW, scalabilityMode: "L1T2" },
      { ...SCREEN_FULL, scalabilityMode: "L1T2" },
    ],
    "medium",
  );
}

/**
 * The sender's priority goes on the FIRST encoding only: Chromium applies it to the whole
 * sender and refuses a non-default priority on any other encoding ("Attempted to set an
 * unimplemented parameter of RtpParameters" from addTransceiver — measured).
 */
export function withSenderPriority(encodings: SendEncoding[], priority: RTCPriorityType): SendEncoding[] {
  return encodings.map((e, i) => (i === 0 ? { ...e, priority, networkPriority: priority } : e));
}

/** Opus options: FEC and DTX always; mono speech at 32 kbit/s, 16 in data saver. */
export function audioPlan(source: "mic" | "screen-audio", dataSaver: boolean): SendPlan {
  const bitrate = source === "screen-audio" ? (dataSaver ? OPUS_BITRATE : SCREEN_AUDIO_BITRATE) : dataSaver ? OPUS_BITRATE_DATA_SAVER : OPUS_BITRATE;
  return {
    encodings: [{ maxBitrate: bitrate, priority: "high", networkPriority: "high" }],
    codecOptions: {
      opusFec: true,
      opusDtx: source === "mic",
      opusStereo: source === "screen-audio",
      opusMaxAverageBitrate: bitrate,
    },
  };
}

export interface PlanInput {
  source: MediaSource;
  /** The track's settings (width/height for video). */
  settings: { width?: number; height?: number };
  /** "Send low-quality video" chosen before joining. */
  lowVideo: boolean;
  /** The receive-side data saver: also spares this browser's own upload (audio bit rate). */
  dataSaver: DataSaverMode;
}

/** Everything produce() needs for one source. */
export function sendPlan(input: PlanInput): SendPlan {
  const saver = input.dataSaver !== "off";
  if (input.source === "mic" || input.source === "screen-audio") return audioPlan(input.source, saver);
  const capture = { width: input.settings.width ?? 640, height: input.settings.height ?? 360 };
  if (input.source === "screen") {
    return { encodings: screenEncodings(), contentHint: "detail", degradationPreference: "maintain-resolution" };
  }
  if (input.lowVideo) {
    return { encodings: lowVideoEncodings(capture), codecOptions: { videoGoogleStartBitrate: 100 }, degradationPreference: "maintain-framerate" };
  }
  return { encodings: cameraEncodings(capture), codecOptions: { videoGoogleStartBitrate: 300 }, degradationPreference: "balanced" };
}

/**
 * The highest camera layer this browser should send now: in data saver (or when the own link
 * is poor and the user accepted the suggestion) only the lowest, so the own upload does not
 * starve the download. null = all layers.
 */
export function cameraSendCap(dataSaver: DataSaverMode, layers: number): number | null {
  if (dataSaver === "off" || layers <= 1) return null;
  return 0;
}

function round2(n: number): number {
  return Math.round(n * 100) / 100;
}

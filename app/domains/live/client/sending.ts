// Sending: capture constraints and how each local source is encoded (simulcast layers).
import type { types as msc } from "mediasoup-client";
import type { MediaSource } from "../../../../server/live/protocol";

export const DEFAULT_VIDEO: MediaTrackConstraints = {
  width: { ideal: 640 },
  height: { ideal: 360 },
  frameRate: { ideal: 20, max: 30 },
};
export const LOW_VIDEO: MediaTrackConstraints = { width: { ideal: 320 }, height: { ideal: 180 }, frameRate: { ideal: 15, max: 15 } };
export const DEFAULT_AUDIO: MediaTrackConstraints = { echoCancellation: true, noiseSuppression: true, autoGainControl: true };

/** Three simulcast layers for cameras (90p/180p/360p of a 360p camera). */
const CAMERA_ENCODINGS: RTCRtpEncodingParameters[] = [
  { scaleResolutionDownBy: 4, maxBitrate: 120_000, scalabilityMode: "L1T3" } as RTCRtpEncodingParameters,
  { scaleResolutionDownBy: 2, maxBitrate: 350_000, scalabilityMode: "L1T3" } as RTCRtpEncodingParameters,
  { scaleResolutionDownBy: 1, maxBitrate: 900_000, scalabilityMode: "L1T3" } as RTCRtpEncodingParameters,
];
const LOW_CAMERA_ENCODINGS: RTCRtpEncodingParameters[] = [{ maxBitrate: 200_000 }];
/** Screen share favours resolution: two FULL-size layers at different bitrates. */
const SCREEN_ENCODINGS: RTCRtpEncodingParameters[] = [
  { scaleResolutionDownBy: 1, maxBitrate: 500_000, scalabilityMode: "L1T3" } as RTCRtpEncodingParameters,
  { scaleResolutionDownBy: 1, maxBitrate: 1_500_000, scalabilityMode: "L1T3" } as RTCRtpEncodingParameters,
];

/** Produces one local track on the send transport with the encodings its source needs. */
export async function produceTrack(transport: msc.Transport, source: MediaSource, track: MediaStreamTrack, lowVideo: boolean): Promise<msc.Producer> {
  const common = { track, stopTracks: false, appData: { source } };
  if (source === "camera") {
    const encodings = lowVideo ? LOW_CAMERA_ENCODINGS : CAMERA_ENCODINGS;
    return transport.produce({ ...common, encodings, codecOptions: { videoGoogleStartBitrate: 300 } });
  }
  if (source === "screen") {
    try {
      return await transport.produce({ ...common, encodings: SCREEN_ENCODINGS });
    } catch {
      return transport.produce({ ...common, encodings: [{ maxBitrate: 1_500_000 }] });
    }
  }
  return transport.produce({ ...common, codecOptions: { opusStereo: source === "screen-audio", opusDtx: true, opusFec: true } });
}

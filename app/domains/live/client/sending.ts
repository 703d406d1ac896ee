// Sending: capture constraints and how each local source is encoded. The choices are the pure
// plan of ./encodings (unit-tested); this module applies them to mediasoup-client.
import type { types as msc } from "mediasoup-client";
import type { DataSaverMode, MediaSource } from "../../../../server/live/protocol";
import { MIC_CAPTURE, audioPlan, cameraSendCap, sendPlan } from "./encodings";

export { cameraCapture } from "./encodings";
export const DEFAULT_AUDIO: MediaTrackConstraints = MIC_CAPTURE;

/** Produces one local track on the send transport with the encodings its source needs. */
export async function produceTrack(
  transport: msc.Transport,
  source: MediaSource,
  track: MediaStreamTrack,
  opts: { lowVideo: boolean; dataSaver: DataSaverMode },
): Promise<msc.Producer> {
  const settings = track.getSettings();
  const plan = sendPlan({ source, settings: { width: settings.width, height: settings.height }, lowVideo: opts.lowVideo, dataSaver: opts.dataSaver });
  if (plan.contentHint && "contentHint" in track) track.contentHint = plan.contentHint;
  const common = { track, stopTracks: false, appData: { source } };
  const encodings = plan.encodings as RTCRtpEncodingParameters[];
  let producer: msc.Producer;
  try {
    producer = await transport.produce({ ...common, encodings, ...(plan.codecOptions ? { codecOptions: plan.codecOptions } : {}) });
  } catch (error) {
    if (source !== "screen") throw error;
    console.warn("[live] screen simulcast refused, sending one layer:", error);
    // A browser without screen simulcast: one full-size layer (no temporal layers: the SFU
    // takes a single VP8 stream with them for SVC, which mediasoup 3.8 refuses).
    const { scalabilityMode: _mode, ...full } = plan.encodings[plan.encodings.length - 1]!;
    producer = await transport.produce({ ...common, encodings: [full] as RTCRtpEncodingParameters[] });
  }
  if (plan.degradationPreference) await setDegradationPreference(producer, plan.degradationPreference);
  if (source === "camera") await applyCameraCap(producer, opts.dataSaver);
  return producer;
}

/** Data saver spares the own upload too: only the lowest camera layer, a leaner Opus. */
export async function applyDataSaverToProducer(producer: msc.Producer, source: MediaSource, dataSaver: DataSaverMode): Promise<void> {
  if (producer.closed) return;
  if (source === "camera") await applyCameraCap(producer, dataSaver);
  else if (source === "mic" || source === "screen-audio") {
    const bitrate = audioPlan(source, dataSaver !== "off").encodings[0]!.maxBitrate!;
    await producer.setRtpEncodingParameters({ maxBitrate: bitrate }).catch(() => undefined);
  }
}

async function applyCameraCap(producer: msc.Producer, dataSaver: DataSaverMode): Promise<void> {
  const layers = producer.rtpParameters.encodings?.length ?? 1;
  if (layers <= 1 || producer.closed) return;
  const cap = cameraSendCap(dataSaver, layers);
  // Never capped yet and nothing to cap: leave the sender's parameters alone.
  if (cap === null && producer.maxSpatialLayer === undefined) return;
  await producer.setMaxSpatialLayer(cap ?? layers - 1).catch(() => undefined);
}

async function setDegradationPreference(producer: msc.Producer, preference: RTCDegradationPreference): Promise<void> {
  const sender = producer.rtpSender;
  if (!sender) return;
  try {
    const params = sender.getParameters() as RTCRtpSendParameters & { degradationPreference?: RTCDegradationPreference };
    params.degradationPreference = preference;
    await sender.setParameters(params);
  } catch {
    // Not supported by this browser: contentHint already asks for the same.
  }
}

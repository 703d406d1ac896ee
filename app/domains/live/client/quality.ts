// Stats and quality: this browser's link quality from its transports' getStats(), the
// pre-join round trip to /live/probe, and the byte counters tests read (window.__liveStats).
import type { types as msc } from "mediasoup-client";
import type { Quality } from "../../../../server/live/protocol";
import type { LiveStats, RemoteMedia } from "./types";

export type Totals = { lost: number; sent: number };

/** The fields of RTCStats entries the quality reading uses (recorded from Chromium/Firefox). */
export interface StatsEntry {
  id?: string;
  type?: string;
  kind?: string;
  state?: string;
  nominated?: boolean;
  selected?: boolean;
  selectedCandidatePairId?: string;
  currentRoundTripTime?: number;
  roundTripTime?: number;
  bytesReceived?: number;
  bytesSent?: number;
  packetsLost?: number;
  packetsSent?: number;
}

/**
 * Pure: one transport's stats → its round-trip time (s) and OWN uplink loss counters.
 * The candidate pair in use is the transport's selectedCandidatePairId, else a nominated
 * pair that is "succeeded" or still "in-progress" with bytes flowing (Chromium reports the
 * working pair as "in-progress" for a while; accepting only "succeeded" flickered to
 * "unknown"). Loss is read from remote-inbound-rtp (what the SFU lost of what WE sent):
 * inbound-rtp loss also contains the senders' upstream loss (the SFU forwards the gaps), so
 * it is not counted as this browser's own; the server's own-downlink score covers downlink.
 */
export function readTransportStats(entries: StatsEntry[]): { rtt: number | null; lost: number; sent: number } {
  const byId = new Map<string, StatsEntry>();
  for (const s of entries) if (s.id) byId.set(s.id, s);
  let pair: StatsEntry | undefined;
  const transport = entries.find((s) => s.type === "transport" && s.selectedCandidatePairId);
  if (transport) pair = byId.get(transport.selectedCandidatePairId!);
  pair ??= entries.find((s) => s.type === "candidate-pair" && s.selected);
  pair ??= entries.find(
    (s) =>
      s.type === "candidate-pair" &&
      s.nominated &&
      (s.state === "succeeded" || (s.state === "in-progress" && ((s.bytesReceived ?? 0) > 0 || (s.bytesSent ?? 0) > 0))),
  );
  let rtt: number | null = pair?.currentRoundTripTime ?? null;
  let lost = 0;
  let sent = 0;
  for (const s of entries) {
    if (s.type === "remote-inbound-rtp") {
      lost += Math.max(0, s.packetsLost ?? 0);
      if (rtt === null && s.roundTripTime !== undefined) rtt = s.roundTripTime;
    } else if (s.type === "outbound-rtp") {
      sent += s.packetsSent ?? 0;
    }
  }
  return { rtt, lost, sent };
}

/** Pure: the stats of all open transports and the last totals → quality and new totals. */
export function qualityFromStats(reports: StatsEntry[][], last: Totals): { quality: Quality; totals: Totals } {
  let rtt: number | null = null;
  let lost = 0;
  let sent = 0;
  for (const entries of reports) {
    const r = readTransportStats(entries);
    if (r.rtt !== null) rtt = Math.max(rtt ?? 0, r.rtt);
    lost += r.lost;
    sent += r.sent;
  }
  const dLost = Math.max(0, lost - last.lost);
  const dSent = Math.max(0, sent - last.sent);
  const loss = dSent > 20 ? Math.min(1, dLost / dSent) : 0;
  return { quality: rtt === null ? "unknown" : classify(rtt, loss), totals: { lost, sent } };
}

/** Round-trip time and own loss since `last` → quality; null when there is nothing to measure. */
export async function transportQuality(transports: (msc.Transport | null)[], last: Totals): Promise<{ quality: Quality; totals: Totals } | null> {
  const open = transports.filter((t): t is msc.Transport => !!t && !t.closed);
  if (open.length === 0) return null;
  const reports: StatsEntry[][] = [];
  for (const transport of open) {
    try {
      const report = await transport.getStats();
      const entries: StatsEntry[] = [];
      report.forEach((s: StatsEntry) => entries.push(s));
      reports.push(entries);
    } catch {
      return null;
    }
  }
  return qualityFromStats(reports, last);
}

/** Byte counters and per-video frame sizes; `byTrack` maps current consumers' track ids. */
export async function collectStats(transports: (msc.Transport | null)[], byTrack: Map<string, Pick<RemoteMedia, "producerId" | "source">>): Promise<LiveStats> {
  const result: LiveStats = { inboundVideoBytes: 0, inboundAudioBytes: 0, outboundVideoBytes: 0, outboundAudioBytes: 0, inboundVideos: [], inboundAudios: [] };
  const collect = async (transport: msc.Transport | null) => {
    if (!transport || transport.closed) return;
    const report = await transport.getStats();
    report.forEach(
      (s: {
        type?: string;
        kind?: string;
        mediaType?: string;
        bytesReceived?: number;
        bytesSent?: number;
        frameWidth?: number;
        frameHeight?: number;
        framesDecoded?: number;
        trackIdentifier?: string;
        packetsReceived?: number;
        packetsLost?: number;
        freezeCount?: number;
        totalFreezesDuration?: number;
        totalSamplesReceived?: number;
        totalAudioEnergy?: number;
        concealedSamples?: number;
        silentConcealedSamples?: number;
      }) => {
        const kind = s.kind ?? s.mediaType;
        if (s.type === "inbound-rtp") {
          // Only current consumers (stats of closed ones can linger in the report).
          const media = s.trackIdentifier ? byTrack.get(s.trackIdentifier) : undefined;
          const packets = { packetsReceived: s.packetsReceived ?? 0, packetsLost: Math.max(0, s.packetsLost ?? 0) };
          if (kind === "video") {
            result.inboundVideoBytes += s.bytesReceived ?? 0;
            if (media) result.inboundVideos.push({
              producerId: media.producerId ?? null,
              source: media.source ?? null,
              bytesReceived: s.bytesReceived ?? 0,
              frameWidth: s.frameWidth ?? 0,
              frameHeight: s.frameHeight ?? 0,
              framesDecoded: s.framesDecoded ?? 0,
              ...packets,
              freezeCount: s.freezeCount ?? 0,
              totalFreezesDuration: s.totalFreezesDuration ?? 0,
            });
          } else if (kind === "audio") {
            result.inboundAudioBytes += s.bytesReceived ?? 0;
            if (media) result.inboundAudios.push({
              producerId: media.producerId ?? null,
              source: media.source ?? null,
              ...packets,
              totalSamplesReceived: s.totalSamplesReceived ?? 0,
              totalAudioEnergy: s.totalAudioEnergy ?? 0,
              concealedSamples: s.concealedSamples ?? 0,
              silentConcealedSamples: s.silentConcealedSamples ?? 0,
            });
          }
        } else if (s.type === "outbound-rtp" && kind === "video") {
          result.outboundVideoBytes += s.bytesSent ?? 0;
        } else if (s.type === "outbound-rtp" && kind === "audio") {
          result.outboundAudioBytes += s.bytesSent ?? 0;
        }
      },
    );
  };
  await Promise.all(transports.map(collect));
  return result;
}

/** What this browser sends (test hook `__liveTest.outbound()`): one entry per RTP stream. */
export interface OutboundStream {
  source: string;
  kind: string;
  rid: string | null;
  frameWidth: number | null;
  frameHeight: number | null;
  framesPerSecond: number | null;
  targetBitrate: number | null;
  bytesSent: number;
  active: boolean | null;
  qualityLimitationReason: string | null;
  scalabilityMode: string | null;
  /** The sender's encoding parameters for this stream (maxBitrate, scale, priority…). */
  encoding: Record<string, unknown> | null;
  /** The sender's RTCRtpSendParameters.degradationPreference, where the browser reports it. */
  degradationPreference: string | null;
}

export async function outboundStreams(producers: { source: string; producer: msc.Producer }[]): Promise<OutboundStream[]> {
  const out: OutboundStream[] = [];
  for (const { source, producer } of producers) {
    if (producer.closed) continue;
    const params = producer.rtpSender?.getParameters() as (RTCRtpSendParameters & { degradationPreference?: string }) | undefined;
    const encodings = (params?.encodings ?? []) as unknown as Record<string, unknown>[];
    const report = await producer.getStats();
    report.forEach((s: Record<string, unknown>) => {
      if (s.type !== "outbound-rtp") return;
      const rid = typeof s.rid === "string" ? s.rid : null;
      const encoding = (rid ? encodings.find((e) => e.rid === rid) : encodings[0]) ?? null;
      const num = (v: unknown) => (typeof v === "number" ? v : null);
      out.push({
        source,
        kind: String(s.kind ?? ""),
        rid,
        frameWidth: num(s.frameWidth),
        frameHeight: num(s.frameHeight),
        framesPerSecond: num(s.framesPerSecond),
        targetBitrate: num(s.targetBitrate),
        bytesSent: num(s.bytesSent) ?? 0,
        active: typeof s.active === "boolean" ? s.active : null,
        qualityLimitationReason: typeof s.qualityLimitationReason === "string" ? s.qualityLimitationReason : null,
        scalabilityMode: typeof s.scalabilityMode === "string" ? s.scalabilityMode : null,
        encoding,
        degradationPreference: params?.degradationPreference ?? null,
      });
    });
  }
  return out;
}

export function classify(rttSeconds: number, loss: number): Quality {
  if (rttSeconds < 0.15 && loss < 0.02) return "good";
  if (rttSeconds < 0.4 && loss < 0.08) return "fair";
  return "poor";
}

/**
 * Round trip (ms) to the site before joining: the fastest of three one-byte requests to
 * /live/probe, each given up after `timeoutMs`. No download test (see ./advice.ts). null when
 * no request came back.
 */
export async function measureRtt(probeUrl = "/live/probe", timeoutMs = 4_000): Promise<number | null> {
  const rtts: number[] = [];
  for (let i = 0; i < 3; i++) {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), timeoutMs);
    const t0 = performance.now();
    try {
      const response = await fetch(`${probeUrl}?bytes=1&n=${Date.now()}-${i}`, { cache: "no-store", credentials: "same-origin", signal: controller.signal });
      await response.arrayBuffer();
      rtts.push(performance.now() - t0);
    } catch {
      // timed out or offline: the other hints decide
    } finally {
      clearTimeout(timer);
    }
  }
  return rtts.length ? Math.round(Math.min(...rtts)) : null;
}

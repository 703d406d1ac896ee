// Stats and quality: this browser's link quality from its transports' getStats(), the
// pre-join link test against /live/probe, and the byte counters tests read (window.__liveStats).
import type { types as msc } from "mediasoup-client";
import type { Quality } from "../../../../server/live/protocol";
import type { LiveStats, RemoteMedia } from "./types";

type Totals = { lost: number; received: number };

/** Round-trip time and inbound loss since `last` → quality; null when there is nothing to measure. */
export async function transportQuality(transports: (msc.Transport | null)[], last: Totals): Promise<{ quality: Quality; totals: Totals } | null> {
  const open = transports.filter((t): t is msc.Transport => !!t && !t.closed);
  if (open.length === 0) return null;
  let rtt: number | null = null;
  let lost = 0;
  let received = 0;
  for (const transport of open) {
    try {
      const report = await transport.getStats();
      report.forEach((s: { type?: string; state?: string; nominated?: boolean; currentRoundTripTime?: number; packetsLost?: number; packetsReceived?: number }) => {
        if (s.type === "candidate-pair" && s.state === "succeeded" && s.nominated && s.currentRoundTripTime !== undefined) {
          rtt = Math.max(rtt ?? 0, s.currentRoundTripTime);
        } else if (s.type === "inbound-rtp") {
          lost += Math.max(0, s.packetsLost ?? 0);
          received += s.packetsReceived ?? 0;
        }
      });
    } catch {
      return null;
    }
  }
  const dLost = lost - last.lost;
  const dReceived = received - last.received;
  const loss = dReceived + dLost > 20 ? dLost / (dReceived + dLost) : 0;
  return { quality: rtt === null ? "unknown" : classify(rtt, loss), totals: { lost, received } };
}

/** Byte counters and per-video frame sizes; `byTrack` maps current consumers' track ids. */
export async function collectStats(transports: (msc.Transport | null)[], byTrack: Map<string, Pick<RemoteMedia, "producerId" | "source">>): Promise<LiveStats> {
  const result: LiveStats = { inboundVideoBytes: 0, inboundAudioBytes: 0, outboundVideoBytes: 0, inboundVideos: [] };
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
      }) => {
        const kind = s.kind ?? s.mediaType;
        if (s.type === "inbound-rtp") {
          if (kind === "video") {
            result.inboundVideoBytes += s.bytesReceived ?? 0;
            const media = s.trackIdentifier ? byTrack.get(s.trackIdentifier) : undefined;
            // Only current consumers (stats of closed ones can linger in the report).
            if (media) result.inboundVideos.push({
              producerId: media.producerId ?? null,
              source: media.source ?? null,
              bytesReceived: s.bytesReceived ?? 0,
              frameWidth: s.frameWidth ?? 0,
              frameHeight: s.frameHeight ?? 0,
              framesDecoded: s.framesDecoded ?? 0,
            });
          } else if (kind === "audio") result.inboundAudioBytes += s.bytesReceived ?? 0;
        } else if (s.type === "outbound-rtp" && kind === "video") {
          result.outboundVideoBytes += s.bytesSent ?? 0;
        }
      },
    );
  };
  await Promise.all(transports.map(collect));
  return result;
}

export function classify(rttSeconds: number, loss: number): Quality {
  if (rttSeconds < 0.15 && loss < 0.02) return "good";
  if (rttSeconds < 0.4 && loss < 0.08) return "fair";
  return "poor";
}

/** Link quality before joining: round trip and download speed against the site (/live/probe). */
export async function measureLink(probeUrl = "/live/probe"): Promise<{ quality: Quality; rttMs: number; downKbps: number }> {
  const rtts: number[] = [];
  for (let i = 0; i < 3; i++) {
    const t0 = performance.now();
    await fetch(`${probeUrl}?bytes=1&n=${Date.now()}-${i}`, { cache: "no-store", credentials: "same-origin" });
    rtts.push(performance.now() - t0);
  }
  const bytes = 200_000;
  const t0 = performance.now();
  const response = await fetch(`${probeUrl}?bytes=${bytes}&n=${Date.now()}`, { cache: "no-store", credentials: "same-origin" });
  await response.arrayBuffer();
  const seconds = Math.max(0.001, (performance.now() - t0) / 1000);
  const rttMs = Math.min(...rtts);
  const downKbps = Math.round((bytes * 8) / 1000 / seconds);
  const quality: Quality = rttMs < 150 && downKbps > 1500 ? "good" : rttMs < 400 && downKbps > 400 ? "fair" : "poor";
  return { quality, rttMs: Math.round(rttMs), downKbps };
}

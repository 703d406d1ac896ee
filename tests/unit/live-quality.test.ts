import { describe, expect, it } from "vitest";
import { qualityFromStats, readTransportStats, type StatsEntry } from "../../app/domains/live/client/quality";

// Shaped like Chromium's RTCStatsReport entries of a mediasoup transport.
const chromiumInProgress: StatsEntry[] = [
  { id: "T01", type: "transport", selectedCandidatePairId: "CPabc" },
  { id: "CPabc", type: "candidate-pair", state: "in-progress", nominated: true, currentRoundTripTime: 0.042, bytesReceived: 120_000, bytesSent: 4_000 },
  { id: "CPdead", type: "candidate-pair", state: "failed", nominated: false },
  { id: "IT01V", type: "inbound-rtp", kind: "video", packetsLost: 900, bytesReceived: 120_000 },
];

describe("reading link quality from getStats", () => {
  it("accepts the selected pair even while it is 'in-progress' (no flicker to unknown)", () => {
    expect(readTransportStats(chromiumInProgress).rtt).toBe(0.042);
    expect(qualityFromStats([chromiumInProgress], { lost: 0, sent: 0 }).quality).toBe("good");
  });

  it("without selectedCandidatePairId: a nominated in-progress pair with bytes counts, one without bytes does not", () => {
    const noTransport = chromiumInProgress.filter((s) => s.type !== "transport");
    expect(readTransportStats(noTransport).rtt).toBe(0.042);
    const idle: StatsEntry[] = [{ id: "CP1", type: "candidate-pair", state: "in-progress", nominated: true, currentRoundTripTime: 0.05, bytesReceived: 0, bytesSent: 0 }];
    expect(qualityFromStats([idle], { lost: 0, sent: 0 }).quality).toBe("unknown");
    const firefox: StatsEntry[] = [{ id: "p", type: "candidate-pair", state: "succeeded", selected: true, nominated: true, currentRoundTripTime: 0.3 }];
    expect(qualityFromStats([firefox], { lost: 0, sent: 0 }).quality).toBe("fair");
  });

  it("inbound loss (which includes the senders' upstream loss) is not counted as own; own uplink loss is", () => {
    // 900 packets lost inbound: the weak sender's upload, forwarded by the SFU. Still good.
    expect(qualityFromStats([chromiumInProgress], { lost: 0, sent: 0 }).quality).toBe("good");
    const sending: StatsEntry[] = [
      ...chromiumInProgress,
      { id: "OT01", type: "outbound-rtp", kind: "video", packetsSent: 1000 },
      { id: "RI01", type: "remote-inbound-rtp", kind: "video", packetsLost: 150, roundTripTime: 0.05 },
    ];
    const first = qualityFromStats([sending], { lost: 0, sent: 0 });
    expect(first.totals).toEqual({ lost: 150, sent: 1000 });
    expect(first.quality).toBe("poor"); // 15 % of own packets lost
    // Next sample: no new loss → good again (deltas, not totals).
    const later = sending.map((s) => (s.id === "OT01" ? { ...s, packetsSent: 2000 } : s));
    expect(qualityFromStats([later], first.totals).quality).toBe("good");
  });
});

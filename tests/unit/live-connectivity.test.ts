// The live client's status from what works (app/domains/live/client/connection.ts): a drop
// shows "reconnecting" (not "Connected"), "lost" after CONNECTION_LOST_MS, "connected" again
// only when both the signalling and the media path work.
import { describe, expect, it } from "vitest";
import { connectivityStatus, CONNECTION_LOST_MS, SOCKET_OPTIONS } from "~/domains/live/client/connection";
import { SOCKET_PING_INTERVAL_MS, SOCKET_PING_TIMEOUT_MS } from "../../server/live/protocol";

describe("connectivityStatus", () => {
  it("is connected only when the socket is in the room and no transport's ICE is down", () => {
    expect(connectivityStatus({ socketInRoom: true, transportStates: ["connected", "connected"], outageSince: null, now: 1 })).toEqual({
      status: "connected",
      outageSince: null,
    });
    // A transport still connecting (a fresh join) is not an outage.
    expect(connectivityStatus({ socketInRoom: true, transportStates: ["new", "connecting"], outageSince: null, now: 1 }).status).toBe("connected");
    // The socket works but the media path doesn't (the page used to say "Connected" here).
    for (const state of ["disconnected", "failed"]) {
      expect(connectivityStatus({ socketInRoom: true, transportStates: ["connected", state], outageSince: null, now: 5 })).toEqual({
        status: "reconnecting",
        outageSince: 5,
      });
    }
    // Media flows but the socket is down.
    expect(connectivityStatus({ socketInRoom: false, transportStates: ["connected", "connected"], outageSince: null, now: 7 }).status).toBe("reconnecting");
  });

  it("keeps the start of the outage and says 'lost' once it has lasted CONNECTION_LOST_MS, until both work again", () => {
    const start = connectivityStatus({ socketInRoom: false, transportStates: ["disconnected"], outageSince: null, now: 1_000 });
    expect(start).toEqual({ status: "reconnecting", outageSince: 1_000 });
    const later = connectivityStatus({ socketInRoom: true, transportStates: ["disconnected"], outageSince: start.outageSince, now: 1_000 + CONNECTION_LOST_MS - 1 });
    expect(later).toEqual({ status: "reconnecting", outageSince: 1_000 });
    const lost = connectivityStatus({ socketInRoom: false, transportStates: ["failed"], outageSince: later.outageSince, now: 1_000 + CONNECTION_LOST_MS });
    expect(lost).toEqual({ status: "lost", outageSince: 1_000 });
    const back = connectivityStatus({ socketInRoom: true, transportStates: ["connected", "connected"], outageSince: lost.outageSince, now: 1_000 + CONNECTION_LOST_MS + 5 });
    expect(back).toEqual({ status: "connected", outageSince: null });
  });

  it("notices a dead connection within 7 s and retries within ~1 s, giving up a hanging handshake after 3 s", () => {
    expect(SOCKET_PING_INTERVAL_MS + SOCKET_PING_TIMEOUT_MS).toBeLessThanOrEqual(7_000);
    expect(SOCKET_OPTIONS.reconnectionDelayMax * (1 + SOCKET_OPTIONS.randomizationFactor)).toBeLessThanOrEqual(1_300);
    expect(SOCKET_OPTIONS.timeout).toBeLessThanOrEqual(3_000);
  });
});

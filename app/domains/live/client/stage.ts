// What the big stage shows. The choice is the server's (Room.spotlightVideo, sent as
// RoomState.stage: the moderator's spotlight, else a screen share, else the host's camera);
// this only finds that video among what this browser has, or its own preview.
// When the server has no stage (no screen, no host camera) the view shows the loudest camera.
import type { LiveSnapshot, Participant, RemoteMedia } from "./types";

export type StageItem =
  | { kind: "remote"; participant: Participant; media: RemoteMedia }
  | { kind: "local"; source: "camera" | "screen" }
  | null;

export function resolveStage(snap: LiveSnapshot): StageItem {
  const { participants, state, self } = snap;
  const video = (p: Participant, source: "camera" | "screen") => p.videos.find((v) => v.source === source);
  const stage = state.stage;
  if (stage) {
    if (stage.peerId === self.peerId) {
      if (stage.source === "screen" && snap.screenStream) return { kind: "local", source: "screen" };
      if (stage.source === "camera" && self.cameraOn) return { kind: "local", source: "camera" };
    }
    const p = participants.find((x) => x.peerId === stage.peerId);
    const media = p && video(p, stage.source);
    if (p && media) return { kind: "remote", participant: p, media };
  }
  const withCamera = participants.filter((p) => video(p, "camera"));
  const loudest = [...withCamera].filter((p) => p.volume !== null).sort((a, b) => (b.volume ?? -127) - (a.volume ?? -127))[0] ?? withCamera[0];
  return loudest ? { kind: "remote", participant: loudest, media: video(loudest, "camera")! } : null;
}

/**
 * The recorder's last step with the REAL ffmpeg/ffprobe: several captured segments (what a
 * recording whose sources changed leaves behind: audio+video, two microphones only, video
 * only) are rendered and joined into one WebM whose length is the sum of theirs, listed as
 * ready; a join that fails (or comes out short) marks the recording failed and leaves no file.
 * The segments are made by ffmpeg here (the capture from a live room is covered by
 * tests/e2e/live-recording.spec.ts).
 *
 * Run: npx vitest run tests/integration/live-recorder-join.test.ts
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

let root: string;
let ffmpegFailingJoin: string;
let ffmpegShortJoin: string;

beforeAll(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), "skillrelay-recorder-"));
  // ffmpeg as usual, except for the join (`-f concat`): dies half-way (a partial output
  // written), or keeps only 1.5 s.
  ffmpegFailingJoin = path.join(root, "ffmpeg-failing-join.sh");
  fs.writeFileSync(
    ffmpegFailingJoin,
    '#!/bin/sh\nfor out; do :; done\nfor a in "$@"; do [ "$a" = concat ] && { head -c 5000 /dev/urandom > "$out"; echo "concat: simulated failure" >&2; exit 1; }; done\nexec ffmpeg "$@"\n',
    { mode: 0o755 },
  );
  ffmpegShortJoin = path.join(root, "ffmpeg-short-join.sh");
  fs.writeFileSync(ffmpegShortJoin, '#!/bin/sh\nfor a in "$@"; do [ "$a" = concat ] && exec ffmpeg -t 1.5 "$@"; done\nexec ffmpeg "$@"\n', { mode: 0o755 });
});

afterAll(() => {
  fs.rmSync(root, { recursive: true, force: true });
  delete process.env.FFMPEG_BIN;
});

async function loadRecorder(ffmpegBin?: string) {
  vi.resetModules();
  if (ffmpegBin) process.env.FFMPEG_BIN = ffmpegBin;
  else delete process.env.FFMPEG_BIN;
  return (await import("../../server/live/Recorder.js")).Recorder;
}

function ffmpeg(args: string[]) {
  execFileSync("ffmpeg", ["-hide_banner", "-loglevel", "error", ...args], { stdio: "ignore" });
}

/** Three Matroska segments like the capture writes (VP8 + Opus, copied): 3 s A/V, 2 s two mics, 2 s video. */
function makeSegments(dir: string): string[] {
  fs.mkdirSync(dir, { recursive: true });
  const files = [0, 1, 2].map((i) => path.join(dir, `segment-${i}.mkv`));
  const vp8 = ["-c:v", "libvpx", "-deadline", "realtime", "-b:v", "300k"];
  ffmpeg(["-f", "lavfi", "-i", "testsrc=size=320x180:rate=15:duration=3", "-f", "lavfi", "-i", "sine=f=440:duration=3:sample_rate=48000", ...vp8, "-c:a", "libopus", "-f", "matroska", "-y", files[0]!]);
  ffmpeg(["-f", "lavfi", "-i", "sine=f=330:duration=2:sample_rate=48000", "-f", "lavfi", "-i", "sine=f=660:duration=2:sample_rate=48000", "-map", "0", "-map", "1", "-c:a", "libopus", "-f", "matroska", "-y", files[1]!]);
  ffmpeg(["-f", "lavfi", "-i", "testsrc2=size=640x360:rate=15:duration=2", ...vp8, "-f", "matroska", "-y", files[2]!]);
  return files;
}

async function recordingWithSegments(ffmpegBin?: string) {
  const Recorder = await loadRecorder(ffmpegBin);
  const recordingsDir = path.join(root, `rec-${Math.random().toString(36).slice(2)}`);
  const sessionId = "session1";
  const calls = { ready: [] as { key: string; ms: number }[], failed: [] as string[] };
  const store = {
    recordingsDir: () => recordingsDir,
    recordingReady: async (_id: string, key: string, ms: number) => void calls.ready.push({ key, ms }),
    recordingFailed: async (_id: string, reason: string) => void calls.failed.push(reason),
  };
  const log = { debug() {}, info() {}, warn() {}, error() {}, child: () => log };
  // The private constructor: no room, no capture; the segments are put in place directly.
  const Ctor = Recorder as unknown as new (room: unknown, store: unknown, row: { id: string; startedAt: Date }) => {
    tmpDir: string;
    segments: unknown[];
    stop(): Promise<"ready" | "failed">;
  };
  const recorder = new Ctor({ id: sessionId, log }, store, { id: "rec1", startedAt: new Date() });
  for (const [i, file] of makeSegments(recorder.tmpDir).entries()) {
    recorder.segments.push({ file, key: `segment-${i}`, summary: "", stderr: "", keyFrameTimers: [], inputs: [], process: null });
  }
  const status = await recorder.stop();
  const left = fs.existsSync(recordingsDir) ? fs.readdirSync(recordingsDir, { recursive: true }).map(String) : [];
  return { status, calls, recordingsDir, sessionId, tmpDir: recorder.tmpDir, left };
}

describe("joining a recording's segments", () => {
  it("renders every segment and joins them into one WebM as long as all of them, listed as ready", async () => {
    const { status, calls, recordingsDir, tmpDir, left } = await recordingWithSegments();
    expect(calls.failed).toEqual([]);
    expect(status).toBe("ready");
    expect(calls.ready).toHaveLength(1);
    const { key, ms } = calls.ready[0]!;
    expect(key).toBe("session1/rec1.webm");
    expect(ms / 1000).toBeGreaterThan(6.5);
    expect(ms / 1000).toBeLessThan(7.6);
    const file = path.join(recordingsDir, key);
    const probe = JSON.parse(
      execFileSync("ffprobe", ["-v", "error", "-show_entries", "format=duration:stream=codec_type,codec_name,width,height", "-of", "json", file], { encoding: "utf8" }),
    ) as { format: { duration: string }; streams: { codec_type: string; codec_name: string; width?: number; height?: number }[] };
    expect(Number(probe.format.duration)).toBeCloseTo(ms / 1000, 1);
    expect(probe.streams.map((s) => `${s.codec_type}:${s.codec_name}`).sort()).toEqual(["audio:opus", "video:vp8"]);
    expect(probe.streams.find((s) => s.codec_type === "video")).toMatchObject({ width: 640, height: 360 });
    // The whole file decodes, and nothing but it is left (no part file, no segments).
    expect(execFileSync("ffmpeg", ["-v", "error", "-i", file, "-f", "null", "-"], { encoding: "utf8" }).trim()).toBe("");
    expect(left.filter((f) => /\.(webm|part|mkv)$/.test(f))).toEqual(["session1/rec1.webm"]);
    expect(fs.existsSync(tmpDir)).toBe(false);
  }, 60_000);

  it("a join that fails marks the recording failed and leaves no file", async () => {
    const { status, calls, left, tmpDir } = await recordingWithSegments(ffmpegFailingJoin);
    expect(status).toBe("failed");
    expect(calls.ready).toEqual([]);
    expect(left.filter((f) => /\.(webm|part|mkv)$/.test(f))).toEqual([]);
    expect(calls.failed).toHaveLength(1);
    expect(calls.failed[0]).toMatch(/^joining 3 segments failed: .*simulated failure/);
    expect(fs.existsSync(tmpDir)).toBe(false);
  }, 60_000);

  it("a join that loses segments (shorter than their sum) is failed too, not listed", async () => {
    const { status, calls, left } = await recordingWithSegments(ffmpegShortJoin);
    expect(status).toBe("failed");
    expect(calls.ready).toEqual([]);
    expect(calls.failed[0]).toMatch(/the joined recording lasts 1\.\d s, its 3 segments 7\.\d s/);
    expect(left.filter((f) => /\.(webm|part|mkv)$/.test(f))).toEqual([]);
  }, 60_000);
});

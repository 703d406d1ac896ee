/**
 * Media without browsers, for bench/sfu.ts and debugging: an ffmpeg process replays a
 * pre-encoded VP8 (~500 kbit/s) + Opus file as plain RTP into two comedia PlainTransports
 * (one video, one audio producer), and "sinks" — PlainTransports with one VP8 and one Opus
 * consumer each — send to UDP sockets in a separate process that counts and drops packets.
 * Recipe and pitfalls: /work/shared/stack-facts.md ("Load without browsers").
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import readline from "node:readline";
import type { types as ms } from "mediasoup";

const ROOT = path.resolve(import.meta.dirname, "..");
export const SOURCE_FILE = path.join(ROOT, ".data/bench/source-vp8-500k.webm");

/** Encodes the source once (60 s of a test pattern at 640×360 25 fps, VP8 500 kbit/s + Opus 40 kbit/s). */
export function ensureSourceFile(): string {
  if (fs.existsSync(SOURCE_FILE)) return SOURCE_FILE;
  fs.mkdirSync(path.dirname(SOURCE_FILE), { recursive: true });
  const tmp = `${SOURCE_FILE}.part`;
  const result = spawnSync(
    "ffmpeg",
    [
      "-hide_banner", "-loglevel", "error",
      "-f", "lavfi", "-i", "testsrc2=size=640x360:rate=25",
      "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000",
      "-t", "60",
      "-c:v", "libvpx", "-b:v", "500k", "-minrate", "500k", "-maxrate", "500k", "-g", "50", "-deadline", "realtime", "-cpu-used", "8",
      "-c:a", "libopus", "-b:a", "40k", "-ac", "2",
      "-f", "webm", "-y", tmp,
    ],
    { stdio: ["ignore", "ignore", "pipe"], encoding: "utf8" },
  );
  if (result.status !== 0) throw new Error(`encoding the bench source failed: ${result.stderr}`);
  fs.renameSync(tmp, SOURCE_FILE);
  return SOURCE_FILE;
}

export interface FfmpegSource {
  audio: ms.Producer;
  video: ms.Producer;
  process: ChildProcess;
  close(): void;
}

const VIDEO_PT = 101;
const AUDIO_PT = 100;
const VIDEO_SSRC = 22222222;
const AUDIO_SSRC = 11111111;

export const VIDEO_RTP_PARAMETERS: ms.RtpParameters = {
  codecs: [{ mimeType: "video/VP8", payloadType: VIDEO_PT, clockRate: 90000, rtcpFeedback: [{ type: "nack" }, { type: "nack", parameter: "pli" }, { type: "ccm", parameter: "fir" }] }],
  encodings: [{ ssrc: VIDEO_SSRC }],
};
export const AUDIO_RTP_PARAMETERS: ms.RtpParameters = {
  codecs: [{ mimeType: "audio/opus", payloadType: AUDIO_PT, clockRate: 48000, channels: 2, parameters: { "sprop-stereo": 1 } }],
  encodings: [{ ssrc: AUDIO_SSRC }],
};

/** ffmpeg replaying the source file in a loop as RTP: video to `vport`, audio to `aport` on `ip`. */
export function spawnFfmpegRtp(ip: string, vport: number, aport: number): ChildProcess {
  const file = ensureSourceFile();
  return spawn(
    "ffmpeg",
    [
      "-hide_banner", "-loglevel", "error",
      "-re", "-stream_loop", "-1", "-i", file,
      "-map", "0:v:0", "-c:v", "copy", "-payload_type", String(VIDEO_PT), "-ssrc", String(VIDEO_SSRC),
      "-f", "rtp", "-rtpflags", "skip_rtcp", `rtp://${ip}:${vport}?pkt_size=1200`,
      "-map", "0:a:0", "-c:a", "copy", "-payload_type", String(AUDIO_PT), "-ssrc", String(AUDIO_SSRC),
      "-f", "rtp", "-rtpflags", "skip_rtcp", `rtp://${ip}:${aport}?pkt_size=1200`,
    ],
    { stdio: ["ignore", "ignore", "inherit"] },
  );
}

/** Two producers on `router`, fed by ffmpeg replaying the source file in a loop. */
export async function startFfmpegSource(router: ms.Router, opts: { listenIp?: string } = {}): Promise<FfmpegSource> {
  const ip = opts.listenIp ?? "127.0.0.1";
  const videoTransport = await router.createPlainTransport({ listenIp: { ip }, rtcpMux: true, comedia: true });
  const audioTransport = await router.createPlainTransport({ listenIp: { ip }, rtcpMux: true, comedia: true });
  const video = await videoTransport.produce({ kind: "video", rtpParameters: VIDEO_RTP_PARAMETERS });
  const audio = await audioTransport.produce({ kind: "audio", rtpParameters: AUDIO_RTP_PARAMETERS });
  const child = spawnFfmpegRtp(ip, videoTransport.tuple.localPort, audioTransport.tuple.localPort);
  const close = () => {
    child.kill("SIGKILL");
    videoTransport.close();
    audioTransport.close();
  };
  // ffmpeg takes a few seconds to start sending: wait until both producers see packets.
  const deadline = Date.now() + 15_000;
  for (;;) {
    const [vs] = await video.getStats();
    const [as] = await audio.getStats();
    if ((vs?.byteCount ?? 0) > 0 && (as?.byteCount ?? 0) > 0) break;
    if (Date.now() > deadline || child.exitCode !== null) {
      close();
      throw new Error("ffmpeg source produced no RTP within 15 s");
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return { audio, video, process: child, close };
}

// ---------------------------------------------------------------------------------------
// The sink: a separate process with one UDP socket that counts packets.

export interface Sink {
  port: number;
  count(): Promise<number>;
  close(): void;
}

const SINK_CODE = `
const dgram = require("node:dgram");
const socket = dgram.createSocket({ type: "udp4", recvBufferSize: 8 * 1024 * 1024 });
let packets = 0;
// RTP only: RTCP packet types (second byte) are 200-206; the header stays clear under SRTP.
socket.on("message", (m) => { if (m.length > 1 && (m[1] < 200 || m[1] > 206)) packets++; });
socket.bind(0, "127.0.0.1", () => { console.log(JSON.stringify({ port: socket.address().port })); });
require("node:readline").createInterface({ input: process.stdin }).on("line", () => console.log(JSON.stringify({ packets })));
`;

export async function startSink(): Promise<Sink> {
  const child: ChildProcess = spawn(process.execPath, ["-e", SINK_CODE], { stdio: ["pipe", "pipe", "inherit"] });
  const lines = readline.createInterface({ input: child.stdout! });
  const waiters: ((line: string) => void)[] = [];
  lines.on("line", (line) => waiters.shift()?.(line));
  const nextLine = () => new Promise<string>((resolve) => waiters.push(resolve));
  const { port } = JSON.parse(await nextLine()) as { port: number };
  return {
    port,
    async count() {
      const reply = nextLine();
      child.stdin!.write("count\n");
      return (JSON.parse(await reply) as { packets: number }).packets;
    },
    close: () => child.kill("SIGKILL"),
  };
}

/**
 * Records a room to WebM with FFmpeg (Debian's `ffmpeg`), fed by mediasoup PlainTransports.
 *
 * While recording, ONE ffmpeg process receives the room's audio producers (every microphone
 * and screen-share audio) and the spotlighted video as plain RTP on loopback, described by an
 * SDP on its stdin, and copies the packets untouched into a Matroska "segment" (no decoding,
 * so a muted microphone that sends nothing can't stall it). When the set of sources changes
 * (someone joins, the spotlight moves), the segment is closed and a new one started.
 *
 * On stop, every segment is rendered to the same format (VP8 640×360 15 fps; the audio
 * tracks aligned on their timestamps — gaps filled with silence — and mixed; Opus) and the
 * segments are concatenated into `<sessionId>/<recordingId>.webm`. Only when ffprobe reads
 * the result does the Recording row become "ready"; any failure marks it "failed" with the
 * reason and removes every file, so a broken file is never listed.
 */
import { spawn, type ChildProcess } from "node:child_process";
import dgram from "node:dgram";
import fsp from "node:fs/promises";
import path from "node:path";
import type { types as ms } from "mediasoup";
import { errorMessage, type Logger } from "./config.js";
import type { Room } from "./Room.js";
import type { LiveStore } from "./store.js";

// FFMPEG_BIN / FFPROBE_BIN: other binaries; RECORDER_FFMPEG_LOGLEVEL: ffmpeg's log level
// while capturing (its last line ends up in a failed recording's reason).
const FFMPEG = process.env.FFMPEG_BIN ?? "ffmpeg";
const FFPROBE = process.env.FFPROBE_BIN ?? "ffprobe";
const MAX_AUDIO_INPUTS = 8;
const SOURCES_DEBOUNCE_MS = 1_000;
const STOP_TIMEOUT_MS = 8_000;

export type RecorderRoom = Pick<Room, "id" | "log" | "primary" | "recordingSources" | "ensureProducerOn">;

interface SegmentInput {
  kind: "audio" | "video";
  producerId: string;
  transport: ms.PlainTransport;
  consumer: ms.Consumer;
  port: number;
}

class Segment {
  readonly inputs: SegmentInput[] = [];
  process: ChildProcess | null = null;
  stderr = "";
  exited: Promise<number | null> = Promise.resolve(null);
  hasVideo = false;
  audioCount = 0;
  summary = "";
  keyFrameTimers: NodeJS.Timeout[] = [];

  constructor(
    readonly file: string,
    readonly key: string,
  ) {}
}

export class Recorder {
  readonly recordingId: string;
  readonly startedAt: Date;
  private readonly tmpDir: string;
  private readonly segments: Segment[] = [];
  private current: Segment | null = null;
  private rotating: Promise<void> = Promise.resolve();
  private debounce: NodeJS.Timeout | null = null;
  private stopped = false;
  private readonly log: Logger;

  private constructor(
    private readonly room: RecorderRoom,
    private readonly store: LiveStore,
    row: { id: string; startedAt: Date },
  ) {
    this.recordingId = row.id;
    this.startedAt = row.startedAt;
    this.tmpDir = path.join(store.recordingsDir(), room.id, "tmp", row.id);
    this.log = room.log.child(`recording:${row.id.slice(-6)}`);
  }

  static async start(room: RecorderRoom, store: LiveStore): Promise<Recorder> {
    const row = await store.createRecording(room.id);
    const recorder = new Recorder(room, store, row);
    try {
      await fsp.mkdir(recorder.tmpDir, { recursive: true });
      await recorder.rotate();
    } catch (error) {
      recorder.stopped = true;
      await recorder.fail(`could not start: ${errorMessage(error)}`);
      throw error;
    }
    recorder.log.info("recording started");
    return recorder;
  }

  /** The room's sources may have changed: start a new segment if they did (debounced). */
  sourcesChanged(): void {
    if (this.stopped) return;
    if (this.debounce) clearTimeout(this.debounce);
    this.debounce = setTimeout(() => {
      this.debounce = null;
      if (this.stopped) return;
      const wanted = this.wanted();
      const cur = this.current;
      const same =
        cur !== null &&
        sameSet(cur.inputs.filter((i) => i.kind === "audio").map((i) => i.producerId), wanted.audio) &&
        (cur.inputs.find((i) => i.kind === "video")?.producerId ?? null) === wanted.video;
      if (same || (cur === null && wanted.audio.length === 0 && !wanted.video)) return;
      this.rotating = this.rotating.then(() => this.rotate()).catch((error: unknown) => {
        this.log.error(`starting a new segment failed: ${errorMessage(error)}`);
      });
    }, SOURCES_DEBOUNCE_MS);
  }

  /**
   * Stops recording and renders the file. Resolves when the row is "ready" or "failed";
   * never throws.
   */
  async stop(): Promise<"ready" | "failed"> {
    if (this.stopped) return "failed";
    this.stopped = true;
    if (this.debounce) clearTimeout(this.debounce);
    await this.rotating.catch(() => undefined);
    if (this.current) await this.stopSegment(this.current);
    this.current = null;
    try {
      const storageKey = `${this.room.id}/${this.recordingId}.webm`;
      const finalFile = path.join(this.store.recordingsDir(), storageKey);
      const durationMs = await this.render(finalFile);
      await this.store.recordingReady(this.recordingId, storageKey, durationMs);
      this.log.info(`recording ready: ${storageKey} (${Math.round(durationMs / 1000)} s)`);
      return "ready";
    } catch (error) {
      await this.fail(errorMessage(error));
      return "failed";
    } finally {
      await fsp.rm(this.tmpDir, { recursive: true, force: true }).catch(() => undefined);
    }
  }

  private async fail(reason: string): Promise<void> {
    this.log.error(`recording failed: ${reason}`);
    await fsp.rm(path.join(this.store.recordingsDir(), this.room.id, `${this.recordingId}.webm`), { force: true }).catch(() => undefined);
    await this.store.recordingFailed(this.recordingId, reason).catch((error: unknown) => {
      this.log.error(`marking the recording failed failed: ${errorMessage(error)}`);
    });
  }

  private wanted(): { audio: string[]; video: string | null } {
    const sources = this.room.recordingSources();
    return { audio: sources.audio.slice(0, MAX_AUDIO_INPUTS), video: sources.video };
  }

  /** Closes the current segment (if any) and starts one with the sources wanted now. */
  private async rotate(): Promise<void> {
    if (this.current) {
      await this.stopSegment(this.current);
      this.current = null;
    }
    if (this.stopped) return;
    const wanted = this.wanted();
    if (wanted.audio.length === 0 && !wanted.video) return; // nothing to record right now
    const index = this.segments.length;
    const segment = new Segment(path.join(this.tmpDir, `segment-${index}.mkv`), `segment-${index}`);
    this.segments.push(segment);
    this.current = segment;
    await this.startSegment(segment, wanted);
  }

  private async startSegment(segment: Segment, wanted: { audio: string[]; video: string | null }): Promise<void> {
    const slot = this.room.primary;
    const router = slot.router;
    const media: { kind: "audio" | "video"; producerId: string }[] = [
      ...wanted.audio.map((producerId) => ({ kind: "audio" as const, producerId })),
      ...(wanted.video ? [{ kind: "video" as const, producerId: wanted.video }] : []),
    ];
    const sdp: string[] = [
      "v=0",
      "o=- 0 0 IN IP4 127.0.0.1",
      "s=SkillRelay recording",
      "c=IN IP4 127.0.0.1",
      "t=0 0",
    ];
    try {
      for (const { kind, producerId } of media) {
        try {
          await this.room.ensureProducerOn(producerId, slot);
        } catch {
          continue; // gone meanwhile
        }
        const port = await freeRtpPortPair();
        const transport = await router.createPlainTransport({
          // `listenIp` is deprecated in current mediasoup v3 (still accepted): see Peer.ts.
          listenIp: { ip: "127.0.0.1" },
          rtcpMux: false,
          comedia: false,
          appData: { recording: this.recordingId },
        });
        await transport.connect({ ip: "127.0.0.1", port, rtcpPort: port + 1 });
        let consumer: ms.Consumer;
        try {
          consumer = await transport.consume({ producerId, rtpCapabilities: router.rtpCapabilities, paused: true });
        } catch (error) {
          transport.close();
          this.log.warn(`not recording ${producerId}: ${errorMessage(error)}`);
          continue;
        }
        // The render is 640×360: of a 720p camera's three layers (decision 018) record the
        // 360p one — a fraction of the bytes and far smaller key frames when a segment starts.
        const layers = /^[LS](\d+)/.exec(consumer.rtpParameters.encodings?.[0]?.scalabilityMode ?? "");
        if (consumer.type === "simulcast" && layers && Number(layers[1]) >= 3) {
          await consumer.setPreferredLayers({ spatialLayer: 1 }).catch(() => undefined);
        }
        segment.inputs.push({ kind, producerId, transport, consumer, port });
        const codec = consumer.rtpParameters.codecs[0]!;
        const name = codec.mimeType.split("/")[1]!;
        sdp.push(`m=${kind} ${port} RTP/AVP ${codec.payloadType}`);
        sdp.push(`a=rtpmap:${codec.payloadType} ${name}/${codec.clockRate}${codec.channels ? `/${codec.channels}` : ""}`);
        if (name.toLowerCase() === "h264") sdp.push(`a=fmtp:${codec.payloadType} packetization-mode=1`);
        sdp.push("a=recvonly");
      }
      segment.hasVideo = segment.inputs.some((i) => i.kind === "video");
      segment.audioCount = segment.inputs.filter((i) => i.kind === "audio").length;
      if (segment.inputs.length === 0) {
        this.segments.splice(this.segments.indexOf(segment), 1);
        this.current = null;
        return;
      }
      const args = [
        "-hide_banner",
        "-loglevel",
        process.env.RECORDER_FFMPEG_LOGLEVEL ?? "warning",
        "-protocol_whitelist",
        "pipe,udp,rtp",
        "-use_wallclock_as_timestamps",
        "1",
        // Loopback never reorders, and a sequence jump (a new simulcast layer, a resumed
        // consumer) must not hold packets back until a 500-packet queue fills up.
        "-reorder_queue_size",
        "0",
        "-analyzeduration",
        "3000000",
        "-f",
        "sdp",
        "-i",
        "pipe:0",
        "-map",
        "0",
        "-c",
        "copy",
        "-f",
        "matroska",
        "-y",
        segment.file,
      ];
      const child = spawn(FFMPEG, args, { stdio: ["pipe", "ignore", "pipe"] });
      segment.process = child;
      segment.exited = new Promise((resolve) => {
        child.once("exit", (code) => resolve(code));
        child.once("error", (error) => {
          segment.stderr += `\n${errorMessage(error)}`;
          resolve(-1);
        });
      });
      child.stderr?.setEncoding("utf8");
      child.stderr?.on("data", (chunk: string) => {
        segment.stderr = (segment.stderr + chunk).slice(-4000);
      });
      child.stdin?.on("error", () => undefined);
      child.stdin?.end(`${sdp.join("\r\n")}\r\n`);
      // Give ffmpeg a moment to bind its ports, then let the media flow and ask for key frames.
      await new Promise((r) => setTimeout(r, 400));
      for (const input of segment.inputs) await input.consumer.resume().catch(() => undefined);
      for (const delay of [0, 1000, 2500, 5000]) {
        segment.keyFrameTimers.push(
          setTimeout(() => {
            for (const input of segment.inputs) {
              if (input.kind === "video" && !input.consumer.closed) input.consumer.requestKeyFrame().catch(() => undefined);
            }
          }, delay),
        );
      }
      this.log.debug(`segment ${segment.key}: ${segment.audioCount} audio, ${segment.hasVideo ? 1 : 0} video`);
    } catch (error) {
      await this.stopSegment(segment);
      throw error;
    }
  }

  private async stopSegment(segment: Segment): Promise<void> {
    for (const timer of segment.keyFrameTimers) clearTimeout(timer);
    // What each input carried: the failure reason says so when a segment came out empty.
    const counts: string[] = [];
    let total = 0;
    for (const input of segment.inputs) {
      const stats = await input.consumer.getStats().catch(() => []);
      const packets = stats.filter((s) => s.type === "outbound-rtp").reduce((n, s) => n + ((s as { packetCount?: number }).packetCount ?? 0), 0);
      total += packets;
      counts.push(`${input.kind} ${packets} packets`);
    }
    segment.summary = counts.join(", ");
    // SIGINT while packets still arrive: ffmpeg only notices the signal between reads, and
    // a UDP read with nothing coming blocks for good. It finishes the file, then exits.
    // Nothing ever arrived: nothing to finish either.
    const child = segment.process;
    if (child && child.exitCode === null && child.signalCode === null) {
      child.kill(total === 0 ? "SIGKILL" : "SIGINT");
      const killer = setTimeout(() => {
        segment.stderr += "\n(ffmpeg did not stop: killed)";
        child.kill("SIGKILL");
      }, STOP_TIMEOUT_MS);
      await segment.exited;
      clearTimeout(killer);
    }
    for (const input of segment.inputs) input.transport.close();
  }

  /** Renders every segment to one WebM; returns its duration (ms). Throws when nothing usable exists. */
  private async render(finalFile: string): Promise<number> {
    const rendered: string[] = [];
    const problems: string[] = [];
    let segmentsSeconds = 0;
    for (const segment of this.segments) {
      const size = await fsp.stat(segment.file).then((s) => s.size).catch(() => 0);
      if (size === 0) {
        problems.push(`${segment.key}: empty (${segment.summary}${segment.stderr ? `; ffmpeg: ${lastLine(segment.stderr)}` : ""})`);
        continue;
      }
      const out = segment.file.replace(/\.mkv$/, ".webm");
      try {
        await this.renderSegment(segment, out);
        const duration = await probeDuration(out);
        if (duration > 0.2) {
          rendered.push(out);
          segmentsSeconds += duration;
        }
      } catch (error) {
        problems.push(`${segment.key}: ${errorMessage(error)}`);
      }
    }
    if (rendered.length === 0) {
      throw new Error(problems.length ? `nothing usable was recorded: ${problems.join("; ")}` : "nothing was recorded (no audio or video in the room)");
    }
    await fsp.mkdir(path.dirname(finalFile), { recursive: true });
    // Written next to the final file under another name, renamed only once ffprobe reads it;
    // removed on any failure (a failed join included), so no broken file is ever left.
    const partial = `${finalFile}.part`;
    try {
      if (rendered.length === 1) {
        await fsp.copyFile(rendered[0]!, partial);
      } else {
        const list = path.join(this.tmpDir, "segments.txt");
        await fsp.writeFile(list, rendered.map((f) => `file '${f.replace(/'/g, "'\\''")}'`).join("\n"));
        try {
          await run(FFMPEG, ["-hide_banner", "-loglevel", "error", "-f", "concat", "-safe", "0", "-i", list, "-c", "copy", "-f", "webm", "-y", partial]);
        } catch (error) {
          throw new Error(`joining ${rendered.length} segments failed: ${errorMessage(error)}`);
        }
      }
      const duration = await probeDuration(partial);
      if (!(duration > 0)) throw new Error("ffprobe could not read the recording");
      // A join that lost segments (e.g. timestamps gone wrong) is as broken as no file.
      if (duration < segmentsSeconds * 0.9 - 1) {
        throw new Error(`the joined recording lasts ${duration.toFixed(1)} s, its ${rendered.length} segments ${segmentsSeconds.toFixed(1)} s`);
      }
      await fsp.rename(partial, finalFile);
      this.log.info(`${rendered.length} of ${this.segments.length} segment(s) joined${problems.length ? ` (skipped: ${problems.join("; ")})` : ""}`);
      return duration * 1000;
    } catch (error) {
      await fsp.rm(partial, { force: true });
      throw error;
    }
  }

  private async renderSegment(segment: Segment, out: string): Promise<void> {
    const probe = await probeStreams(segment.file);
    const audio = probe.filter((s) => s.codec_type === "audio").length;
    const video = probe.some((s) => s.codec_type === "video");
    const inputs = ["-i", segment.file];
    const filters: string[] = [];
    let audioOut: string;
    let videoOut: string;
    let nextInput = 1;
    if (audio > 0) {
      for (let i = 0; i < audio; i++) filters.push(`[0:a:${i}]aresample=async=1000:first_pts=0[a${i}]`);
      if (audio === 1) filters.push(`[a0]anull[aout]`);
      else filters.push(`${Array.from({ length: audio }, (_, i) => `[a${i}]`).join("")}amix=inputs=${audio}:duration=longest:normalize=0[aout]`);
      audioOut = "[aout]";
    } else {
      inputs.push("-f", "lavfi", "-i", "anullsrc=r=48000:cl=stereo");
      audioOut = `${nextInput++}:a`;
    }
    if (video) {
      filters.push(
        "[0:v:0]scale=640:360:force_original_aspect_ratio=decrease,pad=640:360:(ow-iw)/2:(oh-ih)/2,fps=15,format=yuv420p[vout]",
      );
      videoOut = "[vout]";
    } else {
      inputs.push("-f", "lavfi", "-i", "color=c=black:s=640x360:r=15");
      videoOut = `${nextInput++}:v`;
    }
    const args = [
      "-hide_banner",
      "-loglevel",
      "error",
      ...inputs,
      ...(filters.length ? ["-filter_complex", filters.join(";")] : []),
      "-map",
      videoOut,
      "-map",
      audioOut,
      "-c:v",
      "libvpx",
      "-deadline",
      "realtime",
      "-cpu-used",
      "8",
      "-b:v",
      "600k",
      "-g",
      "60",
      "-c:a",
      "libopus",
      "-b:a",
      "64k",
      "-ar",
      "48000",
      "-ac",
      "2",
      ...(audio === 0 || !video ? ["-shortest"] : []),
      "-f",
      "webm",
      "-y",
      out,
    ];
    await run("nice", ["-n", "15", FFMPEG, ...args]);
  }
}

// ---------------------------------------------------------------------------------------

function sameSet(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((x) => b.includes(x));
}

function lastLine(text: string): string {
  return text.trim().split("\n").pop()?.slice(0, 200) ?? "";
}

function run(cmd: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stdout.setEncoding("utf8").on("data", (c: string) => (out += c));
    child.stderr.setEncoding("utf8").on("data", (c: string) => (err = (err + c).slice(-4000)));
    child.once("error", reject);
    child.once("exit", (code) => {
      if (code === 0) resolve(out);
      else reject(new Error(`${path.basename(cmd)} exited with ${code}: ${lastLine(err)}`));
    });
  });
}

async function probeStreams(file: string): Promise<{ codec_type: string }[]> {
  const out = await run(FFPROBE, ["-v", "error", "-show_entries", "stream=codec_type", "-of", "json", file]);
  return (JSON.parse(out) as { streams?: { codec_type: string }[] }).streams ?? [];
}

export async function probeDuration(file: string): Promise<number> {
  const out = await run(FFPROBE, ["-v", "error", "-show_entries", "format=duration", "-of", "default=nw=1:nk=1", file]);
  const duration = Number.parseFloat(out.trim());
  return Number.isFinite(duration) ? duration : 0;
}

/** An even UDP port whose successor is free too (RTP + RTCP for ffmpeg). */
async function freeRtpPortPair(): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = 20000 + 2 * Math.floor(Math.random() * 4999);
    const sockets: dgram.Socket[] = [];
    try {
      for (const p of [port, port + 1]) {
        const socket = dgram.createSocket("udp4");
        sockets.push(socket);
        await new Promise<void>((resolve, reject) => {
          socket.once("error", reject);
          socket.bind(p, "127.0.0.1", () => resolve());
        });
      }
      return port;
    } catch {
      // taken: try another
    } finally {
      for (const s of sockets) {
        try {
          s.close();
        } catch {
          // not bound
        }
      }
    }
  }
  throw new Error("no free UDP port pair for ffmpeg");
}

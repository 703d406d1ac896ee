/**
 * npm run bench:weak — the live classroom with one learner on a weak link (issue 13's targets).
 *
 * Three Chromium pages in one session: the expert (host, camera + microphone) and a second
 * learner on a clean link, and the weak learner's Chromium inside a network namespace this
 * bench creates (veth pair on a /29 of 10.214.x, tests/support/netns.ts) and removes on exit,
 * also on Ctrl-C or an error. The link, each profile for BENCH_SECONDS (default 40):
 *
 *   clean  no shaping (the baseline for "the others' quality unchanged")
 *   B      300 kbit/s each way, 200 ms delay each way, 5 % loss each way
 *   C      150 kbit/s each way, 150 ms delay each way (300 ms RTT), 10 % loss each way
 *
 * The rate is a tbf qdisc on both veth ends (200 ms of queue); delay and loss (the kernel
 * has no netem) come from a user-space relay (bench/link-relay.ts, its own process): the
 * server's mediasoup listens on 127.0.0.1 on a small port range and ANNOUNCES the veth's host
 * address, where the relay binds the same ports and forwards; it delays and drops only the
 * datagrams from / to the namespace's address. The signalling (HTTP, socket.io) goes through
 * the relay's TCP side, delayed the same (not dropped: TCP would retransmit it). The
 * expert and the clean learner use the same relay unimpaired.
 *
 * Measured in each page from getStats every 250 ms (`__liveStats()`): the weak learner's
 * concealed audio (concealedSamples / totalSamplesReceived) and loss of the expert's
 * microphone; the expert's camera (frame size, fps, longest gap between decoded frames,
 * Chromium's freeze count); what its UI showed (link indicator, data-saver mode and
 * suggestion); what the expert and the clean learner receive of each other, compared with
 * the clean run. In B the expert then shares a screen: time until the weak learner decodes
 * it at full resolution, and the longest gap between its frames. The microphone is a
 * continuous tone + noise file (Chromium's default fake audio is a beep with silence between,
 * which DTX turns into "concealment" that is not loss). In C the weak learner then takes the
 * room's advice ("Turn on data saver", shown after 10 s of a poor link) and is measured again.
 *
 * Figures only (PASS/MISS beside each target); nothing is asserted. Environment:
 * BENCH_PROFILES=clean,B,C  BENCH_SECONDS=40  BENCH_SCREEN_SECONDS=20  BENCH_RTC_PORT=44700 (64 ports from it).
 * Needs root, ip, tc, ffmpeg and Chromium.
 */
import "../server/env.js";
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import readline from "node:readline";
import type { Browser, BrowserContext, Page } from "@playwright/test";
import { CHROMIUM, liveChromiumArgs, netnsSkipReason, vethNamespace } from "../tests/support/netns.js";

interface Profile {
  name: string;
  kbit: number | null;
  delayMs: number;
  loss: number;
}
const PROFILES: Record<string, Profile> = {
  clean: { name: "clean", kbit: null, delayMs: 0, loss: 0 },
  B: { name: "B", kbit: 300, delayMs: 200, loss: 0.05 },
  C: { name: "C", kbit: 150, delayMs: 150, loss: 0.1 },
};
const RUN = (process.env.BENCH_PROFILES ?? "clean,B,C").split(",").map((p) => PROFILES[p.trim()]).filter((p): p is Profile => !!p);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 40);
const SCREEN_SECONDS = Number(process.env.BENCH_SCREEN_SECONDS ?? 20);
const RTC_MIN = Number(process.env.BENCH_RTC_PORT ?? 44700);
const RTC_MAX = RTC_MIN + 63;
const QUEUE_MS = 200;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const pct = (x: number | null) => (x === null ? "–" : `${(x * 100).toFixed(1)} %`);

const skip = netnsSkipReason(`srwkprobe${process.pid % 100000}`);
if (skip) {
  console.log(`bench:weak skipped: ${skip}`);
  process.exit(0);
}
if (spawnSync("sh", ["-c", "command -v ffmpeg"]).status !== 0) {
  console.log("bench:weak skipped: no ffmpeg (for the microphone's sound file)");
  process.exit(0);
}

const tag = String(process.pid % 100000);
const net = vethNamespace({ ns: `srwk${tag}`, vethHost: `srwk${tag}h`, vethNs: `srwk${tag}n`, subnet: `10.214.${32 + (process.pid % 200)}` });
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "skillrelay-weak-"));
let relay: ChildProcess | undefined;
let cleaned = false;
function cleanup(): void {
  if (cleaned) return;
  cleaned = true;
  relay?.kill("SIGKILL");
  net.unshape();
  net.remove();
  fs.rmSync(tmp, { recursive: true, force: true });
}
process.on("exit", cleanup);
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
  process.on(signal, () => {
    console.log(`\nbench:weak: ${signal}, removing the namespace`);
    cleanup();
    process.exit(130);
  });
}

// ---------------------------------------------------------------------------------------
// The relay process

interface Relay {
  set(p: { delayMs: number; loss: number }): Promise<void>;
  stats(): Promise<{ up: number; down: number; droppedUp: number; droppedDown: number }>;
}

async function startRelay(httpPort: number): Promise<Relay> {
  const config = { listenIp: net.hostIp, targetIp: "127.0.0.1", udpPorts: [RTC_MIN, RTC_MAX], tcp: [{ listen: httpPort, target: httpPort }], impaired: [net.nsIp] };
  const child = spawn(process.execPath, ["--import", "tsx", path.join(import.meta.dirname, "link-relay.ts"), JSON.stringify(config)], {
    stdio: ["pipe", "pipe", "inherit"],
  });
  relay = child;
  const lines = readline.createInterface({ input: child.stdout! });
  const waiters: ((line: string) => void)[] = [];
  lines.on("line", (line) => waiters.shift()?.(line));
  const next = () =>
    new Promise<string>((resolve, reject) => {
      waiters.push(resolve);
      child.once("exit", (code) => reject(new Error(`relay exited (${code})`)));
    });
  await next();
  const ask = async (msg: object) => {
    const reply = next();
    child.stdin!.write(`${JSON.stringify(msg)}\n`);
    return JSON.parse(await reply);
  };
  return { set: async (p) => void (await ask(p)), stats: () => ask({ stats: true }) };
}

// ---------------------------------------------------------------------------------------
// Pages and samples

type Video = { producerId: string | null; source: string | null; frameWidth: number; frameHeight: number; framesDecoded: number; packetsReceived: number; packetsLost: number; freezeCount: number; totalFreezesDuration: number };
type Audio = { producerId: string | null; packetsReceived: number; packetsLost: number; totalSamplesReceived: number; totalAudioEnergy: number; concealedSamples: number; silentConcealedSamples: number };
interface Sample {
  t: number;
  v: Video[];
  a: Audio[];
  quality: string | null;
  suggestion: boolean;
  dataSaver: string | null;
  status: string | null;
}

// Strings, not functions: tsx's transform would inject helpers the page doesn't have.
const START_SAMPLER = `(() => {
  if (window.__bench) clearInterval(window.__bench.timer);
  const q = (sel, attr) => { const el = document.querySelector(sel); return el ? (attr ? el.getAttribute(attr) : el.value) : null; };
  window.__bench = { samples: [], timer: setInterval(async () => {
    if (!window.__liveStats) return;
    try {
      const s = await window.__liveStats();
      window.__bench.samples.push({ t: Date.now(), v: s.inboundVideos, a: s.inboundAudios,
        quality: q('[data-testid="quality-indicator"]', 'data-quality'),
        suggestion: !!document.querySelector('[data-testid="data-saver-suggestion"]'),
        dataSaver: q('[data-testid="data-saver-select"]'),
        status: q('[data-testid="live-status"]', 'data-status') });
    } catch {}
  }, 250) };
})()`;
const TAKE_SAMPLES = `window.__bench ? window.__bench.samples.splice(0) : []`;

type LocalProducer = { source: string; producerId: string | null; width: number | null; height: number | null };
async function localProducer(page: Page, source: string): Promise<LocalProducer | undefined> {
  const list = (await page.evaluate("window.__liveTest ? window.__liveTest.producers() : []")) as LocalProducer[];
  return list.find((p) => p.source === source && p.producerId);
}
const producerOf = async (page: Page, source: string) => (await localProducer(page, source))?.producerId ?? null;

/** What a page sends of one source now: "r0 320×180@20 …" (the sender's side of a frame rate). */
async function sending(page: Page, source: string): Promise<string> {
  const out = (await page.evaluate("window.__liveTest.outbound()")) as { source: string; rid: string | null; frameWidth: number | null; frameHeight: number | null; framesPerSecond: number | null; qualityLimitationReason: string | null }[];
  return out
    .filter((o) => o.source === source)
    .map((o) => `${o.rid ?? "-"} ${o.frameWidth ?? 0}×${o.frameHeight ?? 0}@${o.framesPerSecond ?? 0}${o.qualityLimitationReason && o.qualityLimitationReason !== "none" ? ` (${o.qualityLimitationReason})` : ""}`)
    .join(", ");
}

interface VideoFigures {
  frames: number;
  fps: number;
  size: string;
  minHeight: number;
  longestGapMs: number;
  freezes: number;
  freezeSec: number;
  loss: number | null;
}

/** One producer's video as one receiver saw it over the samples. */
function videoFigures(samples: Sample[], producerId: string | null): VideoFigures {
  const none = { frames: 0, fps: 0, size: "none", minHeight: 0, longestGapMs: samples.length ? samples.at(-1)!.t - samples[0]!.t : 0, freezes: 0, freezeSec: 0, loss: null };
  if (!producerId || samples.length < 2) return none;
  const pick = (s: Sample) => s.v.find((v) => v.producerId === producerId);
  const seen = samples.map((s) => ({ t: s.t, v: pick(s) }));
  const withV = seen.filter((s) => s.v);
  if (withV.length < 2) return none;
  const first = withV[0]!.v!;
  const last = withV.at(-1)!.v!;
  const duration = (samples.at(-1)!.t - samples[0]!.t) / 1000;
  // Longest stretch without a newly decoded frame (from the window's start to its end).
  let lastChange = samples[0]!.t;
  let lastFrames = first.framesDecoded;
  let gap = 0;
  const heights = new Map<string, number>();
  let minHeight = Infinity;
  for (const s of seen) {
    const frames = s.v?.framesDecoded ?? lastFrames;
    if (frames !== lastFrames) {
      gap = Math.max(gap, s.t - lastChange);
      lastChange = s.t;
      lastFrames = frames;
      if (s.v && s.v.frameHeight > 0) {
        const key = `${s.v.frameWidth}×${s.v.frameHeight}`;
        heights.set(key, (heights.get(key) ?? 0) + 1);
        minHeight = Math.min(minHeight, s.v.frameHeight);
      }
    }
  }
  gap = Math.max(gap, samples.at(-1)!.t - lastChange);
  const sizes = [...heights.entries()].sort((a, b) => b[1] - a[1]);
  const received = last.packetsReceived - first.packetsReceived;
  const lost = last.packetsLost - first.packetsLost;
  const frames = Math.max(0, last.framesDecoded - first.framesDecoded);
  return {
    frames,
    fps: frames / duration,
    size: sizes.length ? sizes.slice(0, 2).map(([k, n]) => `${k}${sizes.length > 1 ? ` (${Math.round((n / [...heights.values()].reduce((a, b) => a + b, 0)) * 100)} %)` : ""}`).join(", ") : "none",
    minHeight: Number.isFinite(minHeight) ? minHeight : 0,
    longestGapMs: gap,
    freezes: last.freezeCount - first.freezeCount,
    freezeSec: last.totalFreezesDuration - first.totalFreezesDuration,
    loss: received + lost > 0 ? lost / (received + lost) : null,
  };
}

interface AudioFigures {
  concealed: number | null;
  concealedNotSilent: number | null;
  loss: number | null;
  /** RMS level of what was played out (0…1; the sound file's is ≈ 0.35): 0 means silence arrived. */
  level: number | null;
}

function audioFigures(samples: Sample[], producerId: string | null): AudioFigures {
  const list = samples.map((s) => s.a.find((a) => a.producerId === producerId)).filter((a): a is Audio => !!a);
  if (list.length < 2) return { concealed: null, concealedNotSilent: null, loss: null, level: null };
  const [a, b] = [list[0]!, list.at(-1)!];
  const total = b.totalSamplesReceived - a.totalSamplesReceived;
  const concealed = b.concealedSamples - a.concealedSamples;
  const silent = b.silentConcealedSamples - a.silentConcealedSamples;
  const received = b.packetsReceived - a.packetsReceived;
  const lost = b.packetsLost - a.packetsLost;
  return {
    concealed: total > 0 ? concealed / total : null,
    concealedNotSilent: total > 0 ? (concealed - silent) / total : null,
    loss: received + lost > 0 ? lost / (received + lost) : null,
    level: total > 0 ? Math.sqrt((b.totalAudioEnergy - a.totalAudioEnergy) / (total / 48_000)) : null,
  };
}

/** How the UI read over the samples: e.g. "poor 80 %, fair 20 %". */
function share(values: (string | null)[]): string {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v ?? "–", (counts.get(v ?? "–") ?? 0) + 1);
  return [...counts.entries()]
    .sort((a, b) => b[1] - a[1])
    .map(([k, n]) => `${k} ${Math.round((n / values.length) * 100)} %`)
    .join(", ");
}

const fmtVideo = (f: VideoFigures) =>
  `${f.size} @ ${f.fps.toFixed(1)} fps, longest gap ${(f.longestGapMs / 1000).toFixed(2)} s, ${f.freezes} freezes (${f.freezeSec.toFixed(1)} s), loss ${pct(f.loss)}`;

// ---------------------------------------------------------------------------------------

/** The parts of the server's Peer the diagnostics read. */
interface DiagPeer {
  id: string;
  userId: string;
  link: { cap: number };
  consumerEntries(): { consumer: { kind: string; closed: boolean; paused: boolean }; ownerId: string; source: string; score: number | null; producerScore: number | null }[];
  recvTransport(): { closed: boolean; getStats(): Promise<{ availableOutgoingBitrate?: number }[]> } | null;
}

interface ProfileResult {
  profile: Profile;
  load: [number, number];
  weakJoinMs: number;
  weakDataSaver: string;
  weakAudio: AudioFigures;
  weakCamera: VideoFigures;
  weakUi: { quality: string; suggestion: boolean; status: string };
  cleanGetsExpert: VideoFigures;
  expertGetsClean: VideoFigures;
  cleanAudio: AudioFigures;
  othersGetWeak: VideoFigures;
  relay: { up: number; down: number; droppedUp: number; droppedDown: number };
  advice?: { dataSaver: string; audio: AudioFigures; camera: VideoFigures; quality: string; cleanGetsExpert: VideoFigures };
  screen?: { fullWidth: number; fullMs: number | null; firstFrameMs: number | null; gapAfterFullMs: number | null; weak: VideoFigures; clean: VideoFigures };
}

async function main() {
  net.create();
  const wav = path.join(tmp, "voice.wav");
  // 440 Hz + 660 Hz tones over quiet pink noise: sound all the time (no DTX silence).
  spawnSync("ffmpeg", ["-loglevel", "error", "-y", "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000:duration=20", "-f", "lavfi", "-i", "anoisesrc=color=pink:amplitude=0.05:sample_rate=48000:duration=20", "-filter_complex", "amix=inputs=2", "-ac", "1", wav], {
    stdio: "inherit",
  });

  process.env.LIVE_LOG_LEVEL ??= "warn";
  process.env.MEDIASOUP_NUM_WORKERS = "1";
  process.env.MEDIASOUP_LISTEN_IP = "127.0.0.1";
  process.env.MEDIASOUP_ANNOUNCED_IP = net.hostIp;
  process.env.MEDIASOUP_MIN_PORT = String(RTC_MIN);
  process.env.MEDIASOUP_MAX_PORT = String(RTC_MAX);
  if (!process.env.DATABASE_URL) {
    process.env.EMBEDDED_PG_DIR ??= ".data/pg-bench";
    process.env.EMBEDDED_PG_PORT ??= "55437";
  }
  const { startServer } = await import("../server/app.js");
  const server = await startServer({ port: 0, host: "127.0.0.1", log: () => undefined });
  const httpPort = (server.httpServer.address() as { port: number }).port;
  const link = await startRelay(httpPort);
  const origin = `http://${net.hostIp}:${httpPort}`;
  const { prisma } = await import("~/domains/db.server");
  const { createSessionCookie } = await import("~/domains/auth/session.server");
  const { chromium } = await import("@playwright/test");
  const args = liveChromiumArgs(origin, [`--use-file-for-fake-audio-capture=${wav}`]);
  const outside = await chromium.launch({ executablePath: CHROMIUM, args });
  const inside = await chromium.launch({ executablePath: net.chromiumWrapper(), args });
  const stamp = Date.now().toString(36);
  const user = (role: "expert" | "learner", name: string) =>
    prisma.user.create({ data: { email: `weak-${name.toLowerCase().replace(/\W/g, "")}-${stamp}@bench.test`, name, role, passwordHash: "x" } });
  const [expert, clean, weak] = [await user("expert", "Expert"), await user("learner", "Clean learner"), await user("learner", "Weak learner")];
  const results: ProfileResult[] = [];

  const open = async (browser: Browser, userId: string, sessionId: string, contexts: BrowserContext[], timeoutMs: number) => {
    const context = await browser.newContext({ locale: "en-US", permissions: ["camera", "microphone"] });
    contexts.push(context);
    const [name, value] = (await createSessionCookie(userId)).split(";")[0]!.split(/=(.*)/s);
    await context.addCookies([{ name: name!, value: value!, url: origin }]);
    const page = await context.newPage();
    const t0 = Date.now();
    await page.goto(`${origin}/live/${sessionId}`, { timeout: timeoutMs });
    await page.getByTestId("prejoin").waitFor({ timeout: timeoutMs });
    // The learner takes the pre-join screen's advice (it may preselect a data saver on a poor link).
    await page.waitForSelector('[data-testid="prejoin-link"]:not([data-quality="measuring"])', { timeout: timeoutMs });
    await page.getByTestId("prejoin-join").click();
    await page.waitForSelector('[data-testid="live-status"][data-status="connected"]', { timeout: timeoutMs });
    await page.evaluate(START_SAMPLER);
    return { page, joinMs: Date.now() - t0 };
  };

  for (const profile of RUN) {
    console.log(`\n== ${profile.name}: ${profile.kbit ? `${profile.kbit} kbit/s, ${profile.delayMs} ms each way, ${profile.loss * 100} % loss each way` : "no shaping"} (weak learner); measuring ${SECONDS} s`);
    if (profile.kbit) net.shape(profile.kbit, QUEUE_MS);
    else net.unshape();
    await link.set({ delayMs: profile.delayMs, loss: profile.loss });
    const load0 = os.loadavg()[0]!;
    const session = await prisma.liveSession.create({
      data: {
        hostId: expert.id,
        title: `Weak link ${profile.name}`,
        kind: "group",
        capacity: 10,
        startsAt: new Date(),
        endsAt: new Date(Date.now() + 3600_000),
        invites: { create: [{ userId: clean.id }, { userId: weak.id }] },
      },
    });
    const contexts: BrowserContext[] = [];
    try {
      const e = await open(outside, expert.id, session.id, contexts, 30_000);
      const c = await open(outside, clean.id, session.id, contexts, 30_000);
      const w = await open(inside, weak.id, session.id, contexts, 90_000);
      const [expertCam, expertMic, cleanCam, weakCam] = [
        await producerOf(e.page, "camera"),
        await producerOf(e.page, "mic"),
        await producerOf(c.page, "camera"),
        await producerOf(w.page, "camera"),
      ];
      // Wait (≤ 30 s) for the expert's camera at the weak learner, then let it settle 5 s.
      const t0 = Date.now();
      while (Date.now() - t0 < 30_000) {
        const s = (await w.page.evaluate("window.__liveStats ? window.__liveStats() : null")) as { inboundVideos: Video[] } | null;
        if (s?.inboundVideos.some((v) => v.producerId === expertCam && v.framesDecoded > 0)) break;
        await sleep(500);
      }
      await sleep(5_000);
      for (const p of [e, c, w]) await p.page.evaluate(TAKE_SAMPLES);
      await link.set({ delayMs: profile.delayMs, loss: profile.loss }); // resets its counters
      const caps = new Map<string, number[]>();
      const names = new Map([[expert.id, "expert"], [clean.id, "clean"], [weak.id, "weak"]]);
      const until = Date.now() + SECONDS * 1000;
      // Diagnostics only, read from the server's room: each person's link cap (0…2), and what
      // judges it: the scores of its video consumers (by sender) and the bandwidth estimate.
      const judge = new Map<string, string[]>();
      const add = (map: Map<string, string[]>, key: string, value: string) => map.set(key, [...(map.get(key) ?? []), value]);
      while (Date.now() < until) {
        const room = (server.live as unknown as { rooms: Map<string, { peerList(): DiagPeer[] }> }).rooms.get(session.id);
        const peers = room?.peerList() ?? [];
        const nameOf = (peerId: string) => names.get(peers.find((p) => p.id === peerId)?.userId ?? "") ?? "?";
        for (const p of peers) {
          const who = names.get(p.userId) ?? "?";
          caps.set(who, [...(caps.get(who) ?? []), p.link.cap]);
          const videos = p.consumerEntries().filter((c) => c.consumer.kind === "video" && !c.consumer.closed && !c.consumer.paused);
          for (const c of videos) add(judge, `${who} ← ${nameOf(c.ownerId)} ${c.source}`, `${c.score ?? "-"}/${c.producerScore ?? "-"}`);
          const recv = p.recvTransport();
          const stat = recv && !recv.closed ? (await recv.getStats().catch(() => []))[0] : undefined;
          if (stat?.availableOutgoingBitrate) add(judge, `${who} BWE/video kbit/s`, String(Math.round(stat.availableOutgoingBitrate / Math.max(1, videos.length) / 1000)));
        }
        await sleep(1_000);
      }
      const expertSends = await sending(e.page, "camera");
      const [se, sc, sw] = (await Promise.all([e, c, w].map((p) => p.page.evaluate(TAKE_SAMPLES)))) as Sample[][];
      const result: ProfileResult = {
        profile,
        load: [load0, os.loadavg()[0]!],
        weakJoinMs: w.joinMs,
        weakDataSaver: String(sw!.at(-1)?.dataSaver ?? "?"),
        weakAudio: audioFigures(sw!, expertMic),
        weakCamera: videoFigures(sw!, expertCam),
        weakUi: { quality: share(sw!.map((s) => s.quality)), suggestion: sw!.some((s) => s.suggestion), status: share(sw!.map((s) => s.status)) },
        cleanGetsExpert: videoFigures(sc!, expertCam),
        expertGetsClean: videoFigures(se!, cleanCam),
        cleanAudio: audioFigures(sc!, expertMic),
        othersGetWeak: videoFigures(sc!, weakCam),
        relay: await link.stats(),
      };
      console.log(`   server link cap (0…2) over the window: ${[...caps.entries()].map(([who, list]) => `${who} ${share(list.map(String))}`).join("; ")}`);
      console.log(`   the expert sends its camera as ${expertSends}`);
      for (const [key, list] of judge) console.log(`     ${key}: ${key.includes("BWE") ? "" : "score/producerScore "}${share(list)}`);
      console.log(`   weak learner: joined in ${(w.joinMs / 1000).toFixed(1)} s, data saver "${result.weakDataSaver}"; link indicator ${result.weakUi.quality}; status ${result.weakUi.status}; data-saver suggestion ${result.weakUi.suggestion ? "shown" : "not shown"}`);
      console.log(`   weak learner ← expert's mic: concealed ${pct(result.weakAudio.concealed)} (not silent ${pct(result.weakAudio.concealedNotSilent)}), loss ${pct(result.weakAudio.loss)}, level ${result.weakAudio.level?.toFixed(3) ?? "–"}`);
      console.log(`   weak learner ← expert's camera: ${fmtVideo(result.weakCamera)}`);
      console.log(`   clean learner ← expert's camera: ${fmtVideo(result.cleanGetsExpert)}; mic concealed ${pct(result.cleanAudio.concealed)}, loss ${pct(result.cleanAudio.loss)}, level ${result.cleanAudio.level?.toFixed(3) ?? "–"}`);
      console.log(`   expert ← clean learner's camera: ${fmtVideo(result.expertGetsClean)}`);
      console.log(`   clean learner ← weak learner's camera: ${fmtVideo(result.othersGetWeak)}`);
      const r = result.relay;
      console.log(`   relay (weak learner's datagrams and chunks): ${r.up} up (${pct(r.up ? r.droppedUp / r.up : null)} dropped), ${r.down} down (${pct(r.down ? r.droppedDown / r.down : null)} dropped); load average ${load0.toFixed(1)} → ${os.loadavg()[0]!.toFixed(1)} on ${os.cpus().length} cores`);

      if (profile.name === "B") {
        // The expert shares a screen; when does the weak learner see it at full resolution?
        await e.page.getByTestId("screen-toggle").click();
        const clickedAt = Date.now();
        let screen: LocalProducer | undefined;
        while (!screen && Date.now() - clickedAt < 15_000) {
          screen = await localProducer(e.page, "screen");
          if (!screen) await sleep(100);
        }
        const screenId = screen?.producerId ?? null;
        await w.page.evaluate(TAKE_SAMPLES);
        await c.page.evaluate(TAKE_SAMPLES);
        await sleep(SCREEN_SECONDS * 1000);
        const screenSent = await sending(e.page, "screen");
        const fullWidth = screen?.width ?? 0;
        const [ws, cs] = (await Promise.all([w.page.evaluate(TAKE_SAMPLES), c.page.evaluate(TAKE_SAMPLES)])) as Sample[][];
        const screenAt = (s: Sample) => s.v.find((v) => v.producerId === screenId);
        const firstFrame = ws!.find((s) => (screenAt(s)?.framesDecoded ?? 0) > 0);
        const full = ws!.find((s) => (screenAt(s)?.frameWidth ?? 0) >= fullWidth && fullWidth > 0 && (screenAt(s)?.framesDecoded ?? 0) > 0);
        const afterFull = full ? ws!.filter((s) => s.t >= full.t) : [];
        result.screen = {
          fullWidth,
          fullMs: full ? full.t - clickedAt : null,
          firstFrameMs: firstFrame ? firstFrame.t - clickedAt : null,
          gapAfterFullMs: afterFull.length > 1 ? videoFigures(afterFull, screenId).longestGapMs : null,
          weak: videoFigures(ws!, screenId),
          clean: videoFigures(cs!, screenId),
        };
        const sc2 = result.screen;
        console.log(
          `   screen share (${fullWidth} px wide): weak learner's first frame ${sc2.firstFrameMs ?? "never"} ms after the click, full resolution after ${sc2.fullMs ?? "never"} ms; ` +
            `longest gap after that ${sc2.gapAfterFullMs ?? "–"} ms; over ${SCREEN_SECONDS} s: ${fmtVideo(sc2.weak)}`,
        );
        console.log(`   clean learner ← screen: ${fmtVideo(sc2.clean)}; the expert sends ${screenSent}`);
        const lastVideos = (list: Sample[]) => (list.at(-1)?.v ?? []).map((v) => `${v.source}${v.producerId === screenId ? "*" : ""} ${v.frameWidth}×${v.frameHeight} ${v.framesDecoded} frames`).join(", ");
        console.log(`   inbound videos at the end (* = this screen): weak ${lastVideos(ws!)}; clean ${lastVideos(cs!)}`);
      }
      if (profile.name === "C") {
        // The learner takes the room's advice: "Turn on data saver" (shown after 10 s of a poor link).
        const accept = w.page.getByTestId("data-saver-accept");
        const shown = await accept.waitFor({ timeout: 20_000 }).then(() => true, () => false);
        if (shown) {
          await accept.click();
          await sleep(5_000);
          for (const p of [c, w]) await p.page.evaluate(TAKE_SAMPLES);
          await sleep(SECONDS * 1000);
          const [sc3, sw3] = (await Promise.all([c, w].map((p) => p.page.evaluate(TAKE_SAMPLES)))) as Sample[][];
          result.advice = {
            dataSaver: String(sw3!.at(-1)?.dataSaver ?? "?"),
            audio: audioFigures(sw3!, expertMic),
            camera: videoFigures(sw3!, expertCam),
            quality: share(sw3!.map((x) => x.quality)),
            cleanGetsExpert: videoFigures(sc3!, expertCam),
          };
          const a = result.advice;
          console.log(`   advice taken (data saver "${a.dataSaver}"), ${SECONDS} s more: weak learner ← expert's mic concealed ${pct(a.audio.concealed)}, loss ${pct(a.audio.loss)}; ← expert's camera ${fmtVideo(a.camera)}; link indicator ${a.quality}`);
          console.log(`   clean learner ← expert's camera meanwhile: ${fmtVideo(a.cleanGetsExpert)}`);
        } else console.log("   no data-saver suggestion within 20 s");
      }
      results.push(result);
    } catch (error) {
      console.log(`   ${profile.name} failed: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      for (const ctx of contexts) await ctx.close().catch(() => undefined);
      await prisma.liveSession.update({ where: { id: session.id }, data: { status: "ended" } }).catch(() => undefined);
      await sleep(1_000);
    }
  }

  printTable(results);
  await outside.close();
  await inside.close();
  await server.close();
}

function printTable(results: ProfileResult[]) {
  const base = results.find((r) => r.profile.name === "clean");
  const rows: [string, string, string, string][] = [];
  const verdict = (ok: boolean | null) => (ok === null ? "–" : ok ? "PASS" : "MISS");
  for (const r of results) {
    const n = r.profile.name;
    const judged = n === "C";
    rows.push([n, "weak: concealed audio (expert's mic)", `${pct(r.weakAudio.concealed)} (loss ${pct(r.weakAudio.loss)})`, judged ? `< 5 %: ${verdict(r.weakAudio.concealed === null ? false : r.weakAudio.concealed < 0.05)}` : "(C only)"]);
    rows.push([
      n,
      "weak: expert's camera, longest freeze",
      `${(r.weakCamera.longestGapMs / 1000).toFixed(2)} s; ${r.weakCamera.size} @ ${r.weakCamera.fps.toFixed(1)} fps; UI ${r.weakUi.quality.split(",")[0]}, saver ${r.weakDataSaver}`,
      judged ? `≤ 2 s: ${verdict(r.weakCamera.longestGapMs <= 2000)}` : "(C only)",
    ]);
    if (r.advice) {
      const a = r.advice;
      rows.push([`${n}+saver`, "weak: concealed audio (expert's mic)", `${pct(a.audio.concealed)} (loss ${pct(a.audio.loss)})`, `< 5 %: ${verdict(a.audio.concealed !== null && a.audio.concealed < 0.05)}`]);
      rows.push([
        `${n}+saver`,
        "weak: expert's camera, longest freeze",
        `${(a.camera.longestGapMs / 1000).toFixed(2)} s; ${a.camera.size} @ ${a.camera.fps.toFixed(1)} fps; saver ${a.dataSaver}`,
        `≤ 2 s: ${verdict(a.camera.longestGapMs <= 2000)}`,
      ]);
    }
    if (r.screen) {
      const s = r.screen;
      rows.push([n, "weak: screen at full resolution", s.fullMs === null ? "never" : `${(s.fullMs / 1000).toFixed(1)} s`, `≤ 5 s: ${verdict(s.fullMs !== null && s.fullMs <= 5000)}`]);
      rows.push([n, "weak: screen, longest gap after full", s.gapAfterFullMs === null ? "–" : `${(s.gapAfterFullMs / 1000).toFixed(2)} s`, `≤ 2 s: ${verdict(s.gapAfterFullMs !== null && s.gapAfterFullMs <= 2000)}`]);
    }
    // "Unchanged": the same frame size (lowest decoded height) and ≥ 80 % of the clean run's frame rate, no longer freeze than 1 s.
    const same = (f: VideoFigures, b: VideoFigures | undefined) => (b ? f.minHeight >= b.minHeight && f.fps >= 0.8 * b.fps && f.longestGapMs <= Math.max(1000, b.longestGapMs) : null);
    rows.push([n, "clean learner ← expert's camera", `${r.cleanGetsExpert.size} @ ${r.cleanGetsExpert.fps.toFixed(1)} fps, gap ${(r.cleanGetsExpert.longestGapMs / 1000).toFixed(2)} s`, n === "clean" ? "(baseline)" : `unchanged: ${verdict(same(r.cleanGetsExpert, base?.cleanGetsExpert))}`]);
    rows.push([n, "expert ← clean learner's camera", `${r.expertGetsClean.size} @ ${r.expertGetsClean.fps.toFixed(1)} fps, gap ${(r.expertGetsClean.longestGapMs / 1000).toFixed(2)} s`, n === "clean" ? "(baseline)" : `unchanged: ${verdict(same(r.expertGetsClean, base?.expertGetsClean))}`]);
  }
  const w = [0, 1, 2].map((i) => Math.max(...rows.map((row) => row[i]!.length), 8));
  console.log(`\n== bench:weak summary (targets from issue 13; figures over ${SECONDS} s per profile)`);
  for (const row of rows) console.log(`   ${row[0].padEnd(w[0]!)}  ${row[1].padEnd(w[1]!)}  ${row[2].padEnd(w[2]!)}  ${row[3]}`);
}

try {
  await main();
} catch (error) {
  console.error(`bench:weak failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  cleanup();
  process.exit(1);
}
cleanup();
process.exit(0);

/**
 * npm run bench:sfu — what one mediasoup worker costs per consumer, and how fast a browser
 * sees its first frame.
 *
 * Load without browsers (see bench/rtp.ts and /work/shared/stack-facts.md):
 *   - one producer pair: ffmpeg replays a pre-encoded VP8 500 kbit/s + Opus 40 kbit/s file as
 *     RTP into two comedia PlainTransports on the measured worker;
 *   - N subscribers: each one PlainTransport (SRTP, like a browser's DTLS-SRTP transport)
 *     with a VP8 and an Opus consumer, sending to ONE UDP socket in a separate sink process
 *     that counts and drops the packets;
 *   - for each N: the worker's CPU (getResourceUsage, user+system) over a measuring window,
 *     minus the idle baseline, per consumer; its RSS per consumer; consumers per core.
 *   - then the same with the subscribers split over two workers joined by pipeToRouter;
 *   - when scripts/build-libsrtp.sh has cached the OpenSSL build of libsrtp2 (decision 035), the
 *     single-worker series runs twice in one go, A/B: Debian's libsrtp2, then the OpenSSL build,
 *     each worker checked (/proc/<pid>/maps) to have loaded the library its label says.
 * Browser: a Chromium learner joins a session where the expert (another Chromium page) sends
 * camera + microphone; join-to-first-frame is from the Join click to the first decoded remote
 * video frame (requestVideoFrameCallback).
 *
 * Environment: BENCH_SUBSCRIBERS="25,50,100,200" (subscriber counts; 2 consumers each),
 * BENCH_WINDOW_MS=5000, BENCH_SRTP=1, BENCH_PIPE=1, BENCH_SFU=1, BENCH_BROWSER=1, BENCH_BROWSER_RUNS=3,
 * BENCH_SRTP_AB=1 (0: only the library the product would use).
 * Prints figures only; nothing is asserted.
 */
import "../server/env.js";
import { spawn, type ChildProcess } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import readline from "node:readline";
import type { types as ms } from "mediasoup";
import { CHROMIUM, chromiumArgs } from "../tests/support/chromium.js";
import { MEDIA_CODECS } from "../server/live/config.js";
import { loadMediasoup } from "../server/live/WorkerPool.js";
import { chooseSrtpLibrary, mappedSrtpLibraries, withWorkerEnv, workerUsesBuild, type SrtpChoice } from "../server/live/srtp.js";
import { ensureSourceFile, startFfmpegSource, startSink, type Sink } from "./rtp.js";

const SUBSCRIBERS = (process.env.BENCH_SUBSCRIBERS ?? "25,50,100,200").split(",").map(Number).filter((n) => n > 0);
const WINDOW_MS = Number(process.env.BENCH_WINDOW_MS ?? 5000);
const SRTP = process.env.BENCH_SRTP !== "0";
const PIPE = process.env.BENCH_PIPE !== "0";
const BROWSER = process.env.BENCH_BROWSER !== "0";
const SFU = process.env.BENCH_SFU !== "0";
const BROWSER_RUNS = Number(process.env.BENCH_BROWSER_RUNS ?? 3);
const SRTP_AB = process.env.BENCH_SRTP_AB !== "0";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const fmt = (n: number, d = 2) => n.toFixed(d);


// ---------------------------------------------------------------------------------------
// Subscribers and measurement

interface Subscriber {
  transport: ms.PlainTransport;
  consumers: ms.Consumer[];
}

async function addSubscriber(router: ms.Router, producers: ms.Producer[], sinkPort: number): Promise<Subscriber> {
  const transport = await router.createPlainTransport({
    listenIp: { ip: "127.0.0.1" },
    rtcpMux: true,
    comedia: false,
    enableSrtp: SRTP,
  });
  await transport.connect({
    ip: "127.0.0.1",
    port: sinkPort,
    ...(SRTP ? { srtpParameters: { cryptoSuite: "AES_CM_128_HMAC_SHA1_80", keyBase64: crypto.randomBytes(30).toString("base64") } } : {}),
  });
  const consumers: ms.Consumer[] = [];
  for (const producer of producers) {
    consumers.push(await transport.consume({ producerId: producer.id, rtpCapabilities: router.rtpCapabilities, paused: false }));
  }
  return { transport, consumers };
}

function rssKb(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

async function cpuMs(worker: ms.Worker): Promise<number> {
  const u = await worker.getResourceUsage();
  return u.ru_utime + u.ru_stime;
}

async function producerPackets(producers: ms.Producer[]): Promise<number> {
  let n = 0;
  for (const p of producers) for (const s of await p.getStats()) n += s.packetCount ?? 0;
  return n;
}

/**
 * Over one window: the fraction of a core each worker used, the RTP packets/s the producers
 * received and the RTP packets/s the sink got.
 */
async function measure(workers: ms.Worker[], sink: Sink, producers: ms.Producer[]): Promise<{ cpu: number[]; inPps: number; outPps: number }> {
  const c0 = await Promise.all(workers.map(cpuMs));
  const s0 = await sink.count();
  const i0 = await producerPackets(producers);
  const t0 = performance.now();
  await sleep(WINDOW_MS);
  const c1 = await Promise.all(workers.map(cpuMs));
  const s1 = await sink.count();
  const i1 = await producerPackets(producers);
  const seconds = (performance.now() - t0) / 1000;
  return { cpu: c1.map((c, i) => (c - c0[i]!) / 1000 / seconds), inPps: (i1 - i0) / seconds, outPps: (s1 - s0) / seconds };
}

// ---------------------------------------------------------------------------------------

const DEBIAN_SRTP: SrtpChoice = { library: "debian", reason: "Debian's libsrtp2" };
const srtpLabel = (choice: SrtpChoice) => (choice.library === "openssl" ? "OpenSSL build of libsrtp2" : "Debian's libsrtp2");
const loadAverage = () => os.loadavg().map((l) => l.toFixed(2)).join(" / ");

interface Series {
  choice: SrtpChoice;
  results: { consumers: number; perConsumer: number; perCore: number; load: string }[];
}

async function sfuBench(choice: SrtpChoice, pipe: boolean): Promise<Series> {
  ensureSourceFile();
  const mediasoup = await loadMediasoup();
  const logLevel = "error" as const;
  const createWorker = () => withWorkerEnv(choice, () => mediasoup.createWorker({ logLevel, rtcMinPort: 30000, rtcMaxPort: 39999 }));
  const workerA = await createWorker();
  if (choice.library === "openssl" && !workerUsesBuild(workerA.pid, choice)) {
    workerA.close();
    throw new Error(`the worker did not load ${choice.dir} (it mapped ${mappedSrtpLibraries(workerA.pid).join(", ") || "no libsrtp2"})`);
  }
  const routerA = await workerA.createRouter({ mediaCodecs: MEDIA_CODECS as ms.RtpCodecCapability[] });
  const source = await startFfmpegSource(routerA);
  const producers = [source.video, source.audio];
  const sink = await startSink();
  console.log(`\n== SFU: one producer (VP8 ~500 kbit/s + Opus 40 kbit/s) → N subscribers (VP8 + Opus consumer each, ${SRTP ? "SRTP" : "plain RTP"}) on ONE worker, ${srtpLabel(choice)} (${mappedSrtpLibraries(workerA.pid).join(", ") || "?"})`);
  console.log(`   load: ffmpeg → PlainTransport producers; subscribers = PlainTransports → one UDP sink process (no browsers)`);
  console.log(`   machine: ${os.cpus().length} cores (${os.cpus()[0]?.model ?? "?"}), shared; window ${WINDOW_MS} ms per point; load average ${loadAverage()}`);

  const base = await measure([workerA], sink, producers);
  const inPps = base.inPps;
  const baseRss = rssKb(workerA.pid);
  console.log(`   source: ${fmt(inPps, 0)} packets/s in; idle worker (producers only): ${fmt(base.cpu[0]! * 100)} % of a core, RSS ${fmt(baseRss / 1024, 1)} MB\n`);
  console.log("   subscribers  consumers  worker CPU   CPU/consumer  RSS/consumer  delivered    est. consumers/core  load average (1/5/15 min)");

  const subscribers: Subscriber[] = [];
  const results: Series["results"] = [];
  for (const n of SUBSCRIBERS) {
    while (subscribers.length < n) subscribers.push(await addSubscriber(routerA, producers, sink.port));
    await sleep(2000); // let key frames and rates settle
    const m = await measure([workerA], sink, producers);
    const consumers = n * 2;
    const perConsumer = Math.max(0, m.cpu[0]! - base.cpu[0]!) / consumers;
    const rssPer = (rssKb(workerA.pid) - baseRss) / consumers / 1024;
    const delivered = m.outPps / (m.inPps * n);
    const perCore = perConsumer > 0 ? 1 / perConsumer : Infinity;
    const load = loadAverage();
    results.push({ consumers, perConsumer, perCore, load });
    console.log(
      `   ${String(n).padStart(11)}  ${String(consumers).padStart(9)}  ${fmt(m.cpu[0]! * 100).padStart(8)} %  ${fmt(perConsumer * 100, 3).padStart(10)} %  ${fmt(rssPer, 2).padStart(9)} MB  ${fmt(delivered * 100, 1).padStart(8)} %  ${fmt(perCore, 0).padStart(10)}           ${load}`,
    );
  }
  const best = results.at(-1);
  if (best) {
    console.log(`\n   → at ${best.consumers} consumers: ${fmt(best.perConsumer * 100, 3)} % of a core per consumer ⇒ ≈ ${fmt(best.perCore, 0)} consumers per core (target ≥ 500)`);
  }

  if (pipe) {
    const n = SUBSCRIBERS.at(-1) ?? 100;
    for (const s of subscribers.splice(0)) s.transport.close();
    await sleep(1000);
    const workerB = await createWorker();
    const routerB = await workerB.createRouter({ mediaCodecs: MEDIA_CODECS as ms.RtpCodecCapability[] });
    // The piped producers on router B keep the original ids: consumers there use the same ids.
    for (const p of producers) await routerA.pipeToRouter({ producerId: p.id, router: routerB });
    for (let i = 0; i < n; i++) subscribers.push(await addSubscriber(i % 2 ? routerB : routerA, producers, sink.port));
    await sleep(2000);
    const m = await measure([workerA, workerB], sink, producers);
    console.log(
      `\n== pipeToRouter: ${n} subscribers (${n * 2} consumers) split over two workers: worker A ${fmt(m.cpu[0]! * 100)} %, worker B ${fmt(m.cpu[1]! * 100)} % of a core; delivered ${fmt((m.outPps / (m.inPps * n)) * 100, 1)} %`,
    );
    workerB.close();
  }

  for (const s of subscribers) s.transport.close();
  source.close();
  sink.close();
  workerA.close();
  return { choice, results };
}

/** Debian's libsrtp2 vs the OpenSSL build, one run, when the build is cached (decision 035). */
async function srtpAb(): Promise<void> {
  const product = chooseSrtpLibrary();
  if (!SRTP_AB || !SRTP || product.library !== "openssl") {
    if (SRTP_AB && SRTP) console.log(`\n   (no A/B of libsrtp2: ${product.reason})`);
    await sfuBench(product, PIPE);
    return;
  }
  const series: Series[] = [];
  series.push(await sfuBench(DEBIAN_SRTP, false));
  series.push(await sfuBench(product, PIPE));
  console.log(`\n== libsrtp2 A/B (one run, one series after the other, load average beside each; SRTP AES_CM_128_HMAC_SHA1_80 — mediasoup 3.8.4's PlainTransport offers no AES-GCM)`);
  console.log("   consumers   Debian's: CPU/consumer  consumers/core  load avg        OpenSSL build: CPU/consumer  consumers/core  load avg        ratio");
  const [a, b] = series as [Series, Series];
  a.results.forEach((ra, i) => {
    const rb = b.results[i];
    if (!rb) return;
    const ratio = rb.perConsumer > 0 ? ra.perConsumer / rb.perConsumer : Infinity;
    console.log(
      `   ${String(ra.consumers).padStart(9)}   ${fmt(ra.perConsumer * 100, 3).padStart(10)} %  ${fmt(ra.perCore, 0).padStart(14)}  ${ra.load.padEnd(18)}  ${fmt(rb.perConsumer * 100, 3).padStart(16)} %  ${fmt(rb.perCore, 0).padStart(14)}  ${rb.load.padEnd(18)}  ${fmt(ratio, 2)}×`,
    );
  });
  console.log("   (Chromium's WebRTC transports negotiate AEAD_AES_256_GCM with either library, where libsrtp's own gain is smaller: decision 035)");
}

// ---------------------------------------------------------------------------------------
// Browser: join-to-first-frame

async function browserBench() {
  const chromium = CHROMIUM;
  if (!fs.existsSync(chromium)) {
    console.log(`\n== join-to-first-frame: skipped (no Chromium at ${chromium})`);
    return;
  }
  process.env.LIVE_LOG_LEVEL ??= "warn";
  if (!process.env.DATABASE_URL) {
    process.env.EMBEDDED_PG_DIR ??= ".data/pg-bench";
    process.env.EMBEDDED_PG_PORT ??= "55436";
  }
  const { startServer } = await import("../server/app.js");
  const server = await startServer({ port: 0, host: "127.0.0.1", log: () => undefined });
  const { prisma } = await import("~/domains/db.server");
  const { createSessionCookie } = await import("~/domains/auth/session.server");
  const { chromium: pw } = await import("@playwright/test");
  const base = server.url;
  const browser = await pw.launch({
    executablePath: chromium,
    args: chromiumArgs(),
  });
  try {
    const tag = Date.now().toString(36);
    const [expert, learner] = await Promise.all([
      prisma.user.create({ data: { email: `bench-expert-${tag}@bench.test`, name: "Bench expert", role: "expert", passwordHash: "x" } }),
      prisma.user.create({ data: { email: `bench-learner-${tag}@bench.test`, name: "Bench learner", role: "learner", passwordHash: "x" } }),
    ]);
    const session = await prisma.liveSession.create({
      data: {
        hostId: expert.id,
        title: "Bench",
        kind: "one_to_one",
        startsAt: new Date(),
        endsAt: new Date(Date.now() + 3600_000),
        invites: { create: [{ userId: learner.id }] },
      },
    });
    const contextFor = async (userId: string) => {
      const context = await browser.newContext({ permissions: ["camera", "microphone"] });
      const [name, value] = (await createSessionCookie(userId)).split(";")[0]!.split("=");
      await context.addCookies([{ name: name!, value: value!, url: base }]);
      return context;
    };
    const expertPage = await (await contextFor(expert.id)).newPage();
    await expertPage.goto(`${base}/live/${session.id}`);
    await expertPage.getByTestId("prejoin-join").click();
    await expertPage.waitForSelector('[data-testid="live-status"][data-status="connected"]', { timeout: 20_000 });

    const learnerContext = await contextFor(learner.id);
    const times: number[] = [];
    const breakdowns: string[] = [];
    for (let run = 0; run < BROWSER_RUNS; run++) {
      const page = await learnerContext.newPage();
      await page.goto(`${base}/live/${session.id}`);
      await page.waitForSelector('[data-testid="prejoin-preview"]', { timeout: 15_000 });
      await page.waitForFunction(() => {
        const el = document.querySelector('[data-testid="prejoin-link"]');
        return el && el.getAttribute("data-quality") !== "measuring";
      });
      // A string, not a function: tsx's transform would inject helpers the page doesn't have.
      const elapsed = (await page.evaluate(`new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error("no remote frame within 15 s")), 15000);
        new MutationObserver(() => {
          const video = document.querySelector('video[data-testid="remote-video"]');
          if (video && !video.dataset.watched) {
            video.dataset.watched = "1";
            video.requestVideoFrameCallback(() => { clearTimeout(timer); resolve(performance.now() - t0); });
          }
        }).observe(document.body, { childList: true, subtree: true });
        const t0 = performance.now();
        window.__benchT0 = t0;
        document.querySelector('[data-testid="prejoin-join"]').click();
      })`)) as number;
      times.push(elapsed);
      const marks = (await page.evaluate("window.__liveTest ? window.__liveTest.timings() : {}")) as Record<string, number>;
      const origin = (await page.evaluate("window.__benchT0 || 0")) as number;
      breakdowns.push(
        Object.entries(marks)
          .sort((a, b) => a[1] - b[1])
          .map(([k, v]) => `${k} ${Math.round(v - origin)}`)
          .join(", "),
      );
      await page.getByTestId("live-leave").click();
      await page.close();
    }
    const sorted = [...times].sort((a, b) => a - b);
    const load = os.loadavg()[0]!;
    console.log(
      `\n== join-to-first-frame (Chromium, loopback, fake camera; Join click → first decoded remote frame): ` +
        `${times.map((t) => `${Math.round(t)} ms`).join(", ")}; median ${Math.round(sorted[Math.floor(sorted.length / 2)]!)} ms (target < 1500 ms; load average ${load.toFixed(1)} on ${os.cpus().length} cores)`,
    );
    const slowest = times.indexOf(Math.max(...times));
    console.log(`   slowest run, ms after the click: ${breakdowns[slowest]}, first frame ${Math.round(times[slowest]!)}`);
    await prisma.liveSession.update({ where: { id: session.id }, data: { status: "ended" } });
  } finally {
    await browser.close();
    await server.close();
  }
}

if (SFU) await srtpAb();
if (BROWSER) await browserBench().catch((error: unknown) => console.log(`\n== join-to-first-frame failed: ${error instanceof Error ? error.message : error}`));
process.exit(0);

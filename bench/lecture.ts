/**
 * npm run bench:lecture — one lecture over two server processes ("hosts" bound to 127.0.0.2
 * and 127.0.0.3) sharing Redis and PostgreSQL (docs/decisions/033-rooms-across-processes.md).
 *
 * Through the real signalling path (socket.io + Room + Peer on real `server/index.ts`
 * processes, LIVE_PLAIN_RTP=1 so no browser is needed):
 *   - the expert joins on A and produces camera + microphone on plain-RTP transports, fed by
 *     the ffmpeg RTP source bench:sfu uses (VP8 ~500 kbit/s + Opus, bench/rtp.ts);
 *   - N learners join, alternately on A and on B; each has one plain recv transport with a
 *     VP8 and an Opus consumer sending to its process's sink (a separate process that counts
 *     and drops packets); B's room is an edge fed from A's through pipe transports;
 *   - one reference learner on A with a sink of its own: the packets ONE subscriber gets.
 * Prints per process: consumers, worker CPU over the window, pipe streams out (the origin's
 * outgoing streams) and in, delivered packet ratio (sink packets / (reference × learners)).
 *
 * Environment: BENCH_LEARNERS=40, BENCH_WINDOW_MS=10000, REDIS_URL (default
 * redis://127.0.0.1:6379), DATABASE_URL (else an embedded PostgreSQL in .data/pg-bench).
 * Prints figures only; nothing is asserted.
 */
import "../server/env.js";
import { spawn, type ChildProcess } from "node:child_process";
import crypto from "node:crypto";
import net from "node:net";
import path from "node:path";
import { io as connectClient, type Socket } from "socket.io-client";
import { AUDIO_RTP_PARAMETERS, spawnFfmpegRtp, startSink, VIDEO_RTP_PARAMETERS, type Sink } from "./rtp.js";

const ROOT = path.resolve(import.meta.dirname, "..");
const LEARNERS = Number(process.env.BENCH_LEARNERS ?? 40);
const WINDOW_MS = Number(process.env.BENCH_WINDOW_MS ?? 10_000);
const REDIS_URL = process.env.REDIS_URL || "redis://127.0.0.1:6379";
const PREFIX = `skillrelay-bench-${crypto.randomBytes(3).toString("hex")}`;
const HOSTS = { A: "127.0.0.2", B: "127.0.0.3" } as const;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const fmt = (n: number, d = 1) => (Number.isFinite(n) ? n.toFixed(d) : "n/a");

interface Proc {
  name: keyof typeof HOSTS;
  url: string;
  child: ChildProcess;
}

async function freePort(host: string): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((r) => srv.listen(0, host, () => r()));
  const port = (srv.address() as net.AddressInfo).port;
  await new Promise((r) => srv.close(r));
  return port;
}

async function startProcess(name: keyof typeof HOSTS, databaseUrl: string, ports: [number, number]): Promise<Proc> {
  const host = HOSTS[name];
  const port = await freePort(host);
  const child = spawn(process.execPath, ["--import", "tsx", "server/index.ts"], {
    cwd: ROOT,
    env: {
      ...process.env,
      NODE_ENV: "production",
      PORT: String(port),
      HOST: host,
      DATABASE_URL: databaseUrl,
      SKILLRELAY_DEMO_DATA: "0",
      REDIS_URL,
      REDIS_PREFIX: PREFIX,
      MEDIASOUP_NUM_WORKERS: "1",
      MEDIASOUP_LISTEN_IP: host,
      MEDIASOUP_PIPE_IP: host,
      MEDIASOUP_MIN_PORT: String(ports[0]),
      MEDIASOUP_MAX_PORT: String(ports[1]),
      LIVE_PLAIN_RTP: "1",
      LIVE_LOG_LEVEL: "warn",
      LOG_LEVEL: "warn",
    },
    // stdout (the access log) to /dev/null: an unread pipe would block the server (bench/server.ts).
    stdio: ["ignore", "ignore", "inherit"],
  });
  const url = `http://${host}:${port}`;
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`process ${name} exited with ${child.exitCode}`);
    const body = await fetch(`${url}/healthz`).then((r) => (r.ok ? (r.json() as Promise<{ redis?: string }>) : null), () => null);
    if (body?.redis === "ok") break;
    if (Date.now() > deadline) throw new Error(`process ${name} not healthy in 120 s`);
    await sleep(300);
  }
  return { name, url, child };
}

async function metrics(proc: Proc): Promise<Map<string, number>> {
  const text = await (await fetch(`${proc.url}/metrics`)).text();
  const out = new Map<string, number>();
  for (const line of text.split("\n")) {
    if (!line || line.startsWith("#")) continue;
    const i = line.lastIndexOf(" ");
    out.set(line.slice(0, i), Number(line.slice(i + 1)));
  }
  return out;
}

const sum = (m: Map<string, number>, prefix: string) => [...m].filter(([k]) => k.startsWith(prefix)).reduce((n, [, v]) => n + v, 0);

async function ok<T = any>(socket: Socket, event: string, payload?: unknown): Promise<T> {
  const res = (await socket.timeout(15_000).emitWithAck(event, payload)) as { data?: T; error?: { code: string; message: string } };
  if (res.error) throw new Error(`${event}: ${res.error.code} ${res.error.message}`);
  return res.data as T;
}

async function main() {
  if (!process.env.DATABASE_URL) {
    process.env.EMBEDDED_PG_DIR ??= ".data/pg-bench";
    process.env.EMBEDDED_PG_PORT ??= "55438";
    process.env.EMBEDDED_PG_DATABASE ??= "skillrelay_bench";
  }
  const { openDatabase, migrateIfNeeded } = await import("../server/db/postgres.js");
  const db = await openDatabase();
  await migrateIfNeeded(db.url);
  process.env.DATABASE_URL = db.url;
  const { prisma } = await import("~/domains/db.server");
  const { createSessionCookie } = await import("~/domains/auth/session.server");

  const procs: Proc[] = [];
  const sinks: Sink[] = [];
  const sockets: Socket[] = [];
  let ffmpeg: ChildProcess | null = null;
  let sessionId: string | null = null;
  try {
    const [A, B] = await Promise.all([startProcess("A", db.url, [42000, 42999]), startProcess("B", db.url, [43000, 43999])]);
    procs.push(A, B);
    const stamp = Date.now().toString(36);
    const user = (role: "expert" | "learner", i: number) =>
      prisma.user.create({ data: { email: `lecture-${role}-${i}-${stamp}@bench.test`, name: `${role} ${i}`, role, passwordHash: "x" } });
    const expert = await user("expert", 0);
    const learners = [];
    for (let i = 0; i <= LEARNERS; i++) learners.push(await user("learner", i));
    const session = await prisma.liveSession.create({
      data: {
        hostId: expert.id,
        title: "Bench lecture",
        kind: "group",
        capacity: LEARNERS + 10,
        startsAt: new Date(),
        endsAt: new Date(Date.now() + 3600_000),
        invites: { create: learners.map((l) => ({ userId: l.id })) },
      },
    });
    sessionId = session.id;

    const connect = async (proc: Proc, userId: string) => {
      const socket = connectClient(proc.url, {
        transports: ["websocket"],
        forceNew: true,
        reconnection: false,
        extraHeaders: { cookie: (await createSessionCookie(userId)).split(";")[0]! },
      });
      sockets.push(socket);
      await new Promise<void>((resolve, reject) => {
        socket.once("connect", () => resolve());
        socket.once("connect_error", reject);
      });
      return socket;
    };

    // The expert on A (the session's origin): camera + microphone from ffmpeg.
    const expertSocket = await connect(A, expert.id);
    await ok(expertSocket, "room:join", { roomId: session.id });
    const vt = await ok(expertSocket, "transport:create", { direction: "send", plain: true });
    const at = await ok(expertSocket, "transport:create", { direction: "send", plain: true });
    const video = await ok<{ id: string }>(expertSocket, "produce", { transportId: vt.id, kind: "video", rtpParameters: VIDEO_RTP_PARAMETERS, appData: { source: "camera" } });
    const audio = await ok<{ id: string }>(expertSocket, "produce", { transportId: at.id, kind: "audio", rtpParameters: AUDIO_RTP_PARAMETERS, appData: { source: "mic" } });
    ffmpeg = spawnFfmpegRtp(vt.plain.ip, vt.plain.port, at.plain.port);

    const sinkOf = { A: await startSink(), B: await startSink(), ref: await startSink() };
    sinks.push(sinkOf.A, sinkOf.B, sinkOf.ref);
    const subscribe = async (proc: Proc, userId: string, sink: Sink) => {
      const socket = await connect(proc, userId);
      const joined = await ok(socket, "room:join", { roomId: session.id });
      const recv = await ok(socket, "transport:create", { direction: "recv", plain: true });
      await ok(socket, "transport:plainConnect", { transportId: recv.id, ip: "127.0.0.1", port: sink.port });
      for (const producerId of [video.id, audio.id]) {
        // On B the expert's producers arrive through the pipe a moment after the join.
        for (let attempt = 0; ; attempt++) {
          try {
            const c = await ok(socket, "consume", { producerId, rtpCapabilities: joined.routerRtpCapabilities, transportId: recv.id });
            await ok(socket, "consumer:resume", { consumerId: c.id });
            break;
          } catch (error) {
            if (attempt > 50) throw error;
            await sleep(200);
          }
        }
      }
    };
    const started = Date.now();
    await subscribe(A, learners[0]!.id, sinkOf.ref);
    const perProc = { A: 0, B: 0 };
    for (let i = 1; i <= LEARNERS; i++) {
      const name = i % 2 ? "B" : "A";
      await subscribe(name === "A" ? A : B, learners[i]!.id, sinkOf[name]);
      perProc[name]++;
    }
    console.log(`${LEARNERS} learners (+1 reference on A) joined and subscribed in ${fmt((Date.now() - started) / 1000)} s: ${perProc.A} on A, ${perProc.B} on B`);
    await sleep(3_000);

    const cpu0 = await Promise.all(procs.map(async (p) => sum(await metrics(p), "skillrelay_mediasoup_worker_cpu_seconds")));
    const pk0 = { A: await sinkOf.A.count(), B: await sinkOf.B.count(), ref: await sinkOf.ref.count() };
    const t0 = Date.now();
    await sleep(WINDOW_MS);
    const seconds = (Date.now() - t0) / 1000;
    const pk1 = { A: await sinkOf.A.count(), B: await sinkOf.B.count(), ref: await sinkOf.ref.count() };
    const after = await Promise.all(procs.map((p) => metrics(p)));
    const refPps = (pk1.ref - pk0.ref) / seconds;
    console.log(`\n== bench:lecture: 1 expert (VP8 ~500 kbit/s + Opus) on A, ${LEARNERS} learners over A and B; window ${fmt(seconds)} s; reference subscriber ${fmt(refPps)} packets/s`);
    console.log("   process  learners  consumers  worker CPU   pipe streams out  pipe streams in  delivered");
    for (const [i, proc] of procs.entries()) {
      const m = after[i]!;
      const cpu = (sum(m, "skillrelay_mediasoup_worker_cpu_seconds") - cpu0[i]!) / seconds;
      const n = perProc[proc.name];
      const pps = (pk1[proc.name] - pk0[proc.name]) / seconds;
      const delivered = pps / (refPps * n);
      console.log(
        `   ${proc.name} ${HOSTS[proc.name]}  ${String(n + (proc.name === "A" ? 1 : 0)).padStart(8)}  ${String(m.get("skillrelay_live_consumers") ?? 0).padStart(9)}  ${fmt(cpu * 100).padStart(8)} %  ${String(m.get('skillrelay_live_pipe_streams{direction="out"}') ?? 0).padStart(16)}  ${String(m.get('skillrelay_live_pipe_streams{direction="in"}') ?? 0).padStart(15)}  ${fmt(delivered * 100).padStart(7)} %`,
      );
    }
  } finally {
    for (const s of sockets) s.disconnect();
    ffmpeg?.kill("SIGKILL");
    for (const s of sinks) s.close();
    await Promise.all(
      procs.map(
        (p) =>
          new Promise<void>((resolve) => {
            if (p.child.exitCode !== null) return resolve();
            p.child.once("exit", () => resolve());
            p.child.kill("SIGTERM");
          }),
      ),
    );
    if (sessionId) await prisma.liveSession.update({ where: { id: sessionId }, data: { status: "ended" } }).catch(() => undefined);
    await prisma.$disconnect();
    await db.stop();
  }
}

await main();
process.exit(0);

/**
 * A pool of mediasoup workers, one per core by default.
 *
 * A worker that dies is logged and replaced (with back-off if re-creating fails). The
 * rooms whose routers lived on it are closed by mediasoup itself (their routers emit
 * "workerclose"), and each Room tells its peers to rejoin: see Room.ts.
 */
import { EventEmitter } from "node:events";
import type { types as ms } from "mediasoup";
import { createLogger, ensureWorkerBin, errorMessage, type LiveConfig } from "./config.js";
import { chooseSrtpLibrary, withWorkerEnv, workerUsesBuild, type SrtpChoice, type SrtpLibrary } from "./srtp.js";

type Mediasoup = typeof import("mediasoup");
let mediasoupModule: Promise<Mediasoup> | undefined;

/** mediasoup reads MEDIASOUP_WORKER_BIN when first imported, hence the lazy import. */
export function loadMediasoup(): Promise<Mediasoup> {
  ensureWorkerBin();
  mediasoupModule ??= import("mediasoup");
  return mediasoupModule;
}

export interface WorkerHealth {
  index: number;
  pid: number;
  alive: boolean;
}

export interface PoolHealth {
  ok: boolean;
  workers: WorkerHealth[];
  /** The libsrtp2 new workers load: the cached OpenSSL build or Debian's (srtp.ts). */
  srtp: SrtpLibrary;
}

interface Slot {
  index: number;
  worker: ms.Worker;
  /** Routers and consumers currently open on this worker (the load measures for pick()). */
  routers: number;
  consumers: number;
  replacing: boolean;
}

const WAIT_FOR_WORKER_MS = 15_000;

export class WorkerPool extends EventEmitter {
  private readonly slots: Slot[] = [];
  private readonly log = createLogger("workers");
  private closed = false;
  private readonly retryTimers = new Set<NodeJS.Timeout>();

  private readonly config: LiveConfig;
  /** Decided once at create; falls back to Debian's (once, logged) if a worker can't use the build. */
  private srtp: SrtpChoice;

  private constructor(config: LiveConfig) {
    super();
    this.config = config;
    this.srtp = chooseSrtpLibrary();
  }

  static async create(config: LiveConfig): Promise<WorkerPool> {
    const pool = new WorkerPool(config);
    try {
      for (let index = 0; index < config.numWorkers; index++) {
        const worker = await pool.spawn(index);
        pool.slots.push({ index, worker, routers: 0, consumers: 0, replacing: false });
        pool.watch(pool.slots[index]!);
      }
    } catch (error) {
      pool.close();
      throw error;
    }
    pool.log.info(`started ${config.numWorkers} worker(s): pids ${pool.slots.map((s) => s.worker.pid).join(", ")}`);
    pool.log.info(`libsrtp2: ${pool.srtp.library === "openssl" ? pool.srtp.reason : `Debian's (${pool.srtp.reason})`}`);
    return pool;
  }

  /**
   * The least-loaded alive worker (fewest consumers, then fewest routers), skipping the
   * pids in `exclude` when another worker is alive; waits for a replacement if none is.
   */
  async pick(opts: { exclude?: ReadonlySet<number> } = {}): Promise<ms.Worker> {
    const deadline = Date.now() + WAIT_FOR_WORKER_MS;
    for (;;) {
      if (this.closed) throw new Error("worker pool is closed");
      let best: Slot | undefined;
      const alive = this.slots.filter((s) => !s.worker.closed);
      const candidates = alive.filter((s) => !opts.exclude?.has(s.worker.pid));
      for (const slot of candidates.length ? candidates : alive) {
        if (!best || slot.consumers < best.consumers || (slot.consumers === best.consumers && slot.routers < best.routers)) {
          best = slot;
        }
      }
      if (best) return best.worker;
      if (Date.now() >= deadline) throw new Error("no mediasoup worker available");
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          this.off("workerready", done);
          resolve();
        };
        const timer = setTimeout(done, 500);
        this.once("workerready", done);
      });
    }
  }

  /** Alive workers that `exclude` doesn't list (the room's pipe targets). */
  hasWorkerBesides(exclude: ReadonlySet<number>): boolean {
    return this.slots.some((s) => !s.worker.closed && !s.replacing && !exclude.has(s.worker.pid));
  }

  /** Per-worker load, for diagnostics and tests. */
  loads(): { index: number; pid: number; routers: number; consumers: number }[] {
    return this.slots.map((s) => ({ index: s.index, pid: s.worker.pid, routers: s.routers, consumers: s.consumers }));
  }

  health(): PoolHealth {
    const workers = this.slots.map((s) => ({
      index: s.index,
      pid: s.worker.pid,
      alive: !s.worker.closed && !s.replacing,
    }));
    return { ok: !this.closed && workers.length > 0 && workers.every((w) => w.alive), workers, srtp: this.srtp.library };
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const timer of this.retryTimers) clearTimeout(timer);
    this.retryTimers.clear();
    for (const slot of this.slots) slot.worker.close();
    this.removeAllListeners();
    this.log.info("closed");
  }

  private async spawn(index: number): Promise<ms.Worker> {
    const { createWorker } = await loadMediasoup();
    const start = () =>
      createWorker({
        logLevel: this.config.workerLogLevel,
        rtcMinPort: this.config.rtcMinPort,
        rtcMaxPort: this.config.rtcMaxPort,
        appData: { index },
      });
    const choice = this.srtp;
    if (choice.library !== "openssl") return start();
    let worker: ms.Worker;
    try {
      worker = await withWorkerEnv(choice, start);
    } catch (error) {
      this.useDebianSrtp(`a worker with the OpenSSL libsrtp2 did not start (${errorMessage(error)})`);
      return start();
    }
    if (workerUsesBuild(worker.pid, choice)) return worker;
    worker.close();
    this.useDebianSrtp(`worker pid ${worker.pid} did not load ${choice.dir}`);
    return start();
  }

  private useDebianSrtp(why: string): void {
    if (this.srtp.library === "debian") return;
    this.srtp = { library: "debian", reason: why };
    this.log.warn(`libsrtp2: ${why}; the workers use Debian's libsrtp2`);
  }

  private watch(slot: Slot): void {
    const worker = slot.worker;
    worker.observer.on("newrouter", (router: ms.Router) => {
      if (slot.worker !== worker) return;
      slot.routers++;
      router.observer.once("close", () => {
        if (slot.worker === worker) slot.routers = Math.max(0, slot.routers - 1);
      });
      router.observer.on("newtransport", (transport: ms.Transport) => {
        transport.observer.on("newconsumer", (consumer: ms.Consumer) => {
          if (slot.worker !== worker) return;
          slot.consumers++;
          consumer.observer.once("close", () => {
            if (slot.worker === worker) slot.consumers = Math.max(0, slot.consumers - 1);
          });
        });
      });
    });
    worker.on("died", (error: Error) => {
      if (this.closed) return;
      this.log.error(`worker #${slot.index} (pid ${worker.pid}) died: ${errorMessage(error)}; replacing it`);
      this.emit("workerdied", { index: slot.index, pid: worker.pid });
      this.replace(slot, 0);
    });
  }

  private replace(slot: Slot, attempt: number): void {
    if (this.closed) return;
    slot.replacing = true;
    this.spawn(slot.index).then(
      (worker) => {
        if (this.closed) {
          worker.close();
          return;
        }
        slot.worker = worker;
        slot.routers = 0;
        slot.consumers = 0;
        slot.replacing = false;
        this.watch(slot);
        this.log.info(`worker #${slot.index} replaced: new pid ${worker.pid}`);
        this.emit("workerready", { index: slot.index, pid: worker.pid });
      },
      (error: unknown) => {
        const delay = Math.min(30_000, 500 * 2 ** attempt);
        this.log.error(
          `re-creating worker #${slot.index} failed (${errorMessage(error)}); retrying in ${delay} ms`,
        );
        const timer = setTimeout(() => {
          this.retryTimers.delete(timer);
          this.replace(slot, attempt + 1);
        }, delay);
        this.retryTimers.add(timer);
      },
    );
  }
}

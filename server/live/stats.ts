/**
 * Session analytics (docs/decisions/027-session-analytics.md): per person per session, talk
 * time, hands raised and a connection-quality series, collected in memory from what the
 * server already sees (never from ids a client sends) and written in batches.
 *
 * - Talk time: the room's AudioLevelObserver emits "volumes" every `interval` ms with the
 *   loudest microphones above its threshold; each person listed in one event is credited with
 *   one interval (a person with two microphones once). An approximation: a listed producer
 *   was loud at some point of the interval, not throughout; quiet speech below the threshold
 *   and speakers beyond the observer's `maxEntries` are not counted.
 * - Hands: each lowered → raised change of a peer's hand.
 * - Quality: the room's 2 s quality tick reports each connected peer's indicator; one sample
 *   per person per window (`sampleMs`, 30 s): the worst known quality of the window
 *   ("unknown" only if nothing else was seen), stamped with the window's start.
 *
 * `StatsAccumulator` is pure (times passed in), `LiveStats` adds the flush timer and the store.
 */
import type { Logger } from "./config.js";
import { errorMessage } from "./config.js";
import type { Quality } from "./protocol.js";

/** [epoch seconds of the window's start, quality] */
export type QualitySample = [number, Quality];

export interface StatsDelta {
  sessionId: string;
  userId: string;
  talkMs: number;
  hands: number;
  samples: QualitySample[];
}

/** Worse first: a window's sample is the worst it saw; "unknown" loses to anything known. */
const SEVERITY: Record<Quality, number> = { unknown: 0, good: 1, fair: 2, poor: 3 };

export function worseQuality(a: Quality, b: Quality): Quality {
  return SEVERITY[b] > SEVERITY[a] ? b : a;
}

/**
 * Talk time credited by one "volumes" event: `intervalMs` to each distinct person whose
 * microphone is listed (the owners of the producers, looked up by the room).
 */
export function talkCredit(speakerUserIds: readonly string[], intervalMs: number): Map<string, number> {
  const credit = new Map<string, number>();
  for (const userId of speakerUserIds) credit.set(userId, intervalMs);
  return credit;
}

interface Entry {
  sessionId: string;
  userId: string;
  talkMs: number;
  hands: number;
  samples: QualitySample[];
  window: { start: number; worst: Quality } | null;
}

export class StatsAccumulator {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly sampleMs: number) {}

  private entry(sessionId: string, userId: string): Entry {
    const key = `${sessionId}\n${userId}`;
    let entry = this.entries.get(key);
    if (!entry) {
      entry = { sessionId, userId, talkMs: 0, hands: 0, samples: [], window: null };
      this.entries.set(key, entry);
    }
    return entry;
  }

  /** One "volumes" event of the session's observer. */
  volumes(sessionId: string, speakerUserIds: readonly string[], intervalMs: number): void {
    for (const [userId, ms] of talkCredit(speakerUserIds, intervalMs)) this.entry(sessionId, userId).talkMs += ms;
  }

  handRaised(sessionId: string, userId: string): void {
    this.entry(sessionId, userId).hands++;
  }

  /** A quality reading of one of the person's peers at `now` (ms). */
  quality(sessionId: string, userId: string, quality: Quality, now: number): void {
    const entry = this.entry(sessionId, userId);
    if (entry.window && now - entry.window.start >= this.sampleMs) this.closeWindow(entry);
    if (!entry.window) entry.window = { start: now, worst: quality };
    else entry.window.worst = worseQuality(entry.window.worst, quality);
  }

  /** The person left (their last peer is gone): the running window becomes a sample now. */
  left(sessionId: string, userId: string): void {
    const entry = this.entries.get(`${sessionId}\n${userId}`);
    if (entry?.window) this.closeWindow(entry);
  }

  /** Ends every window that is `sampleMs` old at `now` (so a flush carries finished windows). */
  tick(now: number): void {
    for (const entry of this.entries.values()) {
      if (entry.window && now - entry.window.start >= this.sampleMs) this.closeWindow(entry);
    }
  }

  private closeWindow(entry: Entry): void {
    entry.samples.push([Math.floor(entry.window!.start / 1000), entry.window!.worst]);
    entry.window = null;
  }

  /**
   * What changed since the last take, and forget it. A person with a running window stays
   * (with nothing to write yet); everyone else is dropped from memory.
   */
  take(only?: { sessionId: string; userId: string }): StatsDelta[] {
    const out: StatsDelta[] = [];
    const entries = only ? [...this.entries].filter(([key]) => key === `${only.sessionId}\n${only.userId}`) : this.entries;
    for (const [key, entry] of entries) {
      if (entry.talkMs || entry.hands || entry.samples.length) {
        out.push({ sessionId: entry.sessionId, userId: entry.userId, talkMs: entry.talkMs, hands: entry.hands, samples: entry.samples });
      }
      entry.talkMs = 0;
      entry.hands = 0;
      entry.samples = [];
      if (!entry.window) this.entries.delete(key);
    }
    return out;
  }

  /** Tests and shutdown: close every window. */
  closeAll(): void {
    for (const entry of this.entries.values()) if (entry.window) this.closeWindow(entry);
  }
}

/** What a room reports (Room.ts). */
export type RoomStatsSink = Pick<LiveStats, "volumes" | "quality" | "left">;

/** The accumulator, flushed every `flushMs` and when someone leaves or a room closes. */
export class LiveStats {
  readonly acc: StatsAccumulator;
  private timer: NodeJS.Timeout | null = null;
  private writing: Promise<void> = Promise.resolve();

  constructor(
    private readonly write: (rows: StatsDelta[]) => Promise<void>,
    private readonly log: Logger,
    private readonly opts: { sampleMs: number; flushMs: number },
  ) {
    this.acc = new StatsAccumulator(opts.sampleMs);
  }

  start(): void {
    this.timer ??= setInterval(() => void this.flush(), this.opts.flushMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  volumes(sessionId: string, speakerUserIds: readonly string[], intervalMs: number): void {
    this.acc.volumes(sessionId, speakerUserIds, intervalMs);
  }

  quality(sessionId: string, userId: string, quality: Quality, now: number): void {
    this.acc.quality(sessionId, userId, quality, now);
  }

  handRaised(sessionId: string, userId: string): void {
    this.acc.handRaised(sessionId, userId);
  }

  /** The person's last peer left the room: close their window and write their figures (only theirs). */
  left(sessionId: string, userId: string): void {
    this.acc.left(sessionId, userId);
    void this.enqueue(this.acc.take({ sessionId, userId }));
  }

  /** Writes what accumulated, one statement per person; writes run one after another. */
  flush(): Promise<void> {
    this.acc.tick(Date.now());
    return this.enqueue(this.acc.take());
  }

  private enqueue(rows: StatsDelta[]): Promise<void> {
    if (rows.length === 0) return this.writing;
    this.writing = this.writing.then(() =>
      this.write(rows).catch((error: unknown) => this.log.error(`session statistics of ${rows.length} person(s) not written: ${errorMessage(error)}`)),
    );
    return this.writing;
  }

  async closeAll(): Promise<void> {
    this.stop();
    this.acc.closeAll();
    await this.flush();
  }
}

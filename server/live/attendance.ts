/**
 * Attendance records (training hours) follow a user's PRESENCE in a session's room, not
 * individual sockets: a row opens when the user's first peer enters and closes when their
 * last peer is gone. So a reconnect (same peer resumed), a second tab, or a rejoin after a
 * media-worker death within the grace period keeps ONE continuous record.
 *
 * - leftAt is the moment the user actually went (the disconnect, not the end of the grace).
 * - Open rows get a heartbeat (lastSeenAt) every minute; after a crash the start-up
 *   recovery closes them at that heartbeat with closedBy "server_restart".
 * - A graceful shutdown closes them with closedBy "server_shutdown".
 */
import type { Logger } from "./config.js";
import { errorMessage } from "./config.js";
import type { LiveStore } from "./store.js";

export type ClosedBy = "left" | "disconnected" | "removed" | "ended" | "server_shutdown";

interface Entry {
  key: string;
  sessionId: string;
  userId: string;
  peers: Set<string>;
  row: Promise<string | null>;
  pending: NodeJS.Timeout | null;
}

export class AttendanceTracker {
  private readonly entries = new Map<string, Entry>();
  private readonly inflight = new Set<Promise<unknown>>();
  private heartbeatTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly store: LiveStore,
    private readonly log: Logger,
    private readonly heartbeatMs = 60_000,
  ) {}

  start(): void {
    this.heartbeatTimer ??= setInterval(() => void this.heartbeat(), this.heartbeatMs);
    this.heartbeatTimer.unref();
  }

  /** A peer of the user is in the room (again). */
  enter(sessionId: string, userId: string, peerId: string): void {
    const key = `${sessionId}:${userId}`;
    const existing = this.entries.get(key);
    if (existing) {
      existing.peers.add(peerId);
      if (existing.pending) {
        clearTimeout(existing.pending);
        existing.pending = null;
      }
      return;
    }
    const at = new Date();
    const row = this.track(
      this.store.openAttendance(sessionId, userId, at).catch((error: unknown) => {
        this.log.error(`attendance of ${userId} in ${sessionId} not recorded: ${errorMessage(error)}`);
        return null;
      }),
    );
    this.entries.set(key, { key, sessionId, userId, peers: new Set([peerId]), row, pending: null });
  }

  /**
   * A peer of the user is gone. When it was the last one the record closes at `at` — or,
   * with `deferMs`, only if the user hasn't come back by then (still dated `at`).
   */
  exit(sessionId: string, userId: string, peerId: string, closedBy: ClosedBy, at = new Date(), deferMs = 0): void {
    const entry = this.entries.get(`${sessionId}:${userId}`);
    if (!entry || !entry.peers.delete(peerId) || entry.peers.size > 0) return;
    if (deferMs > 0) {
      if (entry.pending) clearTimeout(entry.pending);
      entry.pending = setTimeout(() => this.close(entry, closedBy, at), deferMs);
      entry.pending.unref();
      return;
    }
    this.close(entry, closedBy, at);
  }

  /**
   * Every present user whose record was closed by another process that took this one for dead
   * (see LiveStore.heartbeat) gets a new record from now.
   */
  reopenAll(): void {
    for (const entry of this.entries.values()) {
      const { sessionId, userId } = entry;
      entry.row = this.track(
        entry.row.then(async (id) => {
          if (id && (await this.store.attendanceOpen(id))) return id;
          return this.store.openAttendance(sessionId, userId, new Date());
        }).catch((error: unknown) => {
          this.log.error(`attendance of ${userId} in ${sessionId} not reopened: ${errorMessage(error)}`);
          return null;
        }),
      );
    }
  }

  isPresent(sessionId: string, userId: string): boolean {
    return this.entries.has(`${sessionId}:${userId}`);
  }

  /** Closes every open record (graceful shutdown) and waits for the database. */
  async closeAll(closedBy: ClosedBy): Promise<void> {
    for (const entry of [...this.entries.values()]) this.close(entry, closedBy, new Date());
    await this.flush();
  }

  /** Waits for pending database writes (tests, shutdown). */
  async flush(): Promise<void> {
    while (this.inflight.size > 0) await Promise.allSettled([...this.inflight]);
  }

  stop(): void {
    if (this.heartbeatTimer) clearInterval(this.heartbeatTimer);
    this.heartbeatTimer = null;
    for (const entry of this.entries.values()) if (entry.pending) clearTimeout(entry.pending);
  }

  async heartbeat(): Promise<void> {
    const ids = (await Promise.all([...this.entries.values()].map((e) => e.row))).filter((id): id is string => !!id);
    await this.track(
      this.store.touchAttendance(ids, new Date()).catch((error: unknown) => {
        this.log.warn(`attendance heartbeat failed: ${errorMessage(error)}`);
      }),
    );
  }

  private close(entry: Entry, closedBy: ClosedBy, at: Date): void {
    if (this.entries.get(entry.key) !== entry) return;
    this.entries.delete(entry.key);
    if (entry.pending) clearTimeout(entry.pending);
    entry.pending = null;
    void this.track(
      entry.row.then(async (id) => {
        if (id) await this.store.closeAttendance(id, closedBy, at);
      }).catch((error: unknown) => {
        this.log.error(`closing attendance of ${entry.userId} in ${entry.sessionId} failed: ${errorMessage(error)}`);
      }),
    );
  }

  private track<T>(promise: Promise<T>): Promise<T> {
    this.inflight.add(promise);
    void promise.finally(() => this.inflight.delete(promise));
    return promise;
  }
}

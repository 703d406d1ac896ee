/**
 * The live service's window on the database. Everything goes through the same domain
 * functions as the pages (app/domains/live/*.server.ts), so the page loader and the socket
 * apply one access rule.
 */
import type { RefusalReason } from "~/domains/live/access";
import {
  addChatMessage,
  banFromSession,
  checkAccess,
  closeAttendance,
  closeStaleAttendance,
  endOverSession,
  liveSessionsToEnd,
  markLiveSessionsEmpty,
  markSessionEmpty,
  markSessionEnded,
  markSessionLive,
  sessionEndGraceMs,
  openAttendance,
  processHeartbeat,
  recentChat,
  touchAttendance,
  unregisterProcess,
} from "~/domains/live/sessions.server";
import {
  createRecordingRow,
  failInterruptedRecordings,
  markRecordingFailed,
  markRecordingReady,
  recordingsDir,
} from "~/domains/live/recordings.server";
import { addLiveStats } from "~/domains/live/stats.server";
import os from "node:os";
import { randomUUID } from "node:crypto";
import { prisma } from "~/domains/db.server";
import { LiveError, type ChatMessageInfo, type PeerRole } from "./protocol.js";
import type { StatsDelta } from "./stats.js";

export interface AuthorizedSession {
  role: PeerRole;
  session: { id: string; title: string; hostId: string; capacity: number };
}

export interface LiveStore {
  /** Throws LiveError "forbidden" (message starts with the reason) or "not_found". */
  authorize(user: { id: string; role?: string }, sessionId: string): Promise<AuthorizedSession>;
  markLive(sessionId: string): Promise<void>;
  markEnded(sessionId: string): Promise<void>;
  /** The room closed empty at `at`. */
  markEmpty(sessionId: string, at: Date): Promise<void>;
  /** Live sessions over by the clock (scheduled end + grace) or empty for `emptyMs`. */
  sessionsToEnd(now: Date, emptyMs: number, openRooms: string[]): Promise<{ id: string; overdue: boolean }[]>;
  /** Ends a live session; closes its open attendance rows when asked. True if it was live. */
  endSession(sessionId: string, closeOpenAttendance: boolean): Promise<boolean>;
  /**
   * The log-in session behind a socket, checked again: the user's current name and role, or
   * null when the session is gone or expired (log-out, deleted account, ...).
   */
  checkLogin(sessionId: string, userId: string): Promise<{ name: string; role: string } | null>;
  ban(sessionId: string, userId: string): Promise<void>;
  recentChat(sessionId: string): Promise<ChatMessageInfo[]>;
  addChat(sessionId: string, userId: string, body: string): Promise<ChatMessageInfo>;
  openAttendance(sessionId: string, userId: string, at: Date): Promise<string>;
  closeAttendance(id: string, closedBy: string, at: Date): Promise<void>;
  touchAttendance(ids: string[], at: Date): Promise<void>;
  /** Session analytics: adds a batch of talk time, hands and quality samples (server/live/stats.ts). */
  addStats(rows: StatsDelta[]): Promise<void>;
  /** The record is still open (not closed by another process's recovery). */
  attendanceOpen(id: string): Promise<boolean>;
  createRecording(sessionId: string): Promise<{ id: string; startedAt: Date }>;
  recordingReady(id: string, storageKey: string, durationMs: number): Promise<void>;
  recordingFailed(id: string, error: string): Promise<void>;
  recordingsDir(): string;
  /**
   * Start-up: register this process, close attendance left open by dead processes, fail
   * their interrupted recordings, count live sessions nobody attends as empty from now.
   */
  recover(): Promise<{ attendance: number; recordings: number }>;
  /**
   * This process is alive; the records of processes dead for `staleMs` are closed. `revived`:
   * this process had been taken for dead (its heartbeat was late), its records were closed.
   */
  heartbeat(staleMs: number): Promise<{ attendance: number; recordings: number; revived: boolean }>;
  /** Graceful stop (after its records are closed). */
  unregister(): Promise<void>;
}

const REFUSAL_TEXT: Record<RefusalReason, string> = {
  not_found: "no such session",
  not_invited: "you are not invited to this session",
  removed: "you were removed from this session",
  cancelled: "this session was cancelled",
  ended: "this session has ended",
  too_early: "this session is not open yet",
};

/** This server process in the LiveProcess table: a random id per start. */
export interface ProcessIdentity {
  id: string;
  host: string;
  pid: number;
}

export function newProcessIdentity(): ProcessIdentity {
  return { id: randomUUID(), host: os.hostname().slice(0, 200), pid: process.pid };
}

export function createPrismaStore(opts: { process?: ProcessIdentity; staleMs?: number } = {}): LiveStore {
  const me = opts.process ?? newProcessIdentity();
  const staleMs = opts.staleMs ?? 30_000;
  let registered = false;
  const closeDead = async (stale: number) => {
    const attendance = await closeStaleAttendance({ staleMs: stale });
    const recordings = await failInterruptedRecordings({ staleMs: stale });
    return { attendance, recordings };
  };
  return {
    async authorize(user, sessionId) {
      const { decision, session } = await checkAccess({ id: user.id, role: user.role ?? "learner" }, sessionId);
      if (!decision.ok || !session) {
        const reason = decision.ok ? "not_found" : decision.reason;
        throw new LiveError(reason === "not_found" ? "not_found" : "forbidden", `${reason}: ${REFUSAL_TEXT[reason]}`);
      }
      return {
        role: decision.role,
        session: { id: session.id, title: session.title, hostId: session.hostId, capacity: session.capacity },
      };
    },
    markLive: markSessionLive,
    markEnded: markSessionEnded,
    markEmpty: markSessionEmpty,
    sessionsToEnd: (now, emptyMs, openRooms) => liveSessionsToEnd(now, sessionEndGraceMs(), emptyMs, openRooms),
    endSession: (sessionId, closeOpenAttendance) => endOverSession(sessionId, closeOpenAttendance),
    async checkLogin(sessionId, userId) {
      const row = await prisma.session.findUnique({
        where: { id: sessionId },
        select: { userId: true, expiresAt: true, user: { select: { name: true, role: true } } },
      });
      if (!row || row.userId !== userId || row.expiresAt.getTime() <= Date.now()) return null;
      return { name: row.user.name, role: row.user.role };
    },
    ban: banFromSession,
    recentChat: (sessionId) => recentChat(sessionId),
    addChat: addChatMessage,
    openAttendance: (sessionId, userId, at) => openAttendance(sessionId, userId, at, me.id),
    closeAttendance,
    touchAttendance,
    addStats: addLiveStats,
    attendanceOpen: async (id) => (await prisma.attendance.count({ where: { id, leftAt: null } })) > 0,
    createRecording: (sessionId) => createRecordingRow(sessionId, me.id),
    recordingReady: markRecordingReady,
    recordingFailed: markRecordingFailed,
    recordingsDir,
    async recover() {
      // Registered first: a process starting at the same time sees this one alive.
      await processHeartbeat(me);
      registered = true;
      const closed = await closeDead(staleMs);
      await markLiveSessionsEmpty();
      return closed;
    },
    async heartbeat(stale) {
      const revived = (await processHeartbeat(me)) && registered;
      registered = true;
      return { ...(await closeDead(stale)), revived };
    },
    unregister: () => unregisterProcess(me.id),
  };
}

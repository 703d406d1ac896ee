/**
 * Session recordings: rows in the Recording table, files on disk under RECORDINGS_DIR
 * (default .data/recordings). A row is "ready" only once its file is complete and ffprobe
 * read it; a failure leaves a "failed" row with the reason and no file.
 */
import fs from "node:fs";
import fsp from "node:fs/promises";
import path from "node:path";
import { prisma } from "~/domains/db.server";
import { liveProcessIds } from "./sessions.server";

export function recordingsDir(): string {
  return path.resolve(process.env.RECORDINGS_DIR ?? path.join(process.cwd(), ".data/recordings"));
}

const KEY_RE = /^[a-z0-9]{8,40}\/[a-z0-9-]{8,60}\.webm$/i;

/** Absolute path of a storage key, refusing anything that isn't one of ours. */
export function recordingPath(storageKey: string): string {
  if (!KEY_RE.test(storageKey)) throw new Error(`bad recording key ${storageKey}`);
  return path.join(recordingsDir(), storageKey);
}

export async function createRecordingRow(sessionId: string, processId: string | null = null) {
  const row = await prisma.recording.create({ data: { sessionId, processId }, select: { id: true, startedAt: true } });
  return row;
}

export async function markRecordingReady(id: string, storageKey: string, durationMs: number) {
  await prisma.recording.update({
    where: { id },
    data: { status: "ready", storageKey, durationMs: Math.round(durationMs), endedAt: new Date(), error: null },
  });
}

export async function markRecordingFailed(id: string, error: string) {
  await prisma.recording.update({
    where: { id },
    data: { status: "failed", storageKey: null, endedAt: new Date(), error: error.slice(0, 500) },
  });
}

/** At start-up: recordings cut off by a crash are failed, and their partial files removed. */
/**
 * Recordings whose process is gone (heartbeat older than `staleMs`, row deleted, or written
 * before processes had ids) failed; those of live processes, this one's included, go on.
 */
export async function failInterruptedRecordings(opts: { staleMs?: number } = {}): Promise<number> {
  const alive = await liveProcessIds(opts.staleMs ?? 30_000);
  const rows = await prisma.recording.findMany({
    where: { status: "recording", OR: [{ processId: null }, { processId: { notIn: alive } }] },
    select: { id: true, sessionId: true },
  });
  for (const row of rows) {
    await fsp.rm(path.join(recordingsDir(), row.sessionId, "tmp", row.id), { recursive: true, force: true }).catch(() => undefined);
    await markRecordingFailed(row.id, "the server stopped while recording");
  }
  return rows.length;
}

export async function getReadyRecording(sessionId: string, recordingId: string) {
  const row = await prisma.recording.findFirst({
    where: { id: recordingId, sessionId, status: "ready" },
    select: { id: true, storageKey: true, durationMs: true },
  });
  if (!row?.storageKey) return null;
  const file = recordingPath(row.storageKey);
  try {
    const stat = await fsp.stat(file);
    return { ...row, file, size: stat.size };
  } catch {
    return null;
  }
}

export function openRecordingStream(file: string, range?: { start: number; end: number }) {
  return fs.createReadStream(file, range);
}

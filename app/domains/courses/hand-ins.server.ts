// Hand-ins with several files (issue 11): resumable uploads (the tus endpoint in
// server/hand-in-uploads.ts calls these), the files of a submission, attempts, clean-up.
// Who may continue an upload is decided here, from the HandInUpload row, never from the client.
import fsp from "node:fs/promises";
import type { Prisma } from "@prisma/client";
import { fileTypeFromBuffer } from "file-type";
import { prisma } from "~/domains/db.server";
import { Limit } from "~/domains/auth/limits.server";
import { removeAssetIfUnused, storeUpload } from "./uploads.server";
import { HAND_IN_LIMITS, handInKind, type HandInFile, type HandInFileKind } from "./hand-in-rules";

export type HandInErrorCode =
  | "attempts_used"
  | "too_large"
  | "bad_type"
  | "too_many_files"
  | "too_many_pending"
  | "pending_bytes"
  | "bad_upload"
  | "no_length"
  | "not_a_task"
  | "empty";

const STATUS: Record<HandInErrorCode, number> = {
  attempts_used: 409,
  too_large: 413,
  bad_type: 415,
  too_many_files: 413,
  too_many_pending: 429,
  pending_bytes: 413,
  bad_upload: 400,
  no_length: 400,
  not_a_task: 404,
  empty: 400,
};

/** A hand-in or upload refused; `code` names the translation key `errors.handIn_<code>`. */
export class HandInError extends Error {
  readonly status: number;
  constructor(
    readonly code: HandInErrorCode,
    message: string,
    readonly params: Record<string, string | number> = {},
  ) {
    super(message);
    this.status = STATUS[code];
  }
}

const MB = 1024 * 1024;

/** Every request to the upload endpoint, per user: resumes and retries included. */
export const handInRequestLimiter = new Limit("hand_in_requests", 1200, 10 * 60);
/** New uploads per user and hour. */
export const handInCreateLimiter = new Limit("hand_in_create", 120, 60 * 60);

/** One transaction at a time per learner and task (attempt counting, pending uploads). */
export async function lockLearnerTask(tx: Prisma.TransactionClient, userId: string, lessonId: string) {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`hand-in:${userId}:${lessonId}`}))`;
}

async function lockUser(tx: Prisma.TransactionClient, userId: string) {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`hand-in-user:${userId}`}))`;
}

/** Attempts left for this learner on this task: null = unlimited (no marking scheme). */
export async function attemptsOf(db: Prisma.TransactionClient, userId: string, lessonId: string) {
  const [scheme, used] = await Promise.all([
    db.markingScheme.findUnique({ where: { lessonId }, select: { attemptsAllowed: true } }),
    db.taskSubmission.count({ where: { userId, lessonId, competitionId: null } }),
  ]);
  return { allowed: scheme ? scheme.attemptsAllowed : null, used };
}

export function assertAttemptLeft(a: { allowed: number | null; used: number }) {
  if (a.allowed !== null && a.used >= a.allowed) {
    throw new HandInError("attempts_used", `all ${a.allowed} attempts allowed for this task are used`, { allowed: a.allowed });
  }
}

function assertSize(kind: HandInFileKind, size: number) {
  const max = HAND_IN_LIMITS.maxBytes[kind];
  if (size > max) throw new HandInError("too_large", `a ${kind} may be at most ${max / MB} MB`, { kind, max: max / MB });
}

/**
 * A new resumable upload by `userId` for the task `lessonId` (the caller checked that the
 * user may hand in there): size by declared type, pending uploads and bytes per user,
 * attempts left. Records the upload (its owner) in the same transaction.
 */
export async function createHandInUpload(userId: string, upload: { id: string; size: number | undefined; lessonId: string; filename: string; filetype: string }) {
  const size = upload.size;
  if (size === undefined || !Number.isSafeInteger(size)) throw new HandInError("no_length", "Upload-Length is required");
  if (size <= 0) throw new HandInError("empty", "the file is empty");
  const kind = handInKind(upload.filetype) ?? "file";
  assertSize(kind, size);
  await prisma.$transaction(async (tx) => {
    await lockUser(tx, userId);
    assertAttemptLeft(await attemptsOf(tx, userId, upload.lessonId));
    const pending = await tx.handInUpload.aggregate({ where: { userId }, _count: true, _sum: { sizeBytes: true } });
    if (pending._count >= HAND_IN_LIMITS.pendingUploads) {
      throw new HandInError("too_many_pending", `at most ${HAND_IN_LIMITS.pendingUploads} uploads may wait to be handed in`);
    }
    if (Number(pending._sum.sizeBytes ?? 0) + size > HAND_IN_LIMITS.pendingBytes) {
      throw new HandInError("pending_bytes", `at most ${HAND_IN_LIMITS.pendingBytes / MB} MB may wait to be handed in`);
    }
    await tx.handInUpload.create({ data: { id: upload.id, userId, lessonId: upload.lessonId, filename: upload.filename.slice(0, 200) || "upload", sizeBytes: BigInt(size) } });
  });
}

/** The upload `id` if `userId` started it; null for anyone else (the endpoint answers 404). */
export async function handInUploadOf(userId: string, id: string) {
  const row = await prisma.handInUpload.findUnique({ where: { id } });
  return row && row.userId === userId ? row : null;
}

/**
 * The last byte of upload `id` arrived (its bytes are in `file`): check the content (magic
 * bytes; an executable with a photo's name is refused) and the size for what it really is,
 * then store it as an Asset. On refusal the bytes and the row are gone.
 */
export async function finishHandInUpload(id: string, file: string) {
  const row = await prisma.handInUpload.findUniqueOrThrow({ where: { id } });
  try {
    const handle = await fsp.open(file, "r");
    let head: Buffer;
    let size: number;
    try {
      const buf = Buffer.alloc(4100);
      const { bytesRead } = await handle.read(buf, 0, buf.length, 0);
      head = buf.subarray(0, bytesRead);
      size = (await handle.stat()).size;
    } finally {
      await handle.close();
    }
    const detected = await fileTypeFromBuffer(head);
    const kind = detected ? handInKind(detected.mime) : null;
    if (!detected || !kind) throw new HandInError("bad_type", detected ? `type ${detected.mime} is not accepted for hand-ins` : "unrecognised file type");
    assertSize(kind, size);
    const asset = await storeUpload(row.userId, "submission", { tempFile: file, originalName: row.filename, mimeType: detected.mime, extension: `.${detected.ext}`, sizeBytes: size });
    await prisma.handInUpload.update({ where: { id }, data: { assetId: asset.id, completedAt: new Date() } });
    return { asset, kind };
  } catch (err) {
    await fsp.rm(file, { force: true });
    await prisma.handInUpload.deleteMany({ where: { id } });
    throw err;
  }
}

/** Removes the record of an upload (its bytes are the endpoint's to remove). */
export async function forgetHandInUpload(id: string) {
  const row = await prisma.handInUpload.findUnique({ where: { id }, select: { assetId: true } });
  if (!row) return;
  await prisma.handInUpload.delete({ where: { id } });
  if (row.assetId) await removeAssetIfUnused(row.assetId);
}

/**
 * Clean-up (at start and every few minutes): unfinished uploads older than
 * HAND_IN_LIMITS.expireAfterMs lose their bytes (`removeBytes`) and row; finished uploads
 * never handed in are removed after keepUnusedMs. Returns how many went.
 */
export async function sweepHandInUploads(removeBytes: (id: string) => Promise<void>, now = new Date()) {
  const expired = await prisma.handInUpload.findMany({
    where: {
      OR: [
        { completedAt: null, createdAt: { lt: new Date(now.getTime() - HAND_IN_LIMITS.expireAfterMs) } },
        { completedAt: { not: null }, createdAt: { lt: new Date(now.getTime() - HAND_IN_LIMITS.keepUnusedMs) } },
      ],
    },
    select: { id: true, completedAt: true },
    take: 500,
  });
  for (const row of expired) {
    if (!row.completedAt) await removeBytes(row.id).catch(() => undefined);
    await forgetHandInUpload(row.id);
  }
  return expired.length;
}

/** The finished uploads `ids` of this learner for this task, in the given order; refuses any other. */
export async function claimUploads(tx: Prisma.TransactionClient, userId: string, lessonId: string, ids: string[]) {
  if (new Set(ids).size !== ids.length) throw new HandInError("bad_upload", "an upload is listed twice");
  if (ids.length === 0) return [];
  const rows = await tx.handInUpload.findMany({
    where: { id: { in: ids }, userId, lessonId, completedAt: { not: null }, assetId: { not: null } },
    select: { id: true, asset: { select: { id: true, mimeType: true } } },
  });
  if (rows.length !== ids.length) throw new HandInError("bad_upload", "an upload is unknown, not yours, for another task or not finished");
  await tx.handInUpload.deleteMany({ where: { id: { in: ids } } });
  return ids.map((id) => rows.find((r) => r.id === id)!.asset!);
}

/** What a submission's files look like on any page: `files` in order, or the one file of an older hand-in. */
export const submissionFilesSelect = {
  asset: { select: { id: true, originalName: true, mimeType: true } },
  files: { orderBy: { position: "asc" }, select: { kind: true, asset: { select: { id: true, originalName: true, mimeType: true } } } },
} satisfies Prisma.TaskSubmissionSelect;

export function filesOfSubmission(sub: Prisma.TaskSubmissionGetPayload<{ select: typeof submissionFilesSelect }>): HandInFile[] {
  if (sub.files.length) return sub.files.map((f) => ({ id: f.asset.id, name: f.asset.originalName, kind: f.kind, mimeType: f.asset.mimeType }));
  if (!sub.asset) return [];
  return [{ id: sub.asset.id, name: sub.asset.originalName, kind: handInKind(sub.asset.mimeType) ?? "file", mimeType: sub.asset.mimeType }];
}

/** The kind of a stored file for SubmissionFile, from its detected type. */
export function kindOfAsset(mimeType: string): HandInFileKind {
  return handInKind(mimeType) ?? "file";
}

/** A file sent through the form without JavaScript: the same per-kind size limit. */
export function assertHandInFileSize(mimeType: string, size: number) {
  assertSize(kindOfAsset(mimeType), size);
}

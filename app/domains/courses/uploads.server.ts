// Uploads stream to a temporary file (never whole in memory), are checked by their content
// (magic bytes, and ffprobe for videos), and either become an Asset or leave nothing behind.
import fs from "node:fs";
import fsp from "node:fs/promises";
import { once } from "node:events";
import { Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import { spawn } from "node:child_process";
import { redirect, unstable_parseMultipartFormData } from "@remix-run/node";
import { fileTypeFromBuffer } from "file-type";
import { storage } from "./storage.server";
import { prisma } from "~/domains/db.server";
import { uploadsReceived } from "~/domains/metrics.server";
import { HAND_IN_LIMITS, HAND_IN_TYPES } from "./hand-in-rules";

export type UploadKind = "video" | "material" | "cover" | "submission" | "image" | "document";

interface Rule {
  maxBytes: number;
  mimes: string[];
  /** Plain-text formats have no magic bytes: allowed by extension when nothing else matched. */
  textExtensions?: string[];
}

const MB = 1024 * 1024;
export const UPLOAD_RULES: Record<UploadKind, Rule> = {
  video: { maxBytes: 500 * MB, mimes: ["video/mp4", "video/webm", "video/quicktime", "video/x-matroska"] },
  material: {
    maxBytes: 50 * MB,
    mimes: [
      "application/pdf",
      "image/png",
      "image/jpeg",
      "image/webp",
      "application/zip",
      "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
      "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
      "application/vnd.openxmlformats-officedocument.presentationml.presentation",
      "application/x-cfb", // legacy Office
      "image/vnd.dwg",
      "application/x-dxf",
      "image/svg+xml",
    ],
    textExtensions: [".txt", ".csv", ".dxf", ".gcode", ".nc", ".md"],
  },
  cover: { maxBytes: 5 * MB, mimes: ["image/png", "image/jpeg", "image/webp"] },
  // An image shown inside a lesson's text (by magic bytes; no SVG: it could carry script).
  image: { maxBytes: 5 * MB, mimes: ["image/png", "image/jpeg", "image/webp", "image/gif"] },
  // An organisation's licence scan (/schools/apply), an expert's certificate scans (/experts/apply):
  // PDF or a photo; only the applicant and platform admins read it.
  document: { maxBytes: 10 * MB, mimes: ["application/pdf", "image/png", "image/jpeg", "image/webp"] },
  // A task hand-in (photos, videos, files; sizes per kind in hand-in-rules.ts).
  submission: { maxBytes: HAND_IN_LIMITS.maxBytes.video, mimes: Object.values(HAND_IN_TYPES).flat() },
};

export type UploadErrorCode =
  | "too_large"
  | "too_many_fields"
  | "bad_type"
  | "bad_form"
  | "empty"
  | "aborted"
  | "unplayable"
  | "disk_full";

/** An upload refused or failed; `status` is the HTTP status to answer with. */
export class UploadError extends Error {
  constructor(
    public readonly code: UploadErrorCode,
    message: string,
  ) {
    super(message);
  }

  /** The text fields read before the refusal (parseUploadFiles), to give back what was typed. */
  fieldsSoFar: FormData | null = null;

  get status() {
    if (this.code === "too_large" || this.code === "too_many_fields") return 413;
    if (this.code === "disk_full") return 507;
    return 400;
  }
}

export interface ReceivedFile {
  tempFile: string;
  originalName: string;
  mimeType: string;
  extension: string;
  sizeBytes: number;
}

function extensionOf(name: string) {
  const m = /\.[a-z0-9]{1,8}$/i.exec(name);
  return m ? m[0].toLowerCase() : "";
}

function isDiskFull(err: unknown) {
  const code = (err as NodeJS.ErrnoException | null)?.code;
  return code === "ENOSPC" || code === "EDQUOT" || code === "EFBIG";
}

/**
 * Writes one uploaded file part to a temporary file while counting bytes; sniffs the type
 * from the first bytes. Any failure (limit, type, client abort, full disk) removes the
 * temporary file. The byte counter, the source and the file stream are joined by
 * pipeline(), so an error on any of them (the limit tripping while a write is in flight,
 * ENOSPC) destroys all of them and arrives here as a rejection, never as an unhandled
 * 'error' event.
 */
export async function receiveUpload(
  kind: UploadKind,
  filename: string,
  data: AsyncIterable<Uint8Array>,
): Promise<ReceivedFile> {
  const rule = UPLOAD_RULES[kind];
  const tempFile = await storage.tempPath();
  let size = 0;
  let head = Buffer.alloc(0);
  const meter = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      size += chunk.byteLength;
      if (size > rule.maxBytes) {
        callback(new UploadError("too_large", `the file is larger than ${Math.round(rule.maxBytes / MB)} MB`));
        return;
      }
      if (head.length < 4100) head = Buffer.concat([head, chunk.subarray(0, 4100 - head.length)]);
      callback(null, chunk);
    },
  });
  const out = fs.createWriteStream(tempFile, { flags: "wx", mode: 0o600 });
  try {
    await pipeline(data, meter, out);
    if (size === 0) throw new UploadError("empty", "the file is empty");
    const detected = await fileTypeFromBuffer(head);
    const ext = extensionOf(filename);
    let mimeType: string;
    let extension: string;
    if (detected && rule.mimes.includes(detected.mime)) {
      mimeType = detected.mime;
      extension = `.${detected.ext}`;
    } else if (!detected && rule.textExtensions?.includes(ext) && looksLikeText(head)) {
      mimeType = ext === ".csv" ? "text/csv" : "text/plain";
      extension = ext;
    } else if (!detected && ext === ".svg" && rule.mimes.includes("image/svg+xml") && /<svg[\s>]/i.test(head.toString("utf8"))) {
      mimeType = "image/svg+xml";
      extension = ".svg";
    } else {
      throw new UploadError("bad_type", detected ? `type ${detected.mime} is not accepted here` : "unrecognised file type");
    }
    return { tempFile, originalName: filename.slice(0, 200) || `upload${extension}`, mimeType, extension, sizeBytes: size };
  } catch (err) {
    // The file descriptor must be closed before the file is removed (and before an open
    // that is still pending could recreate it).
    if (!out.closed) {
      out.destroy();
      await once(out, "close").catch(() => undefined);
    }
    await fsp.rm(tempFile, { force: true });
    if (err instanceof UploadError) throw err;
    if (isDiskFull(err)) throw new UploadError("disk_full", "the server has no room for this file right now");
    throw new UploadError("aborted", "the upload did not complete");
  }
}

function looksLikeText(head: Buffer) {
  return !head.includes(0);
}

const FFPROBE = () => process.env.FFPROBE_BIN ?? "ffprobe";
const PROBE_TIMEOUT_MS = () => Number(process.env.FFPROBE_TIMEOUT_MS ?? 20_000);

/**
 * Seconds of playable video, from ffprobe (FFPROBE_BIN); null when ffprobe cannot read a
 * video stream. ffprobe is killed after FFPROBE_TIMEOUT_MS (a hostile file must not hold
 * a request forever); a missing or hung ffprobe is an error that says so.
 */
export function probeVideoSeconds(file: string): Promise<number | null> {
  return new Promise((resolve, reject) => {
    const child = spawn(FFPROBE(), ["-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0", file], {
      stdio: ["ignore", "pipe", "ignore"],
      // Its own process group, so a timeout kills whatever it started too.
      detached: true,
    });
    let out = "";
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        process.kill(-child.pid!, "SIGKILL");
      } catch {
        child.kill("SIGKILL");
      }
      child.stdout.destroy();
      reject(new UploadError("unplayable", `ffprobe did not finish within ${PROBE_TIMEOUT_MS()} ms`));
    }, PROBE_TIMEOUT_MS());
    child.stdout.on("data", (d) => {
      if (out.length < 1000) out += d;
    });
    child.stdout.on("error", () => undefined);
    child.on("error", (err) => {
      clearTimeout(timer);
      reject(new Error(`ffprobe could not run (${FFPROBE()}: ${(err as NodeJS.ErrnoException).code ?? err.message}); install ffmpeg or set FFPROBE_BIN`));
    });
    child.on("close", (code) => {
      clearTimeout(timer);
      if (timedOut) return;
      const seconds = Number.parseFloat(out.trim());
      resolve(code === 0 && Number.isFinite(seconds) && seconds > 0 ? Math.round(seconds) : null);
    });
  });
}

/** Moves a received file into storage and records it; the temporary file is gone either way. */
export async function storeUpload(
  ownerId: string,
  kind: UploadKind,
  file: ReceivedFile,
  opts: { imageOfCourseId?: string; imageOfArticleId?: string; documentOfApplicationId?: string } = {},
) {
  try {
    let durationSeconds: number | null = null;
    if (file.mimeType.startsWith("video/")) {
      durationSeconds = await probeVideoSeconds(file.tempFile);
      if (kind === "video" && durationSeconds === null) throw new UploadError("unplayable", "the video cannot be played");
    }
    const storageKey = await storage.commit(file.tempFile, file.extension);
    try {
      return await prisma.asset.create({
        data: {
          ownerId,
          storageKey,
          originalName: file.originalName,
          mimeType: file.mimeType,
          sizeBytes: BigInt(file.sizeBytes),
          durationSeconds,
          imageOfCourseId: opts.imageOfCourseId ?? null,
          imageOfArticleId: opts.imageOfArticleId ?? null,
          documentOfApplicationId: opts.documentOfApplicationId ?? null,
        },
      });
    } catch (err) {
      await storage.remove(storageKey);
      throw err;
    }
  } finally {
    await fsp.rm(file.tempFile, { force: true });
  }
}

const MAX_TEXT_FIELD_BYTES = 20_000;
const MAX_TEXT_BYTES = 100_000;
/** Parts in one form: our forms have a file and a few fields. */
const MAX_PARTS = 20;
/** Multipart framing and text fields on top of the file itself. */
const FORM_OVERHEAD_BYTES = MAX_TEXT_BYTES + 64 * 1024;

/**
 * Parses a multipart form whose part named `file` streams to disk through receiveUpload;
 * text fields are read (up to 20 KB each, 100 KB together, 20 parts). Refused before any
 * parsing: another content type, or a declared Content-Length over the file's limit plus
 * the form's overhead. Failures are UploadErrors (see `status`); nothing is left on disk
 * when one is thrown.
 */
export async function parseUploadForm(request: Request, kind: UploadKind): Promise<{ fields: FormData; file: ReceivedFile | null }> {
  const { fields, files } = await parseUploadFiles(request, kind, 1);
  return { fields, file: files[0] ?? null };
}

/**
 * Like parseUploadForm, with up to `maxFiles` parts named `file` (each within the kind's
 * limit). A refused upload carries the text fields read before it in `err.fieldsSoFar`
 * (forms put their file inputs last), so the page can give back what was typed.
 */
export async function parseUploadFiles(request: Request, kind: UploadKind, maxFiles: number): Promise<{ fields: FormData; files: ReceivedFile[] }> {
  const contentType = request.headers.get("Content-Type") ?? "";
  if (!/^multipart\/form-data;.*\bboundary=/i.test(contentType)) {
    throw new UploadError("bad_form", "expected a multipart/form-data body");
  }
  const declared = Number(request.headers.get("Content-Length") ?? NaN);
  if (Number.isFinite(declared) && declared > UPLOAD_RULES[kind].maxBytes * maxFiles + FORM_OVERHEAD_BYTES) {
    throw new UploadError("too_large", `the file is larger than ${Math.round(UPLOAD_RULES[kind].maxBytes / MB)} MB`);
  }
  const files: ReceivedFile[] = [];
  const seen = new FormData();
  let parts = 0;
  let textBytes = 0;
  try {
    const fields = await unstable_parseMultipartFormData(request, async ({ name, filename, data }) => {
      if (++parts > MAX_PARTS) throw new UploadError("too_many_fields", `a form may have at most ${MAX_PARTS} fields`);
      if (filename) {
        if (name === "file" && files.length < maxFiles) {
          files.push(await receiveUpload(kind, filename, data));
          return filename;
        }
        throw new UploadError("bad_form", maxFiles === 1 ? "only one file may be sent, in the field named file" : `at most ${maxFiles} files may be sent, in fields named file`);
      }
      const chunks: Uint8Array[] = [];
      let size = 0;
      for await (const chunk of data) {
        size += chunk.byteLength;
        textBytes += chunk.byteLength;
        if (size > MAX_TEXT_FIELD_BYTES) throw new UploadError("too_large", "a form field is too large");
        if (textBytes > MAX_TEXT_BYTES) throw new UploadError("too_large", "the form's fields are too large together");
        chunks.push(chunk);
      }
      const text = Buffer.concat(chunks).toString("utf8");
      seen.append(name, text);
      return text;
    });
    for (let i = 0; i < files.length; i++) uploadsReceived.inc({ kind });
    return { fields, files };
  } catch (err) {
    for (const f of files) await discardUpload(f);
    const refusal = err instanceof UploadError ? err : new UploadError(request.signal.aborted ? "aborted" : "bad_form", "the form could not be read (malformed or incomplete)");
    refusal.fieldsSoFar = seen;
    throw refusal;
  }
}

/** The response for a failed upload: JSON `{ error: code, message }` with the error's status. */
export function uploadErrorResponse(err: UploadError) {
  // Over-limit bodies: do not read the rest of what the client is still sending.
  const headers = err.status === 413 ? { Connection: "close" } : undefined;
  return Response.json({ error: err.code, message: err.message }, { status: err.status, headers });
}

/** Removes a received file that will not be stored (e.g. the rest of its form was invalid). */
export async function discardUpload(file: ReceivedFile | null) {
  if (file) await fsp.rm(file.tempFile, { force: true });
}

/** A lesson's video or material is now `assetId`; the file it replaces goes when nothing else uses it. */
export async function setLessonAsset(lesson: { id: string; assetId: string | null }, assetId: string) {
  await prisma.lesson.update({ where: { id: lesson.id }, data: { assetId } });
  if (lesson.assetId && lesson.assetId !== assetId) await removeAssetIfUnused(lesson.assetId);
}

export async function setCourseCover(courseId: string, assetId: string) {
  await prisma.course.update({ where: { id: courseId }, data: { coverAssetId: assetId } });
}

/** Removes assets stored for something that was then refused (their rows and files). */
export async function removeStoredAssets(assetIds: string[]) {
  if (!assetIds.length) return;
  const rows = await prisma.asset.findMany({ where: { id: { in: assetIds } }, select: { storageKey: true } });
  await prisma.asset.deleteMany({ where: { id: { in: assetIds } } });
  for (const r of rows) await storage.remove(r.storageKey);
}

export async function removeAssetIfUnused(assetId: string) {
  const asset = await prisma.asset.findUnique({
    where: { id: assetId },
    select: { storageKey: true, _count: { select: { lessons: true, coverOf: true, submissions: true, submissionFiles: true, competitionFiles: true } } },
  });
  if (!asset || asset._count.lessons + asset._count.coverOf + asset._count.submissions + asset._count.submissionFiles + asset._count.competitionFiles > 0) return;
  await prisma.asset.delete({ where: { id: assetId } });
  await storage.remove(asset.storageKey);
}

/**
 * The one-file upload resource routes (a cover, a lesson image): receive, check and store the
 * file, let `attach` use the asset, then answer JSON to the upload script (X-Upload: xhr) or
 * redirect back to `back` without JavaScript, with ?uploaded=1 or ?uploadError=<code>.
 */
export async function singleUploadResponse(
  request: Request,
  opts: {
    kind: UploadKind;
    ownerId: string;
    back: string;
    store?: { imageOfCourseId?: string; imageOfArticleId?: string };
    attach?: (asset: { id: string; originalName: string }) => Promise<Record<string, unknown> | void>;
  },
) {
  const wantsJson = request.headers.get("X-Upload") === "xhr";
  const fail = (err: UploadError | "missing") => {
    const code = err === "missing" ? err : err.code;
    if (!wantsJson) return redirect(`${opts.back}?uploadError=${code}`);
    return err === "missing" ? Response.json({ error: code }, { status: 400 }) : uploadErrorResponse(err);
  };
  let file: ReceivedFile | null;
  try {
    ({ file } = await parseUploadForm(request, opts.kind));
  } catch (err) {
    if (err instanceof UploadError) return fail(err);
    throw err;
  }
  if (!file) return fail("missing");
  let asset;
  try {
    asset = await storeUpload(opts.ownerId, opts.kind, file, opts.store);
  } catch (err) {
    await discardUpload(file);
    if (err instanceof UploadError) return fail(err);
    throw err;
  }
  const extra = (await opts.attach?.(asset)) ?? {};
  return wantsJson ? Response.json({ asset: { id: asset.id }, ...extra }) : redirect(`${opts.back}?uploaded=1`);
}

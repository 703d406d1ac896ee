// Uploads stream to a temporary file (never whole in memory), are checked by their content
// (magic bytes, and ffprobe for videos), and either become an Asset or leave nothing behind.
import fs from "node:fs";
import fsp from "node:fs/promises";
import { spawn } from "node:child_process";
import { unstable_parseMultipartFormData } from "@remix-run/node";
import { fileTypeFromBuffer } from "file-type";
import { storage } from "./storage.server";
import { prisma } from "~/domains/db.server";
import { uploadsReceived } from "~/domains/metrics.server";

export type UploadKind = "video" | "material" | "cover" | "submission";

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
  submission: {
    maxBytes: 200 * MB,
    mimes: ["image/png", "image/jpeg", "image/webp", "video/mp4", "video/webm", "video/quicktime", "application/pdf", "application/zip"],
  },
};

export class UploadError extends Error {
  constructor(
    public readonly code: "too_large" | "bad_type" | "empty" | "aborted" | "unplayable",
    message: string,
  ) {
    super(message);
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

/**
 * Writes one uploaded file part to a temporary file while counting bytes; sniffs the type
 * from the first bytes. Any failure (limit, type, client abort) removes the temporary file.
 */
export async function receiveUpload(
  kind: UploadKind,
  filename: string,
  data: AsyncIterable<Uint8Array>,
): Promise<ReceivedFile> {
  const rule = UPLOAD_RULES[kind];
  const tempFile = await storage.tempPath();
  const out = fs.createWriteStream(tempFile);
  let size = 0;
  let head = Buffer.alloc(0);
  try {
    for await (const chunk of data) {
      size += chunk.byteLength;
      if (size > rule.maxBytes) {
        throw new UploadError("too_large", `larger than ${Math.round(rule.maxBytes / MB)} MB`);
      }
      if (head.length < 4100) head = Buffer.concat([head, Buffer.from(chunk.subarray(0, 4100 - head.length))]);
      if (!out.write(chunk)) await new Promise<void>((resolve) => out.once("drain", () => resolve()));
    }
    await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
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
    out.destroy();
    await fsp.rm(tempFile, { force: true });
    if (err instanceof UploadError) throw err;
    throw new UploadError("aborted", "the upload did not complete");
  }
}

function looksLikeText(head: Buffer) {
  return !head.includes(0);
}

/** Seconds of playable video, from ffprobe; null when ffprobe cannot read a video stream. */
export function probeVideoSeconds(file: string): Promise<number | null> {
  return new Promise((resolve) => {
    const child = spawn("ffprobe", ["-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0", file]);
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    child.on("error", () => resolve(null));
    child.on("close", (code) => {
      const seconds = Number.parseFloat(out.trim());
      resolve(code === 0 && Number.isFinite(seconds) && seconds > 0 ? Math.round(seconds) : null);
    });
  });
}

/** Moves a received file into storage and records it; the temporary file is gone either way. */
export async function storeUpload(ownerId: string, kind: UploadKind, file: ReceivedFile) {
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

/**
 * Parses a multipart form whose part named `file` streams to disk through receiveUpload;
 * other file parts are drained and ignored, text fields are read (up to 20 KB each).
 * Failures are UploadErrors; nothing is left on disk when one is thrown.
 */
export async function parseUploadForm(request: Request, kind: UploadKind): Promise<{ fields: FormData; file: ReceivedFile | null }> {
  let file: ReceivedFile | null = null;
  try {
    const fields = await unstable_parseMultipartFormData(request, async ({ name, filename, data }) => {
      if (filename) {
        if (name === "file" && !file) {
          file = await receiveUpload(kind, filename, data);
          return filename;
        }
        for await (const chunk of data) void chunk;
        return null;
      }
      const chunks: Uint8Array[] = [];
      let size = 0;
      for await (const chunk of data) {
        size += chunk.byteLength;
        if (size > MAX_TEXT_FIELD_BYTES) throw new UploadError("too_large", "form field too large");
        chunks.push(chunk);
      }
      return Buffer.concat(chunks).toString("utf8");
    });
    if (file) uploadsReceived.inc({ kind });
    return { fields, file };
  } catch (err) {
    await discardUpload(file);
    throw err instanceof UploadError ? err : new UploadError("aborted", "the upload did not complete");
  }
}

/** Removes a received file that will not be stored (e.g. the rest of its form was invalid). */
export async function discardUpload(file: ReceivedFile | null) {
  if (file) await fsp.rm(file.tempFile, { force: true });
}

// Request body limits, applied before anything parses a body (Remix reads the raw stream).
// Ordinary forms are small; a few routes take more (the lesson editor's Markdown, the CSV
// import's sealed file), and only the upload routes take multipart bodies. A body over its
// limit is refused with 413 from its Content-Length, or — when it has none (chunked) — as
// soon as the bytes counted pass the limit, so memory stays flat whatever a client sends.
import { Readable } from "node:stream";
import type { Request, RequestHandler, Response } from "express";

const KB = 1024;
const MB = 1024 * 1024;

/** Ordinary forms: log-in, sign-up, course edits, chat-size fields. */
export const DEFAULT_BODY_LIMIT = 64 * KB;

interface Rule {
  /** Path pattern: `:x` matches one segment. */
  path: string;
  /** Largest urlencoded/other non-multipart body. */
  form?: number;
  /** Largest multipart body; none means multipart is refused. */
  multipart?: number;
}

// Multipart limits are the largest file of the route plus room for its other fields; the
// per-file limits themselves are enforced while parsing (parseUploadForm, the CSV import).
export const BODY_RULES: Rule[] = [
  // Lesson editor: up to 100,000 characters of Markdown + a 5,000-character hand-in brief;
  // CJK text is 9 bytes a character once percent-encoded.
  { path: "/teach/courses/:courseId/lessons/:lessonId", form: 1 * MB },
  { path: "/teach/courses/:courseId/lessons/:lessonId/upload", multipart: 500 * MB + 1 * MB },
  { path: "/teach/courses/:courseId/cover", multipart: 5 * MB + 1 * MB },
  { path: "/teach/courses/:courseId/lessons/:lessonId/image", multipart: 5 * MB + 1 * MB },
  // Articles (issue 10): two languages of Markdown up to 50,000 characters each; a cover image.
  { path: "/admin/content/new", form: 1 * MB },
  { path: "/admin/content/:id", form: 1 * MB },
  { path: "/admin/content/:id/image", multipart: 5 * MB + 1 * MB },
  // Images for an article's body (decision 029), checked like lesson images.
  { path: "/admin/content/:id/body-image", multipart: 5 * MB + 1 * MB },
  // Task hand-ins: a file of up to 200 MB, or text only (10,000 characters).
  { path: "/courses/:slug/lessons/:lessonId", form: 128 * KB, multipart: 200 * MB + 1 * MB },
  // Learner pickers post one `userId=<cuid>` (~33 bytes) per ticked learner: room for thousands.
  { path: "/school/cohorts/:cohortId", form: 512 * KB },
  { path: "/schedule/cohort", form: 512 * KB },
  // CSV import: step 1 uploads the file (≤ 2 MB), step 2 posts it back sealed (base64).
  { path: "/school/import", form: 4 * MB, multipart: 2 * MB + 1 * MB },
  // Organisation applications (decision 021): the form and an optional licence scan (≤ 10 MB).
  { path: "/schools/apply", multipart: 10 * MB + 1 * MB },
  // Expert applications (decision 029): the form and 1–5 certificate scans of up to 10 MB each.
  { path: "/experts/apply", multipart: 5 * 10 * MB + 1 * MB },
  // Regions: a county list CSV (≤ 2 MB), then posted back sealed for the confirmation.
  { path: "/admin/regions", form: 4 * MB, multipart: 2 * MB + 1 * MB },
  // Marking scheme: XLSX import (≤ 2 MB) and the editor's small forms.
  { path: "/teach/courses/:courseId/lessons/:lessonId/scheme", multipart: 2 * MB + 1 * MB },
  // Mock competitions: the creation form (a 20,000-character description, up to 500 e-mails);
  // a competitor's hand-in (≤ 200 MB, as for tasks) or a test-project file (≤ 50 MB).
  { path: "/competitions/new", form: 512 * KB },
  { path: "/competitions/:competitionId", form: 64 * KB, multipart: 200 * MB + 1 * MB },
];

function ruleFor(path: string): Rule | undefined {
  let p = path;
  if (p.endsWith(".data")) p = p.slice(0, -".data".length);
  const parts = p.split("/").filter(Boolean);
  return BODY_RULES.find((rule) => {
    const segs = rule.path.split("/").filter(Boolean);
    return segs.length === parts.length && segs.every((s, i) => s.startsWith(":") || s === parts[i]);
  });
}

function refuse(res: Response, status: 413 | 415, message: string) {
  // The rest of the body is not read: close the connection after the answer.
  res.setHeader("Connection", "close");
  res.status(status).type("text/plain").send(message);
}

/**
 * Wraps the handler that reads bodies (Remix). A chunked body is buffered up to its limit
 * (at most a few MB) and handed on as a fresh stream; a body with a Content-Length is
 * handed on untouched (Node never delivers more than the declared length).
 */
export function withBodyLimits(handler: RequestHandler): RequestHandler {
  return (req, res, next) => {
    const rule = ruleFor(req.path);
    const type = (req.headers["content-type"] ?? "").toLowerCase();
    const multipart = type.startsWith("multipart/");
    const declared = req.headers["content-length"];
    const length = declared === undefined ? undefined : Number(declared);
    const chunked = length === undefined && /chunked/i.test(String(req.headers["transfer-encoding"] ?? ""));
    if (length === 0 || (length === undefined && !chunked)) return handler(req, res, next);
    if (req.method === "GET" || req.method === "HEAD") {
      // Nothing reads them; refuse rather than receive a large one.
      if (chunked || (length ?? 0) > DEFAULT_BODY_LIMIT) return refuse(res, 413, "Request body too large");
      return handler(req, res, next);
    }
    let limit: number;
    if (multipart) {
      if (!rule?.multipart) return refuse(res, 415, "File uploads are accepted only by upload forms");
      limit = rule.multipart;
    } else {
      limit = rule?.form ?? DEFAULT_BODY_LIMIT;
    }
    const tooLarge = `Request body too large (limit ${limit >= MB ? `${Math.round(limit / MB)} MB` : `${Math.round(limit / KB)} KB`})`;
    if (length !== undefined) {
      if (!Number.isSafeInteger(length) || length < 0) return refuse(res, 413, "Bad Content-Length");
      if (length > limit) return refuse(res, 413, tooLarge);
      return handler(req, res, next);
    }
    if (multipart) {
      // Streamed on to the parser (files are large): count, and cut the request off past the limit.
      let received = 0;
      req.pause();
      const count = (chunk: Buffer) => {
        received += chunk.length;
        if (received > limit) {
          req.off("data", count);
          req.unpipe();
          req.destroy(new Error(tooLarge));
        }
      };
      req.on("data", count);
      return handler(req, res, next);
    }
    bufferUpTo(req, limit).then(
      (body) => {
        if (body === null) return refuse(res, 413, tooLarge);
        handler(withBody(req, body), res, next);
      },
      () => {
        if (!res.headersSent) res.status(400).type("text/plain").send("The request body did not arrive");
      },
    );
  };
}

function bufferUpTo(req: Request, limit: number): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        cleanup();
        chunks.length = 0;
        req.pause();
        resolve(null);
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      cleanup();
      resolve(Buffer.concat(chunks));
    };
    const onError = (err: Error) => {
      cleanup();
      reject(err);
    };
    const onAborted = () => onError(new Error("aborted"));
    function cleanup() {
      req.off("data", onData);
      req.off("end", onEnd);
      req.off("error", onError);
      req.off("aborted", onAborted);
    }
    req.on("data", onData);
    req.on("end", onEnd);
    req.on("error", onError);
    req.on("aborted", onAborted);
  });
}

/** The same request (headers, URL, socket) whose body stream is `body`. */
function withBody(req: Request, body: Buffer): Request {
  const stream = Readable.from(body.length ? [body] : []);
  const view = Object.create(req) as Request;
  for (const method of ["on", "once", "off", "addListener", "removeListener", "removeAllListeners", "pause", "resume", "pipe", "unpipe", "read", "destroy"] as const) {
    Object.defineProperty(view, method, { value: (stream[method] as (...a: unknown[]) => unknown).bind(stream) });
  }
  for (const prop of ["readable", "readableHighWaterMark", "readableEnded", "destroyed"] as const) {
    Object.defineProperty(view, prop, { get: () => stream[prop] });
  }
  view.headers = { ...req.headers, "content-length": String(body.length) };
  delete view.headers["transfer-encoding"];
  return view;
}

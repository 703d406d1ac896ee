// The resumable upload endpoint for task hand-ins (tus 1.0 through @tus/server, files in
// the data folder): docs/decisions/025-resumable-hand-ins.md, docs/assessment.md "Hand-ins".
// Express glue only: who the user is (the Lucia cookie), rate limits, whose upload an id is;
// the rules are in app/domains/courses/hand-ins.server.ts.
import type { IncomingMessage } from "node:http";
import path from "node:path";
import type { RequestHandler } from "express";
import { Server, EVENTS } from "@tus/server";
import { FileStore } from "@tus/file-store";
import { validateCookieHeader } from "~/domains/auth/session.server";
import { STORAGE_ROOT } from "~/domains/courses/storage.server";
import { HAND_IN_LIMITS, HAND_IN_UPLOAD_PATH } from "~/domains/courses/hand-in-rules";
import {
  createHandInUpload,
  finishHandInUpload,
  forgetHandInUpload,
  handInCreateLimiter,
  handInRequestLimiter,
  handInUploadOf,
  HandInError,
  sweepHandInUploads,
} from "~/domains/courses/hand-ins.server";
import { assertTaskSubmittable } from "~/domains/courses/lessons.server";
import { UploadError } from "~/domains/courses/uploads.server";

/** tus ids are 16 random bytes in hex (Uid.rand). */
const UPLOAD_ID = /^[0-9a-f]{32}$/;
const SWEEP_EVERY_MS = 10 * 60 * 1000;

/** A refusal as tus expects it from a hook: status and a one-line body. */
async function tusError(err: unknown): Promise<{ status_code: number; body: string }> {
  if (err instanceof HandInError || err instanceof UploadError) return { status_code: err.status, body: `${err.code}: ${err.message}\n` };
  if (err instanceof Response) return { status_code: err.status, body: `${(await err.text().catch(() => "")) || "refused"}\n` };
  throw err;
}

/** The user each creating request was authenticated as (set by the middleware, read by the hook). */
const ownerOf = new WeakMap<IncomingMessage, string>();
const nodeRequest = (req: unknown) => (req as { runtime?: { node?: { req?: IncomingMessage } } }).runtime?.node?.req;

export function createHandInUploads(opts: { log: (line: string) => void }) {
  const directory = path.join(STORAGE_ROOT, "resumable");
  const datastore = new FileStore({ directory, expirationPeriodInMilliseconds: HAND_IN_LIMITS.expireAfterMs });
  const tus = new Server({
    path: HAND_IN_UPLOAD_PATH,
    datastore,
    relativeLocation: true,
    // The outer bound; each upload's own limit (by kind) is checked when it is created.
    maxSize: Math.max(...Object.values(HAND_IN_LIMITS.maxBytes)),
    // Same site only (the cross-site guard ran before): no CORS answers.
    allowedOrigins: [],
    // Extensions we do not offer (concatenation, deferred length) are the client's error (400),
    // not tus's 501: no request a client can make here is answered 5xx unless something broke.
    onResponseError(_req, err) {
      return "status_code" in err && err.status_code === 501 ? { status_code: 400, body: err.body } : undefined;
    },
    async onUploadCreate(_req, upload) {
      const meta = upload.metadata ?? {};
      try {
        // The owner is the session's user (the middleware below), never anything the client sent.
        const incoming = nodeRequest(_req);
        const owner = incoming && ownerOf.get(incoming);
        if (!owner) throw new Response("Log in first", { status: 401 });
        const lessonId = meta.lesson ?? "";
        if (!/^[A-Za-z0-9_-]{1,40}$/.test(lessonId)) throw new HandInError("not_a_task", "metadata lesson is missing or malformed");
        await assertTaskSubmittable(owner, null, lessonId);
        await createHandInUpload(owner, { id: upload.id, size: upload.size, lessonId, filename: meta.filename ?? "", filetype: meta.filetype ?? "" });
      } catch (err) {
        throw await tusError(err);
      }
      return {};
    },
    async onUploadFinish(_req, upload) {
      try {
        const { asset, kind } = await finishHandInUpload(upload.id, path.join(directory, upload.id));
        await datastore.configstore.delete(upload.id).catch(() => undefined);
        return { headers: { "X-Asset-Id": asset.id, "X-Hand-In-Kind": kind } };
      } catch (err) {
        await datastore.configstore.delete(upload.id).catch(() => undefined);
        throw await tusError(err);
      }
    },
  });
  tus.on(EVENTS.POST_TERMINATE, (_req, _res, id) => void forgetHandInUpload(id).catch(() => undefined));

  const removeBytes = (id: string) => datastore.remove(id).catch(() => undefined);
  const sweep = async () => {
    const removed = await sweepHandInUploads(removeBytes);
    // Files of uploads whose row is gone (the store's own expiry, by creation date).
    const orphans = await tus.cleanUpExpiredUploads().catch(() => 0);
    return removed + orphans;
  };
  const timer = setInterval(() => void sweep().catch((err) => opts.log(`hand-in sweep failed: ${(err as Error).message}`)), SWEEP_EVERY_MS);
  timer.unref();

  const handler: RequestHandler = async (req, res, next) => {
    try {
      res.setHeader("Cache-Control", "no-store");
      const { user } = await validateCookieHeader(req.headers.cookie);
      if (!user) return void res.status(401).type("text/plain").send("Log in first");
      const limit = await handInRequestLimiter.consume(user.id);
      if (!limit.ok) return void res.status(429).setHeader("Retry-After", String(limit.retryAfterSeconds)).type("text/plain").send("Too many requests; try again shortly");
      const rest = req.path.slice(HAND_IN_UPLOAD_PATH.length).replace(/^\//, "");
      if (req.method === "POST") {
        if (rest) return void res.status(404).type("text/plain").send("Not found");
        const created = await handInCreateLimiter.consume(user.id);
        if (!created.ok) return void res.status(429).setHeader("Retry-After", String(created.retryAfterSeconds)).type("text/plain").send("Too many uploads; try again later");
        ownerOf.set(req, user.id);
      } else if (req.method !== "OPTIONS") {
        // Someone else's upload id is answered exactly like an unknown one.
        const row = UPLOAD_ID.test(rest) ? await handInUploadOf(user.id, rest) : null;
        if (!row) return void res.status(404).setHeader("Tus-Resumable", "1.0.0").type("text/plain").send("Not found");
        if (row.completedAt) {
          // Finished and stored: a client whose last answer was lost learns it is complete.
          if (req.method === "HEAD") {
            res.status(200).set({ "Tus-Resumable": "1.0.0", "Upload-Offset": String(row.sizeBytes), "Upload-Length": String(row.sizeBytes), "X-Asset-Id": row.assetId ?? "" });
            return void res.end();
          }
          if (req.method === "PATCH") return void res.status(409).setHeader("Tus-Resumable", "1.0.0").type("text/plain").send("This upload is complete");
          // The learner takes a finished file off the list: it is removed (it is in no submission yet).
          if (req.method === "DELETE") {
            await forgetHandInUpload(row.id);
            return void res.status(204).setHeader("Tus-Resumable", "1.0.0").end();
          }
        }
      }
      await tus.handle(req, res);
    } catch (err) {
      next(err);
    }
  };

  return {
    /** Mount on HAND_IN_UPLOAD_PATH and everything under it. */
    paths: [HAND_IN_UPLOAD_PATH, `${HAND_IN_UPLOAD_PATH}/*`],
    handler,
    sweep,
    directory,
    stop: () => clearInterval(timer),
  };
}

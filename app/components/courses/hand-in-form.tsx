import { Form } from "@remix-run/react";
import { useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import type { Upload as TusUpload } from "tus-js-client";
import { ProgressBar } from "~/components/ui/feedback";
import { Button } from "~/components/ui/forms";
import { Icon } from "~/components/ui/icon";
import { formatBytes } from "~/utils/format";
import { HAND_IN_ACCEPT, HAND_IN_LIMITS, HAND_IN_UPLOAD_PATH, handInKind, type HandInFileKind } from "~/domains/courses/hand-in-rules";

type Status = "preparing" | "uploading" | "retrying" | "paused" | "done" | "failed";
type Item = {
  key: string;
  name: string;
  kind: HandInFileKind;
  status: Status;
  sent: number;
  total: number;
  uploadId?: string;
  error?: string;
  resized?: string;
};
type Stored = { count: number; body: string; done: Item[] };

/** Retries after a dropped connection: at once, then backing off to a minute, for ~10 minutes. */
const RETRY_DELAYS = [0, 1000, 3000, 5000, 10_000, 20_000, 30_000, 60_000, 60_000, 60_000, 60_000, 60_000, 60_000, 60_000, 60_000];
const CHUNK_BYTES = 8 * 1024 * 1024;

/**
 * A photo over the longest side allowed is redrawn on a canvas at that size (JPEG); the file
 * keeps its name stem and modification time, so the resumable upload's fingerprint is the
 * same after a reload. Anything that cannot be decoded is sent as it is (the server checks it).
 */
async function downscale(file: File): Promise<{ file: File; resized?: string }> {
  try {
    const bitmap = await createImageBitmap(file);
    const { width, height } = bitmap;
    const longest = Math.max(width, height);
    if (longest <= HAND_IN_LIMITS.photoLongestSide) {
      bitmap.close();
      return { file };
    }
    const scale = HAND_IN_LIMITS.photoLongestSide / longest;
    const canvas = document.createElement("canvas");
    canvas.width = Math.round(width * scale);
    canvas.height = Math.round(height * scale);
    canvas.getContext("2d")!.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
    bitmap.close();
    const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, "image/jpeg", 0.85));
    if (!blob) return { file };
    const name = file.name.replace(/\.[^.]+$/, "") + ".jpg";
    return { file: new File([blob], name, { type: "image/jpeg", lastModified: file.lastModified }), resized: `${width} × ${height} → ${canvas.width} × ${canvas.height}` };
  } catch {
    return { file };
  }
}

/** The server's refusal code (`bad_type: …` bodies, see server/hand-in-uploads.ts). */
function refusalOf(err: Error & { originalResponse?: { getBody(): string; getStatus(): number } | null }) {
  const res = err.originalResponse;
  if (!res) return "errors.upload_aborted";
  const code = /^([a-z_]+):/.exec(res.getBody() ?? "")?.[1];
  if (code) return `errors.handIn_${code}`;
  if (res.getStatus() === 413) return "errors.handIn_too_large";
  if (res.getStatus() === 401) return "errors.handIn_logged_out";
  return "errors.upload_aborted";
}

/**
 * The hand-in form. With JavaScript: several files, each sent as a resumable (tus) upload —
 * photos downscaled first, a progress bar each, pause/resume, automatic retries after a dropped
 * connection, and a reload picks up where it stopped (tus-js-client keeps each upload's address
 * in localStorage; pick the same file again). Finished uploads and the note survive a reload
 * too. Without JavaScript: the note and one file in a plain multipart post.
 */
export function HandInForm({ lessonId, count, error, busy, initialBody = "" }: { lessonId: string; count: number; error: string | null; busy: boolean; initialBody?: string }) {
  const { t } = useTranslation("courses");
  const [enhanced, setEnhanced] = useState(false);
  const [items, setItems] = useState<Item[]>([]);
  const [body, setBody] = useState(initialBody);
  const [notice, setNotice] = useState<string | null>(null);
  const uploads = useRef(new Map<string, TusUpload>());
  const storeKey = `skillrelay.handIn.${lessonId}`;

  useEffect(() => {
    setEnhanced(true);
    try {
      const stored = JSON.parse(localStorage.getItem(storeKey) ?? "null") as Stored | null;
      // A hand-in happened since (count moved on): its uploads are used.
      if (stored && stored.count === count) {
        if (!initialBody) setBody(stored.body);
        setItems(stored.done.filter((i) => i.status === "done" && i.uploadId));
      } else localStorage.removeItem(storeKey);
    } catch {
      localStorage.removeItem(storeKey);
    }
    const running = uploads.current;
    return () => {
      for (const u of running.values()) void u.abort();
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
  useEffect(() => {
    if (!enhanced) return;
    const stored: Stored = { count, body, done: items.filter((i) => i.status === "done") };
    localStorage.setItem(storeKey, JSON.stringify(stored));
  }, [enhanced, count, body, items, storeKey]);

  const update = (key: string, patch: Partial<Item>) => setItems((list) => list.map((i) => (i.key === key ? { ...i, ...patch } : i)));

  async function start(key: string, file: File) {
    const tus = await import("tus-js-client");
    const upload: TusUpload = new tus.Upload(file, {
      endpoint: HAND_IN_UPLOAD_PATH,
      retryDelays: RETRY_DELAYS,
      chunkSize: CHUNK_BYTES,
      metadata: { filename: file.name, filetype: file.type, lesson: lessonId },
      removeFingerprintOnSuccess: true,
      onProgress: (sent, total) => update(key, { sent, total, status: "uploading" }),
      onShouldRetry: (err) => {
        const status = err.originalResponse?.getStatus() ?? 0;
        const retry = status === 0 || status >= 500 || status === 409 || status === 423 || status === 429;
        if (retry) update(key, { status: "retrying" });
        return retry;
      },
      onSuccess: () => update(key, { status: "done", uploadId: upload.url?.split("/").pop(), sent: file.size }),
      onError: (err) => update(key, { status: "failed", error: refusalOf(err) }),
    });
    uploads.current.set(key, upload);
    const previous = await upload.findPreviousUploads();
    if (previous.length) upload.resumeFromPreviousUpload(previous[0]);
    update(key, { status: "uploading" });
    upload.start();
  }

  async function add(files: File[]) {
    setNotice(null);
    const room = HAND_IN_LIMITS.filesPerSubmission - items.length;
    if (files.length > room) setNotice(t("handIn.tooMany", { max: HAND_IN_LIMITS.filesPerSubmission }));
    for (const original of files.slice(0, Math.max(room, 0))) {
      const key = `${Date.now()}-${Math.random().toString(36).slice(2)}`;
      const kind = handInKind(original.type);
      setItems((list) => [...list, { key, name: original.name, kind: kind ?? "file", status: "preparing", sent: 0, total: original.size }]);
      if (!kind) {
        update(key, { status: "failed", error: "errors.handIn_bad_type" });
        continue;
      }
      const { file, resized } = kind === "photo" ? await downscale(original) : { file: original, resized: undefined };
      if (file.size > HAND_IN_LIMITS.maxBytes[kind]) {
        update(key, { status: "failed", error: "errors.handIn_too_large", total: file.size });
        continue;
      }
      update(key, { name: file.name, total: file.size, resized });
      void start(key, file).catch(() => update(key, { status: "failed", error: "errors.upload_aborted" }));
    }
  }

  function pause(key: string) {
    void uploads.current.get(key)?.abort();
    update(key, { status: "paused" });
  }

  function resume(key: string) {
    uploads.current.get(key)?.start();
    update(key, { status: "uploading" });
  }

  function remove(item: Item) {
    const upload = uploads.current.get(item.key);
    uploads.current.delete(item.key);
    // Unfinished: stop and delete on the server; finished: delete the stored file.
    if (upload && item.status !== "done") void upload.abort(true).catch(() => undefined);
    else if (item.uploadId) void fetch(`${HAND_IN_UPLOAD_PATH}/${item.uploadId}`, { method: "DELETE", headers: { "Tus-Resumable": "1.0.0" } }).catch(() => undefined);
    setItems((list) => list.filter((i) => i.key !== item.key));
  }

  const waiting = items.some((i) => i.status !== "done" && i.status !== "failed");
  const failed = items.some((i) => i.status === "failed");
  return (
    <Form method="post" encType="multipart/form-data" className="space-y-3" data-testid="hand-in-form">
      <label className="block text-sm font-medium" htmlFor="body">{t("lesson.submissionText")}</label>
      <textarea id="body" name="body" rows={4} maxLength={10000} value={body} onChange={(e) => setBody(e.target.value)} className="block w-full rounded-md border border-slate-300 px-3 py-2" />
      {enhanced ? (
        <div className="space-y-2">
          <label className="block text-sm font-medium" htmlFor="hand-in-files">{t("handIn.files", { max: HAND_IN_LIMITS.filesPerSubmission })}</label>
          <input
            id="hand-in-files"
            type="file"
            multiple
            accept={HAND_IN_ACCEPT}
            className="block w-full text-sm"
            data-testid="hand-in-picker"
            onChange={(e) => {
              const files = Array.from(e.currentTarget.files ?? []);
              e.currentTarget.value = "";
              void add(files);
            }}
          />
          <p className="text-xs text-slate-600">{t("handIn.hint", { side: HAND_IN_LIMITS.photoLongestSide, photo: HAND_IN_LIMITS.maxBytes.photo / 1024 / 1024, video: HAND_IN_LIMITS.maxBytes.video / 1024 / 1024 })}</p>
          {notice ? <p role="alert" className="text-sm text-red-600">{notice}</p> : null}
          {items.length ? (
            <ul className="space-y-2" aria-label={t("handIn.uploads")}>
              {items.map((i) => (
                <li key={i.key} className="rounded border border-slate-200 p-2 text-sm" data-testid="hand-in-item" data-status={i.status}>
                  <div className="flex flex-wrap items-center gap-2">
                    <span className="min-w-0 flex-1 truncate font-medium">{i.name}</span>
                    <span className="text-xs text-slate-600">
                      {i.status === "failed" && i.error ? t(i.error) : t(`handIn.status.${i.status}`)} · {formatBytes(i.sent)} / {formatBytes(i.total)}
                    </span>
                    {i.status === "uploading" || i.status === "retrying" ? (
                      <button type="button" className="rounded border border-slate-300 px-2 py-0.5" onClick={() => pause(i.key)}>{t("handIn.pause")}</button>
                    ) : null}
                    {i.status === "paused" ? (
                      <button type="button" className="rounded border border-slate-300 px-2 py-0.5" onClick={() => resume(i.key)}>{t("handIn.resume")}</button>
                    ) : null}
                    <button type="button" className="rounded border border-slate-300 px-2 py-0.5" onClick={() => remove(i)} aria-label={t("handIn.remove", { name: i.name })}>
                      <Icon name="close" />
                    </button>
                  </div>
                  <div className="mt-1">
                    <ProgressBar percent={i.total ? (i.sent / i.total) * 100 : 0} label={t("handIn.progressOf", { name: i.name })} tone={i.status === "failed" ? "red" : i.status === "done" ? "green" : "brand"} />
                  </div>
                  {i.resized ? <p className="mt-1 text-xs text-slate-500">{t("handIn.resized", { size: i.resized })}</p> : null}
                  {i.status === "done" && i.uploadId ? <input type="hidden" name="upload" value={i.uploadId} /> : null}
                </li>
              ))}
            </ul>
          ) : null}
        </div>
      ) : (
        <>
          <label className="block text-sm font-medium" htmlFor="file">{t("lesson.submissionFile")}</label>
          <input id="file" name="file" type="file" accept={HAND_IN_ACCEPT} className="block text-sm" />
        </>
      )}
      {error ? <p role="alert" className="text-sm text-red-600">{t("lessonEditor.failed", { reason: error })}</p> : null}
      {waiting ? <p className="text-sm text-slate-600">{t("handIn.waitForUploads")}</p> : failed ? <p className="text-sm text-amber-700">{t("handIn.removeFailed")}</p> : null}
      <Button type="submit" disabled={busy || waiting || failed} data-testid="hand-in-submit">{t("lesson.submit")}</Button>
    </Form>
  );
}

import { useId, useRef, useState } from "react";
import { useRevalidator } from "@remix-run/react";
import { useTranslation } from "react-i18next";

/**
 * A file upload that shows progress and can be cancelled (XMLHttpRequest reports upload
 * progress; fetch does not). Without JavaScript it is a plain multipart form post.
 */
export function UploadForm({
  action,
  label,
  accept,
  maxBytes,
  submitLabel,
}: {
  action: string;
  label: string;
  accept?: string;
  maxBytes: number;
  submitLabel?: string;
}) {
  const { t } = useTranslation("courses");
  const inputId = useId();
  const revalidator = useRevalidator();
  const xhr = useRef<XMLHttpRequest | null>(null);
  const [percent, setPercent] = useState<number | null>(null);
  const [message, setMessage] = useState<{ kind: "ok" | "error"; text: string } | null>(null);

  function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const file = (form.elements.namedItem("file") as HTMLInputElement).files?.[0];
    if (!file) {
      setMessage({ kind: "error", text: t("lessonEditor.failed", { reason: t("errors.upload_missing") }) });
      return;
    }
    if (file.size > maxBytes) {
      setMessage({ kind: "error", text: t("lessonEditor.failed", { reason: t("errors.upload_too_large") }) });
      return;
    }
    const request = new XMLHttpRequest();
    xhr.current = request;
    setMessage(null);
    setPercent(0);
    request.upload.onprogress = (e) => e.lengthComputable && setPercent(Math.round((e.loaded / e.total) * 100));
    request.onload = () => {
      xhr.current = null;
      setPercent(null);
      let body: { error?: string } = {};
      try {
        body = JSON.parse(request.responseText);
      } catch {
        body = { error: "aborted" };
      }
      if (request.status >= 200 && request.status < 300 && !body.error) {
        setMessage({ kind: "ok", text: t("lessonEditor.uploaded") });
        form.reset();
        revalidator.revalidate();
      } else {
        setMessage({ kind: "error", text: t("lessonEditor.failed", { reason: t(`errors.upload_${body.error ?? "aborted"}`) }) });
      }
    };
    request.onerror = () => {
      xhr.current = null;
      setPercent(null);
      setMessage({ kind: "error", text: t("lessonEditor.failed", { reason: t("errors.upload_aborted") }) });
    };
    request.onabort = () => {
      xhr.current = null;
      setPercent(null);
      setMessage({ kind: "error", text: t("lessonEditor.cancelled") });
    };
    request.open("POST", action);
    request.setRequestHeader("X-Upload", "xhr");
    request.send(new FormData(form));
  }

  return (
    <form method="post" action={action} encType="multipart/form-data" onSubmit={onSubmit} className="space-y-3">
      <label htmlFor={inputId} className="block text-sm font-medium text-slate-700">{label}</label>
      <input id={inputId} name="file" type="file" accept={accept} required className="block w-full text-sm" disabled={percent !== null} />
      {percent !== null ? (
        <div className="space-y-1" data-testid="upload-progress">
          <div role="progressbar" aria-valuemin={0} aria-valuemax={100} aria-valuenow={percent} aria-label={t("lessonEditor.uploading", { percent })} className="h-2 overflow-hidden rounded-full bg-slate-200">
            <div className="h-full bg-brand-500 transition-all" style={{ width: `${percent}%` }} />
          </div>
          <p className="text-sm text-slate-600" aria-live="polite">{t("lessonEditor.uploading", { percent })}</p>
        </div>
      ) : null}
      {message ? (
        <p role={message.kind === "error" ? "alert" : "status"} className={"text-sm " + (message.kind === "error" ? "text-red-600" : "text-green-700")}>
          {message.text}
        </p>
      ) : null}
      <div className="flex gap-2">
        <button type="submit" disabled={percent !== null} className="rounded-md bg-brand-600 px-4 py-2 text-sm font-semibold text-white hover:bg-brand-700 disabled:opacity-60">
          {submitLabel ?? t("lessonEditor.upload")}
        </button>
        {percent !== null ? (
          <button type="button" onClick={() => xhr.current?.abort()} className="rounded-md border border-slate-300 px-4 py-2 text-sm font-medium hover:bg-slate-50">
            {t("lessonEditor.cancel")}
          </button>
        ) : null}
      </div>
    </form>
  );
}

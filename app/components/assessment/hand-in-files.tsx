import { useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { Icon } from "~/components/ui/icon";
import type { HandInFile } from "~/domains/courses/hand-in-rules";

/**
 * A hand-in's files: photos as a gallery (a photo opens full size in a dialog — Enter or a
 * click; arrow keys move, Escape closes, "Actual size" zooms to the photo's own pixels and
 * scrolls), videos with controls (seeking through /media ranges), other files as links.
 * Without JavaScript a photo is a link to the full-size file.
 */
export function HandInFiles({ files }: { files: HandInFile[] }) {
  const { t } = useTranslation("assessment");
  const photos = files.filter((f) => f.kind === "photo");
  const videos = files.filter((f) => f.kind === "video");
  const others = files.filter((f) => f.kind === "file");
  const [open, setOpen] = useState<number | null>(null);
  if (!files.length) return null;
  return (
    <div className="mt-2 space-y-3" data-testid="hand-in-files">
      {photos.length ? (
        <ul className="grid grid-cols-2 gap-2 sm:grid-cols-3" aria-label={t("handIn.photos")}>
          {photos.map((p, i) => (
            <li key={p.id}>
              <a
                href={`/media/${p.id}`}
                target="_blank"
                rel="noreferrer"
                onClick={(e) => {
                  e.preventDefault();
                  setOpen(i);
                }}
                className="block overflow-hidden rounded border border-slate-200 bg-slate-50 focus:outline-none focus:ring-2 focus:ring-brand-500"
                aria-label={t("handIn.openPhoto", { name: p.name })}
                data-testid="hand-in-photo"
              >
                <img src={`/media/${p.id}`} alt={p.name} loading="lazy" className="aspect-square w-full object-cover" />
              </a>
            </li>
          ))}
        </ul>
      ) : null}
      {videos.map((v) => (
        <figure key={v.id}>
          <video src={`/media/${v.id}`} controls preload="metadata" playsInline className="w-full rounded bg-black" data-testid="hand-in-video" />
          <figcaption className="mt-1 text-xs text-slate-600">{v.name}</figcaption>
        </figure>
      ))}
      {others.length ? (
        <ul className="space-y-1 text-sm">
          {others.map((f) => (
            <li key={f.id}>
              <a className="inline-flex items-center gap-1 text-brand-600 underline" href={`/media/${f.id}?download=1`} download data-testid="hand-in-file">
                <Icon name="download" /> {f.name}
              </a>
            </li>
          ))}
        </ul>
      ) : null}
      {open !== null ? <PhotoViewer photos={photos} index={open} onMove={setOpen} onClose={() => setOpen(null)} /> : null}
    </div>
  );
}

function PhotoViewer({ photos, index, onMove, onClose }: { photos: HandInFile[]; index: number; onMove: (i: number) => void; onClose: () => void }) {
  const { t } = useTranslation("assessment");
  const dialog = useRef<HTMLDialogElement>(null);
  const [actual, setActual] = useState(false);
  const photo = photos[index];
  useEffect(() => {
    const d = dialog.current;
    if (d && !d.open) d.showModal();
  }, []);
  const move = (step: number) => {
    setActual(false);
    onMove((index + step + photos.length) % photos.length);
  };
  return (
    <dialog
      ref={dialog}
      onClose={onClose}
      onKeyDown={(e) => {
        if (e.key === "ArrowRight") move(1);
        else if (e.key === "ArrowLeft") move(-1);
      }}
      aria-label={photo.name}
      className="m-auto h-[95vh] w-[95vw] max-w-none rounded-lg bg-slate-900 p-0 text-white backdrop:bg-black/70"
      data-testid="photo-viewer"
    >
      <div className="flex h-full flex-col">
        <div className="flex flex-wrap items-center gap-2 p-2 text-sm">
          <span className="min-w-0 flex-1 truncate">{t("handIn.photoOf", { index: index + 1, total: photos.length, name: photo.name })}</span>
          <button type="button" className="rounded bg-white/10 px-3 py-1 hover:bg-white/20" aria-pressed={actual} onClick={() => setActual((a) => !a)} data-testid="photo-zoom">
            {actual ? t("handIn.fit") : t("handIn.actualSize")}
          </button>
          {photos.length > 1 ? (
            <>
              <button type="button" className="rounded bg-white/10 px-3 py-1 hover:bg-white/20" onClick={() => move(-1)}>{t("handIn.previous")}</button>
              <button type="button" className="rounded bg-white/10 px-3 py-1 hover:bg-white/20" onClick={() => move(1)}>{t("handIn.next")}</button>
            </>
          ) : null}
          <button type="button" className="rounded bg-white/10 px-3 py-1 hover:bg-white/20" onClick={() => dialog.current?.close()} aria-label={t("handIn.close")} autoFocus>
            <Icon name="close" />
          </button>
        </div>
        <div className={"min-h-0 flex-1 " + (actual ? "overflow-auto" : "flex items-center justify-center overflow-hidden")} tabIndex={0} aria-label={photo.name}>
          <img
            src={`/media/${photo.id}`}
            alt={photo.name}
            className={actual ? "max-w-none" : "max-h-full max-w-full object-contain"}
            data-testid="photo-full"
            data-zoom={actual ? "actual" : "fit"}
          />
        </div>
      </div>
    </dialog>
  );
}

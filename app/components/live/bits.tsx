/** Small pieces of the live room UI: media elements, quality dot, placeholders, the message line. */
import { useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import type { Quality } from "~/domains/live/room-client";
import { Button } from "~/components/ui/forms";

const DOT: Record<Quality, string> = {
  good: "bg-emerald-500",
  fair: "bg-amber-400",
  poor: "bg-red-600",
  unknown: "bg-slate-400",
};

export function QualityDot({ quality, label }: { quality: Quality; label?: string }) {
  const { t } = useTranslation("live");
  return (
    <span className="inline-flex items-center" data-quality={quality} title={label ?? t(`quality.${quality}`)}>
      <span aria-hidden className={`inline-block h-2.5 w-2.5 rounded-full ${DOT[quality]}`} />
      <span className="sr-only">{label ?? t(`quality.${quality}`)}</span>
    </span>
  );
}

/**
 * A muted, inline, autoplaying video bound to a MediaStream (audio plays separately). With
 * `onSize`, reports its on-screen size in device pixels (the server picks the layer from it).
 */
export function StreamVideo({
  stream,
  mirrored,
  testId,
  fit = "cover",
  onSize,
  data,
}: {
  stream: MediaStream;
  mirrored?: boolean;
  testId: string;
  fit?: "cover" | "contain";
  onSize?: (width: number, height: number) => void;
  data?: Record<string, string>;
}) {
  const ref = useRef<HTMLVideoElement>(null);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    el.muted = true;
    el.srcObject = stream;
    el.play().catch(() => undefined);
    return () => {
      el.srcObject = null;
    };
  }, [stream]);
  useEffect(() => {
    const el = ref.current;
    if (!el || !onSize || typeof ResizeObserver === "undefined") return;
    const report = () => {
      const dpr = window.devicePixelRatio || 1;
      onSize(el.clientWidth * dpr, el.clientHeight * dpr);
    };
    const observer = new ResizeObserver(report);
    observer.observe(el);
    report();
    return () => observer.disconnect();
  }, [onSize]);
  const dataAttrs = Object.fromEntries(Object.entries(data ?? {}).map(([k, v]) => [`data-${k}`, v]));
  return (
    <video
      ref={ref}
      data-testid={testId}
      autoPlay
      playsInline
      muted
      {...dataAttrs}
      className={`h-full w-full ${fit === "cover" ? "object-cover" : "object-contain"}${mirrored ? " -scale-x-100" : ""}`}
    />
  );
}

export function StreamAudio({ stream, unlock, onBlocked }: { stream: MediaStream; unlock: number; onBlocked: () => void }) {
  const ref = useRef<HTMLAudioElement>(null);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    if (el.srcObject !== stream) el.srcObject = stream;
    el.play().catch((error: unknown) => {
      // Autoplay policy: sound needs a user gesture first.
      if (error instanceof DOMException && error.name === "NotAllowedError") onBlocked();
    });
  }, [stream, unlock, onBlocked]);
  useEffect(() => {
    const el = ref.current;
    return () => {
      if (el) el.srcObject = null;
    };
  }, []);
  return <audio ref={ref} autoPlay className="hidden" />;
}

export function Placeholder({ name, small }: { name: string; small?: boolean }) {
  return (
    <div className="flex h-full w-full items-center justify-center bg-slate-800">
      <span
        className={
          "flex items-center justify-center rounded-full bg-slate-600 font-semibold text-white " +
          (small ? "h-10 w-10 text-lg" : "h-16 w-16 text-2xl")
        }
      >
        {name.trim().charAt(0).toUpperCase() || "?"}
      </span>
    </div>
  );
}

export function NameTag({ children }: { children: React.ReactNode }) {
  return (
    <span className="absolute bottom-1.5 left-1.5 flex max-w-[90%] items-center gap-1 truncate rounded bg-black/60 px-2 py-0.5 text-xs text-white sm:text-sm">
      {children}
    </span>
  );
}

/** One line of text and a send button (chat, a message to every breakout room); clears after sending. */
export function MessageForm({
  id,
  label,
  placeholder,
  sendLabel,
  maxLength,
  disabled,
  onSend,
  inputTestId,
  sendTestId,
}: {
  id: string;
  label: string;
  placeholder: string;
  sendLabel: string;
  maxLength: number;
  disabled: boolean;
  onSend: (text: string) => void;
  inputTestId: string;
  sendTestId: string;
}) {
  const [text, setText] = useState("");
  const send = (e: React.FormEvent) => {
    e.preventDefault();
    const body = text.trim();
    if (!body || disabled) return;
    setText("");
    onSend(body);
  };
  return (
    <form onSubmit={send} className="flex flex-wrap gap-2">
      <label htmlFor={id} className="sr-only">{label}</label>
      <input
        id={id}
        value={text}
        onChange={(e) => setText(e.target.value)}
        maxLength={maxLength}
        placeholder={placeholder}
        data-testid={inputTestId}
        className="min-w-[12rem] flex-1 rounded-md border border-slate-300 px-3 py-2 text-sm"
      />
      <Button type="submit" disabled={disabled || !text.trim()} data-testid={sendTestId}>
        {sendLabel}
      </Button>
    </form>
  );
}

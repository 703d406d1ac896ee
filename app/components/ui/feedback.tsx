// The kit's status pieces: Notice (info/success/warning/error), Badge, ProgressBar.
import type { ReactNode } from "react";

export type Tone = "info" | "success" | "warning" | "error";

const NOTICE: Record<Tone, string> = {
  info: "border-sky-200 bg-sky-50 text-sky-900",
  success: "border-emerald-200 bg-emerald-50 text-emerald-900",
  warning: "border-amber-200 bg-amber-50 text-amber-900",
  error: "border-red-200 bg-red-50 text-red-800",
};

/** A message box; errors are announced at once (role=alert), the rest politely. */
export function Notice({ tone = "info", children }: { tone?: Tone; children: ReactNode }) {
  return (
    <div role={tone === "error" ? "alert" : "status"} className={`rounded-lg border px-4 py-3 text-sm ${NOTICE[tone]}`}>
      {children}
    </div>
  );
}

const BADGE = {
  neutral: "bg-slate-100 text-slate-700",
  muted: "bg-slate-200 text-slate-700 line-through",
  info: "bg-brand-100 text-brand-700",
  success: "bg-emerald-100 text-emerald-800",
  warning: "bg-amber-100 text-amber-900",
  error: "bg-red-100 text-red-800",
} as const;
export type BadgeTone = keyof typeof BADGE;

export function Badge({ tone = "neutral", children, data }: { tone?: BadgeTone; children: ReactNode; data?: Record<string, string> }) {
  const dataAttrs = Object.fromEntries(Object.entries(data ?? {}).map(([k, v]) => [`data-${k}`, v]));
  return (
    <span {...dataAttrs} className={"inline-flex items-center rounded-full px-2 py-0.5 text-xs font-semibold " + BADGE[tone]}>
      {children}
    </span>
  );
}

export function ProgressBar({ percent, label, tone = "brand" }: { percent: number; label: string; tone?: "brand" | "red" | "green" }) {
  const value = Math.max(0, Math.min(100, Math.round(percent)));
  const color = tone === "red" ? "bg-red-500" : tone === "green" ? "bg-emerald-500" : "bg-brand-500";
  return (
    <div role="progressbar" aria-valuemin={0} aria-valuemax={100} aria-valuenow={value} aria-label={label} className="h-2 w-full overflow-hidden rounded-full bg-slate-200">
      <div className={"h-full rounded-full transition-all " + color} style={{ width: `${value}%` }} />
    </div>
  );
}

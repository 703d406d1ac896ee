// Mock competition UI: the countdown (server-rendered, then ticking in the browser) and the phase badge.
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { Badge } from "~/components/ui/feedback";
import { formatCountdown } from "~/domains/assessment/competition";
import type { CompetitionPhase } from "~/domains/assessment/competition";

/** Seconds left as the server counted them; the browser ticks down from there (its clock may be wrong). */
export function Countdown({ seconds, label }: { seconds: number; label: string }) {
  const { t } = useTranslation("assessment");
  const [left, setLeft] = useState(seconds);
  useEffect(() => {
    const started = Date.now();
    setLeft(seconds);
    const timer = window.setInterval(() => setLeft(Math.max(0, seconds - Math.floor((Date.now() - started) / 1000))), 1000);
    return () => window.clearInterval(timer);
  }, [seconds]);
  return (
    <p className="text-lg" data-testid="countdown" data-seconds={left}>
      <span className="text-slate-600">{label}</span>{" "}
      <time className="font-mono text-2xl font-bold tabular-nums" role="timer" aria-live="off">
        {formatCountdown(left, t("competitions.dayUnit"))}
      </time>
    </p>
  );
}

export function PhaseBadge({ phase, released, cancelled }: { phase: CompetitionPhase; released?: boolean; cancelled?: boolean }) {
  const { t } = useTranslation("assessment");
  if (cancelled) return <Badge tone="error">{t("competitions.phase.cancelled")}</Badge>;
  if (released) return <Badge tone="success">{t("competitions.phase.released")}</Badge>;
  if (phase === "open") return <Badge tone="info">{t("competitions.phase.open")}</Badge>;
  if (phase === "upcoming") return <Badge>{t("competitions.phase.upcoming")}</Badge>;
  return <Badge tone="warning">{t("competitions.phase.closed")}</Badge>;
}

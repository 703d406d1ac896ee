// The subsidy export of a programme: a period inside the programme's dates, XLSX or CSV, and a
// progress line from the moment the file is asked for until the browser starts downloading it
// (the server sets a cookie with the form's token on the response). Without JavaScript the
// form is a plain GET that downloads the file.
import { useEffect, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { Button, TextField } from "~/components/ui/forms";
import { EXPORT_COOKIE } from "~/domains/records/options";

const GIVE_UP_MS = 180_000;

export function ExportForm({ programmeId, startDate, endDate, learners }: { programmeId: string; startDate: string; endDate: string; learners: number }) {
  const { t } = useTranslation("records");
  const [waiting, setWaiting] = useState<"xlsx" | "csv" | null>(null);
  // A fresh token once hydrated and after each download (empty in the server's HTML: no progress without JavaScript).
  const [token, setToken] = useState("");
  useEffect(() => {
    if (!waiting) setToken(Math.random().toString(36).slice(2, 14));
  }, [waiting]);
  useEffect(() => {
    if (!waiting) return;
    const expected = `${EXPORT_COOKIE}=${token}`;
    const started = Date.now();
    const timer = window.setInterval(() => {
      const arrived = document.cookie.split("; ").includes(expected);
      if (arrived || Date.now() - started > GIVE_UP_MS) {
        document.cookie = `${EXPORT_COOKIE}=; Path=/school/programmes; Max-Age=0`;
        setWaiting(null);
      }
    }, 400);
    return () => window.clearInterval(timer);
  }, [waiting, token]);
  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    if (waiting) {
      event.preventDefault();
      return;
    }
    const submitter = (event.nativeEvent as SubmitEvent).submitter as HTMLButtonElement | null;
    setWaiting(submitter?.value === "csv" ? "csv" : "xlsx");
  };
  const base = `/school/programmes/${programmeId}`;
  return (
    <form method="get" action={`${base}/export.xlsx`} onSubmit={onSubmit} className="grid gap-3 sm:grid-cols-[1fr_1fr_auto] sm:items-end" data-testid="export-form">
      <input type="hidden" name="token" value={token} readOnly />
      <TextField label={t("programme.exportFrom")} name="from" type="date" min={startDate} max={endDate} defaultValue={startDate} />
      <TextField label={t("programme.exportTo")} name="to" type="date" min={startDate} max={endDate} defaultValue={endDate} />
      <div className="flex flex-wrap gap-2">
        <Button type="submit" value="xlsx" disabled={!!waiting}>{t("programme.exportXlsx")}</Button>
        <Button type="submit" value="csv" formAction={`${base}/export.csv`} variant="secondary" disabled={!!waiting}>{t("programme.exportCsv")}</Button>
      </div>
      <p role="status" aria-live="polite" className="text-sm text-slate-700 sm:col-span-3" data-testid="export-progress" data-state={waiting ? "preparing" : "idle"}>
        {waiting ? (
          <>
            <span className="mr-2 inline-block h-2 w-2 animate-pulse rounded-full bg-brand-600" aria-hidden />
            {t("programme.preparing", { count: learners, format: waiting.toUpperCase() })}
          </>
        ) : null}
      </p>
    </form>
  );
}

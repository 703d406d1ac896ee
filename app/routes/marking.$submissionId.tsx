import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { useFetcher, useActionData, useLoaderData } from "@remix-run/react";
import { useEffect, useRef, type FocusEvent, type FormEvent, type KeyboardEvent } from "react";
import { useTranslation } from "react-i18next";
import { Badge, Notice } from "~/components/ui/feedback";
import { Button, ButtonLink } from "~/components/ui/forms";
import { Card, Page } from "~/components/ui/layout";
import { HandInFiles } from "~/components/assessment/hand-in-files";
import { requireUser } from "~/domains/auth/session.server";
import { markingView, saveMark } from "~/domains/assessment/marking.server";
import { parseOr400, readForm } from "~/utils/input.server";
import { text, urlId } from "~/utils/input";
import { dateOptions } from "~/utils/datetime.server";
import { formatDateTime } from "~/utils/datetime";
import { markSchema } from "~/domains/assessment/validation";

export const meta: MetaFunction = () => [{ title: "Marking · SkillRelay" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const submissionId = parseOr400(urlId(), params.submissionId, "submission id");
  const [view, dates] = await Promise.all([markingView(user, submissionId), dateOptions(request, user)]);
  return { ...view, createdAt: formatDateTime(view.createdAt, dates) };
}


export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const submissionId = parseOr400(urlId(), params.submissionId, "submission id");
  const form = await readForm(request);
  const input = parseOr400(markSchema, Object.fromEntries(form), "mark");
  try {
    await saveMark(user, submissionId, input.aspectId, {
      score: input.score,
      measured: input.measured,
      faults: input.faults,
      awarded: input.awarded === undefined ? undefined : input.awarded === "yes",
      feedback: input.feedback,
    });
  } catch (err) {
    if (err instanceof Response && (err.status === 400 || err.status === 409)) return data({ aspectId: input.aspectId, error: await err.text() }, { status: err.status });
    throw err;
  }
  return { aspectId: input.aspectId, error: null as string | null };
}

export default function MarkingPage() {
  const d = useLoaderData<typeof loader>();
  const a = useActionData<typeof action>();
  const { t } = useTranslation("assessment");
  return (
    <Page title={`${d.lesson} · ${d.learner}`} lead={t("marking.handedIn", { when: d.createdAt })} actions={
        <>
          <ButtonLink to={`/marking/${d.id}/form.pdf`} reloadDocument variant="secondary">{t("form.link")}</ButtonLink>
          <ButtonLink to="/marking" variant="secondary">{t("marking.queueLink")}</ButtonLink>
        </>
      }>
      {d.released ? <Notice tone="info">{t("marking.releasedLocked")}</Notice> : null}
      {d.flagged ? <Notice tone="warning">{t("marking.flaggedNotice", { count: d.flagged })}</Notice> : null}
      <div className="grid gap-4 lg:grid-cols-2">
        <div className="lg:sticky lg:top-4 lg:max-h-[calc(100vh-2rem)] lg:self-start lg:overflow-y-auto">
        <Card title={t("marking.submission")}>
          {d.body ? <p className="whitespace-pre-wrap">{d.body}</p> : null}
          <HandInFiles files={d.files} />
          <p className="mt-3 text-sm font-semibold">{t("marking.totalOf", { total: d.total, max: d.max })}</p>
        </Card>
        </div>
        <div className="space-y-4">
          {d.sections.map((s) => (
            <Card key={s.id} title={`${s.name} (${s.weighting} %)`}>
              {s.criteria.map((c) => (
                <fieldset key={c.id} className="mb-4">
                  <legend className="font-medium">{c.code} {c.name}</legend>
                  {c.aspects.map((asp) => (
                    <AspectForm key={asp.id} asp={asp} released={d.released} actionResult={a?.aspectId === asp.id ? a : undefined} />
                  ))}
                </fieldset>
              ))}
            </Card>
          ))}
        </div>
      </div>
    </Page>
  );
}

type MarkingAspect = ReturnType<typeof useLoaderData<typeof loader>>["sections"][number]["criteria"][number]["aspects"][number];
type SaveResult = { aspectId: string; error: string | null };

/** What the aspect's form holds now, to save only when something changed. */
const snapshot = (form: HTMLFormElement) => new URLSearchParams([...new FormData(form)].map(([k, v]) => [k, String(v)])).toString();

/**
 * One aspect's form. With JavaScript it saves itself (a fetcher) when the marker leaves a field
 * with something changed and valid, and Enter moves to the next aspect; without JavaScript the
 * save button posts the form as before.
 */
function AspectForm({ asp, released, actionResult }: { asp: MarkingAspect; released: boolean; actionResult?: SaveResult }) {
  const { t } = useTranslation("assessment");
  const fetcher = useFetcher<SaveResult>();
  const formRef = useRef<HTMLFormElement>(null);
  const saved = useRef<string | null>(null);
  const result = fetcher.data ?? actionResult;
  useEffect(() => {
    if (formRef.current && saved.current === null) saved.current = snapshot(formRef.current);
  }, []);
  // A refused save is tried again on the next blur.
  useEffect(() => {
    if (fetcher.state === "idle" && fetcher.data?.error) saved.current = "";
  }, [fetcher.state, fetcher.data]);
  function save() {
    const form = formRef.current;
    if (!form || released) return;
    const now = snapshot(form);
    if (now === saved.current || !form.checkValidity()) return;
    saved.current = now;
    fetcher.submit(form, { method: "post", preventScrollReset: true });
  }
  const onBlur = (e: FocusEvent<HTMLFormElement>) => {
    if (e.target instanceof HTMLButtonElement) return;
    save();
  };
  // Radio buttons and check boxes are "left" as soon as one is chosen.
  const onChange = (e: FormEvent<HTMLFormElement>) => {
    if (e.target instanceof HTMLInputElement && e.target.type === "radio") save();
  };
  const onKeyDown = (e: KeyboardEvent<HTMLFormElement>) => {
    if (e.key !== "Enter" || !(e.target instanceof HTMLInputElement)) return;
    e.preventDefault();
    save();
    const forms = [...document.querySelectorAll<HTMLFormElement>("form[data-aspect-form]")];
    const next = forms[forms.indexOf(e.currentTarget) + 1];
    next?.querySelector<HTMLElement>("input:not([type=hidden]):not([disabled]), textarea")?.focus();
  };
  return (
<fetcher.Form method="post" ref={formRef} data-aspect-form onBlur={onBlur} onChange={onChange} onKeyDown={onKeyDown} className="mt-2 rounded border border-slate-200 p-3" aria-label={asp.description} preventScrollReset>
      <input type="hidden" name="aspectId" value={asp.id} />
      <p className="flex flex-wrap items-center gap-2">
        <span className="font-medium">{asp.description}</span>
        <span className="text-sm text-slate-600">{t("scheme.maxMark", { max: asp.maxMark })}</span>
        {asp.flagged ? <Badge tone="warning">{t("marking.rescore")}</Badge> : asp.mark !== null ? <Badge tone="success">{t("marking.markIs", { mark: asp.mark })}</Badge> : null}
        {asp.round > 1 ? <Badge>{t("marking.round", { round: asp.round })}</Badge> : null}
      </p>
      {asp.kind === "judgement" ? (
        <div className="mt-2 grid gap-1" role="radiogroup" aria-label={t("marking.score")}>
          {(asp.descriptors ?? []).map((desc, score) => (
            <label key={score} className="flex items-start gap-2 text-sm">
              <input type="radio" name="score" value={score} defaultChecked={asp.mine?.score === score && !asp.flagged} required disabled={released} />
              <span><strong>{score}</strong> {desc}</span>
            </label>
          ))}
        </div>
      ) : asp.measurement?.mode === "binary" ? (
        <div className="mt-2 flex gap-4 text-sm">
          <label className="flex items-center gap-1"><input type="radio" name="awarded" value="yes" defaultChecked={asp.mine?.awarded === true} required disabled={released} /> {t("marking.awarded")}</label>
          <label className="flex items-center gap-1"><input type="radio" name="awarded" value="no" defaultChecked={asp.mine?.awarded === false} disabled={released} /> {t("marking.notAwarded")}</label>
        </div>
      ) : asp.measurement?.mode === "bands" ? (
        <label className="mt-2 block text-sm">
          {t("marking.deviation")}
          <input type="number" step="any" name="measured" inputMode="decimal" defaultValue={asp.mine?.measured ?? ""} required disabled={released} className="ml-2 w-28 rounded border border-slate-300 px-2 py-1" />
        </label>
      ) : (
        <label className="mt-2 block text-sm">
          {t("marking.faults")}
          <input type="number" min={0} step={1} name="faults" inputMode="numeric" defaultValue={asp.mine?.faults ?? ""} required disabled={released} className="ml-2 w-24 rounded border border-slate-300 px-2 py-1" />
        </label>
      )}
      <label className="mt-2 block text-sm">
        {t("marking.feedback")}
        <textarea name="feedback" rows={2} maxLength={2000} defaultValue={asp.flagged ? "" : (asp.mine?.feedback ?? "")} disabled={released} className="mt-1 block w-full rounded border border-slate-300 px-2 py-1" />
      </label>
      <p className="mt-1 text-sm" role="status" aria-live="polite" data-testid="aspect-status">
        {fetcher.state !== "idle" ? <span className="text-slate-600">{t("marking.saving")}</span> : result?.error ? <span className="text-red-700">{result.error}</span> : result ? <span className="text-emerald-700">{t("marking.saved")}</span> : null}
      </p>
      {!released ? (
        <Button type="submit" variant="secondary" className="mt-2" disabled={fetcher.state !== "idle"}>
          {t("marking.save")}
        </Button>
      ) : null}
    </fetcher.Form>
  );
}

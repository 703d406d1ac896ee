import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { Badge, Notice } from "~/components/ui/feedback";
import { Button, ButtonLink, ConfirmButton, FileField, TextArea } from "~/components/ui/forms";
import { ConformForm, useConformForm, useReplyFor } from "~/components/ui/conform-form";
import { formErrorReply, parseForm } from "~/utils/forms.server";
import { Card, DataTable, EmptyState, Page } from "~/components/ui/layout";
import { Icon } from "~/components/ui/icon";
import { Countdown, PhaseBadge } from "~/components/assessment/competition";
import { requireUser } from "~/domains/auth/session.server";
import {
  addCompetitionFile,
  assertCanAddFile,
  assertCanHandIn,
  CompetitionError,
  competitionView,
  handInToCompetition,
  releaseCompetition,
  removeParticipant,
} from "~/domains/assessment/competitions.server";
import { secondsUntil } from "~/domains/assessment/competition";
import { competitionIntentSchema, handInSchema } from "~/domains/assessment/validation";
import { renderMarkdown } from "~/domains/courses/markdown.server";
import { discardUpload, parseUploadForm, storeUpload, UploadError } from "~/domains/courses/uploads.server";
import { parseOr400, readForm, searchParamsOf } from "~/utils/input.server";
import { urlId } from "~/utils/input";
import { dateOptions } from "~/utils/datetime.server";
import { formatDateTime } from "~/utils/datetime";
import { formatBytes } from "~/utils/format";
import { z } from "zod";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.competition.title} · SkillRelay` : "SkillRelay" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const id = parseOr400(urlId(), params.competitionId, "competition id");
  const [view, dates] = await Promise.all([competitionView(user, id), dateOptions(request, user)]);
  const c = view.competition;
  const now = Date.now();
  return {
    role: view.role,
    // A cancelled competition takes no more hand-ins: the page treats it as over.
    phase: c.cancelledAt ? ("closed" as const) : view.phase,
    cancelled: c.cancelledAt ? { at: formatDateTime(c.cancelledAt, dates), reason: c.cancelReason } : null,
    competition: {
      ...c,
      descriptionHtml: renderMarkdown(c.description),
      description: undefined,
      startsAt: formatDateTime(c.startsAt, dates),
      endsAt: formatDateTime(c.endsAt, dates),
      releaseAt: c.releaseAt ? formatDateTime(c.releaseAt, dates) : null,
      releasedAt: c.releasedAt ? formatDateTime(c.releasedAt, dates) : null,
      cancelledAt: undefined,
      released: c.releasedAt !== null,
    },
    // Remaining time as the server counts it; the page's script ticks it down.
    secondsToStart: secondsUntil(c.startsAt, now),
    secondsToEnd: secondsUntil(c.endsAt, now),
    mine: view.mine && { ...view.mine, createdAt: formatDateTime(view.mine.createdAt, dates) },
    overview: view.overview?.map((o) => ({ ...o, handedIn: o.handedIn ? formatDateTime(o.handedIn, dates) : null })) ?? null,
    // The creator may remove competitors until the start (removalRefusal, decision 034).
    removable: view.role === "creator" && !c.cancelledAt && !c.releasedAt && view.phase === "upcoming",
  };
}

/** The page's notices: a success, or a refusal about the competition itself (not started, ended, …). */
type ActionResult = { ok?: string; error?: string; params?: Record<string, string | number> };

/** An upload form's reply with the refusal on its file field; `upload` (which form) is in its values. */
function fileRefusal(upload: "handIn" | "file", key: string, fields?: FormData | null) {
  const reply = formErrorReply(key, fields);
  return { ...reply, initialValue: { ...reply.initialValue, upload }, error: { file: [key] } };
}

/** A success that empties the form that sent it. */
const formReset = () => ({ initialValue: null });

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const id = parseOr400(urlId(), params.competitionId, "competition id");
  const contentType = request.headers.get("Content-Type") ?? "";
  try {
    if (contentType.startsWith("multipart/form-data")) {
      // Which upload it is comes in the URL, so the right check runs before any byte is stored.
      const what = parseOr400(z.object({ upload: z.enum(["handIn", "file"]) }), searchParamsOf(request), "upload");
      if (what.upload === "handIn") await assertCanHandIn(user, id);
      else await assertCanAddFile(user, id);
      let received: Awaited<ReturnType<typeof parseUploadForm>>;
      try {
        received = await parseUploadForm(request, what.upload === "handIn" ? "submission" : "material");
      } catch (e) {
        // A refused file is the file field's error (decision 031), the form's other fields lost with the body.
        if (e instanceof UploadError) return data(fileRefusal(what.upload, `courses:errors.upload_${e.code}`), { status: e.status, headers: e.status === 413 ? { Connection: "close" } : undefined });
        throw e;
      }
      const { fields, file } = received;
      if (what.upload === "file") {
        if (!file) return data(fileRefusal("file", "courses:errors.upload_missing", fields), { status: 400 });
        const asset = await storeUpload(user.id, "material", file);
        await addCompetitionFile(user, id, asset.id);
        return { ...formReset(), ok: "fileAdded" };
      }
      const submission = await parseForm(fields, handInSchema, { fallback: "competitions.errors.tooLong" });
      if (submission.status !== "success") {
        await discardUpload(file);
        return data(submission.reply(), { status: 400 });
      }
      if (!submission.value.body && !file) return data(submission.reply({ fieldErrors: { file: ["courses:errors.upload_missing"] } }), { status: 400 });
      const asset = file ? await storeUpload(user.id, "submission", file) : null;
      await handInToCompetition(user, id, submission.value.body, asset?.id ?? null);
      return { ok: "handedIn" } satisfies ActionResult;
    }
    const form = parseOr400(competitionIntentSchema, Object.fromEntries(await readForm(request)), "form");
    if (form.intent === "removeParticipant") {
      await removeParticipant(user, id, form.userId);
      return { ok: "removed" } satisfies ActionResult;
    }
    await releaseCompetition(user, id);
    return { ok: "released" } satisfies ActionResult;
  } catch (e) {
    if (e instanceof CompetitionError) return data<ActionResult>({ error: e.key, params: e.params }, { status: e.status });
    if (e instanceof UploadError) {
      const upload = new URL(request.url).searchParams.get("upload") === "handIn" ? "handIn" : "file";
      return data(fileRefusal(upload, `courses:errors.upload_${e.code}`), { status: e.status, headers: e.status === 413 ? { Connection: "close" } : undefined });
    }
    throw e;
  }
}

export default function CompetitionPage() {
  const d = useLoaderData<typeof loader>();
  const a = useActionData<typeof action>() as (Omit<ActionResult, "error"> & { error?: unknown }) | undefined;
  const nav = useNavigation();
  const { t } = useTranslation("assessment");
  const c = d.competition;
  const busy = nav.state === "submitting";
  const [search] = useSearchParams();
  const edited = search.has("cancelled") ? "cancelled" : search.has("saved") ? "saved" : null;
  return (
    <Page
      title={c.title}
      lead={<><PhaseBadge phase={d.phase} released={c.released} cancelled={d.cancelled !== null} /> <span className="ml-2">{t("competitions.window", { start: c.startsAt, end: c.endsAt })}</span></>}
      actions={
        <>
          {d.role === "creator" && !c.released && !d.cancelled ? <ButtonLink to={`/competitions/${c.id}/edit`} variant="secondary">{t("competitions.edit")}</ButtonLink> : null}
          {d.role === "creator" || c.released ? <ButtonLink to={`/competitions/${c.id}/results`}>{t("competitions.resultsLink")}</ButtonLink> : null}
          {d.role === "marker" ? <ButtonLink to="/marking" variant="secondary">{t("marking.queueLink")}</ButtonLink> : null}
          <ButtonLink to="/competitions" variant="secondary">{t("competitions.back")}</ButtonLink>
        </>
      }
    >
      {a?.ok ? <Notice tone="success">{t(`competitions.ok.${a.ok}`)}</Notice> : null}
      {edited && !a ? <Notice tone="success">{t(`competitions.ok.${edited}`)}</Notice> : null}
      {typeof a?.error === "string" ? <Notice tone="error">{t(a.error, a.params)}</Notice> : null}
      {d.cancelled ? <Notice tone="warning">{t("competitions.cancelledNotice", { at: d.cancelled.at, reason: d.cancelled.reason })}</Notice> : null}
      {d.phase === "upcoming" ? <Countdown seconds={d.secondsToStart} label={t("competitions.startsIn")} /> : null}
      {d.phase === "open" ? <Countdown seconds={d.secondsToEnd} label={t("competitions.endsIn")} /> : null}

      <div className="grid gap-4 lg:grid-cols-2">
        <Card title={t("competitions.project")}>
          <p className="text-sm text-slate-600">{t("competitions.schemeFrom", { project: c.project })}</p>
          {c.descriptionHtml ? <div className="prose mt-2 max-w-none" dangerouslySetInnerHTML={{ __html: c.descriptionHtml }} /> : null}
          {c.modules.length ? (
            <>
              <h3 className="mt-4 font-semibold">{t("competitions.modules")}</h3>
              <ol className="mt-1 list-decimal pl-5 text-sm">
                {c.modules.map((m) => (
                  <li key={m.id}>{t("competitions.moduleLine", { title: m.title, minutes: m.minutes })}</li>
                ))}
              </ol>
            </>
          ) : null}
          {c.files.length ? (
            <>
              <h3 className="mt-4 font-semibold">{t("competitions.files")}</h3>
              <ul className="mt-1 text-sm">
                {c.files.map((f) => (
                  <li key={f.id}>
                    <a className="text-brand-600 underline" href={`/media/${f.id}`}>{f.name}</a> <span className="text-slate-500">({formatBytes(f.size)})</span>
                  </li>
                ))}
              </ul>
            </>
          ) : null}
          {d.role === "creator" && d.phase !== "closed" ? (
            <AddFileForm busy={busy} />
          ) : null}
        </Card>

        <Card title={t("competitions.about")}>
          <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm">
            <dt className="text-slate-600">{t("competitions.organiser")}</dt>
            <dd>{c.org ? `${c.creator} · ${c.org}` : c.creator}</dd>
            <dt className="text-slate-600">{t("competitions.participantsCount")}</dt>
            <dd>{c.participants}</dd>
            <dt className="text-slate-600">{t("competitions.markersLabel")}</dt>
            <dd>{c.markers.join(", ")}</dd>
            <dt className="text-slate-600">{t("competitions.releaseLabel")}</dt>
            <dd>{c.releasedAt ? t("competitions.releasedOn", { when: c.releasedAt }) : c.releaseAt ? t("competitions.releaseSet", { when: c.releaseAt }) : t("competitions.releaseByHand")}</dd>
          </dl>
          {c.briefingUrl ? (
            <p className="mt-3">
              <a className="inline-flex items-center gap-1 text-brand-600 underline" href={c.briefingUrl} target={c.briefingUrl.startsWith("/") ? undefined : "_blank"} rel="noreferrer">
                <Icon name="video" /> {t("competitions.briefing")}
              </a>
            </p>
          ) : null}
        </Card>
      </div>

      {d.role === "participant" ? (
        <Card title={t("competitions.yourHandIn")}>
          {d.mine ? (
            <div data-testid="my-hand-in" className="text-sm">
              <p className="text-slate-600">{t("competitions.handedInAt", { when: d.mine.createdAt })}</p>
              {d.mine.body ? <p className="mt-1 whitespace-pre-wrap">{d.mine.body}</p> : null}
              {d.mine.asset ? <a className="text-brand-600 underline" href={`/media/${d.mine.asset.id}`}>{d.mine.asset.originalName}</a> : null}
              <p className="mt-2">{c.released ? <Link className="underline" to={`/competitions/${c.id}/results`}>{t("competitions.seeResults")}</Link> : <Badge tone="info">{t("competitions.beingMarked")}</Badge>}</p>
            </div>
          ) : d.phase === "open" ? (
            <HandInForm busy={busy} />
          ) : (
            <EmptyState>{d.phase === "upcoming" ? t("competitions.notOpenYet") : t("competitions.closedNoHandIn")}</EmptyState>
          )}
        </Card>
      ) : null}

      {d.overview ? (
        <Card title={t("competitions.handIns")}>
          <DataTable
            rows={d.overview}
            rowKey={(r) => r.id}
            empty={t("competitions.noParticipants")}
            columns={[
              { key: "name", header: t("competition.name"), cell: (r) => r.name },
              { key: "in", header: t("competitions.handedIn"), cell: (r) => r.handedIn ?? "—" },
              {
                key: "state",
                header: t("competitions.marking"),
                cell: (r) =>
                  !r.handedIn ? <Badge>{t("competitions.noHandIn")}</Badge> : r.flagged ? <Badge tone="warning">{t("marking.flagged", { count: r.flagged })}</Badge> : r.complete ? <Badge tone="success">{t("marking.ready")}</Badge> : <Badge tone="info">{t("marking.inProgress")}</Badge>,
              },
              { key: "total", header: t("competition.raw"), cell: (r) => (r.total === null ? "" : `${r.total} / ${r.max}`), className: "text-right" },
              ...(d.removable
                ? [
                    {
                      key: "actions",
                      header: t("competitions.actions"),
                      cell: (r: (typeof d.overview)[number]) => (
                        <Form method="post" data-testid={`remove-${r.id}`}>
                          <input type="hidden" name="userId" value={r.id} />
                          <ConfirmButton label={<><Icon name="close" /> {t("competitions.remove")}</>} question={t("competitions.removeQuestion", { name: r.name })} confirmLabel={t("competitions.removeYes")} value="removeParticipant" small />
                        </Form>
                      ),
                      className: "text-right",
                    },
                  ]
                : []),
            ]}
          />
          {d.removable && d.overview.length ? <p className="mt-2 text-sm text-slate-600">{t("competitions.removeHint")}</p> : null}
          {!c.released ? (
            <Form method="post" className="mt-4">
              <ConfirmButton label={t("competitions.release")} question={t("competitions.releaseQuestion")} confirmLabel={t("competitions.releaseYes")} value="release" />
            </Form>
          ) : null}
        </Card>
      ) : null}
    </Page>
  );
}

function AddFileForm({ busy }: { busy: boolean }) {
  const { t } = useTranslation("assessment");
  const [form, fields] = useConformForm<{ file: unknown }>({ id: "add-file", lastResult: useReplyFor({ upload: "file" }) });
  return (
    <ConformForm form={form} t={t} method="post" action="?upload=file" encType="multipart/form-data" className="mt-4 flex flex-col gap-2 sm:flex-row sm:items-end">
      <input type="hidden" name="upload" value="file" />
      <FileField label={t("competitions.addFile")} field={fields.file} required />
      <Button type="submit" variant="secondary" disabled={busy}>{t("competitions.upload")}</Button>
    </ConformForm>
  );
}

function HandInForm({ busy }: { busy: boolean }) {
  const { t } = useTranslation("assessment");
  const [form, fields] = useConformForm<{ body: string; file: unknown }>({ id: "hand-in", lastResult: useReplyFor({ upload: "handIn" }) });
  return (
    <ConformForm form={form} t={t} method="post" action="?upload=handIn" encType="multipart/form-data" className="space-y-3">
      <input type="hidden" name="upload" value="handIn" />
      <TextArea label={t("competitions.handInText")} field={fields.body} rows={4} maxLength={5000} />
      <FileField label={t("competitions.handInFile")} field={fields.file} accept="image/*,video/*,application/pdf,application/zip" />
      <Button type="submit" disabled={busy}>{t("competitions.handIn")}</Button>
    </ConformForm>
  );
}

import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, MaxPartSizeExceededError, unstable_createMemoryUploadHandler, unstable_parseMultipartFormData } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { Badge, Notice } from "~/components/ui/feedback";
import { Button, ButtonLink, Checkbox, TextField } from "~/components/ui/forms";
import { Card, EmptyState, Page } from "~/components/ui/layout";
import { IssueList, SchemeTree } from "~/components/assessment/scheme";
import { SchemeEditor, type EditorFailure } from "~/components/assessment/scheme-editor";
import { editorTree, editScheme, schemeLocked } from "~/domains/assessment/scheme-editor.server";
import { SCHEME_EDIT_INTENTS } from "~/domains/assessment/validation";
import { requireUser } from "~/domains/auth/session.server";
import { assignMarker, releaseResult, replaceScheme, schemeForEditor, submissionsForLead } from "~/domains/assessment/marking.server";
import { importSchemeXlsx, type RowError } from "~/domains/assessment/xlsx.server";
import { findExpertByEmail } from "~/domains/assessment/people.server";
import type { SchemeIssue } from "~/domains/assessment/scheme";
import { badRequest, parseOr400, readForm } from "~/utils/input.server";
import { urlId } from "~/utils/input";
import { addMarkerSchema, releaseSchema, schemeSettingsSchema, type SchemeSettingsInput } from "~/domains/assessment/validation";
import { parseForm } from "~/utils/forms.server";
import { ConformForm, useConformForm, useReplyFor } from "~/components/ui/conform-form";

export const meta: MetaFunction = () => [{ title: "Marking scheme · SkillRelay" }];

const MAX_XLSX_BYTES = 2 * 1024 * 1024;

function ids(params: Record<string, string | undefined>) {
  return { courseId: parseOr400(urlId(), params.courseId, "course id"), lessonId: parseOr400(urlId(), params.lessonId, "lesson id") };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const { courseId, lessonId } = ids(params);
  const editor = await schemeForEditor(user, courseId, lessonId);
  const submissions = editor.scheme ? await submissionsForLead(user, lessonId) : [];
  return {
    courseId,
    lessonId,
    lessonTitle: editor.lesson.title,
    scheme: editor.input,
    tree: editor.scheme ? editorTree(editor.scheme) : [],
    // Changes with every save: the editor's forms start afresh after one succeeded.
    revision: editor.scheme?.updatedAt.toISOString() ?? "",
    locked: editor.scheme ? await schemeLocked(editor.scheme.id) : false,
    settings: editor.scheme && { passMark: editor.scheme.passMark, blind: editor.scheme.blind, attemptsAllowed: editor.scheme.attemptsAllowed },
    markers: editor.scheme?.markers.map((m) => ({ id: m.user.id, name: m.user.name })) ?? [],
    issues: editor.issues,
    submissions,
  };
}

type ActionResult = { ok?: string; error?: string; rowErrors?: RowError[]; issues?: SchemeIssue[]; failure?: EditorFailure };
const EDIT_INTENTS: readonly string[] = SCHEME_EDIT_INTENTS;


export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const { courseId, lessonId } = ids(params);
  const editor = await schemeForEditor(user, courseId, lessonId); // permission first
  if ((request.headers.get("Content-Type") ?? "").startsWith("multipart/form-data")) {
    let form: FormData;
    try {
      form = await unstable_parseMultipartFormData(request, unstable_createMemoryUploadHandler({ maxPartSize: MAX_XLSX_BYTES }));
    } catch (err) {
      if (err instanceof MaxPartSizeExceededError) return data<ActionResult>({ error: "errors.tooLarge" }, { status: 413 });
      throw badRequest("The form could not be read (malformed body)");
    }
    const file = form.get("file");
    if (!(file instanceof File) || file.size === 0) return data<ActionResult>({ error: "errors.noFile" }, { status: 400 });
    const result = await importSchemeXlsx(new Uint8Array(await file.arrayBuffer()));
    if (!result.ok) return data<ActionResult>({ error: "errors.importFailed", rowErrors: result.errors, issues: result.issues }, { status: 400 });
    await replaceScheme(user, lessonId, result.scheme, undefined, "import");
    return { ok: "imported" } satisfies ActionResult;
  }
  const form = await readForm(request);
  const intent = String(form.get("intent") ?? "");
  if (intent === "create") {
    if (editor.scheme) return { ok: "exists" } satisfies ActionResult;
    await replaceScheme(user, lessonId, { total: 100, tolerance: 0, sections: [] }, undefined, "create");
    return { ok: "created" } satisfies ActionResult;
  }
  if (!editor.scheme || !editor.input) throw badRequest("Create the scheme first", 409);
  if (EDIT_INTENTS.includes(intent)) {
    const fields = Object.fromEntries([...form].map(([k, v]) => [k, String(v)]));
    const result = await editScheme(user, courseId, lessonId, fields);
    if (result.ok) return { ok: "saved" } satisfies ActionResult;
    const failure: EditorFailure = { form: `${intent}:${fields.targetId ?? ""}`, errors: result.errors, values: fields };
    return data<ActionResult>({ error: result.errors.form ?? "editor.errors.invalid", failure }, { status: result.status });
  }
  // The plain forms answer Conform replies (decision 031); a success empties them (reset).
  if (intent === "settings") {
    const submission = await parseForm(form, schemeSettingsSchema, { fallback: "errors.badRequest" });
    if (submission.status !== "success") return data(submission.reply(), { status: 400 });
    const s = submission.value;
    await replaceScheme(user, lessonId, { ...editor.input, tolerance: s.tolerance }, { passMark: s.passMark, attemptsAllowed: s.attemptsAllowed, blind: s.blind === "on" }, "settings");
    return { ...submission.reply({ resetForm: true }), ok: "saved" };
  }
  if (intent === "removeMarker") {
    await assignMarker(user, lessonId, parseOr400(urlId(), form.get("markerId"), "marker id"), false);
    return { ok: "saved" } satisfies ActionResult;
  }
  if (intent === "addMarker") {
    const submission = await parseForm(form, addMarkerSchema, { fallback: "errors.markerEmail" });
    if (submission.status !== "success") return data(submission.reply(), { status: 400 });
    const markerId = await findExpertByEmail(submission.value.email);
    if (!markerId) return data(submission.reply({ fieldErrors: { email: ["errors.noSuchExpert"] } }), { status: 400 });
    await assignMarker(user, lessonId, markerId, true);
    return { ...submission.reply({ resetForm: true }), ok: "saved" };
  }
  if (intent === "release") {
    const submission = await parseForm(form, releaseSchema, { fallback: "errors.badRequest" });
    if (submission.status !== "success") return data(submission.reply(), { status: 400 });
    const { submissionId, feedback } = submission.value;
    if (!editor.scheme || !(await submissionsForLead(user, lessonId)).some((s) => s.id === submissionId)) throw badRequest("Not a submission of this task", 404);
    try {
      await releaseResult(user, submissionId, feedback);
    } catch (err) {
      if (err instanceof Response && err.status === 409) return data(submission.reply({ formErrors: ["errors.notReady"] }), { status: 409 });
      throw err;
    }
    return { ...submission.reply({ resetForm: true }), ok: "released" };
  }
  throw badRequest("Unknown action");
}

export default function SchemePage() {
  const d = useLoaderData<typeof loader>();
  const a = useActionData<typeof action>() as (Omit<ActionResult, "error"> & { error?: unknown }) | undefined;
  const { t } = useTranslation("assessment");
  const base = `/teach/courses/${d.courseId}/lessons/${d.lessonId}`;
  return (
    <Page
      title={t("scheme.title")}
      lead={d.lessonTitle}
      actions={<ButtonLink to={base}>{t("scheme.backToLesson")}</ButtonLink>}
    >
      {a?.ok ? <Notice tone="success">{t(`scheme.ok.${a.ok}`)}</Notice> : null}
      {typeof a?.error === "string" ? <Notice tone="error">{t(a.error)}</Notice> : null}
      {a?.rowErrors?.length ? (
        <Notice tone="error">
          <ul className="list-disc pl-5">
            {a.rowErrors.map((e, i) => (
              <li key={i}>{t("scheme.rowError", { row: e.row, column: e.column ?? "", message: e.message })}</li>
            ))}
          </ul>
        </Notice>
      ) : null}
      {a?.issues?.length ? <IssueList issues={a.issues} /> : null}
      {!d.scheme ? (
        <Card title={t("scheme.none")}>
          <Form method="post">
            <input type="hidden" name="intent" value="create" />
            <Button type="submit">{t("scheme.create")}</Button>
          </Form>
        </Card>
      ) : (
        <>
          {d.issues.length ? <IssueList issues={d.issues} /> : <Notice tone="success">{t("scheme.valid")}</Notice>}
          {d.locked ? (
            <>
              <Notice tone="info">{t("editor.locked")}</Notice>
              <Card title={t("scheme.tree")}>{d.scheme.sections.length ? <SchemeTree scheme={d.scheme} /> : <EmptyState>{t("scheme.empty")}</EmptyState>}</Card>
            </>
          ) : (
            <Card title={t("editor.title")}>
              {d.tree.length ? null : <EmptyState>{t("scheme.empty")}</EmptyState>}
              <SchemeEditor key={d.revision} sections={d.tree} scheme={d.scheme} failure={a?.failure} />
            </Card>
          )}
          <Card title={t("scheme.xlsx")}>
            <div className="flex flex-col gap-3 sm:flex-row sm:items-end">
              <ButtonLink to={`${base}/scheme.xlsx`} reloadDocument>
                {t("scheme.export")}
              </ButtonLink>
              <Form method="post" encType="multipart/form-data" className="flex flex-col gap-2 sm:flex-row sm:items-end">
                <label className="text-sm">
                  <span className="block font-medium">{t("scheme.importFile")}</span>
                  <input type="file" name="file" accept=".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" required className="mt-1 block text-sm" />
                </label>
                <Button type="submit" variant="secondary">{t("scheme.import")}</Button>
              </Form>
            </div>
            <p className="mt-2 text-sm text-slate-600">{t("scheme.importHelp")}</p>
          </Card>
          <Card title={t("form.printHeading")}>
            <ButtonLink to={`${base}/scheme/form.pdf`} reloadDocument variant="secondary">
              {t("form.blankLink")}
            </ButtonLink>
            <p className="mt-2 text-sm text-slate-600">{t("form.printHelp")}</p>
          </Card>
          <Card title={t("scheme.settings")}>
            <SettingsForm settings={d.settings} tolerance={d.scheme.tolerance} />
          </Card>
          <Card title={t("scheme.markers")}>
            {d.markers.length ? (
              <ul className="mb-3 divide-y">
                {d.markers.map((m) => (
                  <li key={m.id} className="flex items-center justify-between py-2">
                    <span>{m.name}</span>
                    <Form method="post">
                      <input type="hidden" name="intent" value="removeMarker" />
                      <input type="hidden" name="markerId" value={m.id} />
                      <Button type="submit" variant="secondary">{t("scheme.removeMarker")}</Button>
                    </Form>
                  </li>
                ))}
              </ul>
            ) : (
              <EmptyState>{t("scheme.noMarkers")}</EmptyState>
            )}
            <AddMarkerForm />
          </Card>
          <Card title={t("scheme.submissions")}>
            {d.submissions.length ? (
              <ul className="divide-y">
                {d.submissions.map((s) => (
                  <li key={s.id} className="flex flex-col gap-2 py-3 sm:flex-row sm:items-center sm:justify-between">
                    <span>
                      {s.learner} · {t("marking.totalOf", { total: s.total, max: s.max })}{" "}
                      {s.released ? <Badge tone="success">{t("marking.released")}</Badge> : s.flagged ? <Badge tone="warning">{t("marking.flagged", { count: s.flagged })}</Badge> : s.complete ? <Badge tone="info">{t("marking.ready")}</Badge> : <Badge>{t("marking.inProgress")}</Badge>}
                    </span>
                    {!s.released && s.complete ? (
                      <ReleaseForm submissionId={s.id} />
                    ) : null}
                  </li>
                ))}
              </ul>
            ) : (
              <EmptyState>{t("scheme.noSubmissions")}</EmptyState>
            )}
            <p className="mt-2 text-sm">
              <Link className="underline" to="/marking">{t("marking.queueLink")}</Link>
            </p>
          </Card>
        </>
      )}
    </Page>
  );
}

function SettingsForm({ settings, tolerance }: { settings: { passMark: number; blind: boolean; attemptsAllowed: number } | null; tolerance: number }) {
  const { t } = useTranslation("assessment");
  const [form, fields] = useConformForm<SchemeSettingsInput>({
    id: "scheme-settings",
    lastResult: useReplyFor({ intent: "settings" }),
    defaultValue: { passMark: settings ? String(settings.passMark) : "", tolerance: String(tolerance), attemptsAllowed: settings ? String(settings.attemptsAllowed) : "", blind: settings?.blind ? "on" : undefined },
  });
  return (
    <ConformForm form={form} t={t} method="post" className="grid gap-3 sm:grid-cols-4 sm:items-end">
      <input type="hidden" name="intent" value="settings" />
      <TextField label={t("scheme.passMark")} field={fields.passMark} type="number" step="0.5" required />
      <TextField label={t("scheme.tolerance")} field={fields.tolerance} type="number" step="0.1" required />
      <TextField label={t("scheme.attempts")} field={fields.attemptsAllowed} type="number" required />
      <Checkbox label={t("scheme.blind")} field={fields.blind} />
      <Button type="submit">{t("scheme.save")}</Button>
    </ConformForm>
  );
}

function AddMarkerForm() {
  const { t } = useTranslation("assessment");
  const [form, fields] = useConformForm<{ email: string }>({ id: "add-marker", lastResult: useReplyFor({ intent: "addMarker" }) });
  return (
    <ConformForm form={form} t={t} method="post" className="flex flex-col gap-2 sm:flex-row sm:items-end">
      <input type="hidden" name="intent" value="addMarker" />
      <TextField label={t("scheme.markerEmail")} field={fields.email} type="email" required />
      <Button type="submit">{t("scheme.addMarker")}</Button>
    </ConformForm>
  );
}

function ReleaseForm({ submissionId }: { submissionId: string }) {
  const { t } = useTranslation("assessment");
  const [form, fields] = useConformForm<{ feedback: string }>({ id: `release-${submissionId}`, lastResult: useReplyFor({ intent: "release", submissionId }) });
  return (
    <ConformForm form={form} t={t} method="post" className="flex flex-col gap-2 sm:flex-row sm:items-end">
      <input type="hidden" name="intent" value="release" />
      <input type="hidden" name="submissionId" value={submissionId} />
      <TextField label={t("scheme.overallFeedback")} field={fields.feedback} maxLength={2000} />
      <Button type="submit">{t("scheme.release")}</Button>
    </ConformForm>
  );
}

import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { badRequest, readForm } from "~/utils/input.server";
import {
  data,
  MaxPartSizeExceededError,
  unstable_createMemoryUploadHandler,
  unstable_parseMultipartFormData,
} from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { SchoolHeader } from "~/components/schools/ui";
import { Notice } from "~/components/ui/feedback";
import { ConformForm, useConformForm, type FormReply } from "~/components/ui/conform-form";
import { Button, FileField, linkButton } from "~/components/ui/forms";
import { Card } from "~/components/ui/layout";
import { CopyLink } from "~/components/schools/copy-link";
import { TargetSelect } from "~/components/schools/target-select";
import { requireRole } from "~/domains/auth/session.server";
import { i18next } from "~/i18next.server";
import { schoolOverview } from "~/domains/schools/cohorts.server";
import { applyImport, previewImport, resolveTargetValue, type ImportPreview, type ImportTarget } from "~/domains/schools/import.server";
import { MAX_IMPORT_BYTES, MAX_IMPORT_ROWS, parseImportFile, type CsvEncoding, type FileError, type RowError } from "~/domains/schools/csv";
import { sealUpload, unsealUpload } from "~/domains/schools/sealed-upload.server";
import { invitationUrl } from "~/domains/schools/invitations.server";
import { maskIdNumber } from "~/domains/records/id-number";
import { formatDate } from "~/utils/datetime";
import { importUploadSchema, type ImportUploadInput } from "~/domains/schools/validation";
import { parseForm, type FormSubmission } from "~/utils/forms.server";

export const meta: MetaFunction = () => [{ title: "Import learners · School · SkillRelay" }];

const PREVIEW_ROWS = 500;

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, "school_admin");
  const orgs = await schoolOverview(user);
  const cohort = new URL(request.url).searchParams.get("cohort");
  return {
    orgs: orgs.map((o) => ({ id: o.id, name: o.name, cohorts: o.cohorts.map((c) => ({ id: c.id, name: c.name })) })),
    unverified: orgs.filter((o) => !o.verifiedAt).map((o) => o.name),
    defaultTarget: cohort ? `cohort:${cohort}` : undefined,
    maxRows: MAX_IMPORT_ROWS,
    maxMegabytes: MAX_IMPORT_BYTES / 1024 / 1024,
  };
}

interface PreviewView {
  stage: "preview";
  fileName: string;
  encoding: CsvEncoding | null;
  sealed: string | null;
  target: string;
  targetLabel: string;
  ok: boolean;
  fileError: FileError | null;
  errors: RowError[];
  counts: ImportPreview["counts"];
  newCohorts: string[];
  ignoredColumns: string[];
  rows: Array<{ line: number; name: string; email: string | null; phone: string | null; idMasked: string; cohortName: string | null; cohortIsNew: boolean; status: string }>;
  moreRows: number;
  /** Set when an apply was refused: nothing was written. */
  rejected: boolean;
}

interface DoneView {
  stage: "done";
  outcome: { created: number; matched: number; joinedOrganisation: number; addedToCohorts: number; createdCohorts: string[]; enrolments: number; requested: number };
  learners: Array<{ line: number; name: string; contact: string; url: string | null; expiresLabel: string; requested: boolean }>;
  invitationsLink: string;
  targetLabel: string;
}

/**
 * The upload form's Conform reply for a refused file: the file field carries the reason (the
 * file's own problem, or "N lines have problems" above the table of them), so the focus goes
 * back to it. `submission` is null when nothing could be parsed (a file over the limit, step 2).
 */
function uploadReply(submission: FormSubmission<typeof importUploadSchema> | null, view: PreviewView): FormReply | Record<string, never> {
  const key = view.fileError ? `fileErrors.${view.fileError.code}` : view.errors.length ? "import.errorsSummary" : null;
  if (!key) return {};
  const fieldErrors = { file: [key] };
  return submission ? submission.reply({ fieldErrors }) : { status: "error", initialValue: { target: view.target }, error: fieldErrors };
}

function targetLabel(target: ImportTarget) {
  return target.defaultCohort ? `${target.orgName} · ${target.defaultCohort.name}` : target.orgName;
}

function previewView(
  preview: ImportPreview,
  extra: { fileName: string; encoding: CsvEncoding | null; sealed: string | null; target: string; targetLabel: string; ignoredColumns: string[]; rejected?: boolean },
): PreviewView {
  return {
    stage: "preview",
    ...extra,
    rejected: extra.rejected ?? false,
    ok: preview.ok,
    fileError: preview.fileError,
    errors: preview.errors,
    counts: preview.counts,
    newCohorts: preview.newCohorts,
    rows: preview.plans.slice(0, PREVIEW_ROWS).map((p) => ({
      line: p.row.line,
      name: p.row.name,
      email: p.row.email,
      phone: p.row.phone,
      idMasked: p.row.idNumber ? maskIdNumber(p.row.idNumber) : "",
      cohortName: p.cohortName,
      cohortIsNew: p.cohortIsNew,
      status: p.status,
    })),
    moreRows: Math.max(0, preview.plans.length - PREVIEW_ROWS),
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireRole(request, "school_admin");
  const contentType = request.headers.get("Content-Type") ?? "";

  if (contentType.startsWith("multipart/form-data")) {
    // Step 1: check the uploaded file and show what importing it would do.
    let form: FormData;
    let tooLarge = false;
    try {
      form = await unstable_parseMultipartFormData(request, unstable_createMemoryUploadHandler({ maxPartSize: MAX_IMPORT_BYTES }));
    } catch (err) {
      if (!(err instanceof MaxPartSizeExceededError)) throw badRequest("The form could not be read (malformed body)");
      tooLarge = true;
      form = new FormData();
    }
    const targetValue = String(form.get("target") ?? "");
    const target = tooLarge ? null : await resolveTargetValue(user, targetValue);
    const submission = tooLarge ? null : await parseForm(form, importUploadSchema, { fallback: "errors.badRequest" });
    const file = form.get("file");
    const fileName = file instanceof File ? file.name : "";
    const bytes = file instanceof File ? new Uint8Array(await file.arrayBuffer()) : new Uint8Array();
    const parsed = tooLarge ? null : parseImportFile(bytes);
    if (!target || !parsed) {
      const view = previewView(
        { ok: false, fileError: { code: "tooLarge" }, errors: [], plans: [], newCohorts: [], counts: { rows: 0, new: 0, existing: 0, member: 0, request: 0 } },
        { fileName, encoding: null, sealed: null, target: targetValue, targetLabel: "", ignoredColumns: [] },
      );
      return data({ ...view, ...uploadReply(null, view) }, { status: 400 });
    }
    const preview = await previewImport(target, parsed);
    const view = previewView(preview, {
      fileName,
      encoding: parsed.encoding,
      sealed: preview.ok ? sealUpload(user.id, bytes) : null,
      target: targetValue,
      targetLabel: targetLabel(target),
      ignoredColumns: parsed.ignoredColumns,
    });
    return data({ ...view, ...uploadReply(submission, view) }, { status: preview.ok ? 200 : 400 });
  }

  // Step 2: apply the checked file, all or nothing.
  const form = await readForm(request);
  const targetValue = String(form.get("target") ?? "");
  const target = await resolveTargetValue(user, targetValue);
  const bytes = unsealUpload(user.id, String(form.get("sealed") ?? ""));
  if (!bytes) return data({ stage: "expired" as const }, { status: 400 });
  const parsed = parseImportFile(bytes);
  const result = await applyImport(target, parsed);
  const fileName = String(form.get("fileName") ?? "");
  if (!result.ok) {
    const view = previewView(result.preview, {
      fileName,
      encoding: parsed.encoding,
      sealed: null,
      target: targetValue,
      targetLabel: targetLabel(target),
      ignoredColumns: parsed.ignoredColumns,
      rejected: true,
    });
    return data({ ...view, ...uploadReply(null, view) }, { status: 409 });
  }
  const locale = await i18next.getLocale(request);
  const { learners, ...outcome } = result.outcome;
  const params = new URLSearchParams({ org: target.orgId, ...(target.defaultCohort ? { cohort: target.defaultCohort.id } : {}) });
  return data<DoneView>({
    stage: "done",
    outcome,
    targetLabel: targetLabel(target),
    invitationsLink: `/school/invitations?${params}`,
    learners: learners.map((l) => ({
      line: l.line,
      name: l.name,
      contact: [l.phone, l.email].filter(Boolean).join(" · "),
      url: l.token ? invitationUrl(request, l.token) : null,
      expiresLabel: l.expiresAt ? formatDate(l.expiresAt, { locale, timeZone: user.timeZone }) : "",
      requested: l.requested,
    })),
  });
}

function fileErrorText(t: (k: string, o?: Record<string, unknown>) => string, e: FileError) {
  return t(`fileErrors.${e.code}`, { line: "line" in e ? e.line : "", column: "column" in e ? e.column : "" });
}

function UploadForm() {
  const { t } = useTranslation("schools");
  const { orgs, unverified, defaultTarget, maxRows, maxMegabytes } = useLoaderData<typeof loader>();
  const busy = useNavigation().state === "submitting";
  const view = useActionData<typeof action>() as (PreviewView & FormReply) | undefined;
  const [form, fields] = useConformForm<ImportUploadInput>({ id: "import", lastResult: view, defaultValue: { target: defaultTarget } });
  const fileError = view && "fileError" in view ? view.fileError : null;
  // The file's reasons take parameters: the line and column of a bad header, the number of bad lines.
  const tr = (key: string) =>
    t(key, { count: view && "errors" in view ? new Set(view.errors.map((e) => e.line)).size : 0, line: fileError && "line" in fileError ? fileError.line : "", column: fileError && "column" in fileError ? fileError.column : "" });
  return (
    <Card title={t("import.uploadTitle")} id="upload">
      {unverified.length ? (
        <div className="mb-4" data-testid="import-unverified">
          <Notice tone="warning">{t("import.unverified")} ({unverified.join("、")})</Notice>
        </div>
      ) : null}
      <ConformForm form={form} t={tr} method="post" encType="multipart/form-data" className="space-y-4">
        <TargetSelect orgs={orgs} label={t("import.target")} hint={t("import.targetHint")} field={fields.target} noneLabelKey="target.orgOnlyImport" />
        <FileField label={t("import.file")} field={fields.file} required accept=".csv,.txt,text/csv,text/plain" hint={t("import.fileHint", { maxRows, maxMegabytes })} />
        <div className="flex flex-wrap gap-2">
          <Button type="submit" disabled={busy}>{busy ? t("import.checking") : t("import.check")}</Button>
          <a href="/school/import/template.csv" className={linkButton} download>{t("import.template")}</a>
        </div>
      </ConformForm>
    </Card>
  );
}

function Rules() {
  const { t } = useTranslation("schools");
  return (
    <Card title={t("import.rulesTitle")} id="rules">
      <ul className="list-disc space-y-2 pl-5 text-sm text-slate-700">
        {["columns", "contact", "idNumber", "cohort", "encoding", "allOrNothing", "reimport", "links"].map((k) => (
          <li key={k}>{t(`import.rules.${k}`)}</li>
        ))}
      </ul>
    </Card>
  );
}

const STATUS_STYLE: Record<string, string> = {
  new: "bg-emerald-100 text-emerald-800",
  existing: "bg-brand-100 text-brand-700",
  member: "bg-slate-100 text-slate-700",
  request: "bg-amber-100 text-amber-800",
};

function PreviewPanel({ view }: { view: PreviewView }) {
  const { t } = useTranslation("schools");
  const busy = useNavigation().state === "submitting";
  const problemLines = new Set(view.errors.map((e) => e.line)).size;
  return (
    <div className="space-y-6">
      <Card title={t("import.previewTitle", { file: view.fileName || "—" })} id="preview">
        <div className="space-y-3">
          {view.targetLabel ? <p className="text-sm text-slate-700">{t("import.into", { target: view.targetLabel })}</p> : null}
          {view.encoding ? (
            <Notice tone={view.encoding === "gb18030" ? "warning" : "info"}>{t(`import.encoding.${view.encoding}`)}</Notice>
          ) : null}
          {view.fileError ? <Notice tone="error">{fileErrorText(t, view.fileError)}</Notice> : null}
          {view.errors.length ? (
            <div role="alert" className="rounded-md border border-red-200 bg-red-50 p-3 text-sm text-red-800" data-testid="import-errors">
              <p className="font-semibold">
                {view.rejected ? t("import.rejected") + " " : ""}
                {t("import.errorsSummary", { count: problemLines })}
              </p>
              <div className="mt-2 max-h-96 overflow-auto">
                <table className="w-full text-left">
                  <thead>
                    <tr className="text-xs uppercase text-red-700">
                      <th scope="col" className="py-1 pr-3">{t("import.line")}</th>
                      <th scope="col" className="py-1 pr-3">{t("import.column")}</th>
                      <th scope="col" className="py-1">{t("import.problem")}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {view.errors.map((e, i) => (
                      <tr key={i} className="border-t border-red-100 align-top" data-testid="import-error">
                        <td className="py-1 pr-3 font-mono">{e.line}</td>
                        <td className="py-1 pr-3">{e.field ? t(`fields.${e.field}`) : "—"}</td>
                        <td className="py-1">{t(`rowErrors.${e.code}`, { value: e.value ?? "", otherLine: e.otherLine ?? "" })}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
              <p className="mt-2">{t("import.fixAndRetry")}</p>
            </div>
          ) : null}
          {view.ignoredColumns.length ? <Notice tone="warning">{t("import.ignoredColumns", { columns: view.ignoredColumns.join(", ") })}</Notice> : null}
          {view.ok ? (
            <dl className="grid grid-cols-2 gap-3 sm:grid-cols-5">
              {(["rows", "new", "existing", "member", "request"] as const).map((k) => (
                <div key={k} className="rounded-lg bg-slate-50 p-3">
                  <dt className="text-xs text-slate-500">{t(`import.counts.${k}`)}</dt>
                  <dd className="text-xl font-bold text-brand-700" data-testid={`count-${k}`}>{view.counts[k]}</dd>
                </div>
              ))}
            </dl>
          ) : null}
          {view.ok && view.newCohorts.length ? <Notice tone="warning">{t("import.newCohorts", { names: view.newCohorts.join("、") })}</Notice> : null}
          {view.ok && view.sealed ? (
            <Form method="post" className="flex flex-wrap items-center gap-3 border-t border-slate-100 pt-4">
              <input type="hidden" name="intent" value="apply" />
              <input type="hidden" name="sealed" value={view.sealed} />
              <input type="hidden" name="target" value={view.target} />
              <input type="hidden" name="fileName" value={view.fileName} />
              <Button type="submit" disabled={busy}>{t("import.apply", { count: view.counts.rows })}</Button>
              <Link to="/school/import" className="text-sm font-medium text-brand-600 hover:underline">{t("import.chooseAnother")}</Link>
            </Form>
          ) : null}
        </div>
      </Card>
      {view.rows.length ? (
        <Card title={t("import.rowsTitle")}>
          <div className="overflow-x-auto">
            <table className="w-full min-w-[40rem] text-left text-sm">
              <thead className="text-xs uppercase text-slate-500">
                <tr>
                  <th scope="col" className="py-2 pr-3">{t("import.line")}</th>
                  <th scope="col" className="py-2 pr-3">{t("fields.name")}</th>
                  <th scope="col" className="py-2 pr-3">{t("fields.phone")} / {t("fields.email")}</th>
                  <th scope="col" className="py-2 pr-3">{t("fields.idNumber")}</th>
                  <th scope="col" className="py-2 pr-3">{t("fields.cohort")}</th>
                  <th scope="col" className="py-2">{t("import.status")}</th>
                </tr>
              </thead>
              <tbody>
                {view.rows.map((r) => (
                  <tr key={r.line} className="border-t border-slate-100" data-testid="preview-row">
                    <td className="py-2 pr-3 font-mono text-slate-500">{r.line}</td>
                    <td className="py-2 pr-3 font-medium">{r.name}</td>
                    <td className="py-2 pr-3">{[r.phone, r.email].filter(Boolean).join(" · ")}</td>
                    <td className="py-2 pr-3 font-mono text-xs">{r.idMasked}</td>
                    <td className="py-2 pr-3">
                      {r.cohortName ?? "—"}
                      {r.cohortIsNew ? <span className="ml-1 rounded bg-amber-100 px-1 text-xs text-amber-900">{t("import.newBadge")}</span> : null}
                    </td>
                    <td className="py-2">
                      <span className={"rounded-full px-2 py-0.5 text-xs font-semibold " + (STATUS_STYLE[r.status] ?? "")}>{t(`import.rowStatus.${r.status}`)}</span>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {view.moreRows ? <p className="mt-2 text-sm text-slate-500">{t("import.moreRows", { count: view.moreRows })}</p> : null}
        </Card>
      ) : null}
    </div>
  );
}

function DonePanel({ view }: { view: DoneView }) {
  const { t } = useTranslation("schools");
  const o = view.outcome;
  return (
    <div className="space-y-6">
      <Notice tone="success">
        <span data-testid="import-done">{t("import.done", { created: o.created, matched: o.matched, target: view.targetLabel })}</span>
        {o.createdCohorts.length ? ` ${t("import.cohortsCreated", { names: o.createdCohorts.join("、") })}` : ""}
        {o.enrolments ? ` ${t("import.enrolled", { count: o.enrolments })}` : ""}
      </Notice>
      {o.requested ? <Notice tone="info"><span data-testid="import-requested">{t("import.requestedNotice", { count: o.requested })}</span></Notice> : null}
      <Card title={t("import.linksTitle")}>
        <p className="-mt-2 mb-4 text-sm text-slate-600">{t("import.linksLead")}</p>
        <div className="mb-4 flex flex-wrap gap-2">
          <Link to={view.invitationsLink} className={linkButton}>{t("import.printLinks")}</Link>
          <Link to="/school/learners" className={linkButton}>{t("nav.learners")}</Link>
          <Link to="/school/import" className={linkButton}>{t("import.another")}</Link>
        </div>
        <ul className="divide-y divide-slate-100">
          {view.learners.map((l) => (
            <li key={l.line} className="grid grid-cols-1 gap-1 py-2 sm:grid-cols-[1fr_2fr] sm:items-center" data-testid="imported-learner">
              <div>
                <p className="font-medium">{l.name}</p>
                <p className="text-xs text-slate-500">{l.contact}</p>
              </div>
              {l.url ? (
                <CopyLink url={l.url} label={t("links.linkFor", { name: l.name })} />
              ) : l.requested ? (
                <p className="text-sm text-slate-600">{t("import.rowStatus.request")}</p>
              ) : (
                <p className="text-sm text-emerald-700">{t("learners.active")}</p>
              )}
            </li>
          ))}
        </ul>
      </Card>
    </div>
  );
}

export default function SchoolImport() {
  const { t } = useTranslation("schools");
  const { orgs } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>() as PreviewView | DoneView | { stage: "expired" } | undefined;
  return (
    <>
      <SchoolHeader title={t("import.title")} lead={t("import.lead")} crumbs={[{ to: "/school", label: t("nav.overview") }]} />
      <div className="mx-auto max-w-6xl space-y-6 px-4 py-8">
        {orgs.length === 0 ? <Notice tone="warning">{t("overview.noOrgBody")}</Notice> : null}
        {actionData?.stage === "expired" ? <Notice tone="error">{t("import.expired")}</Notice> : null}
        {actionData?.stage === "preview" ? <PreviewPanel view={actionData} /> : null}
        {actionData?.stage === "done" ? <DonePanel view={actionData} /> : null}
        {orgs.length && actionData?.stage !== "done" && !(actionData?.stage === "preview" && actionData.ok) ? (
          <div className="grid grid-cols-1 gap-6 lg:grid-cols-[3fr_2fr]">
            <UploadForm />
            <Rules />
          </div>
        ) : null}
      </div>
    </>
  );
}

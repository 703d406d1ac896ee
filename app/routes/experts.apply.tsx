import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { ApplicationBadge } from "~/components/admin/ui";
import { Notice } from "~/components/ui/feedback";
import { ConformForm, useConformForm } from "~/components/ui/conform-form";
import { Button, TextField } from "~/components/ui/forms";
import { Card, Page } from "~/components/ui/layout";
import { ApplicationError, applicationLimiter, applyAsExpert, myExpertApplications } from "~/domains/admin/experts.server";
import { expertApplicationSchema, recordRowsOf } from "~/domains/admin/validation";
import { MAX_APPLICATION_DOCUMENTS, MAX_RECORD_ROWS, MIN_APPLICATION_DOCUMENTS } from "~/domains/admin/options";
import { requireUser } from "~/domains/auth/session.server";
import { discardUpload, parseUploadFiles, UploadError, UPLOAD_RULES, type ReceivedFile } from "~/domains/courses/uploads.server";
import { formatDateTime } from "~/utils/datetime";
import { dateOptions } from "~/utils/datetime.server";
import { formErrorReply } from "~/utils/forms.server";

export const meta: MetaFunction = () => [{ title: "Apply as an expert · SkillRelay" }];

const ROWS = 3;

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const [apps, dates] = await Promise.all([myExpertApplications(user.id), dateOptions(request, user)]);
  return {
    isExpert: user.role === "expert" || user.role === "admin",
    applications: apps.map((a) => ({ id: a.id, status: a.status, reason: a.reason, submitted: formatDateTime(a.createdAt, dates) })),
    sent: new URL(request.url).searchParams.has("sent"),
    maxMegabytes: UPLOAD_RULES.document.maxBytes / 1024 / 1024,
  };
}

async function discardAll(files: ReceivedFile[]) {
  for (const f of files) await discardUpload(f);
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  let upload;
  try {
    upload = await parseUploadFiles(request, "document", MAX_APPLICATION_DOCUMENTS);
  } catch (err) {
    if (err instanceof UploadError) {
      const code = err.code === "too_large" || err.code === "bad_type" || err.code === "empty" ? err.code : "bad_form";
      return data(formErrorReply(`apply.errors.upload_${code}`, err.fieldsSoFar, ["file"]), { status: err.status });
    }
    throw err;
  }
  const { fields: form, files } = upload;
  // The record rows repeat their names (event, year, skill, result) and blank rows are dropped
  // (recordRowsOf), so a refusal is one form-level message; every typed value comes back.
  const refuse = (key: string) => formErrorReply(key, form, ["file"]);
  const parsed = expertApplicationSchema.safeParse({ records: recordRowsOf(form), currentWork: form.get("currentWork") ?? "" });
  if (!parsed.success) {
    await discardAll(files);
    const message = parsed.error.issues[0]?.message ?? "";
    return data(refuse(message.startsWith("apply.") ? message : "apply.errors.bad"), { status: 400 });
  }
  if (files.length < MIN_APPLICATION_DOCUMENTS) return data(refuse("apply.errors.documentRequired"), { status: 400 });
  const limit = await applicationLimiter.consume(user.id);
  if (!limit.ok) {
    await discardAll(files);
    return data(refuse("apply.errors.tooMany"), { status: 429, headers: { "Retry-After": String(limit.retryAfterSeconds) } });
  }
  try {
    await applyAsExpert(user, parsed.data, files);
  } catch (err) {
    if (err instanceof ApplicationError) return data(refuse(`apply.errors.${err.code}`), { status: 409 });
    throw err;
  }
  return redirect("/experts/apply?sent=1");
}

export default function ExpertApply() {
  const { t } = useTranslation("admin");
  const { isExpert, applications, sent, maxMegabytes } = useLoaderData<typeof loader>();
  const [form, fields] = useConformForm({ id: "expert-apply", lastResult: useActionData<typeof action>() });
  const busy = useNavigation().state === "submitting";
  const row = (name: "event" | "year" | "skill" | "result", i: number) => {
    const v = fields[name].initialValue;
    return (Array.isArray(v) ? v[i] : i === 0 ? v : undefined) ?? "";
  };
  const pending = applications.some((a) => a.status === "pending");
  return (
    <Page title={t("apply.title")} lead={t("apply.lead")}>
      {sent ? <Notice tone="success">{t("apply.sent")}</Notice> : null}
      {applications.length ? (
        <Card title={t("apply.mine")}>
          <ul className="divide-y divide-slate-200" data-testid="my-applications">
            {applications.map((a) => (
              <li key={a.id} className="flex flex-wrap items-center gap-2 py-2 text-sm">
                <ApplicationBadge status={a.status} />
                <span>{t("experts.submittedAt", { date: a.submitted })}</span>
                {a.reason ? <span className="text-slate-600">{t("experts.reason")}: {a.reason}</span> : null}
              </li>
            ))}
          </ul>
        </Card>
      ) : null}
      {isExpert ? (
        <Notice tone="info">{t("apply.already")}</Notice>
      ) : pending ? (
        <Notice tone="info">{t("apply.waiting")}</Notice>
      ) : (
        <ConformForm form={form} t={(key) => t(key, { mb: maxMegabytes, max: MAX_APPLICATION_DOCUMENTS })} method="post" encType="multipart/form-data" className="space-y-6" data-testid="expert-apply-form">
          <Card title={t("apply.record")}>
            <p className="mb-3 text-sm text-slate-600">{t("apply.recordHint", { n: MAX_RECORD_ROWS })}</p>
            <div className="space-y-4">
              {Array.from({ length: ROWS }, (_, i) => (
                <fieldset key={i} className="grid grid-cols-1 gap-3 rounded-lg border border-slate-200 p-3 sm:grid-cols-4">
                  <legend className="px-1 text-sm font-medium">{t("apply.row", { n: i + 1 })}</legend>
                  <TextField label={t("apply.event")} name="event" id={`event-${i}`} defaultValue={row("event", i)} maxLength={120} required={i === 0} placeholder={i === 0 ? t("apply.eventExample") : undefined} />
                  <TextField label={t("apply.year")} name="year" id={`year-${i}`} defaultValue={row("year", i)} type="number" min={1950} max={2100} required={i === 0} />
                  <TextField label={t("apply.skill")} name="skill" id={`skill-${i}`} defaultValue={row("skill", i)} maxLength={120} required={i === 0} />
                  <TextField label={t("apply.result")} name="result" id={`result-${i}`} defaultValue={row("result", i)} maxLength={120} required={i === 0} placeholder={i === 0 ? t("apply.resultExample") : undefined} />
                </fieldset>
              ))}
            </div>
          </Card>
          <Card title={t("apply.currentWork")}>
            <label htmlFor="currentWork" className="sr-only">{t("apply.currentWork")}</label>
            <textarea id="currentWork" name="currentWork" required maxLength={2000} rows={5} className="block w-full rounded-md border border-slate-300 px-3 py-2" placeholder={t("apply.currentWorkHint")} defaultValue={fields.currentWork.defaultValue ?? ""} />
          </Card>
          {/* Last in the form: the text fields arrive before the files, so a refused file keeps them. */}
          <Card title={t("apply.documents")}>
            <p className="mb-3 text-sm text-slate-600">{t("apply.documentsHint")}</p>
            <label htmlFor="expert-documents" className="block text-sm font-medium text-slate-700">{t("apply.documentsLabel", { max: MAX_APPLICATION_DOCUMENTS, mb: maxMegabytes })}</label>
            <input id="expert-documents" name="file" type="file" multiple required accept="application/pdf,image/png,image/jpeg,image/webp" className="mt-1 block w-full text-sm" />
          </Card>
          <Button type="submit" disabled={busy}>{t("apply.submit")}</Button>
        </ConformForm>
      )}
    </Page>
  );
}

import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { ApplicationBadge } from "~/components/admin/ui";
import { Notice } from "~/components/ui/feedback";
import { Button, TextField } from "~/components/ui/forms";
import { Card, Page } from "~/components/ui/layout";
import { ApplicationError, applicationLimiter, applyAsExpert, myExpertApplications } from "~/domains/admin/experts.server";
import { expertApplicationSchema, recordRowsOf } from "~/domains/admin/validation";
import { MAX_RECORD_ROWS } from "~/domains/admin/options";
import { requireUser } from "~/domains/auth/session.server";
import { formatDateTime } from "~/utils/datetime";
import { dateOptions } from "~/utils/datetime.server";
import { readForm } from "~/utils/input.server";

export const meta: MetaFunction = () => [{ title: "Apply as an expert · SkillRelay" }];

const ROWS = 3;

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const [apps, dates] = await Promise.all([myExpertApplications(user.id), dateOptions(request, user)]);
  return {
    isExpert: user.role === "expert" || user.role === "admin",
    applications: apps.map((a) => ({ id: a.id, status: a.status, reason: a.reason, submitted: formatDateTime(a.createdAt, dates) })),
    sent: new URL(request.url).searchParams.has("sent"),
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const form = await readForm(request);
  const parsed = expertApplicationSchema.safeParse({ records: recordRowsOf(form), currentWork: form.get("currentWork") ?? "" });
  if (!parsed.success) {
    const message = parsed.error.issues[0]?.message ?? "";
    return data({ error: message.startsWith("apply.") ? message : "apply.errors.bad" }, { status: 400 });
  }
  const limit = await applicationLimiter.consume(user.id);
  if (!limit.ok) return data({ error: "apply.errors.tooMany" }, { status: 429, headers: { "Retry-After": String(limit.retryAfterSeconds) } });
  try {
    await applyAsExpert(user, parsed.data);
  } catch (err) {
    if (err instanceof ApplicationError) return data({ error: `apply.errors.${err.code}` }, { status: 409 });
    throw err;
  }
  return redirect("/experts/apply?sent=1");
}

export default function ExpertApply() {
  const { t } = useTranslation("admin");
  const { isExpert, applications, sent } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const pending = applications.some((a) => a.status === "pending");
  return (
    <Page title={t("apply.title")} lead={t("apply.lead")}>
      {sent ? <Notice tone="success">{t("apply.sent")}</Notice> : null}
      {result?.error ? <Notice tone="error">{t(result.error)}</Notice> : null}
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
        <Form method="post" className="space-y-6">
          <Card title={t("apply.record")}>
            <p className="mb-3 text-sm text-slate-600">{t("apply.recordHint", { n: MAX_RECORD_ROWS })}</p>
            <div className="space-y-4">
              {Array.from({ length: ROWS }, (_, i) => (
                <fieldset key={i} className="grid grid-cols-1 gap-3 rounded-lg border border-slate-200 p-3 sm:grid-cols-4">
                  <legend className="px-1 text-sm font-medium">{t("apply.row", { n: i + 1 })}</legend>
                  <TextField label={t("apply.event")} name="event" id={`event-${i}`} maxLength={120} required={i === 0} placeholder={i === 0 ? t("apply.eventExample") : undefined} />
                  <TextField label={t("apply.year")} name="year" id={`year-${i}`} type="number" min={1950} max={2100} required={i === 0} />
                  <TextField label={t("apply.skill")} name="skill" id={`skill-${i}`} maxLength={120} required={i === 0} />
                  <TextField label={t("apply.result")} name="result" id={`result-${i}`} maxLength={120} required={i === 0} placeholder={i === 0 ? t("apply.resultExample") : undefined} />
                </fieldset>
              ))}
            </div>
          </Card>
          <Card title={t("apply.currentWork")}>
            <label htmlFor="currentWork" className="sr-only">{t("apply.currentWork")}</label>
            <textarea id="currentWork" name="currentWork" required maxLength={2000} rows={5} className="block w-full rounded-md border border-slate-300 px-3 py-2" placeholder={t("apply.currentWorkHint")} />
          </Card>
          <Button type="submit">{t("apply.submit")}</Button>
        </Form>
      )}
    </Page>
  );
}

import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { DecisionForm } from "~/components/admin/decision-form";
import { useTranslation } from "react-i18next";
import { AdminTabs, ApplicationBadge } from "~/components/admin/ui";
import { CompetitionRecord, type RecordRowView } from "~/components/content/ui";
import { Icon } from "~/components/ui/icon";
import { Card, Page } from "~/components/ui/layout";
import { ApplicationError, decideExpertApplication, getExpertApplication } from "~/domains/admin/experts.server";
import { decisionSchema } from "~/domains/admin/validation";
import { requireRole } from "~/domains/auth/session.server";
import { formatDateTime } from "~/utils/datetime";
import { dateOptions } from "~/utils/datetime.server";
import { urlId } from "~/utils/input";
import { parseOr400 } from "~/utils/input.server";
import { parseForm } from "~/utils/forms.server";

export const meta: MetaFunction = () => [{ title: "Expert application · Administration · SkillRelay" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const admin = await requireRole(request, "admin");
  const id = parseOr400(urlId(), params.applicationId, "application id");
  const [app, dates] = await Promise.all([getExpertApplication(id), dateOptions(request, admin)]);
  if (!app) throw new Response("Not found", { status: 404 });
  return {
    app: {
      id: app.id,
      name: app.user.name,
      email: app.user.email ?? "",
      role: app.user.role,
      status: app.status,
      reason: app.reason,
      currentWork: app.currentWork,
      records: (Array.isArray(app.competitionRecord) ? app.competitionRecord : []) as unknown as RecordRowView[],
      submitted: formatDateTime(app.createdAt, dates),
      decided: app.decidedAt ? formatDateTime(app.decidedAt, dates) : null,
      documents: app.documents.map((d) => ({ id: d.id, name: d.originalName, image: d.mimeType.startsWith("image/"), kb: Math.max(1, Math.round(Number(d.sizeBytes) / 1024)) })),
    },
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const admin = await requireRole(request, "admin");
  const id = parseOr400(urlId(), params.applicationId, "application id");
  const submission = await parseForm(request, decisionSchema, { fallback: "experts.errors.bad" });
  if (submission.status !== "success") return data(submission.reply(), { status: 400 });
  const decision = submission.value;
  try {
    await decideExpertApplication(admin, id, decision.intent === "approve" ? { approve: true } : { approve: false, reason: decision.reason });
  } catch (err) {
    if (err instanceof ApplicationError) {
      return data(submission.reply({ formErrors: [`experts.errors.${err.code}`] }), { status: err.code === "not_found" ? 404 : 409 });
    }
    throw err;
  }
  return redirect(`/admin/experts/${id}`);
}

export default function ExpertApplicationPage() {
  const { t } = useTranslation("admin");
  const { app } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <Page title={t("experts.one", { name: app.name })} lead={t("experts.submittedAt", { date: app.submitted })} actions={<Link to="/admin/experts" className="text-sm text-brand-700 underline">{t("experts.back")}</Link>}>
      <AdminTabs />
      <Card title={t("experts.status")}>
        <div className="flex flex-wrap items-center gap-2">
          <ApplicationBadge status={app.status} />
          {app.decided ? <span className="text-sm text-slate-600">{t("experts.decidedAt", { date: app.decided })}</span> : null}
        </div>
        {app.reason ? <p className="mt-2 text-sm">{t("experts.reason")}: {app.reason}</p> : null}
        <p className="mt-2 text-sm text-slate-600">{app.email} · {t(`roles.${app.role}`)}</p>
      </Card>
      <Card title={t("apply.record")}>
        <CompetitionRecord rows={app.records} resultLabel={t("apply.result")} />
      </Card>
      <Card title={t("apply.currentWork")}>
        <p className="whitespace-pre-line text-sm">{app.currentWork}</p>
      </Card>
      <Card title={t("experts.documents")}>
        {app.documents.length ? (
          <ul className="grid grid-cols-1 gap-3 sm:grid-cols-3" data-testid="application-documents">
            {app.documents.map((d) => (
              <li key={d.id} className="rounded-md border border-slate-200 p-2 text-sm">
                <a href={`/media/${d.id}`} target="_blank" rel="noreferrer" className="flex flex-col gap-2 text-brand-700 underline">
                  {d.image ? <img src={`/media/${d.id}`} alt={d.name} loading="lazy" className="h-32 w-full rounded object-cover" /> : <Icon name="download" />}
                  <span className="break-all">{d.name} · {d.kb} KB</span>
                </a>
              </li>
            ))}
          </ul>
        ) : (
          <p className="text-sm text-slate-600">{t("experts.noDocuments")}</p>
        )}
      </Card>
      {app.status === "pending" ? (
        <Card title={t("experts.decide")}>
          <DecisionForm
            id="decide"
            lastResult={result}
            approve={{ intent: "approve", label: t("experts.approve") }}
            reject={{ label: t("experts.reject"), question: t("experts.rejectConfirm"), confirmLabel: t("experts.rejectYes") }}
          />
        </Card>
      ) : null}
    </Page>
  );
}

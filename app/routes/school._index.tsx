import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { SchoolHeader } from "~/components/schools/ui";
import { Notice } from "~/components/ui/feedback";
import { ConformForm, useConformForm } from "~/components/ui/conform-form";
import { Button, SelectField, TextField, linkButton } from "~/components/ui/forms";
import { Card } from "~/components/ui/layout";
import { requireRole } from "~/domains/auth/session.server";
import { createCohort, createOrganization, schoolOverview } from "~/domains/schools/cohorts.server";
import { createCohortSchema, createOrgSchema, type CreateOrgInput } from "~/domains/schools/validation";
import { formErrorReply, parseForm } from "~/utils/forms.server";
import { readForm } from "~/utils/input.server";

export const meta: MetaFunction = () => [{ title: "School · SkillRelay" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, "school_admin");
  return { orgs: await schoolOverview(user), isPlatformAdmin: user.role === "admin" };
}


export async function action({ request }: ActionFunctionArgs) {
  const user = await requireRole(request, "school_admin");
  const form = await readForm(request);
  if (form.get("intent") === "createCohort") {
    const submission = await parseForm(form, createCohortSchema);
    if (submission.status !== "success") return data(submission.reply({ fieldErrors: { name: ["errors.cohortNameRequired"] } }), { status: 400 });
    const result = await createCohort(user, submission.value.orgId, submission.value.name);
    if (!result.ok) return data(submission.reply({ fieldErrors: { name: [`errors.${result.error}`] } }), { status: 400 });
    throw redirect(`/school/cohorts/${result.cohortId}`);
  }
  if (form.get("intent") === "createOrg") {
    const submission = await parseForm(form, createOrgSchema);
    if (submission.status !== "success") return data(submission.reply(), { status: 400 });
    const result = await createOrganization(user, submission.value);
    if (!result.ok) return data(submission.reply({ fieldErrors: { adminEmail: [`errors.${result.error}`] } }), { status: 400 });
    throw redirect("/school");
  }
  return data(formErrorReply("errors.badRequest"), { status: 400 });
}

export default function SchoolHome() {
  const { t } = useTranslation("schools");
  const { orgs, isPlatformAdmin } = useLoaderData<typeof loader>();
  const busy = useNavigation().state === "submitting";
  return (
    <>
      <SchoolHeader
        title={t("overview.title")}
        lead={t("overview.lead")}
        actions={
          orgs.length ? (
            <>
              <Link to="/school/import" className={linkButton}>{t("overview.importCta")}</Link>
              <Link to="/school/learners#invite" className={linkButton}>{t("overview.inviteCta")}</Link>
              <Link to="/competitions" className={linkButton}>{t("common:nav.competitions")}</Link>
            </>
          ) : null
        }
      />
      <div className="mx-auto max-w-6xl space-y-8 px-4 py-8">
        {orgs.length === 0 ? (
          <Card>
            <p className="font-medium">{t("overview.noOrgTitle")}</p>
            <p className="mt-1 text-slate-600">{t(isPlatformAdmin ? "overview.noOrgAdmin" : "overview.noOrgBody")}</p>
          </Card>
        ) : null}
        {orgs.map((org) => (
          <section key={org.id} aria-labelledby={`org-${org.id}`} className="space-y-4" data-testid="org">
            <div className="flex flex-wrap items-baseline justify-between gap-2">
              <h2 id={`org-${org.id}`} className="text-xl font-bold">
                {org.name} <span className="ml-1 align-middle text-xs font-medium text-slate-500">{t(`kinds.${org.kind}`)}</span>
              </h2>
            </div>
            <dl className="grid grid-cols-3 gap-3">
              {[
                { label: t("overview.learners"), value: org.learnerCount, to: `/school/learners?org=${org.id}` },
                { label: t("overview.cohorts"), value: org.cohorts.length, to: null },
                { label: t("overview.pending"), value: org.pendingCount, to: `/school/invitations?org=${org.id}` },
              ].map((s) => (
                <div key={s.label} className="rounded-xl border border-slate-200 bg-white p-4 shadow-sm">
                  <dt className="text-xs font-medium text-slate-500 sm:text-sm">{s.label}</dt>
                  <dd className="mt-1 text-2xl font-bold text-brand-700">
                    {s.to ? <Link to={s.to} className="hover:underline">{s.value}</Link> : s.value}
                  </dd>
                </div>
              ))}
            </dl>
            <Card title={t("overview.cohortsTitle")}>
              {org.cohorts.length === 0 ? <p className="text-slate-600">{t("overview.noCohorts")}</p> : null}
              <ul className="divide-y divide-slate-100">
                {org.cohorts.map((c) => (
                  <li key={c.id}>
                    <Link to={`/school/cohorts/${c.id}`} className="flex items-center justify-between gap-3 rounded-md px-2 py-3 hover:bg-slate-50">
                      <span className="font-medium text-brand-700">{c.name}</span>
                      <span className="shrink-0 text-sm text-slate-500">
                        {t("overview.memberCount", { count: c.memberCount })} · {t("overview.assignmentCount", { count: c.assignmentCount })}
                      </span>
                    </Link>
                  </li>
                ))}
              </ul>
              <NewCohortForm orgId={org.id} busy={busy} />
            </Card>
          </section>
        ))}
        {isPlatformAdmin ? (
          <Card title={t("overview.newOrgTitle")} id="new-org">
            <NewOrgForm busy={busy} />
          </Card>
        ) : null}
        {orgs.length ? <Notice>{t("overview.tip")}</Notice> : null}
      </div>
    </>
  );
}

/** The action's reply when it answers this form (its hidden fields are in the reply's values). */
function useReplyTo(intent: string, orgId?: string) {
  const result = useActionData<typeof action>();
  const values = result && "initialValue" in result ? result.initialValue : undefined;
  return values?.intent === intent && (orgId === undefined || values.orgId === orgId) ? result : undefined;
}

function NewCohortForm({ orgId, busy }: { orgId: string; busy: boolean }) {
  const { t } = useTranslation("schools");
  const [form, fields] = useConformForm({ id: `new-cohort-${orgId}`, lastResult: useReplyTo("createCohort", orgId) });
  return (
    <ConformForm form={form} t={t} method="post" className="mt-4 flex flex-col gap-2 border-t border-slate-100 pt-4 sm:flex-row sm:items-end">
      <input type="hidden" name="intent" value="createCohort" />
      <input type="hidden" name="orgId" value={orgId} />
      <div className="flex-1">
        <TextField label={t("overview.newCohort")} field={fields.name} required maxLength={80} placeholder={t("overview.newCohortPlaceholder")} />
      </div>
      <Button type="submit" disabled={busy}>{t("overview.createCohort")}</Button>
    </ConformForm>
  );
}

function NewOrgForm({ busy }: { busy: boolean }) {
  const { t } = useTranslation("schools");
  const [form, fields] = useConformForm<CreateOrgInput>({ id: "new-org", lastResult: useReplyTo("createOrg"), defaultValue: { kind: "school" } });
  return (
    <ConformForm form={form} t={t} method="post" className="grid grid-cols-1 gap-4 sm:grid-cols-2">
      <input type="hidden" name="intent" value="createOrg" />
      <TextField label={t("overview.orgName")} field={fields.name} required maxLength={120} />
      <SelectField label={t("overview.orgKind")} field={fields.kind}>
        {(["school", "training_centre", "enterprise"] as const).map((k) => (
          <option key={k} value={k}>{t(`kinds.${k}`)}</option>
        ))}
      </SelectField>
      <TextField label={t("overview.orgAdminEmail")} field={fields.adminEmail} type="email" hint={t("overview.orgAdminHint")} />
      <div className="flex items-end"><Button type="submit" disabled={busy}>{t("overview.createOrg")}</Button></div>
    </ConformForm>
  );
}

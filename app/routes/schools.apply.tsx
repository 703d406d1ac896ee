// /schools/apply: a school, training centre or enterprise applies to be verified (decision 021).
// Public page; applying needs an account (like /experts/apply): the applicant becomes the
// organisation's admin member, and a school admin once a platform admin verifies it.
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { OrgStateBadge } from "~/components/admin/ui";
import { Notice } from "~/components/ui/feedback";
import { ConformForm, useConformForm } from "~/components/ui/conform-form";
import { Button, ButtonLink, SelectField, TextField } from "~/components/ui/forms";
import { Card, Page } from "~/components/ui/layout";
import { applicationLimiter } from "~/domains/admin/experts.server";
import { applyForOrganisation, mayApplyForOrganisation, myOrganisations, OrgApplicationError, orgState } from "~/domains/admin/organisations.server";
import { regionOptions } from "~/domains/admin/regions.server";
import { orgApplicationSchema, type OrgApplicationInput } from "~/domains/admin/validation";
import { ORG_KINDS } from "~/domains/admin/options";
import { getUser, requireUser } from "~/domains/auth/session.server";
import { discardUpload, parseUploadForm, UploadError, UPLOAD_RULES } from "~/domains/courses/uploads.server";
import { formatDateTime } from "~/utils/datetime";
import { dateOptions } from "~/utils/datetime.server";
import { formErrorReply, parseForm } from "~/utils/forms.server";

export const meta: MetaFunction = () => [{ title: "Register an organisation · SkillRelay" }, { name: "description", content: "Schools, training centres and enterprises apply to be verified on SkillRelay." }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await getUser(request);
  if (!user) return { signedIn: false as const, sent: false, canApply: false, role: null, orgs: [], regions: [], maxMegabytes: UPLOAD_RULES.document.maxBytes / 1024 / 1024 };
  const [orgs, regions, dates] = await Promise.all([myOrganisations(user.id), regionOptions(), dateOptions(request, user)]);
  return {
    signedIn: true as const,
    sent: new URL(request.url).searchParams.has("sent"),
    canApply: mayApplyForOrganisation(user),
    role: user.role,
    orgs: orgs.map((o) => ({ id: o.id, name: o.name, kind: o.kind, state: orgState(o), reason: o.rejectionReason, date: formatDateTime(o.appliedAt ?? o.createdAt, dates) })),
    regions: regions.map((r) => ({ code: r.code, label: `${r.province ? r.province + " · " : ""}${r.name}${r.nameEn ? ` (${r.nameEn})` : ""} ${r.code}` })),
    maxMegabytes: UPLOAD_RULES.document.maxBytes / 1024 / 1024,
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  if (!mayApplyForOrganisation(user)) return data(formErrorReply("orgApply.errors.role"), { status: 403 });
  let upload;
  try {
    upload = await parseUploadForm(request, "document");
  } catch (err) {
    if (err instanceof UploadError) {
      const key = `orgApply.errors.upload_${err.code === "too_large" || err.code === "bad_type" || err.code === "empty" ? err.code : "bad_form"}`;
      return data(formErrorReply(key, err.fieldsSoFar, ["file"]), { status: err.status });
    }
    throw err;
  }
  const { fields, file } = upload;
  const submission = await parseForm(fields, orgApplicationSchema, { fallback: "orgApply.errors.bad" });
  if (submission.status !== "success") {
    await discardUpload(file);
    return data(submission.reply({ hideFields: ["file"] }), { status: 400 });
  }
  const limit = await applicationLimiter.consume(user.id);
  if (!limit.ok) {
    await discardUpload(file);
    return data(submission.reply({ formErrors: ["orgApply.errors.tooMany"], hideFields: ["file"] }), { status: 429, headers: { "Retry-After": String(limit.retryAfterSeconds) } });
  }
  try {
    await applyForOrganisation(user, submission.value, file);
  } catch (err) {
    if (err instanceof OrgApplicationError) {
      const error = [`orgApply.errors.${err.code}`];
      const reply = err.code === "region" ? submission.reply({ fieldErrors: { regionCode: error }, hideFields: ["file"] }) : submission.reply({ formErrors: error, hideFields: ["file"] });
      return data(reply, { status: err.code === "region" ? 400 : 409 });
    }
    throw err;
  }
  return redirect("/schools/apply?sent=1");
}

export default function OrganisationApply() {
  const { t } = useTranslation("admin");
  const { signedIn, sent, canApply, role, orgs, regions, maxMegabytes } = useLoaderData<typeof loader>();
  const [form, fields] = useConformForm<OrgApplicationInput>({ id: "org-apply", lastResult: useActionData<typeof action>(), defaultValue: { kind: "school" } });
  const busy = useNavigation().state === "submitting";
  const pending = orgs.some((o) => o.state === "pending");
  return (
    <Page title={t("orgApply.title")} lead={t("orgApply.lead")}>
      {sent ? <Notice tone="success">{t("orgApply.sent")}</Notice> : null}
      <Card title={t("orgApply.howTitle")}>
        <ol className="list-decimal space-y-1 pl-5 text-sm text-slate-700">
          <li>{t("orgApply.how1")}</li>
          <li>{t("orgApply.how2")}</li>
          <li>{t("orgApply.how3")}</li>
        </ol>
      </Card>
      {!signedIn ? (
        <Card title={t("orgApply.signInTitle")}>
          <p className="mb-3 text-sm text-slate-700">{t("orgApply.signInLead")}</p>
          <div className="flex flex-wrap gap-2">
            <ButtonLink to="/signup?redirectTo=%2Fschools%2Fapply">{t("orgApply.signUp")}</ButtonLink>
            <ButtonLink to="/login?redirectTo=%2Fschools%2Fapply" variant="secondary">{t("orgApply.logIn")}</ButtonLink>
          </div>
        </Card>
      ) : null}
      {orgs.length ? (
        <Card title={t("orgApply.mine")}>
          <ul className="divide-y divide-slate-200" data-testid="my-organisations">
            {orgs.map((o) => (
              <li key={o.id} className="flex flex-wrap items-center gap-2 py-2 text-sm">
                <OrgStateBadge state={o.state} />
                <span className="font-medium">{o.name}</span>
                <span className="text-slate-600">{t(`orgs.kind.${o.kind}`)} · {o.date}</span>
                {o.reason && o.state === "rejected" ? <span className="text-slate-700">{t("experts.reason")}: {o.reason}</span> : null}
                {o.state === "verified" ? <Link to="/school" className="text-brand-700 underline">{t("orgApply.openSchool")}</Link> : null}
              </li>
            ))}
          </ul>
        </Card>
      ) : null}
      {!signedIn ? null : !canApply ? (
        <Notice tone="info">{t(role === "admin" ? "orgApply.platformAdmin" : "orgApply.expert")}</Notice>
      ) : pending ? (
        <Notice tone="info">{t("orgApply.waiting")}</Notice>
      ) : (
        <ConformForm form={form} t={t} method="post" encType="multipart/form-data" className="space-y-6" data-testid="org-apply-form">
          <Card title={t("orgApply.details")}>
            <div className="grid gap-4 sm:grid-cols-2">
              <TextField label={t("orgApply.name")} field={fields.name} required minLength={2} maxLength={120} />
              <SelectField label={t("orgApply.kind")} field={fields.kind}>
                {ORG_KINDS.map((k) => (
                  <option key={k} value={k}>{t(`orgs.kind.${k}`)}</option>
                ))}
              </SelectField>
              <SelectField label={t("orgApply.county")} field={fields.regionCode} required>
                <option value="">{t("orgApply.chooseCounty")}</option>
                {regions.map((r) => (
                  <option key={r.code} value={r.code}>{r.label}</option>
                ))}
              </SelectField>
              <TextField label={t("orgApply.address")} field={fields.address} required maxLength={200} />
              <TextField label={t("orgApply.licence")} field={fields.licenceNumber} required maxLength={40} hint={t("orgApply.licenceHint")} />
            </div>
          </Card>
          <Card title={t("orgApply.contact")}>
            <div className="grid gap-4 sm:grid-cols-2">
              <TextField label={t("orgApply.contactName")} field={fields.contactName} required maxLength={60} />
              <TextField label={t("orgApply.contactPhone")} field={fields.contactPhone} required inputMode="tel" maxLength={30} hint={t("orgApply.phoneHint")} />
            </div>
            <p className="mt-3 text-sm text-slate-600">{t("orgApply.adminAccount")}</p>
          </Card>
          <Card title={t("orgApply.document")}>
            <label htmlFor="org-document" className="block text-sm font-medium text-slate-700">{t("orgApply.documentLabel", { mb: maxMegabytes })}</label>
            <input id="org-document" name="file" type="file" accept="application/pdf,image/png,image/jpeg" className="mt-1 block w-full text-sm" />
          </Card>
          <Button type="submit" disabled={busy}>{t("orgApply.submit")}</Button>
        </ConformForm>
      )}
    </Page>
  );
}

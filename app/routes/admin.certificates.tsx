// Platform admins: search issued certificates, revoke one with a reason (audited, holder notified).
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { CertificateStatus } from "~/components/certificates/ui";
import { Notice } from "~/components/ui/feedback";
import { Button, ConfirmButton, TextField } from "~/components/ui/forms";
import { ConformForm, useConformForm } from "~/components/ui/conform-form";
import { parseForm } from "~/utils/forms.server";
import { Card, EmptyState, Page } from "~/components/ui/layout";
import { requireRole } from "~/domains/auth/session.server";
import { AlreadyRevokedError, revokeCertificate, searchCertificates } from "~/domains/certificates/certificates.server";
import { groupCode, normalizeCode } from "~/domains/certificates/code";
import { formatDate } from "~/utils/datetime";
import { dateOptions } from "~/utils/datetime.server";
import { parseOr400, searchParamsOf } from "~/utils/input.server";
import { certificateSearchSchema, certificateRevokeSchema } from "~/domains/certificates/validation";

export const meta: MetaFunction = () => [{ title: "Certificates · Admin · SkillRelay" }];


export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, "admin");
  const { q = "" } = parseOr400(certificateSearchSchema, searchParamsOf(request), "certificateSearchSchema");
  const [certs, dates] = await Promise.all([searchCertificates(user, q), dateOptions(request, user)]);
  return {
    q,
    rows: certs.map((c) => ({
      code: c.code,
      grouped: groupCode(c.code),
      holderName: c.holderName,
      title: dates.locale === "en" ? c.titleEn : c.titleZh,
      issued: formatDate(c.issuedAt, dates),
      revoked: c.revokedAt !== null,
      reason: c.revokedReason,
    })),
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireRole(request, "admin");
  const submission = await parseForm(request, certificateRevokeSchema, { fallback: "certificates.admin.reasonRequired" });
  if (submission.status !== "success") return data(submission.reply(), { status: 400 });
  const code = normalizeCode(submission.value.code);
  if (!code) throw new Response("Not found", { status: 404 });
  try {
    await revokeCertificate(user, code, submission.value.reason);
  } catch (e) {
    // Revoked meanwhile: its form is gone from the page, so the refusal is the page's notice.
    if (e instanceof AlreadyRevokedError) return data({ ok: false, code, error: "certificates.admin.alreadyRevoked" }, { status: 409 });
    throw e;
  }
  return { ...submission.reply({ resetForm: true }), ok: true, code, error: undefined };
}

export default function AdminCertificates() {
  const { t } = useTranslation("assessment");
  const { q, rows } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <Page title={t("certificates.admin.title")} lead={t("certificates.admin.lead")}>
      {result && "ok" in result ? (
        typeof result.error === "string" ? <Notice tone="error">{t(result.error)}</Notice> : <Notice tone="success">{t("certificates.admin.revoked")}</Notice>
      ) : null}
      <Card>
        <Form method="get" className="flex flex-col gap-3 sm:flex-row sm:items-end">
          <div className="flex-1">
            <TextField label={t("certificates.admin.searchLabel")} name="q" defaultValue={q} maxLength={100} />
          </div>
          <Button type="submit">{t("certificates.admin.search")}</Button>
        </Form>
      </Card>
      {rows.length === 0 ? (
        <EmptyState>{t("certificates.admin.none")}</EmptyState>
      ) : (
        <ul className="space-y-3">
          {rows.map((r) => (
            <li key={r.code}>
              <Card>
                <div className="flex flex-col gap-3 sm:flex-row sm:items-start sm:justify-between">
                  <div className="min-w-0 space-y-1">
                    <p className="font-medium text-slate-900">{r.title}</p>
                    <p className="text-sm text-slate-700">
                      {t("certificates.admin.holder")}: {r.holderName} · {t("certificates.issued")}: {r.issued}
                    </p>
                    <p className="font-mono text-sm text-slate-600">{r.grouped}</p>
                    <CertificateStatus revoked={r.revoked} />
                    {r.reason ? <p className="text-sm text-slate-600">{t("certificates.verify.reason")}: {r.reason}</p> : null}
                  </div>
                  {r.revoked ? null : (
                    <RevokeForm code={r.code} />
                  )}
                </div>
              </Card>
            </li>
          ))}
        </ul>
      )}
    </Page>
  );
}

/** One certificate's revocation: its reason, and the reply that carries its code (a success resets every form). */
function RevokeForm({ code }: { code: string }) {
  const { t } = useTranslation("assessment");
  const result = useActionData<typeof action>();
  const values = result && "initialValue" in result ? (result.initialValue as Record<string, unknown> | null) : undefined;
  const [form, fields] = useConformForm<{ reason: string }>({ id: `revoke-${code}`, lastResult: values === null || values?.code === code ? result : undefined });
  return (
    <ConformForm form={form} t={t} method="post" className="flex flex-col gap-2 sm:w-72">
      <input type="hidden" name="code" value={code} />
      <TextField label={t("certificates.admin.reason")} field={fields.reason} maxLength={300} required />
      <ConfirmButton label={t("certificates.admin.revoke")} question={t("certificates.admin.revokeQuestion")} confirmLabel={t("certificates.admin.revokeYes")} value="revoke" small />
    </ConformForm>
  );
}

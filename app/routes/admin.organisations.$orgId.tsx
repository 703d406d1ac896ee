// One organisation as a platform admin reviews it: every detail of the application (the
// contact phone in full, here only), the licence scan, its admins; verify or reject.
import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { AdminTabs, OrgStateBadge } from "~/components/admin/ui";
import { Notice } from "~/components/ui/feedback";
import { DecisionForm } from "~/components/admin/decision-form";
import { Card, Page } from "~/components/ui/layout";
import { organisationForReview, orgState } from "~/domains/admin/organisations.server";
import { decideOrganisationReply } from "~/domains/admin/decisions.server";
import { requireRole } from "~/domains/auth/session.server";
import { formatDateTime } from "~/utils/datetime";
import { dateOptions } from "~/utils/datetime.server";
import { urlId } from "~/utils/input";
import { parseOr400, readForm } from "~/utils/input.server";

export const meta: MetaFunction = () => [{ title: "Organisation · Administration · SkillRelay" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const admin = await requireRole(request, "admin");
  const id = parseOr400(urlId(), params.orgId, "organisation id");
  const [org, dates] = await Promise.all([organisationForReview(id), dateOptions(request, admin)]);
  if (!org) throw new Response("Not found", { status: 404 });
  return {
    org: {
      id: org.id,
      name: org.name,
      kind: org.kind,
      state: orgState(org),
      applied: org.appliedAt ? formatDateTime(org.appliedAt, dates) : null,
      created: formatDateTime(org.createdAt, dates),
      verified: org.verifiedAt ? formatDateTime(org.verifiedAt, dates) : null,
      rejected: org.rejectedAt ? formatDateTime(org.rejectedAt, dates) : null,
      reason: org.rejectionReason,
      region: org.region ? { code: org.region.code, name: org.region.name, nameEn: org.region.nameEn, province: org.region.province, poverty: org.region.povertyCounty } : org.regionCode ? { code: org.regionCode, name: "", nameEn: "", province: "", poverty: false } : null,
      address: org.address,
      contactName: org.contactName,
      // The review page is the one place the number is shown in full (decision 021).
      contactPhone: org.contactPhone,
      licenceNumber: org.licenceNumber,
      document: org.document ? { id: org.document.id, name: org.document.originalName, kb: Math.ceil(Number(org.document.sizeBytes) / 1024) } : null,
      admins: org.memberships.map((m) => ({ id: m.user.id, name: m.user.name, email: m.user.email ?? "", role: m.user.role })),
      members: org._count.memberships,
    },
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const admin = await requireRole(request, "admin");
  const id = parseOr400(urlId(), params.orgId, "organisation id");
  // The organisation is the one in the URL, whatever the form says.
  const form = await readForm(request);
  form.set("orgId", id);
  return decideOrganisationReply(admin, form);
}

function Row({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div className="grid grid-cols-1 gap-1 py-2 sm:grid-cols-3">
      <dt className="text-sm font-medium text-slate-600">{label}</dt>
      <dd className="break-words text-sm sm:col-span-2">{children}</dd>
    </div>
  );
}

export default function AdminOrganisation() {
  const { t } = useTranslation("admin");
  const { org } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <Page title={org.name} lead={t(`orgs.kind.${org.kind}`)}>
      <AdminTabs />
      <p className="text-sm"><Link to="/admin/organisations" className="text-brand-700 underline">{t("orgs.back")}</Link></p>
      {result && "ok" in result && result.ok ? <Notice tone="success">{t("orgs.saved")}</Notice> : null}
      <Card title={t("orgApply.details")}>
        <dl className="divide-y divide-slate-200" data-testid="org-review">
          <Row label={t("orgs.status")}><OrgStateBadge state={org.state} /> {org.verified ? t("orgs.verifiedAt", { date: org.verified }) : org.rejected ? t("orgs.rejectedAt", { date: org.rejected }) : null}</Row>
          {org.reason ? <Row label={t("experts.reason")}>{org.reason}</Row> : null}
          <Row label={t("orgs.appliedLabel")}>{org.applied ?? t("orgs.registeredByAdmin", { date: org.created })}</Row>
          <Row label={t("orgApply.county")}>
            {org.region ? `${org.region.province ? org.region.province + " · " : ""}${org.region.name} ${org.region.nameEn} (${org.region.code})` : "—"}
            {org.region?.poverty ? <span className="ml-2 text-sm font-medium text-amber-800">{t("regions.poverty")}</span> : null}
          </Row>
          <Row label={t("orgApply.address")}>{org.address || "—"}</Row>
          <Row label={t("orgApply.licence")}>{org.licenceNumber || "—"}</Row>
          <Row label={t("orgApply.contactName")}>{org.contactName || "—"}</Row>
          <Row label={t("orgApply.contactPhone")}>{org.contactPhone || "—"}</Row>
          <Row label={t("orgApply.document")}>
            {org.document ? (
              <a href={`/media/${org.document.id}`} target="_blank" rel="noreferrer" className="text-brand-700 underline">{org.document.name} ({org.document.kb} KB)</a>
            ) : (
              t("orgs.noDocument")
            )}
          </Row>
          <Row label={t("orgs.admins")}>
            {org.admins.length ? org.admins.map((a) => <span key={a.id} className="block">{a.name} · {a.email || "—"} · {t(`roles.${a.role}`)}</span>) : "—"}
          </Row>
          <Row label={t("orgs.membersLabel")}>{org.members}</Row>
        </dl>
      </Card>
      <Card title={t("orgs.decide")}>
        <p className="mb-3 text-sm text-slate-600">{t("orgs.decideHint")}</p>
        <DecisionForm
          id="decide"
          lastResult={result}
          approve={org.verified ? null : { intent: "verify", label: t("orgs.verify") }}
          reject={{ label: org.verified ? t("orgs.withdraw") : t("orgs.reject"), question: t("orgs.rejectConfirm", { name: org.name }), confirmLabel: t("orgs.rejectYes") }}
        />
      </Card>
    </Page>
  );
}

import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { AdminTabs, OrgStateBadge } from "~/components/admin/ui";
import { Badge, Notice } from "~/components/ui/feedback";
import { DecisionForm } from "~/components/admin/decision-form";
import { Card, EmptyState, Page } from "~/components/ui/layout";
import { listOrganisationsForReview, orgState } from "~/domains/admin/organisations.server";
import { decideOrganisationReply } from "~/domains/admin/decisions.server";
import { orgFilterSchema } from "~/domains/admin/validation";
import { ORG_STATES } from "~/domains/admin/options";
import { requireRole } from "~/domains/auth/session.server";
import { maskPhone } from "~/utils/mask";
import { formatDateTime } from "~/utils/datetime";
import { dateOptions } from "~/utils/datetime.server";
import { parseOr400, readForm, searchParamsOf } from "~/utils/input.server";

export const meta: MetaFunction = () => [{ title: "Organisations · Administration · SkillRelay" }];

// "unverified" (the filter's old name) still means pending.

export async function loader({ request }: LoaderFunctionArgs) {
  const admin = await requireRole(request, "admin");
  const query = parseOr400(orgFilterSchema, searchParamsOf(request), "filter");
  const state = query.state === "unverified" || !query.state ? "pending" : query.state;
  const [orgs, dates] = await Promise.all([listOrganisationsForReview(state), dateOptions(request, admin)]);
  return {
    state,
    orgs: orgs.map((o) => ({
      id: o.id,
      name: o.name,
      kind: o.kind,
      state: orgState(o),
      applied: !!o.appliedAt,
      created: formatDateTime(o.appliedAt ?? o.createdAt, dates),
      verified: o.verifiedAt ? formatDateTime(o.verifiedAt, dates) : null,
      rejected: o.rejectedAt ? formatDateTime(o.rejectedAt, dates) : null,
      reason: o.rejectionReason,
      region: o.regionCode,
      contact: o.contactName ? `${o.contactName} ${maskPhone(o.contactPhone)}`.trim() : "",
      admins: o.memberships.map((m) => m.user.email ?? m.user.name).join("、"),
      members: o._count.memberships,
    })),
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const admin = await requireRole(request, "admin");
  return decideOrganisationReply(admin, await readForm(request));
}

export default function AdminOrganisations() {
  const { t } = useTranslation("admin");
  const { state, orgs } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  // Each organisation's form takes the reply that carries its id.
  const values = result && "initialValue" in result ? (result.initialValue as Record<string, unknown> | null) : undefined;
  const replyFor = (orgId: string) => (values === null || values?.orgId === orgId ? result : undefined);
  return (
    <Page title={t("orgs.title")} lead={t("orgs.lead")}>
      <AdminTabs />
      {result && "ok" in result && result.ok ? <Notice tone="success">{t("orgs.saved")}</Notice> : null}
      <nav aria-label={t("experts.filter")} className="flex flex-wrap gap-2 text-sm">
        {ORG_STATES.map((s) => (
          <Link key={s} to={`?state=${s}`} aria-current={s === state ? "page" : undefined} className={"rounded-full border px-3 py-1 " + (s === state ? "border-brand-700 bg-brand-50 font-semibold" : "border-slate-300")}>
            {t(`orgs.state.${s}`)}
          </Link>
        ))}
      </nav>
      {orgs.length === 0 ? <EmptyState>{t("orgs.none")}</EmptyState> : null}
      <ul className="space-y-4" data-testid="org-list">
        {orgs.map((o) => (
          <li key={o.id}>
            <Card title={o.name} headingLevel={3}>
              <div className="flex flex-wrap items-center gap-2 text-sm">
                <Badge>{t(`orgs.kind.${o.kind}`)}</Badge>
                {o.verified ? <Badge tone="success">{t("orgs.verifiedAt", { date: o.verified })}</Badge> : o.rejected ? <Badge tone="error">{t("orgs.rejectedAt", { date: o.rejected })}</Badge> : <OrgStateBadge state={o.state} />}
                <span className="text-slate-600">{t(o.applied ? "orgs.appliedOn" : "orgs.created", { date: o.created })} · {t("orgs.members", { n: o.members })}</span>
              </div>
              <p className="mt-2 break-all text-sm">{t("orgs.admins")}: {o.admins || "—"}</p>
              {o.contact ? <p className="mt-1 text-sm">{t("orgApply.contact")}: {o.contact}{o.region ? ` · ${o.region}` : ""}</p> : null}
              {o.reason ? <p className="mt-1 text-sm text-slate-700">{t("experts.reason")}: {o.reason}</p> : null}
              <p className="mt-2 text-sm">
                <Link to={`/admin/organisations/${o.id}`} className="font-medium text-brand-700 underline">{t("orgs.review")}</Link>
              </p>
              <div className="mt-3">
                <DecisionForm
                  id={`decide-${o.id}`}
                  lastResult={replyFor(o.id)}
                  hidden={{ orgId: o.id }}
                  approve={o.verified ? null : { intent: "verify", label: t("orgs.verify") }}
                  reject={{ label: o.verified ? t("orgs.withdraw") : t("orgs.reject"), question: t("orgs.rejectConfirm", { name: o.name }), confirmLabel: t("orgs.rejectYes") }}
                />
              </div>
            </Card>
          </li>
        ))}
      </ul>
    </Page>
  );
}

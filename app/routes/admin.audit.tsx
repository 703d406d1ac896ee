// The platform-wide audit log (issue 10), platform admins only: filters, paging, masked details, CSV.
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { AdminTabs } from "~/components/admin/ui";
import { Button, ButtonLink, SelectField, TextField } from "~/components/ui/forms";
import { Card, DataTable, Page } from "~/components/ui/layout";
import { adminAuditPage, adminAuditQuerySchema, changeSummary } from "~/domains/admin/audit.server";
import { requireRole } from "~/domains/auth/session.server";
import { dateOptions } from "~/utils/datetime.server";
import { formatDateTime } from "~/utils/datetime";
import { parseOr400, searchParamsOf } from "~/utils/input.server";

export const meta: MetaFunction = () => [{ title: "Audit log · Administration · SkillRelay" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const admin = await requireRole(request, "admin");
  const query = parseOr400(adminAuditQuerySchema, searchParamsOf(request), "filter");
  const [result, dates] = await Promise.all([adminAuditPage(query), dateOptions(request, admin)]);
  return {
    query,
    total: result.total,
    pages: result.pages,
    subjectTypes: result.subjectTypes,
    entries: result.entries.map((e) => ({
      id: e.id,
      at: formatDateTime(e.at, dates),
      actor: e.actorName,
      actorId: e.actorId ?? "",
      action: e.action,
      subject: `${e.subjectType} ${e.subjectId}`,
      change: changeSummary(e),
      reason: e.reason ?? "",
    })),
  };
}

type Row = Awaited<ReturnType<typeof loader>>["entries"][number];

export default function AdminAudit() {
  const { t } = useTranslation("admin");
  const { query, total, pages, subjectTypes, entries } = useLoaderData<typeof loader>();
  const { page, ...filter } = query;
  const params = (p: Record<string, string | number>) => new URLSearchParams(Object.entries({ ...filter, ...p }).map(([k, v]) => [k, String(v)])).toString();
  const csv = `/admin/audit.csv?${params({})}`;
  return (
    <Page title={t("audit.title")} lead={t("audit.lead")} actions={<ButtonLink to={csv} variant="secondary" reloadDocument>{t("audit.csv")}</ButtonLink>}>
      <AdminTabs />
      <Card>
        <Form method="get" className="grid gap-3 sm:grid-cols-3 lg:grid-cols-6 lg:items-end">
          <TextField label={t("audit.actor")} name="actor" defaultValue={query.actor} maxLength={100} />
          <TextField label={t("audit.action")} name="action" defaultValue={query.action} maxLength={60} hint={t("audit.actionHint")} />
          <SelectField label={t("audit.subjectType")} name="subjectType" defaultValue={query.subjectType}>
            <option value="">{t("audit.anyType")}</option>
            {subjectTypes.map((s) => (
              <option key={s} value={s}>{s}</option>
            ))}
          </SelectField>
          <TextField label={t("audit.from")} name="from" type="date" defaultValue={query.from} />
          <TextField label={t("audit.to")} name="to" type="date" defaultValue={query.to} />
          <div><Button type="submit">{t("audit.filter")}</Button></div>
        </Form>
      </Card>
      <Card>
        <p className="mb-2 text-sm text-slate-600" data-testid="audit-total">{t("audit.total", { n: total })}</p>
        <DataTable
          rows={entries}
          rowKey={(e: Row) => e.id}
          empty={t("audit.none")}
          columns={[
            { key: "at", header: t("audit.at"), cell: (e: Row) => e.at },
            { key: "actor", header: t("audit.actor"), cell: (e: Row) => e.actor || t("audit.system") },
            { key: "action", header: t("audit.action"), cell: (e: Row) => <code className="text-xs">{e.action}</code> },
            { key: "subject", header: t("audit.subject"), cell: (e: Row) => <span className="break-all text-xs">{e.subject}</span> },
            { key: "change", header: t("audit.change"), cell: (e: Row) => <span className="break-all text-xs">{e.change}</span> },
            { key: "reason", header: t("audit.reason"), cell: (e: Row) => e.reason },
          ]}
        />
        {pages > 1 ? (
          <nav aria-label={t("audit.pages")} className="mt-3 flex items-center justify-between text-sm">
            {page > 1 ? <Link className="text-brand-700 underline" to={`?${params({ page: page - 1 })}`}>{t("audit.prev")}</Link> : <span />}
            <span>{t("audit.page", { page, pages })}</span>
            {page < pages ? <Link className="text-brand-700 underline" to={`?${params({ page: page + 1 })}`}>{t("audit.next")}</Link> : <span />}
          </nav>
        ) : null}
      </Card>
    </Page>
  );
}

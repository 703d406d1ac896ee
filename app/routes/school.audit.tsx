// The audit log of the viewer's schools (all for a platform admin), filterable, with CSV.
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { Button, ButtonLink, TextField } from "~/components/ui/forms";
import { Card, DataTable, Page } from "~/components/ui/layout";
import { requireRole } from "~/domains/auth/session.server";
import { auditForViewer, auditQuerySchema } from "~/domains/records/audit-view.server";
import { i18next } from "~/i18next.server";
import { formatDateTime } from "~/utils/datetime";
import { parseOr400, searchParamsOf } from "~/utils/input.server";

export const meta: MetaFunction = () => [{ title: "Audit log · School · SkillRelay" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, "school_admin");
  const query = parseOr400(auditQuerySchema, searchParamsOf(request), "filter");
  const [entries, locale] = await Promise.all([auditForViewer(user, query), i18next.getLocale(request)]);
  return {
    query,
    entries: entries.map((e) => ({
      id: e.id,
      at: formatDateTime(e.at, { locale, timeZone: user.timeZone }),
      actor: e.actorName,
      action: e.action,
      subject: `${e.subjectType} ${e.subjectId}`,
      reason: e.reason ?? "",
      change: JSON.stringify(e.after ?? {}).slice(0, 300),
    })),
  };
}

export default function AuditLog() {
  const { query, entries } = useLoaderData<typeof loader>();
  const { t } = useTranslation("records");
  const csv = `/school/audit.csv?${new URLSearchParams(query).toString()}`;
  return (
    <Page title={t("audit.title")} lead={t("audit.lead")} actions={<ButtonLink to={csv} variant="secondary" reloadDocument>{t("audit.csv")}</ButtonLink>}>
      <Card>
        <Form method="get" className="grid gap-3 sm:grid-cols-4 sm:items-end">
          <TextField label={t("audit.action")} name="action" defaultValue={query.action} maxLength={60} hint={t("audit.actionHint")} />
          <TextField label={t("audit.from")} name="from" type="date" defaultValue={query.from} />
          <TextField label={t("audit.to")} name="to" type="date" defaultValue={query.to} />
          <div><Button type="submit">{t("audit.filter")}</Button></div>
        </Form>
      </Card>
      <Card>
        <DataTable
          rows={entries}
          rowKey={(e) => e.id}
          empty={t("audit.none")}
          columns={[
            { key: "at", header: t("audit.at"), cell: (e) => e.at },
            { key: "actor", header: t("audit.actor"), cell: (e) => e.actor || "-" },
            { key: "action", header: t("audit.action"), cell: (e) => <code className="text-xs">{e.action}</code> },
            { key: "subject", header: t("audit.subject"), cell: (e) => <span className="break-all text-xs">{e.subject}</span> },
            { key: "change", header: t("audit.change"), cell: (e) => <span className="break-all text-xs">{e.change}</span> },
            { key: "reason", header: t("audit.reason"), cell: (e) => e.reason },
          ]}
        />
      </Card>
    </Page>
  );
}

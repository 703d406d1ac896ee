import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { AdminTabs, ApplicationBadge } from "~/components/admin/ui";
import { Card, DataTable, Page } from "~/components/ui/layout";
import { listExpertApplications } from "~/domains/admin/experts.server";
import { requireRole } from "~/domains/auth/session.server";
import { formatDateTime } from "~/utils/datetime";
import { dateOptions } from "~/utils/datetime.server";
import { parseOr400, searchParamsOf } from "~/utils/input.server";

export const meta: MetaFunction = () => [{ title: "Expert applications · Administration · SkillRelay" }];

const STATUSES = ["pending", "approved", "rejected"] as const;

export async function loader({ request }: LoaderFunctionArgs) {
  const admin = await requireRole(request, "admin");
  const { status = "pending" } = parseOr400(z.object({ status: z.enum(STATUSES).optional() }), searchParamsOf(request), "filter");
  const [rows, dates] = await Promise.all([listExpertApplications(status), dateOptions(request, admin)]);
  return {
    status,
    rows: rows.map((a) => ({
      id: a.id,
      name: a.user.name,
      email: a.user.email ?? "",
      status: a.status,
      submitted: formatDateTime(a.createdAt, dates),
      records: Array.isArray(a.competitionRecord) ? a.competitionRecord.length : 0,
    })),
  };
}

type Row = Awaited<ReturnType<typeof loader>>["rows"][number];

export default function ExpertApplications() {
  const { t } = useTranslation("admin");
  const { status, rows } = useLoaderData<typeof loader>();
  const columns = [
    { key: "name", header: t("experts.applicant"), cell: (r: Row) => <Link to={`/admin/experts/${r.id}`} className="font-medium text-brand-700 underline">{r.name}</Link> },
    { key: "email", header: t("experts.email"), cell: (r: Row) => <span className="break-all">{r.email || "—"}</span> },
    { key: "records", header: t("experts.records"), cell: (r: Row) => r.records },
    { key: "submitted", header: t("experts.submitted"), cell: (r: Row) => r.submitted },
    { key: "status", header: t("experts.status"), cell: (r: Row) => <ApplicationBadge status={r.status} /> },
  ];
  return (
    <Page title={t("experts.title")} lead={t("experts.lead")}>
      <AdminTabs />
      <nav aria-label={t("experts.filter")} className="flex flex-wrap gap-2 text-sm">
        {STATUSES.map((s) => (
          <Link key={s} to={`?status=${s}`} aria-current={s === status ? "page" : undefined} className={"rounded-full border px-3 py-1 " + (s === status ? "border-brand-700 bg-brand-50 font-semibold" : "border-slate-300")}>
            {t(`status.${s}`)}
          </Link>
        ))}
      </nav>
      <Card>
        <DataTable columns={columns} rows={rows} rowKey={(r) => r.id} caption={t("experts.title")} empty={t("experts.none")} />
      </Card>
    </Page>
  );
}

import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { Badge } from "~/components/ui/feedback";
import { ButtonLink } from "~/components/ui/forms";
import { Icon } from "~/components/ui/icon";
import { Card, DataTable, Page } from "~/components/ui/layout";
import { requireRole } from "~/domains/auth/session.server";
import { adminArticleRows } from "~/domains/content/admin.server";
import { dateOptions } from "~/utils/datetime.server";

export const meta: MetaFunction = () => [{ title: "Content · SkillRelay" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, "admin");
  return { rows: await adminArticleRows(user, await dateOptions(request, user)) };
}

type Row = Awaited<ReturnType<typeof loader>>["rows"][number];

export default function AdminContent() {
  const { t } = useTranslation("content");
  const { rows } = useLoaderData<typeof loader>();
  const columns = [
    { key: "title", header: t("admin.title"), cell: (r: Row) => <Link to={`/admin/content/${r.id}`} className="font-semibold text-brand-700 hover:underline">{r.title}</Link> },
    { key: "kind", header: t("admin.kind"), cell: (r: Row) => t(r.kind === "policy" ? "kind.policy" : "kind.story") },
    {
      key: "status",
      header: t("admin.status"),
      cell: (r: Row) => (
        <Badge tone={r.live ? "success" : r.status === "draft" ? "neutral" : "warning"}>{r.live ? t("status.live") : t(`status.${r.status}`)}</Badge>
      ),
    },
    { key: "publishAt", header: t("admin.publishAt"), cell: (r: Row) => r.publishAt },
    { key: "consent", header: t("admin.consentColumn"), cell: (r: Row) => (r.kind === "story" ? (r.consent ? <Icon name="check" label={t("admin.consentYes")} /> : <Icon name="warning" label={t("admin.consentNo")} />) : "") },
  ];
  return (
    <Page
      title={t("admin.listTitle")}
      lead={t("admin.listLead")}
      actions={
        <ButtonLink to="/admin/content/new">{t("admin.new")}</ButtonLink>
      }
    >
      <Card>
        <DataTable columns={columns} rows={rows} rowKey={(r) => r.id} empty={t("admin.empty")} caption={t("admin.listTitle")} />
      </Card>
    </Page>
  );
}

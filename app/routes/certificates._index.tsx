import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { CertificateStatus } from "~/components/certificates/ui";
import { Icon } from "~/components/ui/icon";
import { DataTable, EmptyState, Page } from "~/components/ui/layout";
import { requireUser } from "~/domains/auth/session.server";
import { listMyCertificates } from "~/domains/certificates/certificates.server";
import { groupCode } from "~/domains/certificates/code";
import { formatDate } from "~/utils/datetime";
import { dateOptions } from "~/utils/datetime.server";

export const meta: MetaFunction = () => [{ title: "Certificates · SkillRelay" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const [certs, dates] = await Promise.all([listMyCertificates(user), dateOptions(request, user)]);
  return {
    locale: dates.locale,
    rows: certs.map((c) => ({
      code: c.code,
      grouped: groupCode(c.code),
      title: dates.locale === "en" ? c.titleEn : c.titleZh,
      kind: c.kind,
      achievement: c.achievement,
      issued: formatDate(c.issuedAt, dates),
      revoked: c.revokedAt !== null,
    })),
  };
}

type Row = ReturnType<typeof useLoaderData<typeof loader>>["rows"][number];

export default function Certificates() {
  const { t } = useTranslation("assessment");
  const { rows } = useLoaderData<typeof loader>();
  const columns = [
    {
      key: "what",
      header: t("certificates.what"),
      cell: (r: Row) => (
        <div>
          <p className="font-medium text-slate-900">{r.title}</p>
          <p className="text-sm text-slate-600">{r.kind === "competition" ? t("certificates.kindCompetition") : t("certificates.kindCourse")}{r.achievement ? ` · ${r.achievement}` : ""}</p>
        </div>
      ),
    },
    { key: "issued", header: t("certificates.issued"), cell: (r: Row) => r.issued },
    { key: "code", header: t("certificates.code"), cell: (r: Row) => <Link className="font-mono text-sm text-brand-700 underline" to={`/verify/${r.code}`}>{r.grouped}</Link> },
    { key: "status", header: t("certificates.status"), cell: (r: Row) => <CertificateStatus revoked={r.revoked} /> },
    {
      key: "download",
      header: t("certificates.download"),
      cell: (r: Row) => (
        <div className="flex flex-wrap gap-3 text-sm">
          <a className="inline-flex items-center gap-1 font-semibold text-brand-700 underline" href={`/certificates/${r.code}/pdf?lang=zh-CN`} download>
            <Icon name="download" /> {t("certificates.downloadZh")}
          </a>
          <a className="inline-flex items-center gap-1 font-semibold text-brand-700 underline" href={`/certificates/${r.code}/pdf?lang=en`} download>
            <Icon name="download" /> {t("certificates.downloadEn")}
          </a>
        </div>
      ),
    },
  ];
  return (
    <Page title={t("certificates.title")} lead={t("certificates.lead")} actions={<Link className="text-sm font-semibold text-brand-700 underline" to="/verify">{t("certificates.verifyLink")}</Link>}>
      {rows.length ? <DataTable columns={columns} rows={rows} rowKey={(r) => r.code} /> : <EmptyState>{t("certificates.none")}</EmptyState>}
    </Page>
  );
}

// A learner's own training record: hours per programme by source and day; prints cleanly.
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { Card, DataTable, EmptyState, Page } from "~/components/ui/layout";
import { Badge } from "~/components/ui/feedback";
import { requireUser } from "~/domains/auth/session.server";
import { formatHours } from "~/domains/records/ledger";
import { learnerRecords } from "~/domains/records/programmes.server";
import { i18next } from "~/i18next.server";
import { formatCalendarDate } from "~/utils/datetime";

export const meta: MetaFunction = () => [{ title: "My training record · SkillRelay" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const [records, locale] = await Promise.all([learnerRecords(user.id), i18next.getLocale(request)]);
  return {
    name: user.name,
    programmes: records.map((p) => ({
      id: p.id,
      title: p.title,
      org: p.orgName,
      period: `${p.startDate} – ${p.endDate}`,
      total: formatHours(p.total),
      days: p.daysAttended,
      rows: p.rows.map((r) => ({
        day: r.day,
        label: formatCalendarDate(r.day, locale, false),
        lesson: formatHours(Math.max(0, r.lesson)),
        live: formatHours(Math.max(0, r.live)),
        assessment: formatHours(Math.max(0, r.assessment)),
        correction: `${r.correction < 0 ? "-" : ""}${formatHours(Math.abs(r.correction))}`,
        total: formatHours(Math.max(0, r.total)),
        attended: r.attended,
      })),
    })),
  };
}

export default function MyRecords() {
  const { name, programmes } = useLoaderData<typeof loader>();
  const { t } = useTranslation("records");
  return (
    <Page title={t("mine.title")} lead={t("mine.lead", { name })}>
      <div className="print:hidden">
        <button type="button" onClick={() => window.print()} className="rounded-md border border-slate-300 bg-white px-3 py-2 text-sm font-semibold text-slate-800 hover:bg-slate-50">
          {t("mine.print")}
        </button>
      </div>
      {programmes.length === 0 ? <EmptyState>{t("mine.none")}</EmptyState> : null}
      {programmes.map((p) => (
        <Card key={p.id} title={p.title} className="break-inside-avoid print:border-0 print:shadow-none">
          <p className="mb-3 text-sm text-slate-600">
            {p.org} · {p.period} · {t("mine.summary", { total: p.total, days: p.days })}
          </p>
          <DataTable
            rows={p.rows}
            rowKey={(r) => r.day}
            caption={p.title}
            columns={[
              { key: "day", header: t("programme.day"), cell: (r) => r.label, className: "whitespace-nowrap" },
              { key: "lesson", header: t("source.lesson"), cell: (r) => r.lesson },
              { key: "live", header: t("source.live"), cell: (r) => r.live },
              { key: "assessment", header: t("source.assessment"), cell: (r) => r.assessment },
              { key: "correction", header: t("source.correction"), cell: (r) => r.correction },
              { key: "total", header: t("export.totalHours"), cell: (r) => <strong>{r.total}</strong> },
              { key: "attended", header: t("export.daysAttended"), cell: (r) => (r.attended ? <Badge tone="success">{t("mine.attended")}</Badge> : null) },
            ]}
          />
        </Card>
      ))}
    </Page>
  );
}
